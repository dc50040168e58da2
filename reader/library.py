"""A folder of articles, loaded: the articles newest first, and what went wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .discover import find_files
from .load import ArticleError, load_article
from .model import Article

_OLDEST = datetime.min.replace(tzinfo=timezone.utc)


@dataclass
class Library:
    articles: list[Article] = field(default_factory=list)
    problems: list[tuple[Path, str]] = field(default_factory=list)


def newest_first(articles: list[Article]) -> list[Article]:
    # Undated articles last; ties broken by title and path so the order never wobbles.
    by_name = sorted(articles, key=lambda article: (article.title, str(article.path)))
    return sorted(by_name, key=lambda article: article.date or _OLDEST, reverse=True)


def load_library(paths: list[Path]) -> Library:
    found = find_files(paths)
    library = Library(problems=list(found.problems))
    for path in found.files:
        try:
            library.articles.append(load_article(path))
        except ArticleError as error:
            library.problems.append((path, error.reason))
        except (RecursionError, MemoryError, ValueError, TypeError, LookupError, AttributeError) as error:
            # A parser bug must cost one file, not the whole listing.
            library.problems.append((path, f"could not be parsed ({type(error).__name__}: {error})"[:300]))
    library.articles = newest_first(library.articles)
    return library
