"""Where in the cache one set of folders keeps its store: stdlib only, for a walk that starts before numpy is imported.

::

    <cache>/v1/<hash of the folders' real paths, sorted>/   the store (store.cache)
                                                   /folders  what each folder held at the last walk (catalog.folders)
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

FORMAT = 1
VERSION_DIR = f"v{FORMAT}"
LISTING = "folders"


def store_roots(paths) -> list[str]:
    """The folders a store is for: the real paths of those named, each once, sorted."""
    return sorted({os.path.realpath(str(path)) for path in paths})


def store_key(roots: list[str]) -> str:
    return hashlib.sha256("\0".join(roots).encode("utf-8", "surrogateescape")).hexdigest()[:20]


def store_folder(base: Path, roots: list[str]) -> Path:
    return Path(base) / VERSION_DIR / store_key(roots)


def listing_file(base: Path, paths) -> Path:
    """The folder listing of the store for ``paths`` (named as the user named them)."""
    return store_folder(base, store_roots(paths)) / LISTING
