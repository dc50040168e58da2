"""The article's links, numbered: enter or the number opens one, y copies it, esc goes back.

Each link is two lines cut to the list's width: its number and text, then
its url (cut in the middle, so that the host and the last part both show).
Opening and copying are the main screen's (``open``): this screen only says
what became of the url, on its note line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Key, Resize
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...links import Link
from ...textwidth import cell_width, fit, truncate
from ..clipboard import copy
from ..widgets.dialog_list import DialogList, dialog_keys

__all__ = ["LinksScreen", "link_row", "middle_cut"]

HINT = "enter or its number opens · y copies · esc back"
_THE_ARTICLE = "the article itself"
_WRITTEN = "written in the text"

# open(url, report): opens (or copies) the url, then calls report(note).
Opener = Callable[[str, Callable[[str], None]], None]


def middle_cut(url: str, width: int) -> str:
    """``url`` in at most ``width`` cells: its start, …, and its end."""
    if cell_width(url) <= width:
        return url
    if width < 12:
        return truncate(url, width)
    head_end, head_cells = fit(url, (width - 1) * 2 // 3)
    tail_start, used = len(url), 0
    while tail_start > head_end and used + cell_width(url[tail_start - 1]) <= width - 1 - head_cells:
        tail_start -= 1
        used += cell_width(url[tail_start])
    return url[:head_end] + "…" + url[tail_start:]


def link_row(number: int, link: Link, digits: int, width: int) -> Text:
    """Two lines: the number and the link's text, then its url, each within ``width`` cells."""
    gutter = digits + 2
    room = max(1, width - gutter)
    row = Text(f"{number:>{digits}}  ", style="bold")
    if link.text:
        row.append(truncate(link.text, room))
    else:
        row.append(_THE_ARTICLE if link.block < 0 else _WRITTEN, style="dim italic")
    row.append("\n" + " " * gutter)
    row.append(middle_cut(link.url, room), style="underline")
    return row


class LinksScreen(ModalScreen[None]):
    BINDINGS = [
        *dialog_keys("links", "escape,q,L", close_label="Back"),  # and j / k (widgets/dialog_list.py)
        Binding("y", "copy_link", "Copy", id="links.copy"),
    ]
    DEFAULT_CSS = """
    LinksScreen { align: center middle; }
    LinksScreen #links-note { height: 1; }
    """

    def __init__(self, links: Sequence[Link], title: str, open_url: Opener) -> None:
        super().__init__()
        self.links = list(links)
        self.title_text = title
        self.open_url = open_url
        self.typed = ""  # digits of a number being typed
        self._width = 0  # the rows were cut for this width

    def compose(self) -> ComposeResult:
        yield DialogList(truncate(f"Links: {self.title_text}", 60), name="links", note=Text(HINT), note_below=True)

    @property
    def options(self) -> OptionList:
        return self.query_one(DialogList).options

    def on_resize(self, _event: Resize) -> None:
        self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        """(Re)build the rows for the list's width, keeping the highlighted one."""
        options = self.options
        width = options.scrollable_content_region.width
        if width <= 0 or width == self._width:
            return
        self._width = width
        highlighted = options.highlighted
        digits = len(str(len(self.links)))
        options.set_options(Option(link_row(number, link, digits, width)) for number, link in enumerate(self.links, 1))
        options.highlighted = highlighted if highlighted is not None else 0

    def say(self, note: str) -> None:
        if self.is_attached:
            self.query_one(DialogList).say(note)

    def _open(self, index: int) -> None:
        self.options.highlighted = index
        self.open_url(self.links[index].url, self.say)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.typed = ""
        self._open(event.option_index)

    @on(DialogList.CursorMoved)
    def _moved(self) -> None:
        self.typed = ""  # j / k: the number being typed is dropped

    def action_copy_link(self) -> None:
        index = self.options.highlighted
        if index is None:
            self.app.bell()
            return
        url = self.links[index].url
        copy(self.app, url)
        self.say(f"copied (OSC 52): {url}")

    def on_key(self, event: Key) -> None:
        """A number opens its link: at once when no longer number starts so, else at the next digit or enter."""
        if not (event.character and event.character.isdigit()):
            return
        event.stop()
        event.prevent_default()
        typed = self.typed + event.character
        number = int(typed)
        if not 1 <= number <= len(self.links):
            self.typed = ""
            self.app.bell()
            self.say(f"no link {typed}")
            return
        if number * 10 > len(self.links):
            self.typed = ""
            self._open(number - 1)
        else:
            self.typed = typed
            self.options.highlighted = number - 1
            self.say(f"{typed}… (another digit, or enter)")
