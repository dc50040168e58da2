"""`reader list`: one row per article, aligned by display width, or JSON Lines."""

from __future__ import annotations

import json
import os
import shutil
from typing import TextIO

from .dates import iso_date
from .model import Article, DateOrigin
from .textwidth import cell_width, pad, truncate

_DATE_CELLS = 17  # "2022-01-11 10:55" and a mark for dates guessed from the file
_SOURCE_CELLS_MAX = 20


def date_cell(article: Article) -> str:
    if article.date is None:
        return pad("-", _DATE_CELLS)
    mark = "*" if article.date_origin is DateOrigin.FILE else " "
    return article.date.strftime("%Y-%m-%d %H:%M") + mark


def print_table(articles: list[Article], out: TextIO) -> None:
    source_cells = min(_SOURCE_CELLS_MAX, max(cell_width(article.source) for article in articles))
    # On a terminal a row is one screen line; in a pipe titles stay whole for scripts.
    title_cells = None
    if out.isatty():
        title_cells = max(10, shutil.get_terminal_size().columns - _DATE_CELLS - 1 - source_cells - 2)
    for article in articles:
        title = article.title if title_cells is None else truncate(article.title, title_cells)
        out.write(f"{date_cell(article)} {pad(article.source, source_cells)}  {title}\n")


def identity_fields(article: Article) -> dict[str, object]:
    """The JSON fields that say which article a record is about (list and find share them)."""
    return {
        "path": os.fsencode(article.path).decode("utf-8", "replace"),
        "title": article.title,
        "source": article.source,
        "date": iso_date(article.date),
    }


def article_record(article: Article) -> dict[str, object]:
    return {
        **identity_fields(article),
        "author": article.author,
        "url": article.url,
        "format": article.format,
    }


def print_json_lines(articles: list[Article], out: TextIO) -> None:
    for article in articles:
        out.write(json.dumps(article_record(article), ensure_ascii=False) + "\n")
