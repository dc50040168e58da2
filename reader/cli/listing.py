"""`reader list`: one row per article, aligned by display width, or JSON Lines.

Rows come straight from a snapshot's columns: listing 100,000 articles never
builds an Article (nor a datetime) for each of them. Dates are the user's
local time (reader.parse.dates); copies of one article are one row, its
representative's, marked ``×N`` after the title (reader.catalog.copies).

In a pipe each row ends with a tab and the path, so that a script or fzf can
take it apart without parsing the aligned text before it::

    reader list ~/news | fzf --delimiter '\t' --with-nth 1 | cut -f2 | xargs reader show
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from collections.abc import Iterable
from typing import TextIO

from ..parse.clean import display_path
from ..parse.dates import iso_date, local_time
from ..model import Article, DateOrigin
from ..textwidth import cell_width, pad, truncate

_DATE_CELLS = 17  # "2022-01-11 10:55" and a mark for dates guessed from the file
_SOURCE_CELLS_MAX = 20
_FILE_DATE = 2  # reader.catalog.segment's code for DateOrigin.FILE


def width_of_sources(sources: Iterable[str]) -> int:
    """How wide the source column is, for `reader list` and `reader find` alike: the widest of ``sources``, up to 20 cells."""
    return min(_SOURCE_CELLS_MAX, max(map(cell_width, sources), default=0))


def width_for_titles(width: int, sources: int) -> int:
    """The cells left for a title on a terminal line ``width`` wide, after the date and a source column ``sources`` wide."""
    return max(10, width - _DATE_CELLS - 1 - sources - 2)


def date_cell(article: Article) -> str:
    if article.date is None:
        return pad("-", _DATE_CELLS)
    mark = "*" if article.date_origin is DateOrigin.FILE else " "
    return local_time(article.date).strftime("%Y-%m-%d %H:%M") + mark


def print_table(snapshot, out: TextIO) -> None:
    """Date, source and title of every listed article, newest first; in a pipe a tab and the path too."""
    copies = snapshot.copies
    order = copies.listed.tolist()
    sources, titles = snapshot.sources, snapshot.titles
    minutes = snapshot.local_dates("m")
    origins = snapshot.date_origin.tolist()
    marks = {n: "  " + copies.mark(n) for n in copies.members.tolist()}  # ×2 after the title: the few with copies
    source_width = width_of_sources({sources[n] for n in order})  # each source once
    # On a terminal a row is one screen line; in a pipe titles stay whole and the path follows.
    terminal = out.isatty()
    title_width = width_for_titles(shutil.get_terminal_size().columns, source_width) if terminal else 0
    paths = [] if terminal else _printable_paths(snapshot.paths, order)
    padded: dict[str, str] = {}
    lines = []
    for row, n in enumerate(order):
        shown = minutes[n]
        date = (shown.replace("T", " ") + ("*" if origins[n] == _FILE_DATE else " ")) if shown else pad("-", _DATE_CELLS)
        source = padded.get(sources[n])
        if source is None:
            source = padded[sources[n]] = pad(sources[n], source_width)
        mark = marks.get(n, "")
        if terminal:
            lines.append(f"{date} {source}  {truncate(titles[n], max(1, title_width - cell_width(mark)))}{mark}\n")
        else:
            lines.append(f"{date} {source}  {titles[n]}{mark}\t{paths[row]}\n")
    out.writelines(lines)


def _printable_paths(paths: list[str], order: list[int]) -> list[str]:
    """The paths of ``order``, each on one line with no stray tab (escaped as display_path does)."""
    chosen = [paths[n] for n in order]
    if "".join(chosen).isprintable():  # one test for them all: the usual case
        return chosen
    return [path if path.isprintable() else display_path(Path(path)) for path in chosen]


def identity_fields(article: Article) -> dict[str, object]:
    """The JSON fields that say which article a record is about (list and find share them)."""
    return {
        "path": json_path(article.path),
        "title": article.title,
        "source": article.source,
        "date": iso_date(article.date),
    }


def json_path(path: str | Path) -> str:
    return os.fsencode(path).decode("utf-8", "replace")


def print_json_lines(snapshot, out: TextIO) -> None:
    """One record per listed article; ``copies``: the paths of its other copies (reader.catalog.copies)."""
    paths, titles, sources = snapshot.paths, snapshot.titles, snapshot.sources
    authors, urls, formats = snapshot.column("author"), snapshot.column("url"), snapshot.column("format")
    copies = snapshot.copies
    sizes = copies.size.tolist()
    for n in copies.listed.tolist():
        record = {
            "path": json_path(paths[n]),
            "title": titles[n],
            "source": sources[n],
            "date": iso_date(snapshot.date(n)),
            "author": authors[n],
            "url": urls[n] or None,  # missing: null, as a missing date is
            "format": formats[n],
            "copies": [json_path(paths[other]) for other in copies.others(n)] if sizes[n] > 1 else [],
        }
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
