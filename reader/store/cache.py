"""The persistent cache of one set of folders: segment files and a manifest that names them.

::

    $READER_CACHE_DIR/v1/<hash of the folders>/manifest.json   which segments, which of their articles are gone
                                              /lock            held while the manifest is replaced
                                              /s-<id>.seg      segments (store.container files), never changed
                                              /t-<key>.arr     tables computed from one manifest's segments
                                              /folders         what each folder held at the last walk

Segment files are written once and never modified; what changes is the
manifest, replaced atomically. A change is committed only on top of the
generation it was computed from (compare and swap under the lock): when two
readers run at once, the first to commit wins and the other keeps its own
results in memory, so the cache is always one reader's consistent picture.
Files no manifest names any more are removed once they are old enough that no
reader can still be opening them.

Anything that cannot be trusted (a manifest that does not parse, of another
format, naming a missing file; a segment file that is truncated or fails its
checksum) means the whole store is set aside as ``<hash>.damaged-<time>`` and
rebuilt: ``Damaged`` says what and where. A folder that cannot be written
(read-only, full disk) means running without the cache: commits raise OSError,
which the catalog turns into one notice.

Pure: no Textual here.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from .atomic import atomic_write_chunks
from .container import ArrayFile, Damaged, write_arrays
from .layout import FORMAT, LISTING, VERSION_DIR, store_folder

MANIFEST = "manifest.json"
SEGMENT_KIND = "segment"
TABLES_KIND = "tables"
_ORPHAN_AGE = 60  # seconds: an unnamed segment file younger than this may be a commit under way
_KEEP_DAMAGED = 2  # set-aside stores kept for a look, newest first


@dataclass
class Entry:
    """One segment file named by the manifest, and which of its articles and skipped files are gone."""

    name: str
    articles: int
    skipped: int
    dead: np.ndarray  # bool per article
    dead_skipped: np.ndarray  # bool per skipped file
    file: ArrayFile | None = None


@dataclass
class State:
    """What the manifest said when it was read."""

    generation: int = 0
    entries: list[Entry] = field(default_factory=list)
    created: str = ""
    updated: str = ""


class Foreign(Damaged):
    """A cache made by another reader (another parser, fold or layout): not wrong, but not ours."""


class Cache:
    """The store for one set of folders (``roots``: their real paths, sorted).

    ``content`` names the code that fills it (reader.catalog.versions): a manifest
    written by other code is ``Foreign``.
    """

    def __init__(self, base: Path, roots: list[str], content: str = "") -> None:
        self.base = Path(base)
        self.roots = roots
        self.content = content
        self.folder = store_folder(self.base, roots)

    @property
    def listing(self) -> Path:
        """What each folder held at the last walk (catalog.folders): read by the walk, written by the catalog."""
        return self.folder / LISTING

    def write_listing(self, data: bytes) -> None:
        """Keep a new folder listing (not fsynced: it is checksummed, and only a shortcut). Raises OSError."""
        self.folder.mkdir(parents=True, exist_ok=True)
        atomic_write_chunks(self.listing, [data], durable=False)

    # -- reading --------------------------------------------------------------------
    def read(self) -> State:
        """The current state, every segment file opened.

        Raises Damaged if any of it cannot be trusted, OSError if the folder
        cannot be read at all (then there is no cache to use).
        """
        path = self.folder / MANIFEST
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return State()
        state = self._parse(path, data)
        for entry in state.entries:
            file = self.folder / entry.name
            if not file.exists() and path.read_bytes() != data:
                return self.read()  # another reader committed and removed it meanwhile: read its manifest
            entry.file = ArrayFile(file, SEGMENT_KIND)
            if entry.file.meta.get("articles") != entry.articles or entry.file.meta.get("skipped") != entry.skipped:
                raise Damaged(file, "does not hold what the manifest says")
        return state

    def _parse(self, path: Path, data: bytes) -> State:
        try:
            manifest = json.loads(data)
        except ValueError:
            raise Damaged(path, "unreadable manifest") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise Damaged(path, "a manifest of another format")
        if manifest.get("roots") != self.roots:
            raise Damaged(path, "a manifest for other folders")
        if manifest.get("content") != self.content:
            raise Foreign(path, "made by another version of reader")
        try:
            entries = []
            for item in manifest["segments"]:
                name = str(item["file"])
                if "/" in name or not name.endswith(".seg"):
                    raise ValueError(name)
                articles, skipped = int(item["articles"]), int(item["skipped"])
                dead = np.zeros(articles, dtype=bool)
                dead[np.array(item.get("dead", []), dtype=np.int64)] = True
                dead_skipped = np.zeros(skipped, dtype=bool)
                dead_skipped[np.array(item.get("dead_skipped", []), dtype=np.int64)] = True
                entries.append(Entry(name, articles, skipped, dead, dead_skipped))
            return State(int(manifest["generation"]), entries, str(manifest.get("created", "")), str(manifest.get("updated", "")))
        except (KeyError, TypeError, ValueError, IndexError):
            raise Damaged(path, "a manifest that does not add up") from None

    def read_tables(self, key: str) -> ArrayFile | None:
        """The tables kept under ``key`` (write_tables), or None: never kept, gone, or not to be trusted.

        Tables are a shortcut, not the truth: one that fails its checksum is
        removed and computed again, and the store stays as it is.
        """
        path = self.folder / f"t-{key}.arr"
        try:
            tables = ArrayFile(path, TABLES_KIND)
        except Damaged:
            if path.exists():
                with suppress(OSError):
                    path.unlink()
            return None
        return tables if tables.meta.get("key") == key else None

    def write_tables(self, key: str, arrays: dict[str, np.ndarray], meta: dict) -> None:
        """Keep ``arrays`` under ``key``, in place of any tables kept before. Raises OSError."""
        name = f"t-{key}.arr"
        write_arrays(self.folder / name, TABLES_KIND, arrays, {**meta, "key": key}, durable=False)  # checksummed: a shortcut
        with suppress(OSError):
            for entry in os.scandir(self.folder):
                if entry.name.startswith("t-") and entry.name.endswith(".arr") and entry.name != name:
                    with suppress(OSError):
                        os.unlink(entry.path)  # a reader that mapped it keeps its mapping

    # -- writing --------------------------------------------------------------------
    def write_segment(self, arrays: dict[str, np.ndarray], articles: int, skipped: int, lazy: frozenset[str] = frozenset()) -> str:
        """Write a segment file (named by no manifest yet); its name. Raises OSError."""
        name = f"s-{uuid.uuid4().hex}.seg"
        write_arrays(self.folder / name, SEGMENT_KIND, arrays, {"articles": articles, "skipped": skipped}, lazy)
        return name

    def commit(self, base: int, entries: list[Entry], *, created: str = "") -> int | None:
        """Make ``entries`` the cache's content, if nobody committed since ``base``; the new generation, or None.

        Raises OSError when the folder cannot be written.
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        now = datetime.now().astimezone().isoformat(timespec="seconds")
        with self._locked():
            try:
                current = json.loads((self.folder / MANIFEST).read_bytes()).get("generation", 0)
            except FileNotFoundError:
                current = 0
            except (OSError, ValueError, AttributeError):
                current = -1  # damaged: whoever reads next sets it aside
            if current != base:
                return None
            manifest = {
                "format": FORMAT,
                "generation": base + 1,
                "roots": self.roots,
                "content": self.content,
                "created": created or now,
                "updated": now,
                "segments": [
                    {
                        "file": entry.name, "articles": entry.articles, "skipped": entry.skipped,
                        "dead": np.flatnonzero(entry.dead).tolist(), "dead_skipped": np.flatnonzero(entry.dead_skipped).tolist(),
                    }
                    for entry in entries
                ],
            }
            atomic_write_chunks(self.folder / MANIFEST, [json.dumps(manifest, ensure_ascii=False).encode("utf-8")])
        self._collect({entry.name for entry in entries})
        return base + 1

    @contextmanager
    def _locked(self):
        import fcntl

        with open(self.folder / "lock", "a+b") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def discard(self, name: str) -> None:
        """Remove a segment file this process wrote but could not commit."""
        with suppress(OSError):
            (self.folder / name).unlink()

    def _collect(self, named: set[str]) -> None:
        """Remove segment and temporary files that no manifest names and nobody is still writing."""
        now = time.time()
        with suppress(OSError):
            for entry in os.scandir(self.folder):
                orphan = (entry.name.endswith(".seg") and entry.name not in named) or entry.name.endswith(".tmp")
                if orphan:
                    with suppress(OSError):
                        if now - entry.stat().st_mtime > _ORPHAN_AGE:
                            os.unlink(entry.path)

    def discard(self) -> None:
        """Remove a store another version of reader made: nothing in it is worth a look, and it may be gigabytes."""
        if not self.folder.exists():
            return
        doomed = self.folder.with_name(f"{self.folder.name}.outdated-{os.getpid()}")
        try:
            os.rename(self.folder, doomed)  # out of the way at once, even if removing it is cut short
        except OSError:
            doomed = self.folder
        for folder in [doomed, *self.folder.parent.glob(f"{self.folder.name}.outdated-*")]:
            shutil.rmtree(folder, ignore_errors=True)

    def set_aside(self) -> Path | None:
        """Move the whole store out of the way (it will be rebuilt); where it went, or None."""
        if not self.folder.exists():
            return None
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        target = self.folder.with_name(f"{self.folder.name}.damaged-{stamp}-{os.getpid()}")
        try:
            os.rename(self.folder, target)
        except OSError:
            with suppress(OSError):
                shutil.rmtree(self.folder)
            return None
        damaged = sorted(self.folder.parent.glob(f"{self.folder.name}.damaged-*"), reverse=True)
        for old in damaged[_KEEP_DAMAGED:]:
            shutil.rmtree(old, ignore_errors=True)
        return target


