"""Bookmarks: the bookmarked articles, newest bookmark first; enter opens one, esc goes back."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...parse.clean import clean_field
from ...store.state import Bookmark

EMPTY_NOTE = "No bookmarks yet: B bookmarks the article in focus."
MISSING = "not in these folders"


def bookmark_row(bookmark: Bookmark, present: bool) -> Text:
    """Two lines: the title; the source, when it was bookmarked, and whether it can be opened here."""
    title = " ".join(bookmark.title.split()) or bookmark.path or bookmark.key
    row = Text(clean_field(title, limit=300), style="bold" if present else "dim")
    when = datetime.fromtimestamp(bookmark.at).strftime("%Y-%m-%d %H:%M")
    details = [part for part in (clean_field(bookmark.source, limit=80), f"bookmarked {when}") if part]
    if not present:
        details.append(MISSING)
    row.append("\n  " + " · ".join(details), style="dim")
    return row


class BookmarksScreen(ModalScreen[str | None]):
    """Dismissed with the chosen bookmark's key, or None."""

    BINDINGS = [
        Binding("escape,apostrophe", "dismiss(None)", "Close", id="bookmarks.close"),
        Binding("j", "focused.cursor_down", "Down", id="bookmarks.down", show=False),  # the list's own actions
        Binding("k", "focused.cursor_up", "Up", id="bookmarks.up", show=False),
    ]
    DEFAULT_CSS = """
    BookmarksScreen { align: center middle; }
    BookmarksScreen > Vertical { width: 90%; max-width: 110; height: 90%; border: round $primary; border-title-align: center; background: $surface; }
    BookmarksScreen #bookmarks-note { height: auto; padding: 0 1; color: $text-muted; }
    BookmarksScreen OptionList, BookmarksScreen OptionList:focus { height: 1fr; border: none; background: $surface; }
    """

    def __init__(self, bookmarks: list[Bookmark], present: set[str]) -> None:
        super().__init__()
        self.bookmarks = bookmarks
        self.present = present

    def compose(self) -> ComposeResult:
        box = Vertical()
        count = len(self.bookmarks)
        box.border_title = f"Bookmarks: {count:,} — enter opens, esc closes"
        with box:
            if not self.bookmarks:
                yield Static(Text(EMPTY_NOTE), id="bookmarks-note")
            yield OptionList(*(Option(bookmark_row(b, b.key in self.present), id=b.key) for b in self.bookmarks))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        key = event.option.id
        if key not in self.present:
            self.app.bell()  # its file is not in the folders being read
            return
        self.dismiss(key)
