"""The find bar: one line above the status line, for finding text in the open article.

It only holds the text typed; what is found, and where, is the screen's
business (reader/ui/screens/finding.py).
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static

from .quiet import QuietInput

__all__ = ["FindBar", "FindInput"]

FIND_HINT = "text in this article; enter, then n / N"


class FindInput(QuietInput):
    BINDINGS = [
        Binding("escape", "close", "Close find", id="find.close", show=False, tooltip="Close the find bar"),
    ]

    def action_close(self) -> None:
        self.screen.close_find()


class FindBar(Horizontal):
    DEFAULT_CSS = """
    FindBar { height: 1; display: none; background: $boost; }
    FindBar > Static { width: auto; padding: 0 0 0 1; color: $text-muted; background: $boost; }
    FindBar > #find { width: 1fr; height: 1; border: none; padding: 0 1; background: $boost; }
    FindBar > #find:focus { border: none; background: $surface; }
    FindBar:nocolor > Static { text-style: bold; }
    FindBar:nocolor > #find > .input--placeholder { text-style: dim italic; }
    FindBar:nocolor > #find > .input--cursor { text-style: reverse; }
    """

    def compose(self) -> ComposeResult:
        yield Static(Text("find:"))
        yield FindInput(placeholder=FIND_HINT, id="find")

    @property
    def input(self) -> FindInput:
        return self.query_one(FindInput)
