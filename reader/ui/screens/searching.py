"""The search half of the main screen: query, results, opening a hit, n / N, y, esc.

MainScreen inherits it; it uses MainScreen's widgets and its _open, _side and
_set_status. The search itself (reader.search) runs in a thread worker; each
keystroke starts a newer search, and results of an older one are dropped.
"""

from __future__ import annotations

from textual import on, work
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import get_current_worker

from ...search.index import TITLE
from ...search.matching import match_spans, snippet
from ...model import Article
from ...search.query import parse_query
from ...search.engine import Hit, article_matches, search
from ...textwidth import truncate
from ..clipboard import citation, copy
from ..messages import SearchFinished
from ..widgets.article_view import ArticleView
from ..widgets.results import ResultsList, ResultsPane
from ..widgets.sidebar import Sidebar


PAGE = 50  # results asked for at a time; scrolling past the last asks for as many more
PREVIEW_DELAY = 0.08  # seconds the cursor rests on a result before it is previewed (holding j stays cheap)


class SearchingScreen(Screen):
    BINDINGS = [
        Binding("n", "next_match(1)", "Match", id="search.next_match", tooltip="Next match in the article"),
        Binding("N", "next_match(-1)", "Previous match", id="search.previous_match", show=False, tooltip="Previous match"),
        Binding("y", "copy_passage", "Copy", id="search.copy", tooltip="Copy passage + citation"),
        Binding("q,escape", "search_back", "Back", id="search.back", tooltip="Back to results, then clear"),
    ]

    def __init__(self) -> None:
        super().__init__()
        # Search state: searches read MainScreen's current snapshot.
        self.query_text = ""  # the active query as typed; "" when none
        self._search_number = 0  # of the latest search started
        self._shown_number = -1  # of the search whose results are shown
        self._shown_query = ""
        self._open_when_ready = False  # enter came before the results
        self._loading = True
        self._files_total = 0
        self.hit: Hit | None = None  # the result the open article came from
        self.matches: list[tuple[int, list[tuple[int, int]]]] = []  # its matching blocks
        self.match_index = -1  # which of them is current; -1: none yet (title or source hit)
        self._limit = PAGE  # results asked for; grows as the reader scrolls past the end
        self._preview_timer = None
        self._binding_state: tuple = ()

    # -- search ---------------------------------------------------------------------
    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self._set_query(event.value)

    def _set_query(self, raw: str) -> None:
        if parse_query(raw).is_empty:
            self._search_number += 1  # whatever is still running is stale now
            self._end_search()
            return
        starting = not self.query_text
        if raw != self.query_text:
            self._limit = PAGE
        self.query_text = raw
        if starting:
            self.add_class("searching")
            self.query_one(ResultsPane).clear()
            if self.has_class("narrow"):
                self.add_class("show-sidebar")  # in turns: the results, not the article
            self._bindings_changed()
        self._start_search()

    def _start_search(self) -> None:
        self._search_number += 1
        self._search(self._search_number, self.query_text, self.snapshot, self._limit)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def _search(self, number: int, raw: str, snapshot, limit: int = PAGE) -> None:
        # Exclusive: a newer search cancels this worker, but a thread cannot be
        # stopped, so the result is also checked against the latest number.
        results = search(snapshot, raw, limit=limit)
        if not get_current_worker().is_cancelled:
            self.post_message(SearchFinished(number, raw, results))

    @on(SearchFinished)
    def _show_results(self, message: SearchFinished) -> None:
        if message.number != self._search_number or not self.query_text:
            return  # superseded by a newer keystroke (or the query was cleared)
        results = self.query_one(ResultsList)
        # The same query again (more articles loaded): keep the cursor where it was.
        keep = results.current.article.path if results.current and message.query == self._shown_query else None
        problem = parse_query(message.query).problem
        self.query_one(ResultsPane).show(message.results, loading=self._loading, total=self._files_total, keep=keep, problem=problem)
        self._shown_number, self._shown_query = message.number, message.query
        if self._open_when_ready:
            self._open_when_ready = False
            if results.current is not None:
                self._open_hit(results.current)
        self._bindings_changed()

    def _end_search(self) -> None:
        self._open_when_ready = False
        if not self.query_text:
            return
        self.query_text = ""
        self._shown_query = ""
        results = self.query_one(ResultsList)
        had_focus = results.has_focus
        self.remove_class("searching", "reading")
        self.query_one(ResultsPane).clear()
        self.hit, self.matches, self.match_index = None, [], -1
        self.query_one(ArticleView).highlight(None)
        self._set_status()
        sidebar = self.query_one(Sidebar)
        self.reveal_opened()
        if had_focus:
            sidebar.focus()
        self._bindings_changed()

    @on(Input.Submitted, "#search")
    def _query_submitted(self) -> None:
        """Enter in the search bar opens the first result (as soon as there is one)."""
        if not self.query_text:
            return
        current = self.query_one(ResultsList).current
        if self._shown_number == self._search_number and current is not None:
            self._open_hit(current)
        elif self._shown_number == self._search_number:
            self.app.bell()  # no matches
        else:
            self._open_when_ready = True

    def action_focus_results(self) -> None:
        if self.query_text:
            self.action_focus_sidebar()

    @on(ResultsList.HitChosen)
    def _hit_chosen(self, message: ResultsList.HitChosen) -> None:
        self._open_hit(message.hit)

    @on(ResultsList.MoreWanted)
    def _more_wanted(self) -> None:
        """The cursor reached the last result and more match: the same search for a page more."""
        if self.query_text and self._shown_number == self._search_number:
            self._limit += PAGE
            self._start_search()

    @on(ResultsList.HitHighlighted)
    def _hit_highlighted(self, message: ResultsList.HitHighlighted) -> None:
        """While choosing, the article pane previews the result under the cursor, once the cursor rests."""
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_DELAY, lambda: self._preview(message.hit))

    def _preview(self, hit: Hit) -> None:
        self._preview_timer = None
        results = self.query_one(ResultsList)
        choosing = results.has_focus or self.query_one("#search", Input).has_focus
        if self.query_text and choosing and results.current is hit and not self.has_class("narrow"):
            self._open_hit(hit, focus=False)

    def _bindings_changed(self) -> None:
        """Refresh the footer only when what decides the search keys (check_action) changed.

        Textual's footer rebuilds all its keys on every refresh_bindings, which
        was most of a keystroke's time (a results list arrives with every key).
        """
        results = self.query_one(ResultsList)
        state = (
            bool(self.query_text), bool(self.matches), self._reading_hit(), self.has_class("reading"),
            self.hit is not None, results.current is not None,
        )
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def _reading_hit(self) -> bool:
        """The open article is the one the current hit came from."""
        return self.hit is not None and self.opened is not None and self.opened.path == self.hit.article.path

    def _open_hit(self, hit: Hit, *, focus: bool = True) -> None:
        """Open the hit's article at its match, every match in it highlighted; without focus, a preview."""
        # The hit's number is of the snapshot searched: a live folder may have moved or removed it since.
        number = self.snapshot.locate(hit.number, hit.article.path)
        article = self.article(number) if number is not None else None
        if article is None:
            if number is None and focus:
                self.app.bell()  # its file is gone
            return  # or the cache turned out to be damaged: it is being rebuilt
        highlights = self.mark_matches(article)
        self.hit = hit
        blocks = [block for block, _spans in self.matches]
        self.opened = article
        view = self.query_one(ArticleView)
        widening = focus and not self.has_class("reading")
        if focus:
            self.add_class("reading")
            if self.has_class("narrow"):
                self.remove_class("show-sidebar")
        view.show(article, highlights=highlights)
        if focus:
            self.reading.opened(article)  # read marks and the last place (reading_state.py); not for a preview
            view.focus()
        self.match_index = blocks.index(hit.block) if hit.block in blocks else -1
        if hit.block >= 0:  # a title or source hit opens at the top
            view.scroll_to_match(hit.block)
            if widening:
                # The article is re-wrapped wider once the results narrow: place the match again.
                self.call_after_refresh(self._place_again, hit, self.match_index)
        self._set_status()
        self._bindings_changed()

    def mark_matches(self, article: Article) -> dict:
        """The query's matches in ``article`` become the ones n / N visit; all its highlights, title included."""
        query = parse_query(self.query_text)
        self.matches = article_matches(article, query)
        highlights = dict(self.matches)
        title_spans = match_spans(article.title, query.folded, exact_only=query.exact)
        if title_spans:
            highlights[TITLE] = title_spans
        return highlights

    def _place_again(self, hit: Hit, match_index: int) -> None:
        if self.hit is hit and self.match_index == match_index:  # unless the reader has moved on (n, ])
            self.query_one(ArticleView).scroll_to_match(hit.block)

    def _step_result(self, step: int) -> None:
        results = self.query_one(ResultsList)
        target = results.cursor + step
        if self.opened is None or self.hit is None:
            target = results.cursor  # nothing opened from the results yet: the one under the cursor
        if not 0 <= target < len(results.hits):
            self.app.bell()
            return
        results.move_to(target)
        self._open_hit(results.hits[target])

    def action_next_match(self, step: int) -> None:
        count = len(self.matches)
        if not count:
            self.app.bell()
            return
        index = self.match_index + step
        if self.match_index < 0 and step < 0:
            index = count - 1
        wrapped = not 0 <= index < count
        self.match_index = index % count
        self._show_match(self.match_index)
        self._set_status(wrapped=wrapped)

    def _show_match(self, index: int) -> None:
        """Bring match ``index`` into view (the find in the article shows its own: finding.py)."""
        self.query_one(ArticleView).scroll_to_match(self.matches[index][0])

    def action_search_back(self) -> None:
        """esc: from the article back to the results; from the results, clear the search."""
        if not self.query_text:
            return
        if self.query_one(ResultsList).has_focus:
            self.action_clear_search()
        else:
            self.action_focus_sidebar()  # the results, while searching

    def action_clear_search(self) -> None:
        """Drop the query: the results go, the sidebar comes back with the focus."""
        self._end_search()
        self.query_one("#search", Input).value = ""
        self.action_focus_sidebar()

    def action_copy_passage(self) -> None:
        found = self._passage_to_copy()
        if found is None:
            self.app.bell()
            return
        passage, article = found
        copy(self.app, citation(passage, article))
        self.app.notify(f"Copied with its citation: “{truncate(passage, 30)}”", markup=False)

    def _passage_to_copy(self) -> tuple[str, Article] | None:
        # In the article opened from a hit: the sentence of the current match.
        reading = self._reading_hit() and not self.query_one(ResultsList).has_focus
        if reading and self.match_index >= 0:
            block, spans = self.matches[self.match_index]
            return snippet(self.opened.blocks[block].text, spans)[0], self.hit.article
        if reading:
            return self.hit.passage, self.hit.article
        current = self.query_one(ResultsList).current if self.query_text else None
        return (current.passage, current.article) if current is not None else None

