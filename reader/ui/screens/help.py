"""Help: every key, grouped, read from the bindings themselves so it never drifts.

The sections are laid out in as few rows as the terminal allows: in two or
three columns, each section whole in one column (in order when that is as
short), in a box when the box fits, else on the bare screen with the title
atop the shortest column (at 80×24 every key shows so). On a terminal too
small for any of that the keys scroll, in two columns.
"""

from __future__ import annotations

from itertools import product

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.events import Resize
from textual.screen import ModalScreen
from textual.widgets import Static

from ...textwidth import cell_width
from ..keys import key_groups

TITLE = "Keys — esc closes"
BOX = (4, 2)  # columns and rows the box takes: its border, and its padding left and right
GAP = 2  # columns between two columns of keys

Groups = list[tuple[str, list[tuple[str, str]]]]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
        Binding("j,down", "scroll(1)", "Down", id="help.down", show=False),
        Binding("k,up", "scroll(-1)", "Up", id="help.up", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: auto; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; border-title-align: center; background: $surface; padding: 0 1;
    }
    HelpScreen > VerticalScroll.-bare { border: none; padding: 0; width: 100%; height: 100%; }
    HelpScreen > VerticalScroll.-scrolling { width: 80; }
    HelpScreen Horizontal { width: auto; height: auto; }
    HelpScreen Static { width: auto; height: auto; }
    HelpScreen Static.-later { margin-left: 2; }
    HelpScreen VerticalScroll.-scrolling Static { width: 1fr; margin-left: 0; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._laid_out_for = (0, 0)  # laid out for this terminal size

    def compose(self) -> ComposeResult:
        groups = key_groups(self.app)
        self._laid_out_for = (self.app.size.width, self.app.size.height)
        bare, columns = plan(groups, *self._laid_out_for)
        scroller = VerticalScroll(classes="-bare" if bare else ("" if columns else "-scrolling"))
        if not bare:
            scroller.border_title = TITLE
        if not columns:  # nothing fits: two columns, scrolled
            left = _split(groups)
            columns = [list(range(left)), list(range(left, len(groups)))]
        shortest = min(range(len(columns)), key=lambda n: _height(groups, columns[n])) if bare else -1
        with scroller:
            with Horizontal():
                for number, sections in enumerate(columns):
                    title = TITLE if number == shortest else None
                    column = Static(_table([groups[n] for n in sections], title), classes="-later" if number else "")
                    if not scroller.has_class("-scrolling"):
                        column.styles.width = _width(groups, sections)  # its rows unwrapped (auto would measure the table's least)
                    yield column

    def on_resize(self, _event: Resize) -> None:
        if (self.app.size.width, self.app.size.height) != self._laid_out_for:
            self.refresh(recompose=True)

    def action_scroll(self, lines: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)


def plan(groups: Groups, width: int, height: int) -> tuple[bool, list[list[int]]]:
    """(bare, the sections of each column): the layout that shows every key at ``width`` × ``height``; [] if none does."""
    for bare in (False, True):
        room_w, room_h = (width, height) if bare else (width - BOX[0], height - BOX[1])
        for count in (2, 3):
            columns = _columns(groups, count, room_h, bare)
            if columns and sum(_width(groups, c) for c in columns) + GAP * (len(columns) - 1) <= room_w:
                return bare, columns
    return False, []


def _columns(groups: Groups, count: int, room: int, bare: bool) -> list[list[int]]:
    """The sections in ``count`` columns no taller than ``room`` (one with the title, if ``bare``): the most even, in order if any is."""
    best: tuple[tuple[bool, int], list[list[int]]] | None = None
    for assignment in product(range(count), repeat=len(groups)):
        columns = [[n for n, column in enumerate(assignment) if column == c] for c in range(count)]
        if not all(columns):
            continue
        heights = sorted(_height(groups, column) for column in columns)
        if bare:
            heights[0] += 1  # the title, atop the shortest
        if heights[-1] > room:
            continue
        rank = (list(assignment) != sorted(assignment), heights[-1])
        if best is None or rank < best[0]:
            best = (rank, columns)
    return best[1] if best is not None else []


def _height(groups: Groups, sections: list[int]) -> int:
    return sum(len(groups[n][1]) + 1 for n in sections)  # and the title


def _width(groups: Groups, sections: list[int]) -> int:
    rows = [row for n in sections for row in groups[n][1]]
    return max(cell_width(keys) for keys, _ in rows) + 1 + max(max(cell_width(d) for _, d in rows), *(cell_width(groups[n][0]) for n in sections))


def _split(groups: Groups) -> int:
    """How many sections go in the left column: the split with the shorter of the two columns the longest."""
    heights = [len(rows) + 1 for _title, rows in groups]  # and the title
    return min(range(1, len(groups) + 1), key=lambda left: max(sum(heights[:left]), sum(heights[left:])))


def _table(groups: Groups, title: str | None = None) -> Table:
    table = Table.grid(padding=(0, 1, 0, 0))
    table.add_column(justify="right", style="bold", no_wrap=True)
    table.add_column()
    if title is not None:
        table.add_row(Text(""), Text(title, style="bold"))
    for group, rows in groups:
        # No blank row between sections: every key must fit 80×24 (the titles are underlined).
        table.add_row(Text(""), Text(group, style="bold underline"))
        for keys, description in rows:
            table.add_row(Text(keys), Text(description))
    return table
