"""Finding a half-remembered quote: one fold, the bigram index, query syntax, matching and ranking. Pure.

The names below are imported on first use, so that a module of this package
can be imported without the engine (and numpy): the interface paints its
first frame before the core is loaded (reader/ui/__init__.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine import Hit, Results, article_matches, search

__all__ = ["Hit", "Results", "article_matches", "search"]


def __getattr__(name: str):
    if name in __all__:
        from . import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
