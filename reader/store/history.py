"""Search history: the queries searched, oldest first, kept across runs in the state folder.

Two functions are the whole interface (``load_history``, ``remember``), so
that where the history lives can change without the search bar knowing. For
now it is one small JSON file, ``search-history.json`` (a list of strings),
written atomically. ``remember`` reads the file again before it writes, so
that two readers running at once keep each other's queries. A file that is
not such a list is set aside (``search-history.json.corrupt-…``) and the
history starts again; a folder that cannot be written costs the history,
never the search.
"""

from __future__ import annotations

import json
from pathlib import Path

from .atomic import atomic_write, set_aside
from .paths import state_dir

__all__ = ["HISTORY_FILE", "LIMIT", "load_history", "remember"]

HISTORY_FILE = "search-history.json"
LIMIT = 200  # queries kept; the oldest go first
_LONGEST = 1000  # characters of one query kept


def _path(path: Path | None) -> Path:
    return path if path is not None else state_dir() / HISTORY_FILE


def load_history(path: Path | None = None) -> list[str]:
    """The queries remembered, oldest first; [] when there are none (or the file is damaged, then set aside)."""
    path = _path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, ValueError):
        set_aside(path)
        return []
    if not isinstance(data, list) or not all(isinstance(query, str) for query in data):
        set_aside(path)
        return []
    return data[-LIMIT:]


def remember(query: str, path: Path | None = None) -> list[str]:
    """Add ``query`` as the newest (once: an earlier copy moves up); the history as it now stands.

    A blank query is not remembered. Never raises: the history may be lost, the search goes on.
    """
    query = " ".join(query.split())[:_LONGEST]
    path = _path(path)
    history = load_history(path)
    if not query:
        return history
    history = [*(earlier for earlier in history if earlier != query), query][-LIMIT:]
    atomic_write(path, json.dumps(history, ensure_ascii=False, indent=0).encode("utf-8"))
    return history
