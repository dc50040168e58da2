"""A snapshot's list tables, kept in the cache so that the next start over the same articles computes none.

What a list and a search need of every article at once: the order
(``Snapshot.newest_first``), the copies (reader.catalog.copies) and each
article's source number. At 100,000 articles they cost 150-250 ms, on the
interface's thread the first time the sidebar showed them and in every
`reader find` and `reader list`. They depend only on the snapshot's parts
(segment files, which never change, and which of their articles are dead),
on how the roots are spelled when there are several (the order's last tie-break is the path) and on
the code that computes them; ``key`` is a hash of exactly that. The catalog
keeps the tables of each finished load under its key (store.cache
``write_tables``) and hands them to the first snapshot of the next start
whose key is the same, which is every start that finds nothing changed.

Kept tables are a shortcut and never the truth: they come back checksummed
(store.container), their sizes are checked against the snapshot, and any
doubt means computing them again.

Pure: no Textual here.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np

from .copies import Copies
from .snapshot import Snapshot
from .versions import module_files, source_version

# The code that computes the tables from the parts (the parts' own code is the cache's content version).
TABLE_MODULES = ("catalog/snapshot.py", "catalog/copies.py", "catalog/kept.py")
_COPIES = ("group", "size", "listed", "members", "member_groups")


@lru_cache(maxsize=1)
def tables_version() -> str:
    return source_version(module_files(*TABLE_MODULES))


def key(snapshot: Snapshot) -> str | None:
    """What the snapshot's tables are computed from, hashed; None when a part has no cache file yet."""
    if not snapshot.parts or any(part.name is None for part in snapshot.parts):
        return None
    digest = hashlib.sha256(tables_version().encode())
    # How the roots are spelled orders articles of one date and title by path; with one root every
    # path starts with its spelling, so the order is the same however it is spelled.
    for root in snapshot.roots if len(snapshot.roots) > 1 else ():
        digest.update(b"\0root\0" + root.encode("utf-8", "surrogateescape"))
    for part in snapshot.parts:
        digest.update(f"\0part\0{part.name}\0{part.segment.article_count}\0".encode())
        if part.alive is not None:
            digest.update(np.flatnonzero(~part.alive).astype("<i8").tobytes())
    return digest.hexdigest()[:24]


def tables_of(snapshot: Snapshot) -> tuple[dict[str, np.ndarray], dict]:
    """The snapshot's tables (computed now if they are not yet) as arrays and a little metadata, to be kept."""
    copies = snapshot.copies
    source_of, sources = snapshot.source_numbers
    arrays = {"newest_first": np.asarray(snapshot.newest_first, dtype=np.int64), "source_of": np.asarray(source_of, dtype=np.int32)}
    arrays.update({f"copies.{name}": np.asarray(getattr(copies, name), dtype=np.int64) for name in _COPIES})
    return arrays, {"sources": sources, "articles": snapshot.article_count, "live": snapshot.live_count}


def adopt(snapshot: Snapshot, arrays: dict, meta: dict) -> bool:
    """Give ``snapshot`` the kept tables, if they fit it; whether they did."""
    count, live = snapshot.article_count, snapshot.live_count
    try:
        sources = meta["sources"]
        order = arrays["newest_first"]
        source_of = arrays["source_of"]
        copies = {name: arrays[f"copies.{name}"] for name in _COPIES}
    except (KeyError, TypeError):
        return False
    fits = (
        meta.get("articles") == count and meta.get("live") == live
        and isinstance(sources, list) and all(isinstance(name, str) for name in sources)
        and len(order) == live and len(copies["listed"]) <= live and len(source_of) == count
        and len(copies["group"]) == count and len(copies["size"]) == count
        and len(copies["members"]) == len(copies["member_groups"])
        and (not count or (0 <= int(source_of.min()) and int(source_of.max()) < len(sources)))
    )
    if not fits:
        return False
    snapshot.adopt(newest_first=order, copies=Copies(**copies), source_numbers=(source_of, sources))
    return True
