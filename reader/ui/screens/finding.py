"""Finding text in the open article (f): the part of the main screen that does it.

MainScreen inherits it before SearchingScreen, whose n / N and esc it
extends: finding fills the same list of matches a search hit fills
(``matches``, ``match_index``), one entry per occurrence, so that n / N step
through them with the search's own ``action_next_match``; the current one is
drawn apart and the status line says ``match 2 of 7``. It finds as the search
does, with its fold and matching (reader.search): simplified and traditional
characters, case and punctuation alike, a character wrong forgiven in a
longer text, "quotes" exact.
"""

from __future__ import annotations

from textual import on
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from ...search.engine import article_matches
from ...search.index import TITLE
from ...search.matching import match_spans
from ...search.query import parse_query
from ..widgets.article_view import ArticleView
from ..widgets.find_bar import FindBar
from ..widgets.status import StatusLine


class FindingScreen(Screen):
    # With the search's keys in the help (find.*); a short tooltip, so that the help fits 80×24.
    BINDINGS = [
        Binding("f", "find", "Find", id="find.open", show=False, tooltip="Find in this article"),
    ]

    def __init__(self) -> None:
        super().__init__()
        # The search hit's matches and highlights, put back when the find closes.
        self._before_find: tuple | None = None
        self._find_text = ""
        self._find_highlights: dict[int, list[tuple[int, int]]] = {}

    def on_mount(self) -> None:
        # Textual calls the on_mount of every class of the screen: MainScreen's has composed the rest.
        self.mount(FindBar(), before=self.query_one(StatusLine))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "find":
            return self.opened is not None
        return super().check_action(action, parameters)

    def _find_bar(self) -> FindBar:
        return self.query_one(FindBar)

    @property
    def finding(self) -> bool:
        """The find bar is open."""
        bars = self.query(FindBar)
        return bool(bars) and bars.first().display

    def action_find(self) -> None:
        bar = self._find_bar()
        if not bar.display:
            view = self.query_one(ArticleView)
            self._before_find = (self.matches, self.match_index, view.highlights, view.current)
            self._find_text, self._find_highlights = "", {}
            bar.display = True
            self._set_status()
            self.refresh_bindings()
        bar.input.focus()

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.finding and self.opened is not None and event.value != self._find_text:
            self._find(event.value)

    def _find(self, raw: str) -> None:
        """Every occurrence of ``raw`` in the open article, as the search finds it; the first one shown."""
        article = self.opened
        self._find_text = raw
        query = parse_query(raw)
        found = article_matches(article, query) if query.folded else []
        self.matches = [(block, [span]) for block, spans in found for span in spans]
        self._find_highlights = dict(found)
        if query.folded:
            title = match_spans(article.title, query.folded, exact_only=query.exact)
            if title:
                self._find_highlights[TITLE] = title
        self.match_index = 0 if self.matches else -1
        self.query_one(ArticleView).highlight(self._find_highlights)
        if self.matches:
            self._show_match(0)
        self._set_status()
        self.refresh_bindings()

    def _show_match(self, index: int) -> None:
        """n / N (SearchingScreen): while finding, the occurrence itself is brought into view and drawn as the current one."""
        if not self.finding:
            super()._show_match(index)
            return
        block, (span,) = self.matches[index]
        view = self.query_one(ArticleView)
        view.highlight(self._find_highlights, (block, span))
        view.scroll_to_match(block)

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        """Enter: to the article, where n / N step through the matches."""
        event.stop()
        if not self.matches:
            self.app.bell()
            return
        if self.has_class("narrow"):
            self.remove_class("show-sidebar")
        self.query_one(ArticleView).focus()

    def close_find(self) -> None:
        """esc: the find bar goes, and the search hit's matches (if any) come back."""
        if not self.finding:
            return
        had_focus = self._find_bar().input.has_focus
        saved, self._before_find = self._before_find, None
        self._hide_find()
        if saved is not None:
            self.matches, self.match_index, highlights, current = saved
            self.query_one(ArticleView).highlight(highlights, current)
        self._set_status()
        if had_focus:
            self.query_one(ArticleView).focus()
        self.refresh_bindings()

    def drop_find(self) -> None:
        """Another article is opened: the find bar goes, nothing is put back."""
        if self.finding:
            self._before_find = None
            self._hide_find()
            self.refresh_bindings()

    def _hide_find(self) -> None:
        bar = self._find_bar()
        bar.display = False
        bar.input.value = ""
        self._find_text, self._find_highlights = "", {}

    def find_note(self, wrapped: bool = False) -> str:
        """The status line while the find bar is open."""
        count = len(self.matches)
        if not self._find_text.strip():
            return "find in this article: type, then enter · esc closes"
        if not count:
            only_title = TITLE in self._find_highlights
            return f"{'only the title matches' if only_title else 'no match in this article'} · esc closes"
        return f"match {self.match_index + 1} of {count}{' (wrapped)' if wrapped else ''} · n / N next / previous · esc closes"

    # -- what SearchingScreen does, with the find in mind -----------------------------
    def _open_hit(self, hit, **options) -> None:
        self.drop_find()  # the hit's matches replace the find's
        super()._open_hit(hit, **options)

    def action_search_back(self) -> None:
        """esc closes the find bar first."""
        if self.finding:
            self.close_find()
            return
        super().action_search_back()
