"""Finding text in the open article (f): the part of the main screen that does it.

MainScreen owns one FindController, binds f to it (``BINDINGS``) and hands it
the find bar's messages (its text changed, enter). Finding fills the same
list of matches a search hit fills (the SearchController's ``matches`` and
``match_index``), one entry per occurrence, so that n / N step through them
with the search's own ``next_match``; the current one is drawn apart and the
status line says ``match 2 of 7``. When the find bar closes, the hit's
matches come back. It finds as the search does, with its fold and matching
(reader.search): simplified and traditional characters, case and
punctuation alike, a character wrong forgiven in a longer text, "quotes"
exact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from ..widgets.article_view import ArticleView
from ..widgets.find_bar import FindBar
from ..widgets.status import StatusLine

if TYPE_CHECKING:
    from .main import MainScreen

# The search core is imported where it is used: the main screen imports this module
# before its first paint, and the core comes after it (reader/ui/__init__.py).

# With the search's keys in the help (find.*); a short tooltip, so that the help fits 80×24.
BINDINGS = [
    Binding("f", "find", "Find", id="find.open", show=False, tooltip="Find in this article"),
]


class FindController:
    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        # The search hit's matches and highlights, put back when the find closes.
        self._before_find: tuple | None = None
        self._find_text = ""
        self._find_highlights: dict[int, list[tuple[int, int]]] = {}

    def mount(self) -> None:
        """Put the find bar (hidden) above the status line, once the screen has composed the rest."""
        self.screen.mount(FindBar(), before=self.screen.query_one(StatusLine))

    def _bar(self) -> FindBar:
        return self.screen.query_one(FindBar)

    @property
    def finding(self) -> bool:
        """The find bar is open."""
        bars = self.screen.query(FindBar)
        return bool(bars) and bars.first().display

    def open(self) -> None:
        """f: the find bar, with the focus; the search hit's matches kept aside."""
        screen, search = self.screen, self.screen.search
        bar = self._bar()
        if not bar.display:
            view = screen.query_one(ArticleView)
            self._before_find = (search.matches, search.match_index, view.highlights, view.current)
            self._find_text, self._find_highlights = "", {}
            bar.display = True
            screen._set_status()
            screen.refresh_bindings()
        bar.input.focus()

    def changed(self, value: str) -> None:
        """The find bar's text changed."""
        if self.finding and self.screen.opened is not None and value != self._find_text:
            self._find(value)

    def _find(self, raw: str) -> None:
        """Every occurrence of ``raw`` in the open article, as the search finds it; the first one shown."""
        from ...search.engine import article_matches
        from ...search.index import TITLE
        from ...search.matching import match_spans
        from ...search.query import parse_query

        screen, search = self.screen, self.screen.search
        article = screen.opened
        self._find_text = raw
        query = parse_query(raw)
        found = article_matches(article, query) if query.folded else []
        search.matches = [(block, [span]) for block, spans in found for span in spans]
        self._find_highlights = dict(found)
        if query.folded:
            title = match_spans(article.title, query.folded, exact_only=query.exact)
            if title:
                self._find_highlights[TITLE] = title
        search.match_index = 0 if search.matches else -1
        screen.query_one(ArticleView).highlight(self._find_highlights)
        if search.matches:
            self.show_match(0)
        screen._set_status()
        screen.refresh_bindings()

    def show_match(self, index: int) -> None:
        """Occurrence ``index`` brought into view and drawn as the current one."""
        block, (span,) = self.screen.search.matches[index]
        view = self.screen.query_one(ArticleView)
        view.highlight(self._find_highlights, (block, span))
        view.scroll_to_match(block)

    def submitted(self) -> None:
        """Enter: to the article, where n / N step through the matches."""
        screen = self.screen
        if not screen.search.matches:
            screen.app.bell()
            return
        if screen.has_class("narrow"):
            screen.remove_class("show-sidebar")
        screen.query_one(ArticleView).focus()

    def close(self) -> None:
        """esc: the find bar goes, and the search hit's matches (if any) come back."""
        if not self.finding:
            return
        screen = self.screen
        had_focus = self._bar().input.has_focus
        saved, self._before_find = self._before_find, None
        self._hide()
        if saved is not None:
            screen.search.matches, screen.search.match_index, highlights, current = saved
            screen.query_one(ArticleView).highlight(highlights, current)
        screen._set_status()
        if had_focus:
            screen.query_one(ArticleView).focus()
        screen.refresh_bindings()

    def drop(self) -> None:
        """Another article is opened: the find bar goes, nothing is put back."""
        if self.finding:
            self._before_find = None
            self._hide()
            self.screen.refresh_bindings()

    def _hide(self) -> None:
        bar = self._bar()
        bar.display = False
        bar.input.value = ""
        self._find_text, self._find_highlights = "", {}

    def note(self, wrapped: bool = False) -> str:
        """The status line while the find bar is open."""
        search = self.screen.search
        count = len(search.matches)
        if not self._find_text.strip():
            return "find in this article: type, then enter · esc closes"
        if not count:
            from ...search.index import TITLE

            only_title = TITLE in self._find_highlights
            return f"{'only the title matches' if only_title else 'no match in this article'} · esc closes"
        return f"match {search.match_index + 1} of {count}{' (wrapped)' if wrapped else ''} · n / N next / previous · esc closes"
