"""`reader find`: search hits as blocks of lines, or JSON Lines.

One block per hit, a blank line between blocks::

    2022-01-11 10:55  观察者网  美俄谈了7个半小时，_有用_但没啥进展
      根据舍曼的说法，会谈中美俄双方一致认为，“核战争打不赢也打不得。”
      seeds/000_5ebfe7b192dec475.txt
      also in: archive/2022-01/美俄谈了7个半小时.txt

A hit is one article however many paths hold it (reader.catalog.copies): its
path, then one ``also in:`` line for each other copy (``copies`` in JSON).

On a terminal the matched characters are shown in bold reverse (no colour, so
it reads on every theme and under NO_COLOR), the path is dim, titles are cut
and passages wrapped to the width. In a pipe there are no escape codes and no
marks, each passage stays on one line, and titles stay whole: scripts that
need the match offsets take ``--json``.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from collections.abc import Iterable
from typing import TYPE_CHECKING, TextIO

from ..parse.clean import display_path
from .listing import date_cell, identity_fields, json_path, width_for_titles, width_of_sources
from ..textwidth import CONTROLS_TO_SPACE, pad, truncate

if TYPE_CHECKING:
    from rich.text import Text

    from ..search.engine import Hit

# Rich is imported for a terminal only: in a pipe the lines are plain strings
# (and `reader find` starts 40 ms sooner without rich.console and rich.text).

MATCH_STYLE = "bold reverse"
PATH_STYLE = "dim"
_INDENT = "  "
_FALLBACK_WIDTH = 80


# ---------------------------------------------------------------- JSON


def hit_record(hit: Hit) -> dict[str, object]:
    return {
        **identity_fields(hit.article),
        "score": hit.score,
        "block": int(hit.block),
        "passage": hit.passage,
        "spans": [[start, end] for start, end in hit.spans],
        "copies": [json_path(path) for path in hit.copies],
    }


def print_json_lines(hits: Iterable[Hit], out: TextIO) -> None:
    for hit in hits:
        out.write(json.dumps(hit_record(hit), ensure_ascii=False) + "\n")


# ---------------------------------------------------------------- text


def _one_line(text: str) -> str:
    # Tabs (table passages) and stray controls would break the block's shape.
    return text.replace("\n", " ").translate(CONTROLS_TO_SPACE)


def _heading(hit: Hit, source_cells: int, title_cells: int | None) -> str:
    article = hit.article
    title = _one_line(article.title)
    if title_cells is not None:
        title = truncate(title, title_cells)
    return f"{date_cell(article)} {pad(_one_line(article.source), source_cells)}  {title}"


def _marked_passage(hit: Hit) -> Text:
    from rich.text import Text

    # A plain Text, styled by offsets: the passage is data, never markup.
    passage = Text(_one_line(hit.passage))
    for start, end in hit.spans:
        passage.stylize(MATCH_STYLE, start, end)
    return passage


def plain_hit_lines(hit: Hit, *, source_cells: int, shown_path: str) -> list[str]:
    """The lines of one hit for a pipe: whole, unstyled, each passage on one line."""
    return [
        _heading(hit, source_cells, None),
        _INDENT + _one_line(hit.passage),
        _INDENT + shown_path,
        *(f"{_INDENT}also in: {display_path(path)}" for path in hit.copies),
    ]


def hit_lines(hit: Hit, *, source_cells: int, width: int, shown_path: str) -> list[Text]:
    """The lines of one hit for a terminal: styled and fitted to ``width``."""
    from rich.text import Text

    from ..linebreak import wrap

    also = [f"{_INDENT}also in: {display_path(path)}" for path in hit.copies]
    return [
        Text(_heading(hit, source_cells, width_for_titles(width, source_cells))),
        *wrap(_marked_passage(hit), width, indent=_INDENT),
        Text(_INDENT + shown_path, style=PATH_STYLE),
        *(Text(line, style=PATH_STYLE) for line in also),
    ]


def print_hits(hits: Iterable[Hit], out: TextIO, *, sources: Iterable[str]) -> None:
    """Hits as blocks of lines, paths made printable on one line; each written as it comes.

    The source column is as wide as the widest of ``sources`` (the hits'
    sources, each once, known before the hits are: Ranking), so the first
    hit is written before the last is dressed.
    """
    sources_width = width_of_sources(_one_line(source) for source in sources)
    if not out.isatty():
        # Written directly, so that a pipe never sees an escape code.
        for number, hit in enumerate(hits):
            lines = plain_hit_lines(hit, source_cells=sources_width, shown_path=display_path(Path(hit.article.path)))
            out.write(("\n" if number else "") + "\n".join(lines) + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    # markup/emoji/highlight off: article text is shown exactly as written.
    console = Console(file=out, markup=False, emoji=False, highlight=False, soft_wrap=False)
    width = shutil.get_terminal_size((_FALLBACK_WIDTH, 24)).columns
    for number, hit in enumerate(hits):
        lines = hit_lines(hit, source_cells=sources_width, width=width, shown_path=display_path(Path(hit.article.path)))
        if number:
            lines.insert(0, Text())  # a blank line between hits
        for line in lines:
            console.print(line, no_wrap=True, crop=False, overflow="ignore")
