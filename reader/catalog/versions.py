"""Which reader made a cache: a fingerprint of the code that decides what the cache holds.

A cache is only right for the parser, the fold and the segment layout that
built it. Rather than a version number someone must remember to bump, the
fingerprint is a hash of those modules' source: change any of them (a new
release, a local edit) and the next start sees a cache of another reader,
sets it aside and rebuilds it. Reading the ~25 files costs about a millisecond.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # reader/
# Everything between a file's bytes and the arrays of a segment: the whole
# parse layer, the fold and the postings, the segment layout.
CONTENT_PACKAGES = ("parse",)
CONTENT_MODULES = (
    "model.py", "search/fold.py", "search/index.py", "data/t2s.tsv",
    "catalog/segment.py", "catalog/columns.py", "catalog/reading.py",
)


def content_files() -> list[Path]:
    files = [path for package in CONTENT_PACKAGES for path in sorted((_PACKAGE / package).rglob("*.py"))]
    return files + module_files(*CONTENT_MODULES)


@lru_cache(maxsize=1)
def content_version() -> str:
    return source_version(content_files())


def source_version(files: list[Path]) -> str:
    """A hash of these files of reader (their names and bytes): what the cache keeps of their results is keyed by it."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"missing")
    return digest.hexdigest()[:16]


def module_files(*names: str) -> list[Path]:
    """reader's modules by their place in the package ("catalog/kept.py")."""
    return [_PACKAGE / name for name in names]
