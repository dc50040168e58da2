"""Data tables become TABLE blocks; layout tables are read as plain containers.

Old Chinese news sites put whole articles (and their ads) inside one-cell
tables. Only a table whose cells hold short inline text is shown as a grid.
"""

from __future__ import annotations

from lxml import etree

from .clean import clean_field
from ..model import Block, BlockKind

_LAYOUT_INSIDE = ("p", "div", "table", "img", "ul", "ol", "h1", "h2", "h3", "h4", "blockquote", "pre")
_MAX_CELL, _MAX_CELLS = 200, 2000


def read_table(table: etree._Element) -> Block | None:
    """The table as a TABLE block, or None when it is page layout."""
    rows: list[tuple[str, ...]] = []
    cells_seen = 0
    for row in table.iter("tr"):
        if _nearest_table(row) is not table:
            return None  # nested tables are layout
        cells = []
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            if any(True for _ in cell.iter(*_LAYOUT_INSIDE)):
                return None
            text = clean_field("".join(cell.itertext()), limit=10_000)
            if len(text) > _MAX_CELL:
                return None
            cells.append(text)
            cells_seen += 1
            if cells_seen > _MAX_CELLS:
                return None
        if any(cells):
            rows.append(tuple(cells))
    if len(rows) < 2 or max(len(row) for row in rows) < 2:
        return None  # one row or one column is layout, not data
    text = "\n".join("\t".join(row) for row in rows)
    return Block(BlockKind.TABLE, text, rows=tuple(rows))


def _nearest_table(element: etree._Element) -> etree._Element | None:
    for ancestor in element.iterancestors("table"):
        return ancestor
    return None
