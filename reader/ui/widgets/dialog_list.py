"""The box of a list dialog (links, problems, bookmarks): a titled border, a list of rows, a note line.

Each dialog screen composes one DialogList and binds its keys with
``dialog_keys``: the close keys (its own), j / k, which move the list in
focus; enter and a click choose a row (the list's own OptionSelected). The
ids stay the dialog's (``links.down``), so a keymap remaps each dialog apart.
When j or k moves the list, DialogList posts ``CursorMoved``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...textwidth import truncate

__all__ = ["DialogList", "DialogOptions", "dialog_keys"]


def dialog_keys(dialog: str, close: str, *, close_action: str = "dismiss", close_label: str = "Close") -> list[Binding]:
    """A dialog's keys, with ids ``<dialog>.close``, ``.down`` and ``.up``: ``close`` closes it, j / k move its list."""
    return [
        Binding(close, close_action, close_label, id=f"{dialog}.close"),
        Binding("j", "focused.move(1)", "Down", id=f"{dialog}.down", show=False),  # DialogOptions.action_move
        Binding("k", "focused.move(-1)", "Up", id=f"{dialog}.up", show=False),
    ]


class DialogOptions(OptionList):
    """The dialog's list: moves one row for j / k (``move``) and says so."""

    def action_move(self, step: int) -> None:
        (self.action_cursor_down if step > 0 else self.action_cursor_up)()
        self.post_message(DialogList.CursorMoved(step))


class DialogList(Vertical):
    """``title`` on the border; the rows; ``note`` above them (``note_below``: under them)."""

    DEFAULT_CSS = """
    DialogList {
        width: 90%; max-width: 110; height: 90%;
        border: round $primary; border-title-align: center; background: $surface;
    }
    DialogList.-warning { border: round $warning; }
    DialogList > .dialog-note { height: auto; padding: 0 1; color: $text-muted; }
    DialogList > DialogOptions, DialogList > DialogOptions:focus { height: 1fr; border: none; background: $surface; }
    """

    @dataclass
    class CursorMoved(Message):
        """j or k moved the list's cursor by ``step`` rows."""

        step: int

    def __init__(
        self,
        title: str,
        rows: Iterable[Option] = (),
        *,
        name: str,
        note: Text | None = None,
        note_below: bool = False,
        warning: bool = False,
    ) -> None:
        """``name`` makes the ids: the list's ``#<name>``, the note's ``#<name>-note``."""
        super().__init__(classes="-warning" if warning else "")
        self.border_title = title
        self._rows = list(rows)
        self._name = name
        self._note = note
        self._note_below = note_below

    def compose(self) -> ComposeResult:
        note = Static(self._note, id=f"{self._name}-note", classes="dialog-note") if self._note is not None else None
        if note is not None and not self._note_below:
            yield note
        yield DialogOptions(*self._rows, id=self._name)
        if note is not None and self._note_below:
            yield note

    @property
    def options(self) -> DialogOptions:
        return self.query_one(DialogOptions)

    def on_mount(self) -> None:
        self.options.focus()

    def say(self, note: str) -> None:
        """Put ``note`` on the note line, cut to its width."""
        line = self.query_one(f"#{self._name}-note", Static)
        line.update(Text(truncate(note, line.content_region.width or 40)))
