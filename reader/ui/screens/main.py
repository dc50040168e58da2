"""The main screen: search bar, sidebar, article pane, status line, footer.

The screen owns the loaded articles and wires keys to the widgets; the
widgets know nothing of each other. Loading runs in a thread worker and
arrives in batches, so the first paint never waits for a big folder.

Searching: the loading worker also fills the screen's search index, batch by
batch, so a query only ever looks up the index. Each change of the query
starts a search in a thread worker (exclusive in its group, so a newer one
cancels the older) and numbers it; results that come back under an older
number are dropped. While a query is active the results list takes the
sidebar's place, wider while choosing than while reading.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Static
from textual.worker import get_current_worker

from ...grouping import Grouping, article_order
from ...index import TITLE, SearchIndex
from ...library import load_batches
from ...matching import match_spans, snippet
from ...model import Article
from ...query import parse_query
from ...search import Hit, article_matches, search
from ...textwidth import truncate
from ..clipboard import citation, copy
from ..messages import BatchLoaded, LoadingFinished, SearchFinished
from ..widgets.article_view import ArticleView
from ..widgets.results import ResultsList, ResultsPane
from ..widgets.sidebar import Sidebar
from ..widgets.status import StatusLine

NARROW_BELOW = 60  # columns; under this the sidebar and the article take turns

EMPTY_FOLDER = (
    "No articles here.\n\n"
    "reader reads .md, .markdown, .txt, .html and .htm files — Markdown with front "
    "matter, RSS dumps, saved web pages and plain text — in the folders you name "
    "and all the folders inside them (hidden ones excepted).\n\n"
    "Press q to quit."
)


SEARCH_HINT = '/ search: words, "exact phrase", source:name, date:2022-01, in:title'


class SearchBar(Input):
    """Takes focus with /, leaves with esc; ↓ goes down to the results."""

    BINDINGS = [
        Binding("escape", "leave", "Leave search", id="search.leave", show=False, tooltip="Leave the search bar"),
        Binding("down", "to_results", "Results", id="search.to_results", tooltip="Down to the results"),
    ]

    def action_leave(self) -> None:
        self.screen.action_leave_search()

    def action_to_results(self) -> None:
        self.screen.action_focus_results()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_results":
            return bool(getattr(self.screen, "query_text", ""))  # shown in the footer only with results
        return super().check_action(action, parameters)


class MainScreen(Screen):
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="search.focus"),
        Binding("s", "toggle_grouping", "Group", id="sidebar.grouping", tooltip="Group by source / date"),
        Binding("p", "show_problems", "Problems", id="app.problems", show=False, tooltip="Files skipped, and why"),
        Binding("backslash", "toggle_sidebar", "Sidebar", id="sidebar.toggle", show=False, tooltip="Hide or show the sidebar"),
        Binding("right_square_bracket", "step_article(1)", "Next", id="article.next", tooltip="Next article"),
        Binding("left_square_bracket", "step_article(-1)", "Previous", id="article.previous", show=False, tooltip="Previous article"),
        Binding("space", "page_article(1)", "Page down", id="article.page_down_anywhere", show=False),
        Binding("b", "page_article(-1)", "Page up", id="article.page_up_anywhere", show=False),
        Binding("h,left", "focus_sidebar", "Back to sidebar", id="article.back", show=False, tooltip="Back to the list"),
        Binding("n", "next_match(1)", "Match", id="search.next_match", tooltip="Next match in the article"),
        Binding("N", "next_match(-1)", "Previous match", id="search.previous_match", show=False, tooltip="Previous match"),
        Binding("y", "copy_passage", "Copy", id="search.copy", tooltip="Copy passage + citation"),
        Binding("escape", "search_back", "Back", id="search.back", show=False, tooltip="Back to results, then clear"),
    ]

    def __init__(self, paths: list[Path], clock=time.perf_counter) -> None:
        super().__init__()
        self.paths = paths
        self.clock = clock
        self.problems: list[tuple[Path, str]] = []
        self.opened: Article | None = None
        self._started = 0.0
        self._before_search = None
        self._status_base: object = ""  # the loading line, put back when a match note goes
        # Search state. The index is filled by the loading thread only.
        self.index = SearchIndex()
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

    def compose(self) -> ComposeResult:
        yield SearchBar(placeholder=SEARCH_HINT, id="search")
        with Horizontal(id="panes"):
            yield Sidebar(id="sidebar")
            yield ResultsPane(id="results-pane")
            yield ArticleView(id="article")
        yield Static(id="empty")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self._started = self.clock()
        self.query_one(StatusLine).update(Text("loading…"))
        self._loading_status_changed()
        self.query_one(Sidebar).focus()
        self._load()

    # -- loading --------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        for batch in load_batches(self.paths):
            # Articles live as long as the app: move them out of the cyclic
            # garbage collector's sight, or every full collection walks
            # millions of objects (about 0.15 s each at 10,000 articles) and
            # the cursor stalls while it does.
            gc.freeze()
            # Indexed here, off the UI thread; searches see it once add returns.
            self.index.add(batch.articles)
            self.post_message(BatchLoaded(batch))
        self.post_message(LoadingFinished(self.clock() - self._started))

    @on(BatchLoaded)
    def _add_batch(self, message: BatchLoaded) -> None:
        batch = message.batch
        self.problems += batch.problems
        sidebar = self.query_one(Sidebar)
        sidebar.add_articles(batch.articles)
        self._files_total = batch.total
        self.query_one(StatusLine).show_progress(batch.done, batch.total, len(sidebar.articles))
        self._loading_status_changed()
        if self.query_text and batch.articles:
            self._start_search()  # the same query over more articles

    @on(LoadingFinished)
    def _finish_loading(self, message: LoadingFinished) -> None:
        sidebar = self.query_one(Sidebar)
        articles = sidebar.articles
        sources = len({article.source for article in articles})
        self.query_one(StatusLine).show_summary(len(articles), sources, len(self.problems), message.seconds)
        self._loading_status_changed()
        self._loading = False
        if self.query_text:
            self._start_search()  # drops the "still loading" note
        if not articles:
            self.add_class("empty")
            self.query_one("#empty", Static).update(Text(EMPTY_FOLDER))
            return
        if self.opened is None:
            newest = min(articles, key=article_order)
            sidebar.reveal(newest)
            self._open(newest, focus=False)

    def action_show_problems(self) -> None:
        from .problems import ProblemsScreen

        self.app.push_screen(ProblemsScreen(self.problems, self.query_one(Sidebar).articles))

    # -- articles -------------------------------------------------------------------
    @on(Sidebar.ArticleOpened)
    def _article_chosen(self, message: Sidebar.ArticleOpened) -> None:
        self._open(message.article, focus=True)

    def _open(self, article: Article, *, focus: bool) -> None:
        self.opened = article
        self.hit, self.matches, self.match_index = None, [], -1
        self._set_status()
        view = self.query_one(ArticleView)
        view.show(article)
        if self.has_class("narrow"):
            self.remove_class("show-sidebar")
        if focus or self.has_class("narrow"):
            view.focus()

    def action_step_article(self, step: int) -> None:
        if self.query_text:
            self._step_result(step)
            return
        sidebar = self.query_one(Sidebar)
        article = sidebar.neighbour(self.opened, step)
        if article is None:
            self.app.bell()
            return
        sidebar.reveal(article)
        self._open(article, focus=False)

    def action_page_article(self, direction: int) -> None:
        view = self.query_one(ArticleView)
        if direction > 0:
            view.action_page_down()
        else:
            view.action_page_up()

    # -- focus and layout -----------------------------------------------------------
    def action_focus_sidebar(self) -> None:
        if self.has_class("narrow"):
            self.add_class("show-sidebar")
        self.remove_class("hide-sidebar")
        self._side().focus()

    def _side(self) -> Widget:
        """What stands left of the article: the results while searching, else the sidebar."""
        return self.query_one(ResultsList) if self.query_text else self.query_one(Sidebar)

    def action_focus_search(self) -> None:
        self.query_one(SearchBar).focus()

    def on_descendant_focus(self, event) -> None:
        # Remember where the reader was, however focus reached the search bar (/ or tab).
        if not isinstance(event.widget, SearchBar):
            self._before_search = event.widget
        # Results are wide while choosing, narrow while reading.
        self.set_class(bool(self.query_text) and isinstance(event.widget, ArticleView), "reading")

    def action_leave_search(self) -> None:
        target = self._before_search if self._before_search is not None else self._side()
        if isinstance(target, (Sidebar, ResultsList)):
            target = self._side()
        if not _shown(target):
            target = self.query_one(ArticleView)
        target.focus()

    def action_toggle_grouping(self) -> None:
        sidebar = self.query_one(Sidebar)
        sidebar.set_grouping(sidebar.grouping.other())
        if self.opened is not None and sidebar.current_article is None:
            sidebar.reveal(self.opened)

    def action_toggle_sidebar(self) -> None:
        sidebar = self.query_one(Sidebar)
        if self.has_class("narrow"):
            self.toggle_class("show-sidebar")
            (self._side() if self.has_class("show-sidebar") else self.query_one(ArticleView)).focus()
            return
        self.toggle_class("hide-sidebar")
        if self.has_class("hide-sidebar") and (sidebar.has_focus or self.query_one(ResultsList).has_focus):
            self.query_one(ArticleView).focus()

    def on_resize(self) -> None:
        narrow = self.size.width < NARROW_BELOW
        if narrow != self.has_class("narrow"):
            self.set_class(narrow, "narrow")
            self.remove_class("show-sidebar")
            if narrow and (self.query_one(Sidebar).has_focus or self.query_one(ResultsList).has_focus):
                self.query_one(ArticleView).focus()

    @property
    def grouping(self) -> Grouping:
        return self.query_one(Sidebar).grouping

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
        self.query_text = raw
        if starting:
            self.add_class("searching")
            self.query_one(ResultsPane).clear()
            if self.has_class("narrow"):
                self.add_class("show-sidebar")  # in turns: the results, not the article
            self.refresh_bindings()
        self._start_search()

    def _start_search(self) -> None:
        self._search_number += 1
        self._search(self._search_number, self.query_text)

    @work(thread=True, exclusive=True, group="search")
    def _search(self, number: int, raw: str) -> None:
        # Exclusive: a newer search cancels this worker, but a thread cannot be
        # stopped, so the result is also checked against the latest number.
        results = search(self.index, raw)
        if not get_current_worker().is_cancelled:
            self.post_message(SearchFinished(number, raw, results))

    @on(SearchFinished)
    def _show_results(self, message: SearchFinished) -> None:
        if message.number != self._search_number or not self.query_text:
            return  # superseded by a newer keystroke (or the query was cleared)
        results = self.query_one(ResultsList)
        # The same query again (more articles loaded): keep the cursor where it was.
        keep = results.current.article.path if results.current and message.query == self._shown_query else None
        self.query_one(ResultsPane).show(message.results, loading=self._loading, total=self._files_total, keep=keep)
        self._shown_number, self._shown_query = message.number, message.query
        if self._open_when_ready:
            self._open_when_ready = False
            if results.current is not None:
                self._open_hit(results.current)
        self.refresh_bindings()

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
        if self.opened is not None:
            sidebar.reveal(self.opened)
        if had_focus:
            sidebar.focus()
        self.refresh_bindings()

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

    def _open_hit(self, hit: Hit) -> None:
        """Open the hit's article at its match, every match in it highlighted."""
        article = hit.article
        query = parse_query(self.query_text)
        self.matches = article_matches(article, query)
        highlights = dict(self.matches)
        title_spans = match_spans(article.title, query.folded, exact_only=query.exact)
        if title_spans:
            highlights[TITLE] = title_spans
        self.hit = hit
        blocks = [block for block, _spans in self.matches]
        self.opened = article
        view = self.query_one(ArticleView)
        widening = not self.has_class("reading")
        self.add_class("reading")
        if self.has_class("narrow"):
            self.remove_class("show-sidebar")
        view.show(article, highlights=highlights)
        view.focus()
        self.match_index = blocks.index(hit.block) if hit.block in blocks else -1
        if hit.block >= 0:  # a title or source hit opens at the top
            view.scroll_to_match(hit.block)
            if widening:
                # The article is re-wrapped wider once the results narrow: place the match again.
                self.call_after_refresh(self._place_again, hit, self.match_index)
        self._set_status()
        self.refresh_bindings()

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
        self.query_one(ArticleView).scroll_to_match(self.matches[self.match_index][0])
        self._set_status(wrapped=wrapped)

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
        self.query_one(SearchBar).value = ""
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
        reading = self.hit is not None and self.opened is self.hit.article and not self.query_one(ResultsList).has_focus
        if reading and self.match_index >= 0:
            block, spans = self.matches[self.match_index]
            return snippet(self.hit.article.blocks[block].text, spans)[0], self.hit.article
        if reading:
            return self.hit.passage, self.hit.article
        current = self.query_one(ResultsList).current if self.query_text else None
        return (current.passage, current.article) if current is not None else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        searching = bool(self.query_text)
        if action == "next_match":
            return searching and bool(self.matches) and self.hit is not None and self.opened is self.hit.article
        if action == "copy_passage":
            return searching and (self.hit is not None or self.query_one(ResultsList).current is not None)
        if action == "search_back":
            return searching
        if action == "toggle_grouping":
            return not searching  # the sidebar is out of sight
        return True

    # -- status line ----------------------------------------------------------------
    def _loading_status_changed(self) -> None:
        self._status_base = self.query_one(StatusLine).content
        self._set_status()

    def _set_status(self, *, wrapped: bool = False) -> None:
        """While reading a hit: where the current match is. Otherwise the loading line."""
        status = self.query_one(StatusLine)
        if not (self.query_text and self.hit is not None and self.opened is self.hit.article):
            status.update(self._status_base)
            return
        count = len(self.matches)
        if not count:
            note = "the match is in the title" if self.hit.block < 0 else "no other match here"
        elif self.match_index < 0:
            note = f"{count} match{'es' if count != 1 else ''} in this article · n first"
        else:
            note = f"match {self.match_index + 1} of {count}{' (wrapped)' if wrapped else ''} · n / N next / previous"
        status.update(Text(f"{note} · y copy"))


def _shown(widget: Widget) -> bool:
    """Whether the widget and everything around it is displayed."""
    return all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))
