"""Bookmarks: the bookmarked articles, newest bookmark first; enter opens one, esc goes back."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...parse.clean import clean_field
from ...store.state import Bookmark
from ..widgets.dialog_list import DialogList, dialog_keys

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

    BINDINGS = dialog_keys("bookmarks", "escape,apostrophe", close_action="dismiss(None)")  # and j / k (widgets/dialog_list.py)
    DEFAULT_CSS = "BookmarksScreen { align: center middle; }"

    def __init__(self, bookmarks: list[Bookmark], present: set[str]) -> None:
        super().__init__()
        self.bookmarks = bookmarks
        self.present = present

    def compose(self) -> ComposeResult:
        rows = (Option(bookmark_row(b, b.key in self.present), id=b.key) for b in self.bookmarks)
        note = Text(EMPTY_NOTE) if not self.bookmarks else None
        yield DialogList(f"Bookmarks: {len(self.bookmarks):,} — enter opens, esc closes", rows, name="bookmarks", note=note)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        key = event.option.id
        if key not in self.present:
            self.app.bell()  # its file is not in the folders being read
            return
        self.dismiss(key)
