"""What reader remembers between runs: read marks, bookmarks, where you were, small values.

One SQLite database (the standard library's), ``state.sqlite3`` under
``state_dir()``; never anything in the folders being read. Articles are named
by their key (``Snapshot.key``: the url, else a hash of the text), so moving
or renaming a file keeps its state.

- **Atomic, and two readers at once**: WAL mode, every write its own short
  transaction (``BEGIN IMMEDIATE`` … ``COMMIT``), and a busy timeout, so a
  second reader waits for the first one's write instead of failing. Marks
  and bookmarks are one row per article, so two readers never overwrite each
  other's work (the last place is one row: the last reader to move wins).
- **Damaged**: a file that is not a database, or fails SQLite's quick check,
  is set aside (``state.sqlite3.corrupt-<time>``, as ``atomic.set_aside``
  does) and a new one is made; ``notices`` says so once.
- **Unwritable** (a read-only or missing home, a full disk): the state lives
  in memory for this run, and ``notices`` says so. Nothing here raises.

Tables, for whoever needs to keep something small (``get_value`` /
``set_value`` hold any JSON value by name, e.g. the sidebar's width;
``add_history`` / ``history`` keep recent entries of a kind, newest first,
e.g. search queries)::

    read(key, at)                          articles read, and when
    bookmarks(key, at, title, source, path) newest first; the rest for showing
    value(name, json, at)                  named values ("place": the last place)
    history(kind, entry, at)               recent entries per kind

Pure: no Textual here.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from .atomic import set_aside
from .errorlog import log_failure

STATE_FILE = "state.sqlite3"
SCHEMA_VERSION = 1
BUSY_TIMEOUT = 5.0  # seconds a write waits for another reader's write
HISTORY_KEEP = 200  # entries kept per kind

_SCHEMA = """
CREATE TABLE IF NOT EXISTS read (key TEXT PRIMARY KEY, at REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bookmarks (
    key TEXT PRIMARY KEY, at REAL NOT NULL,
    title TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '', path TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bookmarks_by_time ON bookmarks (at);
CREATE TABLE IF NOT EXISTS value (name TEXT PRIMARY KEY, json TEXT NOT NULL, at REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS history (kind TEXT NOT NULL, entry TEXT NOT NULL, at REAL NOT NULL, PRIMARY KEY (kind, entry)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS history_by_time ON history (kind, at);
"""
_CORRUPT = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB (primary result codes)
_PLACE = "place"


@dataclass(frozen=True)
class Bookmark:
    key: str
    at: float  # seconds since the epoch
    title: str = ""
    source: str = ""
    path: str = ""


@dataclass(frozen=True)
class Place:
    """The last article opened and where in it: ArticleView's anchor (block, fraction of its lines)."""

    key: str
    block: int = -1
    fraction: float = 0.0
    path: str = ""


def state_path() -> Path | None:
    """Where the state is kept, or None when there is no home to keep it in."""
    from .paths import state_dir

    try:
        return state_dir() / STATE_FILE
    except RuntimeError:
        return None


class State:
    """The reading state, open for one run. Every method is safe to call whatever happened on disk."""

    def __init__(self, path: Path | None = None, *, now: Callable[[], float] = time.time) -> None:
        """``path``: the database file (default: ``state_path()``); ``now``: the clock of the marks (for tests)."""
        self.now = now
        self.notices: list[str] = []  # for the user, each shown once
        self.path: Path | None = None  # None: kept in memory only
        self._failed = False  # a write failed: said once
        target = path if path is not None else state_path()
        self._db = self._open(target) if target is not None else None
        if self._db is None:
            if target is None:
                self.notices.append("reading state is not kept: there is no home folder to keep it in")
            self._db = self._connect(":memory:")
        else:
            self.path = target

    # -- opening --------------------------------------------------------------------
    def _open(self, path: Path) -> sqlite3.Connection | None:
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            return self._connect(path)
        except sqlite3.Error as error:
            if not (isinstance(error, sqlite3.DatabaseError) and _corrupt(error)):
                return self._unwritable(path, error)
        except OSError as error:
            return self._unwritable(path, error)
        aside = _set_aside(path)
        if aside is None:
            return self._unwritable(path, RuntimeError("damaged, and it could not be set aside"))
        self.notices.append(f"reading state was damaged: set aside as {aside.name}, starting afresh")
        try:
            return self._connect(path)
        except (sqlite3.Error, OSError) as error:
            return self._unwritable(path, error)

    def _unwritable(self, path: Path, error: BaseException) -> None:
        log_failure("opening the reading state", error)
        self.notices.append(f"reading state is not kept this time: {path.parent}: {_reason(error)}")
        return None

    def _connect(self, path: Path | str) -> sqlite3.Connection:
        # Autocommit (isolation_level=None): transactions are opened by hand, one per write.
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")  # the first read of the file: a non-database fails here
            db.execute("PRAGMA synchronous=NORMAL")  # in WAL mode: atomic and consistent, fsync at checkpoints
            checked = db.execute("PRAGMA quick_check").fetchall()
            if checked != [("ok",)]:
                raise sqlite3.DatabaseError(f"quick check: {checked[0][0] if checked else 'no answer'}")
            if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                db.executescript("BEGIN IMMEDIATE;" + _SCHEMA + f"PRAGMA user_version={SCHEMA_VERSION};COMMIT;")
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        with suppress(sqlite3.Error):
            self._db.close()

    # -- writing --------------------------------------------------------------------
    def _write(self, statement: str, rows: Iterable[tuple], *more: tuple[str, Iterable[tuple]]) -> bool:
        """Run each statement for each of its rows, all in one transaction of its own; False if not saved."""
        try:
            with _transaction(self._db):
                self._db.execute("BEGIN IMMEDIATE")  # the write lock now, waiting up to BUSY_TIMEOUT for it
                for step, step_rows in ((statement, rows), *more):
                    self._db.executemany(step, step_rows)
                self._db.execute("COMMIT")
        except sqlite3.Error as error:
            if not self._failed:
                self._failed = True
                log_failure("saving the reading state", error)
                self.notices.append(f"reading state could not be saved: {_reason(error)}")
            return False
        return True

    def _rows(self, query: str, parameters: tuple = ()) -> list[tuple]:
        try:
            return self._db.execute(query, parameters).fetchall()
        except sqlite3.Error as error:
            log_failure("reading the reading state", error)
            return []

    # -- read marks -----------------------------------------------------------------
    def read_keys(self) -> set[str]:
        return {key for (key,) in self._rows("SELECT key FROM read")}

    def is_read(self, key: str) -> bool:
        return bool(self._rows("SELECT 1 FROM read WHERE key = ?", (key,)))

    def mark_read(self, keys: Iterable[str], read: bool = True) -> bool:
        """Mark articles read (or unread again), all in one transaction."""
        if read:
            now = self.now()
            return self._write("INSERT OR IGNORE INTO read (key, at) VALUES (?, ?)", ((key, now) for key in keys))
        return self._write("DELETE FROM read WHERE key = ?", ((key,) for key in keys))

    # -- bookmarks ------------------------------------------------------------------
    def bookmarks(self) -> list[Bookmark]:
        """Newest bookmark first."""
        rows = self._rows("SELECT key, at, title, source, path FROM bookmarks ORDER BY at DESC, key")
        return [Bookmark(*row) for row in rows]

    def is_bookmarked(self, key: str) -> bool:
        return bool(self._rows("SELECT 1 FROM bookmarks WHERE key = ?", (key,)))

    def bookmark(self, key: str, *, title: str = "", source: str = "", path: str = "") -> bool:
        """Bookmark an article (again: it moves to the top)."""
        return self._write(
            "INSERT OR REPLACE INTO bookmarks (key, at, title, source, path) VALUES (?, ?, ?, ?, ?)",
            [(key, self.now(), title, source, path)],
        )

    def unbookmark(self, key: str) -> bool:
        return self._write("DELETE FROM bookmarks WHERE key = ?", [(key,)])

    # -- the last place -------------------------------------------------------------
    def last_place(self) -> Place | None:
        value = self.get_value(_PLACE)
        if not isinstance(value, dict) or not isinstance(value.get("key"), str):
            return None
        block, fraction, path = value.get("block", -1), value.get("fraction", 0.0), value.get("path", "")
        if not isinstance(block, int) or not isinstance(fraction, (int, float)) or not isinstance(path, str):
            return Place(value["key"])
        return Place(value["key"], block, min(1.0, max(0.0, float(fraction))), path)

    def set_last_place(self, place: Place) -> bool:
        return self.set_value(_PLACE, {"key": place.key, "block": place.block, "fraction": place.fraction, "path": place.path})

    # -- small values and histories, for any part of the app ------------------------
    def get_value(self, name: str, default: object = None) -> object:
        """The JSON value saved under ``name`` (``default`` when there is none, or it cannot be read)."""
        rows = self._rows("SELECT json FROM value WHERE name = ?", (name,))
        if not rows:
            return default
        try:
            return json.loads(rows[0][0])
        except ValueError:
            return default

    def set_value(self, name: str, value: object) -> bool:
        """Save ``value`` (anything ``json.dumps`` takes) under ``name``; None removes it."""
        if value is None:
            return self._write("DELETE FROM value WHERE name = ?", [(name,)])
        text = json.dumps(value, ensure_ascii=False)
        return self._write("INSERT OR REPLACE INTO value (name, json, at) VALUES (?, ?, ?)", [(name, text, self.now())])

    def history(self, kind: str, limit: int = HISTORY_KEEP) -> list[str]:
        """The entries of ``kind`` (e.g. "search"), newest first."""
        rows = self._rows("SELECT entry FROM history WHERE kind = ? ORDER BY at DESC, entry LIMIT ?", (kind, limit))
        return [entry for (entry,) in rows]

    def add_history(self, kind: str, entry: str) -> bool:
        """Put ``entry`` first in its history (once: an old copy moves up); the oldest beyond HISTORY_KEEP go."""
        return self._write(
            "INSERT OR REPLACE INTO history (kind, entry, at) VALUES (?, ?, ?)",
            [(kind, entry, self.now())],
            (
                "DELETE FROM history WHERE kind = ? AND entry NOT IN"
                " (SELECT entry FROM history WHERE kind = ? ORDER BY at DESC, entry LIMIT ?)",
                [(kind, kind, HISTORY_KEEP)],
            ),
        )


@contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """Roll back whatever a failed write left open, so that the connection stays usable."""
    try:
        yield
    except BaseException:
        if db.in_transaction:
            with suppress(sqlite3.Error):
                db.execute("ROLLBACK")
        raise


def _corrupt(error: sqlite3.DatabaseError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _CORRUPT
    return type(error) is sqlite3.DatabaseError  # our own quick-check failure, or an old sqlite3 without codes


def _set_aside(path: Path) -> Path | None:
    """Move a damaged database (and its write-ahead log) out of the way; the new name, or None."""
    aside = set_aside(path) if path.exists() else path
    if aside is None:
        return None
    wal = path.with_name(path.name + "-wal")
    if wal.exists():
        set_aside(wal)  # it belongs to the damaged file; kept beside it
    with suppress(OSError):
        os.unlink(path.with_name(path.name + "-shm"))
    return aside


def _reason(error: BaseException) -> str:
    if isinstance(error, (FileExistsError, NotADirectoryError)):
        return "not a folder"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
