"""An input line with a history: ↑ brings back earlier queries, ↓ goes forward again.

The queries come from reader.store.history, read when ↑ is first pressed;
a query is remembered when it is submitted (enter) or the line is left with
it (↓ into the results, tab, esc). Typing while an earlier query is shown
makes it the text being typed, and the history is left.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

from ...store.history import load_history, remember
from .quiet import QuietInput

__all__ = ["HistoryInput"]


class HistoryInput(QuietInput):
    BINDINGS = [
        Binding("up", "history_back", "Earlier query", id="search.history", show=False, tooltip="Earlier queries (↓ back)"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._history: list[str] | None = None  # read on the first ↑
        self._at: int | None = None  # the entry shown; None: the reader's own text
        self._draft = ""  # what was typed before ↑
        self._shown = ""  # the value the history put there

    @property
    def browsing(self) -> bool:
        """An earlier query is shown (↓ then goes forward in the history)."""
        return self._at is not None

    def action_history_back(self) -> None:
        if self._history is None:
            self._history = load_history()
        if self._at is None:
            self._draft, self._at = self.value, len(self._history)
        if self._at == 0:
            self.app.bell()
            if not self._history:
                self._at = None
            return
        self._at -= 1
        self._show(self._history[self._at])

    def history_forward(self) -> bool:
        """↓ while browsing: the next query, or back to the text typed; False when not browsing."""
        if self._at is None or self._history is None:
            return False
        self._at += 1
        if self._at >= len(self._history):
            self._at = None
            self._show(self._draft)
        else:
            self._show(self._history[self._at])
        return True

    def _show(self, text: str) -> None:
        self._shown = text
        self.value = text
        self.cursor_position = len(text)

    def _on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self and event.value != self._shown:
            self._at = None  # typed over: the history is left

    def _on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is self:
            self._remember()

    def _on_blur(self, event) -> None:
        self._remember()

    def _remember(self) -> None:
        from ...search.query import parse_query  # the core comes after the first paint (reader/ui/__init__.py)

        value = self.value
        if not parse_query(value).is_empty and (not self._history or self._history[-1] != " ".join(value.split())):
            self._history = remember(value)
        self._at = None
