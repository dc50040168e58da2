"""How far ctrl+d / ctrl+u and ctrl+e / ctrl+y move a pane, as less and vim move theirs.

- ctrl+d / ctrl+u: half the pane's height, or the count typed before them
  (``10 ctrl+d``), which then stays the pane's amount, as in less and vim.
- ctrl+e / ctrl+y in a list: the view moves a line and the cursor stays on
  its row, unless that row would leave the view; then it goes to the nearest
  row wholly in view.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from textual.binding import Binding
from textual.widget import Widget

HALF_PAGE_ATTRIBUTE = "half_page_lines"  # set on a pane by a count (reader/ui/counts.py)


def half_page_bindings(pane: str) -> list[Binding]:
    """ctrl+d / ctrl+u for a pane whose ``action_half_page(direction)`` moves it; ids ``pane.half_down`` / ``pane.half_up``."""
    return [
        Binding("ctrl+d", "half_page(1)", "Half a page down", id=f"{pane}.half_down", show=False),
        Binding("ctrl+u", "half_page(-1)", "Half a page up", id=f"{pane}.half_up", show=False),
    ]


def scroll_line_bindings(pane: str) -> list[Binding]:
    """ctrl+e / ctrl+y for a list whose ``action_scroll_lines(lines)`` moves its view; ids ``pane.scroll_down`` / ``pane.scroll_up``."""
    return [
        Binding("ctrl+e", "scroll_lines(1)", "Scroll down", id=f"{pane}.scroll_down", show=False),
        Binding("ctrl+y", "scroll_lines(-1)", "Scroll up", id=f"{pane}.scroll_up", show=False),
    ]


def half_page(pane: Widget) -> int:
    """Lines ctrl+d moves ``pane``: the count it was last given, else half its height."""
    chosen = getattr(pane, HALF_PAGE_ATTRIBUTE, None)
    return chosen if chosen else max(1, pane.scrollable_content_region.height // 2)


def row_in_view(starts: Sequence[int], total: int, cursor: int, top: int, height: int) -> int:
    """The row for the cursor once the view shows lines ``top`` to ``top + height``.

    ``starts`` is each row's first line, increasing (``range(n)`` for rows of
    one line each); a row ends where the next begins, the last at ``total``.
    The cursor's own row if it is wholly in view, else the first row wholly in
    view below it (the view moved down) or the last one above it (moved up);
    when no row fits wholly, the one at the top of the view.
    """
    count = len(starts)
    if not count:
        return cursor
    bottom = top + height

    def end(row: int) -> int:
        return starts[row + 1] if row + 1 < count else total

    start = starts[cursor]
    if start >= top and end(cursor) <= bottom:
        return cursor
    if start < top:
        row = bisect_left(starts, top)  # the first row starting in view
        return row if row < count and end(row) <= bottom else max(0, min(count - 1, bisect_right(starts, top) - 1))
    row = bisect_right(starts, bottom) - 1  # the last row starting in view …
    while row > 0 and end(row) > bottom and starts[row - 1] >= top:
        row -= 1  # … that ends in view
    return max(0, row)
