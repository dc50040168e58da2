"""The articles of a set of folders: loaded, cached and kept up to date by one object (Catalog).

The names below are imported on first use, so that ``reader.catalog.discover``
can be imported alone: a command starts its walk (discover.start_walk) before
numpy and the rest of reader are loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .catalog import Catalog, default_cache_base
    from .progress import Progress
    from .snapshot import Snapshot

__all__ = ["Catalog", "Progress", "Snapshot", "default_cache_base"]


def __getattr__(name: str):
    if name == "Progress":
        from .progress import Progress

        return Progress
    if name in ("Catalog", "default_cache_base"):
        from . import catalog

        return getattr(catalog, name)
    if name == "Snapshot":
        from .snapshot import Snapshot

        return Snapshot
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
