"""Finding a half-remembered quote: one fold, the bigram index, query syntax, matching and ranking. Pure."""

from .engine import Hit, Results, article_matches, search

__all__ = ["Hit", "Results", "article_matches", "search"]