# ---------------------------------------------------------------- reader cache info / clear


@dataclass
class StoreInfo:
    folder: Path
    roots: list[str]
    articles: int
    segments: int
    size: int
    created: str
    updated: str
    damaged: bool


def describe(base: Path) -> list[StoreInfo]:
    """Every store under ``base``: for `reader cache info`."""
    found = []
    version = Path(base) / VERSION_DIR
    if not version.is_dir():
        return found
    for folder in sorted(version.iterdir()):
        if not folder.is_dir():
            continue
        size = sum(entry.stat().st_size for entry in folder.iterdir() if entry.is_file())
        damaged = ".damaged-" in folder.name
        roots: list[str] = []
        articles = segments = 0
        created = updated = ""
        with suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
            manifest = json.loads((folder / MANIFEST).read_bytes())
            roots = [str(root) for root in manifest["roots"]]
            segments = len(manifest["segments"])
            articles = sum(int(item["articles"]) - len(item.get("dead", [])) for item in manifest["segments"])
            created, updated = str(manifest.get("created", "")), str(manifest.get("updated", ""))
        found.append(StoreInfo(folder, roots, articles, segments, size, created, updated, damaged))
    return found


def clear(base: Path) -> int:
    """Remove every store under ``base`` (reader's own files only); the bytes freed."""
    version = Path(base) / VERSION_DIR
    freed = sum(info.size for info in describe(base))
    shutil.rmtree(version, ignore_errors=True)
    with suppress(OSError):
        Path(base).rmdir()  # only if nothing else is left there
    return freed
