"""The search part of the main screen: query, results, opening a hit, n / N, y, esc.

MainScreen owns one SearchController. It binds the keys (``BINDINGS``: n N y
q esc) and hands its search messages (the query changed or was submitted,
results arrived, a result chosen, highlighted, more wanted) to it; the
controller works the screen's widgets and calls back only its ``_open`` (by
way of ``article``), ``action_focus_sidebar``, ``reveal_opened`` and
``_set_status``. The search itself (reader.search) runs in a thread worker;
each keystroke starts a newer search, and results of an older one are
dropped. The matches it keeps (``matches``, ``match_index``) are those n / N
step through: a hit's, or the find's (finding.py) while the find bar is open.
The results pane stands in the sidebar's place while the search bar has the
focus or a query is active (``enter`` and ``leave``; the screen tells of the
bar's focus through ``bar_focus_changed``).
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.widgets import Input
from textual.worker import get_current_worker

from ...model import Article
from ...textwidth import truncate
from ..clipboard import citation, copy
from ..messages import SearchCompleted, SearchFinished
from ..widgets.article_view import ArticleView
from ..widgets.results import ResultsList, ResultsPane
from ..widgets.sidebar import Sidebar

if TYPE_CHECKING:
    from ...search.engine import Hit
    from .main import MainScreen

# The search core is imported where it is used: the main screen imports this module
# before its first paint, and the core comes after it (reader/ui/__init__.py).


PAGE = 50  # results asked for at a time; scrolling past the last asks for as many more
FIRST_HITS = 8  # hits sent first at the least, before the rest are dressed (see start)
REST_AFTER = 0.03  # seconds after the first hits are shown, the rest are dressed: they are drawn in between
KEEP_LIMIT = 16 * PAGE  # results asked for, at most, to keep the cursor on its article as newer matches come
PREVIEW_DELAY = 0.08  # seconds the cursor rests on a result before it is previewed (holding j stays cheap)
# The results pane takes the sidebar's place as soon as the search bar has the
# focus (/), before the first key: laying the screen out for it (restyling
# every widget, drawing every line: 100 ms of the interface's thread at
# 100,000 articles on a slow machine) made the first key of every query the
# slowest to show its results. A query whose results are not in after this
# long says "searching…" (most take a few tens of milliseconds).
SLOW_DELAY = 0.1

# MainScreen's bindings for the search; its action_… methods hand them to SearchController.
BINDINGS = [
    Binding("n", "next_match(1)", "Match", id="search.next_match", tooltip="Next match in the article"),
    Binding("N", "next_match(-1)", "Previous match", id="search.previous_match", show=False, tooltip="Previous match"),
    Binding("y", "copy_passage", "Copy", id="search.copy", tooltip="Copy passage + citation"),
    Binding("q,escape", "search_back", "Back", id="search.back", tooltip="Back to results, then clear"),
]


class SearchController:
    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen
        # Search state: searches read the screen's current snapshot.
        self.query_text = ""  # the active query as typed; "" when none
        self.search_number = 0  # of the latest search started
        self.shown_number = -1  # of the search whose results are shown
        self._shown_query = ""
        self._open_when_ready = False  # enter came before the results
        self.hit: Hit | None = None  # the result the open article came from
        self.matches: list[tuple[int, list[tuple[int, int]]]] = []  # its matching blocks
        self.match_index = -1  # which of them is current; -1: none yet (title or source hit)
        self._limit = PAGE  # results asked for; grows as the reader scrolls past the end
        self._preview_timer = None
        self._sidebar_before = False  # narrow screens: whether the sidebar was in turn when the pane came
        self._slow_timer = None  # set while a query's first results are awaited
        self._rest_timer = None  # set while the shown results' other hits wait to be dressed
        self._binding_state: tuple = ()

    def forget_hit(self) -> None:
        """Another article is opened, not from a hit: no hit, no matches."""
        self.hit, self.matches, self.match_index = None, [], -1

    # -- search ---------------------------------------------------------------------
    def set_query(self, raw: str) -> None:
        from ...search.query import parse_query

        screen = self.screen
        if parse_query(raw).is_empty:
            self.search_number += 1  # whatever is still running is stale now
            self._end_search()
            return
        starting = not self.query_text
        if raw != self.query_text:
            self._limit = PAGE
        self.query_text = raw
        self.enter()
        if starting:
            self._slow_timer = screen.set_timer(SLOW_DELAY, self._slow)
        self.start()

    @property
    def entered(self) -> bool:
        """The results pane is shown in the sidebar's place."""
        return self.screen.has_class("searching")

    def enter(self) -> None:
        """Show the results pane in the sidebar's place: the search bar took the focus, or a query came."""
        if self.entered:
            return
        screen = self.screen
        screen.add_class("searching")
        screen.query_one(ResultsPane).ready()
        if screen.has_class("narrow"):
            self._sidebar_before = screen.has_class("show-sidebar")
            screen.add_class("show-sidebar")  # in turns: the results, not the article
        self.bindings_changed()

    def leave(self) -> None:
        """The sidebar comes back in the results' place (the bar left with no query, or the query cleared)."""
        if not self.entered:
            return
        screen = self.screen
        screen.remove_class("searching", "reading")
        if screen.has_class("narrow"):
            screen.set_class(self._sidebar_before, "show-sidebar")
        screen.reveal_opened()
        self.bindings_changed()

    def bar_focus_changed(self, focused: bool) -> None:
        if focused:
            self.enter()
            pauses = getattr(self.screen.app, "pauses", None)
            if pauses is not None:  # once the bar is drawn, before the first key (ui/heap.py)
                self.screen.call_after_refresh(pauses.before_typing)
        elif not self.query_text:
            self.leave()

    def _slow(self) -> None:
        self._slow_timer = None
        if self.query_text and self.shown_number < 0:
            self.screen.query_one(ResultsPane).clear()  # "searching…"

    def _stop_rest_timer(self) -> None:
        self._rest_timer = _stopped(self._rest_timer)

    def _stop_slow_timer(self) -> None:
        self._slow_timer = _stopped(self._slow_timer)

    def start(self) -> None:
        """Search again for the query (a new one, or the same over a new snapshot)."""
        self.search_number += 1
        self._stop_rest_timer()
        self._drop_preview()  # of results this search replaces: drawing it would only slow the search
        # The hits the screen can show at once (a row takes three lines or more) are dressed and
        # sent first; the rest follow (SearchCompleted).
        first = max(FIRST_HITS, self.screen.size.height // 3 + 2)
        work = partial(self._search, self.search_number, self.query_text, self.screen.snapshot, self._limit, first)
        self.screen.run_worker(work, name="_search", group="search", exclusive=True, thread=True, exit_on_error=False)

    def _search(self, number: int, raw: str, snapshot, limit: int = PAGE, first: int = FIRST_HITS) -> None:
        # Exclusive: a newer search cancels this worker, but a thread cannot be
        # stopped, so the result is also checked against the latest number.
        from ...search.engine import rank

        ranking = rank(snapshot, raw, limit=limit)
        results = ranking.results(upto=first)
        if not get_current_worker().is_cancelled:
            self.screen.post_message(SearchFinished(number, raw, results, ranking))

    def _dress_rest(self, message: SearchFinished) -> None:
        """A search's other hits dressed in a thread (SearchCompleted): once its first ones are drawn, or at once
        when they were not shown."""
        self._rest_timer = None
        if message.number != self.search_number or message.ranking is None:
            return  # superseded meanwhile

        def dress() -> None:
            worker = get_current_worker()
            whole = message.ranking.completed(message.results, stop=lambda: worker.is_cancelled)
            if whole is not None and not worker.is_cancelled:
                self.screen.post_message(SearchCompleted(message.number, message.query, whole))

        # In the search's group: the next keystroke's search cancels it.
        self.screen.run_worker(dress, name="_dress_rest", group="search", exclusive=True, thread=True, exit_on_error=False)

    def show_results(self, message: SearchFinished) -> None:
        if message.number != self.search_number or not self.query_text:
            return  # superseded by a newer keystroke (or the query was cleared)
        self.enter()
        self._stop_slow_timer()
        screen = self.screen
        results = screen.query_one(ResultsList)
        # The same query again (more articles loaded, files changed): a cursor the reader has taken
        # (moved, opened a hit from, or is reading a hit) stays on its article; one left alone stays
        # on the top, the newest match, as fzf's does.
        taken = results.taken or screen.has_class("reading")
        keep = results.current.article.path if results.current and taken and message.query == self._shown_query else None
        lost = keep is not None and all(hit.article.path != keep for hit in message.results.hits)
        if lost and message.results.pending:
            # The cursor's article may be among the hits still to dress: the list stays until they are (complete_results).
            self._dress_rest(message)
            return
        if lost and message.results.more and self._limit < KEEP_LIMIT:
            # Newer matches (a folder still loading, files added) pushed the cursor's article past the
            # results asked for: ask for more rather than lose the reader's place; the list stays meanwhile.
            self._limit = min(KEEP_LIMIT, self._limit * 2)
            self.start()
            return
        from ...search.query import parse_query

        problem = parse_query(message.query).problem
        screen.query_one(ResultsPane).show(message.results, loading=screen._loading, total=screen._files_total, keep=keep, problem=problem)
        self.shown_number, self._shown_query = message.number, message.query
        if message.results.pending and message.ranking is not None:
            # Dressed once these are drawn: in a thread meanwhile, their 5-10 ms would hold the
            # interpreter's lock that the interface needs to draw them (bench_ui at 100,000 articles:
            # keystroke to results painted p95 53.6-59.3 ms that way, 45.6 ms drawn first).
            self._stop_rest_timer()
            self._rest_timer = screen.set_timer(REST_AFTER, partial(self._dress_rest, message))
        if keep is not None and results.current is not None and results.current != self.hit:
            # The cursor stayed on its article, so the list told no one; but this search dropped the
            # preview that was due (start), as the search for more does when the cursor reaches the end.
            self.hit_highlighted(results.current)
        if self._open_when_ready:
            self._open_when_ready = False
            if results.current is not None:
                self.open_hit(results.current)
        self.bindings_changed()

    def complete_results(self, message: SearchCompleted) -> None:
        """The rest of the shown search's hits; or all of them, when its first ones were not shown."""
        if message.number != self.search_number or not self.query_text:
            return  # superseded
        if message.number != self.shown_number:  # its first hits were not shown (they lacked the cursor's article)
            self.show_results(SearchFinished(message.number, message.query, message.results))
            return
        self.screen.query_one(ResultsPane).complete(message.results)
        self.bindings_changed()

    def _end_search(self) -> None:
        """No query any more: the results go; the pane stays, with its hint, while the bar has the focus."""
        self._open_when_ready = False
        self._stop_slow_timer()
        screen = self.screen
        bar = screen.query_one("#search", Input)
        if self.query_text:
            results = screen.query_one(ResultsList)
            had_focus = results.has_focus
            self.query_text = ""
            self._shown_query = ""
            self.shown_number = -1
            self.forget_hit()
            screen.remove_class("reading")
            screen.query_one(ArticleView).highlight(None)
            screen._set_status()
            if bar.has_focus:
                screen.query_one(ResultsPane).ready()
            else:
                self.leave()
                if had_focus:
                    screen.query_one(Sidebar).focus()
        elif not bar.has_focus:
            self.leave()
        self.bindings_changed()

    def submitted(self) -> None:
        """Enter in the search bar opens the first result (as soon as there is one)."""
        if not self.query_text:
            return
        current = self.screen.query_one(ResultsList).current
        if self.shown_number == self.search_number and current is not None:
            self.open_hit(current)
        elif self.shown_number == self.search_number:
            self.screen.app.bell()  # no matches
        else:
            self._open_when_ready = True

    def more_wanted(self) -> None:
        """The cursor reached the last result and more match: the same search for a page more."""
        if self.query_text and self.shown_number == self.search_number:
            self._limit += PAGE
            self.start()

    def hit_highlighted(self, hit: Hit) -> None:
        """While choosing, the article pane previews the result under the cursor, once the cursor rests."""
        self._drop_preview()
        self._preview_timer = self.screen.set_timer(PREVIEW_DELAY, lambda: self._preview(hit))

    def _drop_preview(self) -> None:
        self._preview_timer = _stopped(self._preview_timer)

    def _preview(self, hit: Hit) -> None:
        self._preview_timer = None
        screen = self.screen
        results = screen.query_one(ResultsList)
        choosing = results.has_focus or screen.query_one("#search", Input).has_focus
        current = self.shown_number == self.search_number  # no newer search is on its way
        if self.query_text and choosing and current and results.current is hit and not screen.has_class("narrow"):
            self.open_hit(hit, focus=False)

    def bindings_changed(self) -> None:
        """Refresh the footer only when what decides the search keys (check_action) changed.

        Textual's footer rebuilds all its keys on every refresh_bindings, which
        was most of a keystroke's time (a results list arrives with every key).
        """
        screen = self.screen
        results = screen.query_one(ResultsList)
        state = (
            bool(self.query_text), bool(self.matches), self.reading_hit(), screen.has_class("reading"),
            self.hit is not None, results.current is not None,
        )
        if state != self._binding_state:
            self._binding_state = state
            screen.refresh_bindings()

    def reading_hit(self) -> bool:
        """The open article is the one the current hit came from."""
        opened = self.screen.opened
        return self.hit is not None and opened is not None and opened.path == self.hit.article.path

    def check_action(self, action: str) -> bool:
        """Whether n / N, y and q / esc do something now (the find's n / N and esc included)."""
        screen = self.screen
        searching = bool(self.query_text)
        if action == "next_match":  # a hit's matches (not a preview's), or the find's
            return (searching and bool(self.matches) and self.reading_hit() and screen.has_class("reading")) or screen.find.finding
        if action == "copy_passage":
            return searching and (self.hit is not None or screen.query_one(ResultsList).current is not None)
        return searching or screen.find.finding  # search_back

    def open_hit(self, hit: Hit, *, focus: bool = True) -> None:
        """Open the hit's article at its match, every match in it highlighted; without focus, a preview."""
        screen = self.screen
        screen.find.drop()  # the hit's matches replace the find's
        # The hit's number is of the snapshot searched: a live folder may have moved or removed it since.
        number = screen.snapshot.locate(hit.number, hit.article.path)
        article = screen.article(number) if number is not None else None
        if article is None:
            if number is None and focus:
                screen.app.bell()  # its file is gone
            return  # or the cache turned out to be damaged: it is being rebuilt
        highlights = self.mark_matches(article)
        self.hit = hit
        blocks = [block for block, _spans in self.matches]
        screen.opened = article
        view = screen.query_one(ArticleView)
        widening = focus and not screen.has_class("reading")
        if focus:
            screen.add_class("reading")
            if screen.has_class("narrow"):
                screen.remove_class("show-sidebar")
        view.show(article, highlights=highlights)
        if focus:
            screen.reading.opened(article)  # read marks and the last place (reading_state.py); not for a preview
            view.focus()
        self.match_index = blocks.index(hit.block) if hit.block in blocks else -1
        if hit.block >= 0:  # a title or source hit opens at the top
            view.scroll_to_match(hit.block)
            if widening:
                # The article is re-wrapped wider once the results narrow: place the match again.
                screen.call_after_refresh(self._place_again, hit, self.match_index)
        screen._set_status()
        self.bindings_changed()

    def mark_matches(self, article: Article) -> dict:
        """The query's matches in ``article`` become the ones n / N visit; all its highlights, title included."""
        from ...search.engine import article_matches
        from ...search.index import TITLE
        from ...search.matching import match_spans
        from ...search.query import parse_query

        query = parse_query(self.query_text)
        self.matches = article_matches(article, query)
        highlights = dict(self.matches)
        title_spans = match_spans(article.title, query.folded, exact_only=query.exact)
        if title_spans:
            highlights[TITLE] = title_spans
        return highlights

    def _place_again(self, hit: Hit, match_index: int) -> None:
        if self.hit is hit and self.match_index == match_index:  # unless the reader has moved on (n, ])
            self.screen.query_one(ArticleView).scroll_to_match(hit.block)

    def step_result(self, step: int) -> None:
        """] and [ while searching: the next or previous result, opened."""
        results = self.screen.query_one(ResultsList)
        target = results.cursor + step
        if self.screen.opened is None or self.hit is None:
            target = results.cursor  # nothing opened from the results yet: the one under the cursor
        if not 0 <= target < len(results.hits):
            self.screen.app.bell()
            return
        results.move_to(target)
        self.open_hit(results.hits[target])

    def next_match(self, step: int) -> None:
        """n / N: the next or previous match, round to the first or last."""
        count = len(self.matches)
        if not count:
            self.screen.app.bell()
            return
        index = self.match_index + step
        if self.match_index < 0 and step < 0:
            index = count - 1
        wrapped = not 0 <= index < count
        self.match_index = index % count
        if self.screen.find.finding:
            self.screen.find.show_match(self.match_index)  # the occurrence itself, drawn as the current one
        else:
            self.screen.query_one(ArticleView).scroll_to_match(self.matches[self.match_index][0])
        self.screen._set_status(wrapped=wrapped)

    def back(self) -> None:
        """esc: the find bar closes first; from the article back to the results; from the results, clear the search."""
        screen = self.screen
        if screen.find.finding:
            screen.find.close()
            return
        if not self.query_text:
            return
        if screen.query_one(ResultsList).has_focus:
            self.clear()
        else:
            screen.action_focus_sidebar()  # the results, while searching

    def clear(self) -> None:
        """Drop the query: the results go, the sidebar comes back with the focus."""
        self._end_search()
        self.screen.query_one("#search", Input).value = ""
        self.screen.action_focus_sidebar()

    def note(self, wrapped: bool = False) -> str | None:
        """The status line while reading a hit (not while previewing): where the current match is; else None."""
        if not (self.query_text and self.reading_hit() and self.screen.has_class("reading")):
            return None
        count = len(self.matches)
        if not count:
            note = "the match is in the title" if self.hit.block < 0 else "no other match here"
        elif self.match_index < 0:
            note = f"{count} match{'es' if count != 1 else ''} in this article · n first"
        else:
            note = f"match {self.match_index + 1} of {count}{' (wrapped)' if wrapped else ''} · n / N next / previous"
        return f"{note} · y copy"

    def copy_passage(self) -> None:
        found = self._passage_to_copy()
        if found is None:
            self.screen.app.bell()
            return
        passage, article = found
        app = self.screen.app
        copy(app, citation(passage, article))
        app.notify(f"Copied with its citation: “{truncate(passage, 30)}”", markup=False)

    def _passage_to_copy(self) -> tuple[str, Article] | None:
        # In the article opened from a hit: the sentence of the current match.
        results = self.screen.query_one(ResultsList)
        reading = self.reading_hit() and not results.has_focus
        if reading and self.match_index >= 0:
            from ...search.matching import snippet

            block, spans = self.matches[self.match_index]
            return snippet(self.screen.opened.blocks[block].text, spans)[0], self.hit.article
        if reading:
            return self.hit.passage, self.hit.article
        current = results.current if self.query_text else None
        return (current.passage, current.article) if current is not None else None


def _stopped(timer) -> None:
    """``timer`` stopped, if there is one; None, to put in its place."""
    if timer is not None:
        timer.stop()
