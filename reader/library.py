"""A folder of articles, loaded: the articles newest first, and what went wrong.

Loading yields batches so that a user interface can show articles while the
rest of a big folder is still being read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .discover import find_files
from .grouping import article_order
from .load import ArticleError, failure_reason, load_article
from .model import Article

BATCH_SIZE = 250


@dataclass
class Library:
    articles: list[Article] = field(default_factory=list)
    problems: list[tuple[Path, str]] = field(default_factory=list)


@dataclass
class Batch:
    """Articles read since the last batch, and how far loading has come."""

    articles: list[Article]
    problems: list[tuple[Path, str]]
    done: int  # files read so far
    total: int  # files found


def newest_first(articles: list[Article]) -> list[Article]:
    return sorted(articles, key=article_order)


def load_batches(paths: list[Path], batch_size: int = BATCH_SIZE) -> Iterator[Batch]:
    """The first batch holds discovery's problems and the total; then one per ``batch_size`` files."""
    found = find_files(paths)
    total = len(found.files)
    yield Batch([], list(found.problems), 0, total)
    for start in range(0, total, batch_size):
        batch = Batch([], [], min(total, start + batch_size), total)
        for path in found.files[start:start + batch_size]:
            try:
                batch.articles.append(load_article(path))
            except ArticleError as error:
                batch.problems.append((path, error.reason))
            except Exception as error:
                # A parser bug must cost one file, not the whole folder.
                batch.problems.append((path, failure_reason(error)))
        yield batch


def load_library(paths: list[Path]) -> Library:
    library = Library()
    for batch in load_batches(paths):
        library.articles += batch.articles
        library.problems += batch.problems
    library.articles = newest_first(library.articles)
    return library
