"""`reader list`: one row per article, aligned by display width, or JSON Lines.

Rows come straight from a snapshot's columns: listing 100,000 articles never
builds an Article (nor a datetime) for each of them.
"""

from __future__ import annotations

import json
import os
import shutil
from typing import TextIO

from ..parse.dates import iso_date, local_time
from ..model import Article, DateOrigin
from ..textwidth import cell_width, pad, truncate

_DATE_CELLS = 17  # "2022-01-11 10:55" and a mark for dates guessed from the file
_SOURCE_CELLS_MAX = 20
_FILE_DATE = 2  # reader.catalog.segment's code for DateOrigin.FILE


def date_cell(article: Article) -> str:
    if article.date is None:
        return pad("-", _DATE_CELLS)
    mark = "*" if article.date_origin is DateOrigin.FILE else " "
    return local_time(article.date).strftime("%Y-%m-%d %H:%M") + mark


def print_table(snapshot, out: TextIO) -> None:
    """Date, source and title of every live article, newest first."""
    order = snapshot.newest_first.tolist()
    sources, titles = snapshot.sources, snapshot.titles
    minutes = snapshot.local_dates("m")
    origins = snapshot.date_origin.tolist()
    source_cells = min(_SOURCE_CELLS_MAX, max((cell_width(sources[n]) for n in order), default=1))
    # On a terminal a row is one screen line; in a pipe titles stay whole for scripts.
    title_cells = None
    if out.isatty():
        title_cells = max(10, shutil.get_terminal_size().columns - _DATE_CELLS - 1 - source_cells - 2)
    padded: dict[str, str] = {}
    lines = []
    for n in order:
        shown = minutes[n]
        date = (shown.replace("T", " ") + ("*" if origins[n] == _FILE_DATE else " ")) if shown else pad("-", _DATE_CELLS)
        source = padded.get(sources[n])
        if source is None:
            source = padded[sources[n]] = pad(sources[n], source_cells)
        title = titles[n] if title_cells is None else truncate(titles[n], title_cells)
        lines.append(f"{date} {source}  {title}\n")
    out.writelines(lines)


def identity_fields(article: Article) -> dict[str, object]:
    """The JSON fields that say which article a record is about (list and find share them)."""
    return {
        "path": os.fsencode(article.path).decode("utf-8", "replace"),
        "title": article.title,
        "source": article.source,
        "date": iso_date(article.date),
    }


def print_json_lines(snapshot, out: TextIO) -> None:
    paths, titles, sources = snapshot.paths, snapshot.titles, snapshot.sources
    authors, urls, formats = snapshot.column("author"), snapshot.column("url"), snapshot.column("format")
    for n in snapshot.newest_first.tolist():
        record = {
            "path": os.fsencode(paths[n]).decode("utf-8", "replace"),
            "title": titles[n],
            "source": sources[n],
            "date": iso_date(snapshot.date(n)),
            "author": authors[n],
            "url": urls[n],
            "format": formats[n],
        }
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
