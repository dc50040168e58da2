"""Every article of some folders as Article objects, newest first: a convenience for tests and benchmarks.

The app and the command line never do this: they read a catalog snapshot,
which keeps 100,000 articles as arrays. This builds one Article (with its
blocks) per file, through the same catalog, without its cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import Catalog
from ..model import Article


@dataclass
class Library:
    articles: list[Article] = field(default_factory=list)
    problems: list[tuple[Path, str]] = field(default_factory=list)


def load_library(paths: list[Path]) -> Library:
    snapshot = Catalog(list(paths), cache_base=None).load()
    return Library([snapshot.article(n) for n in snapshot.newest_first.tolist()], snapshot.skipped)
