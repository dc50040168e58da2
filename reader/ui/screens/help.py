"""Help: every key, grouped, read from the bindings themselves so it never drifts."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..keys import key_groups


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close help", id="help.close"),
        Binding("j,down", "scroll(1)", "Down", id="help.down", show=False),
        Binding("k,up", "scroll(-1)", "Up", id="help.up", show=False),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 80; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; border-title-align: center; background: $surface; padding: 0 1;
    }
    HelpScreen Horizontal { height: auto; }
    HelpScreen Static { width: 1fr; height: auto; }
    """

    def compose(self) -> ComposeResult:
        groups = key_groups(self.app)
        left = _split(groups)
        scroller = VerticalScroll()
        scroller.border_title = "Keys — esc closes"
        with scroller:
            with Horizontal():
                yield Static(_table(groups[:left]))
                yield Static(_table(groups[left:]))

    def action_scroll(self, lines: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=lines, animate=False)


def _split(groups: list[tuple[str, list]]) -> int:
    """How many sections go in the left column: the split with the shorter of the two columns the longest."""
    heights = [len(rows) + 1 for _title, rows in groups]  # and the title
    return min(range(1, len(groups) + 1), key=lambda left: max(sum(heights[:left]), sum(heights[left:])))


def _table(groups: list[tuple[str, list[tuple[str, str]]]]) -> Table:
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="bold", no_wrap=True)
    table.add_column()
    for group, rows in groups:
        # No blank row between sections: every key must fit 80×24 (the titles are underlined).
        table.add_row(Text(""), Text(group, style="bold underline"))
        for keys, description in rows:
            table.add_row(Text(keys), Text(description))
    return table
