"""The articles of a set of folders: loaded, cached and kept up to date by one object (Catalog)."""

from .catalog import Catalog, Progress, default_cache_base
from .snapshot import Snapshot

__all__ = ["Catalog", "Progress", "Snapshot", "default_cache_base"]
