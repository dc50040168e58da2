"""The main screen: search bar, sidebar, article pane, status line, footer.

The screen wires keys to the widgets; the widgets know nothing of each
other. The articles belong to the catalog, which loads them in a thread
worker and publishes snapshots (immutable: the sidebar, the article pane and
searches read them without locks); each new snapshot replaces the screen's,
so the first paint never waits for a big folder and a warm start shows
everything from the cache at once.

Searching: each change of the query starts a search in a thread worker
(exclusive in its group, so a newer one cancels the older) over the current
snapshot, and numbers it; results that come back under an older number are
dropped. While a query is active the results list takes the sidebar's place,
wider while choosing than while reading.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from ...store.errorlog import failure_line, log_failure
from ...store.damage import Damaged
from ...model import Article
from .. import heap
from ..live import Live
from ..messages import CatalogChanged, SearchCompleted, SearchFinished
from ..reading_state import BINDINGS as READING_BINDINGS, ReadingState
from ..widgets.article_view import ArticleView
from ..widgets.find_bar import FindInput
from ..widgets.history import HistoryInput
from ..widgets.key_hints import KeyHints
from ..widgets.results import ResultsList, ResultsPane
from ..widgets.sidebar import Sidebar
from ..widgets.status import StatusLine
from .finding import BINDINGS as FIND_BINDINGS, FindController
from .linking import BINDINGS as LINK_BINDINGS, LinkController
from .navigation import Navigation
from .searching import BINDINGS as SEARCH_BINDINGS, SearchController

if TYPE_CHECKING:
    from ...catalog import Catalog, Progress, Snapshot
    from ...catalog.grouping import Grouping

NARROW_BELOW = 60  # columns; under this the sidebar and the article take turns

EMPTY_FOLDER = (
    "No articles here.\n\n"
    "reader reads .md, .markdown, .txt, .html and .htm files — Markdown with front "
    "matter, RSS dumps, saved web pages and plain text — in the folders you name "
    "and all the folders inside them (hidden ones excepted).\n\n"
    "Press q to quit."
)


SEARCH_HINT = '/ search: words, "exact phrase", source:name, date:2022-01, in:title'


class SearchBar(HistoryInput):  # ↑ / ↓: earlier queries, kept across runs (widgets/history.py)
    """Takes focus with /, leaves with esc; ↓ goes down to the results."""

    BINDINGS = [
        Binding("escape", "leave", "Leave search", id="search.leave", show=False, tooltip="Leave the search bar"),
        Binding("down", "to_results", "Results", id="search.to_results", tooltip="Down to the results"),
    ]

    def action_leave(self) -> None:
        self.screen.action_leave_search()

    def action_to_results(self) -> None:
        if not self.history_forward():  # ↓ after ↑ goes forward in the history first
            self.screen.action_focus_results()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_results":
            return self.browsing or bool(getattr(self.screen, "query_text", ""))  # shown in the footer only with results
        return super().check_action(action, parameters)


# Navigation: q, esc, counts, < >, the cursor's title. The parts it owns: the search
# (searching.py: n N y q esc), the find (finding.py: f), the links (linking.py: o L),
# the reading state (reading_state.py: m u B ').
class MainScreen(Navigation):
    # Not Textual's first focusable widget, the search bar: focusing it shows the results pane.
    AUTO_FOCUS = "#sidebar"
    BINDINGS = [
        # The search's first: the footer shows n, y, q before /, s, ].
        *SEARCH_BINDINGS,  # n N y q esc (searching.py)
        *FIND_BINDINGS,  # f (finding.py)
        Binding("slash", "focus_search", "Search", id="search.focus"),
        Binding("s", "toggle_grouping", "Group", id="sidebar.grouping", tooltip="Group by source / date"),
        Binding("p", "show_problems", "Problems", id="app.problems", show=False, tooltip="Files skipped, and why"),
        Binding("backslash", "toggle_sidebar", "Sidebar", id="sidebar.toggle", show=False, tooltip="Hide or show the sidebar"),
        Binding("right_square_bracket", "step_article(1)", "Next", id="article.next", tooltip="Next article"),
        Binding("left_square_bracket", "step_article(-1)", "Previous", id="article.previous", show=False, tooltip="Previous article"),
        Binding("space", "page_article(1)", "Page down", id="article.page_down_anywhere", show=False),
        Binding("b", "page_article(-1)", "Page up", id="article.page_up_anywhere", show=False),
        Binding("h,left", "focus_sidebar", "Back to sidebar", id="article.back", show=False, tooltip="Back to the list"),
        Binding("R", "reload", "Reload", id="app.reload", show=False, tooltip="Reload the folders"),
        *READING_BINDINGS,  # m u B ': read marks and bookmarks (reading_state.py)
        *LINK_BINDINGS,  # o L (linking.py): after the article's own in the help
    ]

    def __init__(self, paths: list[Path], clock=time.perf_counter, *, cache: bool = True, walking=None) -> None:
        """``walking``: the walk of ``paths`` already under way (reader.catalog.discover.start_walk)."""
        super().__init__()
        self.paths = paths
        self.clock = clock
        self.walking = walking
        self._cache = cache
        # The catalog is made by the loading worker, after the first paint (_catalog): its
        # module and numpy are a fifth of the app's imports (reader/ui/__init__.py).
        self.catalog: Catalog | None = None
        self._catalog_lock = threading.Lock()  # the worker makes it; unmounting stops it
        self._unmounted = False
        self._snapshot: Snapshot | None = None
        self.opened: Article | None = None
        self._started = 0.0
        self._before_search = None
        self._touched = False  # the reader has pressed a key or clicked since the start
        self._noticed = 0  # catalog notices already shown
        self._loading = True  # the catalog is still reading (bench/bench_keys.py waits on it)
        self._files_total = 0
        self.reading = ReadingState(self, clock)  # read marks, bookmarks, the place kept across runs
        self.search = SearchController(self)  # the query and its results, a hit's matches
        self.find = FindController(self)  # f: finding in the open article
        self.links = LinkController(self)  # o and L

    # -- what the other parts read ------------------------------------------------------
    @property
    def query_text(self) -> str:
        """The active query ("" when none)."""
        return self.search.query_text

    @property
    def matches(self) -> list[tuple[int, list[tuple[int, int]]]]:
        """The matches n / N step through: a search hit's, or the find's."""
        return self.search.matches

    @property
    def finding(self) -> bool:
        """The find bar is open."""
        return self.find.finding

    # bench/bench_ui.py waits on these: the latest search started, and the one shown.
    @property
    def _search_number(self) -> int:
        return self.search.search_number

    @property
    def _shown_number(self) -> int:
        return self.search.shown_number

    def compose(self) -> ComposeResult:
        yield SearchBar(placeholder=SEARCH_HINT, id="search")
        with Horizontal(id="panes"):
            yield Sidebar(id="sidebar")
            yield ResultsPane(id="results-pane")
            yield ArticleView(id="article")
        yield Static(id="empty")
        yield StatusLine(id="status")
        yield KeyHints()
        yield Live()  # the live folder: refreshes while the reader runs (ui/live.py)

    def on_mount(self) -> None:
        self._started = self.clock()
        self.query_one(StatusLine).show_line(Text("loading…"))
        self._set_status()
        self.query_one(Sidebar).focus()
        self.find.mount()  # the find bar, hidden, above the status line
        # After the first paint: the reading state and the catalog need the core, which
        # the first frame does not (reader/ui/__init__.py); the state opens before loading.
        self.call_after_refresh(self._after_first_paint)

    def _after_first_paint(self) -> None:
        if self._unmounted:
            return  # quit before the first frame
        self.reading.mount()
        self._load()

    # -- loading --------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load(self, damaged: Damaged | None = None) -> None:
        from ...search.fold import fold_table
        from ...search.matching import prepare_word_edges

        catalog = self._catalog()
        if catalog is None:
            return  # the screen went away first
        if self._cache:
            from ...catalog.catalog import keep_folding_tables

            keep_folding_tables()  # before anything is folded (the index of files read again, the first query)
        if damaged is None:
            catalog.load(self.publish)
        else:
            catalog.recover(damaged, self.publish)
        # The folding tables, which every query needs, are loaded from the cache (or
        # built: 80-400 ms) here rather than by the first key typed, in the interface's
        # thread; and the tables of word edges (40-50 ms) rather than by the first
        # query of Latin letters or digits (`2009年4日` took 99 ms instead of 60).
        fold_table()
        prepare_word_edges()

    def publish(self, snapshot: Snapshot, progress: Progress) -> None:
        """In the thread that loads or refreshes the catalog: its new snapshot to the screen.

        What the sidebar reads of a snapshot of files read is computed here first
        (Snapshot.prepare_listing): in the interface's thread it held every key for up
        to 250 ms a snapshot while a first read of 100,000 articles went on. Not the
        cache's snapshots, before any file is read: the interface computes theirs while
        this thread compares the folders with the cache (first paint and listing sooner).
        """
        if progress.read or progress.finished:
            snapshot.prepare_listing()
        self.post_message(CatalogChanged(snapshot, progress))

    def _catalog(self) -> Catalog | None:
        """The catalog, made now if it is not yet (in the loading worker); None once the screen is unmounted."""
        with self._catalog_lock:
            if self._unmounted:
                return None
            if self.catalog is None:
                from ...catalog import Catalog, default_cache_base

                cache_base = default_cache_base() if self._cache else None
                self.catalog = Catalog(self.paths, cache_base=cache_base, clock=self.clock, walking=self.walking)
            return self.catalog

    @property
    def snapshot(self) -> Snapshot:
        """The latest snapshot the catalog published; an empty one before the first."""
        if self._snapshot is None:
            from ...catalog import Snapshot

            self._snapshot = Snapshot()
        return self._snapshot

    @snapshot.setter
    def snapshot(self, snapshot: Snapshot) -> None:
        self._snapshot = snapshot

    def _cache_damaged(self, damaged: Damaged) -> None:
        """A cache file failed its checksum on first read: read the folders again (the cache is set aside)."""
        self._loading = True
        self._load(damaged)

    def article(self, number: int) -> Article | None:
        """Article ``number`` of the current snapshot, or None if the cache turns out to be damaged."""
        try:
            return self.snapshot.article(number)
        except Damaged as damaged:
            self._cache_damaged(damaged)
            return None

    def on_unmount(self) -> None:
        with self._catalog_lock:
            self._unmounted = True
            catalog = self.catalog
        if catalog is not None:
            catalog.stop()
        elif self.walking is not None:
            self.walking.cancel()  # quit before loading began: the walk started for it is not wanted
        self.reading.close()

    @on(CatalogChanged)
    def _catalog_changed(self, message: CatalogChanged) -> None:
        snapshot, progress = message.snapshot, message.progress
        older, changed = self.snapshot, snapshot is not self.snapshot
        self.snapshot = snapshot
        self._files_total = max(progress.found, snapshot.live_count)
        if changed:
            self.query_one(Sidebar).show(snapshot)
            self.reading.snapshot_changed(snapshot, may_restore=self.opened is None and not self._touched)
        self.query_one(Live).snapshot_changed(older, snapshot, progress)  # the open article, watching
        status = self.query_one(StatusLine)
        if progress.finished:
            sources = len(set(snapshot.sources[n] for n in snapshot.live.tolist()))
            status.show_summary(len(snapshot.copies.listed), sources, len(self.problems), progress.seconds)  # copies: once
        else:
            status.show_progress(progress, snapshot.live_count)
        self._set_status()
        self._show_notices()
        if progress.finished:
            self._loading_done()
        elif self.query_text and changed:
            self.search.start()  # the same query over more articles

    @property
    def problems(self) -> list[tuple[Path, str]]:
        return self.snapshot.skipped

    def _show_notices(self) -> None:
        notices = self.catalog.notices if self.catalog is not None else []
        for notice in notices[self._noticed:]:
            self.notify(notice, severity="warning", markup=False, timeout=10)
        self._noticed = len(notices)

    def _loading_done(self) -> None:
        """Loading ended, finished or failed: show what there is, unless the reader is already at work."""
        self._loading = False
        heap.loaded()  # what is loaded is no longer visited by the garbage collector
        if self.query_text:
            self.search.start()  # drops the "still loading" note
        snapshot = self.snapshot
        if not snapshot.live_count:
            self.add_class("empty")
            self.query_one("#empty", Static).update(Text(EMPTY_FOLDER))
            return
        self.remove_class("empty")
        self._verify_cache(snapshot)
        if self.opened is None and not self._touched:
            # Only a reader who has not started moving around is taken to the newest article.
            self.open_number(int(snapshot.newest_first[0]))

    @work(thread=True, exclusive=True, group="verify", exit_on_error=False)
    def _verify_cache(self, snapshot: Snapshot) -> None:
        """What searches read made ready and the cache's checksums checked ahead of them (Snapshot.prepare_search,
        Snapshot.verify); a newer snapshot's check replaces it."""
        worker = get_current_worker()
        snapshot.prepare_search()
        snapshot.verify(lambda: worker.is_cancelled)  # Damaged: on_worker_state_changed rebuilds

    def on_key(self, event) -> None:
        # Any key (or click, below) means the reader has taken over: loading
        # must not move the cursor or open another article under them.
        self._touched = True

    def on_mouse_down(self, event) -> None:
        self._touched = True

    # Every worker's failure lands here: one line in the status bar, the
    # details in the log, and the app goes on with what it has.
    _FAILURES = {"load": "loading stopped", "search": "search failed", "verify": "checking the cache failed"}

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state is not WorkerState.ERROR or worker.error is None:
            return
        if isinstance(worker.error, Damaged):
            self._cache_damaged(worker.error)
            return
        what = self._FAILURES.get(worker.group, "a background task failed")
        line = failure_line(what, worker.error, log_failure(what, worker.error))
        self.query_one(StatusLine).show_failure(line)
        self._set_status()
        if worker.group == "load":
            self._loading_done()

    def action_reload(self) -> None:
        self.query_one(Live).reload()

    def action_show_problems(self) -> None:
        from .problems import ProblemsScreen

        self.app.push_screen(ProblemsScreen(self.problems, self.snapshot, opened=self._opened_number()))  # copies: the open one's first

    # -- articles -------------------------------------------------------------------
    @on(Sidebar.ArticleOpened)
    def _article_chosen(self, message: Sidebar.ArticleOpened) -> None:
        article = self.article(message.number)
        if article is not None:
            self._open(article, focus=True)

    def open_number(self, number: int, *, focus: bool = False) -> Article | None:
        """Put the sidebar's cursor on article ``number`` and open it (None if it cannot be read)."""
        self.query_one(Sidebar).reveal(number)
        article = self.article(number)
        if article is not None:
            self._open(article, focus=focus)
        return article

    def _open(self, article: Article, *, focus: bool) -> None:
        self.find.drop()  # a find is in one article only
        self.opened = article
        self.search.forget_hit()
        self._set_status()
        view = self.query_one(ArticleView)
        view.show(article)
        self.reading.opened(article)
        if self.has_class("narrow"):
            self.remove_class("show-sidebar")
        if focus or self.has_class("narrow"):
            view.focus()

    def _opened_number(self) -> int | None:
        return self.snapshot.number_of(self.opened.path) if self.opened is not None else None

    def reveal_opened(self) -> None:
        """Put the sidebar's cursor on the open article."""
        number = self._opened_number()
        if number is not None:
            self.query_one(Sidebar).reveal(number)

    def action_step_article(self, step: int) -> None:
        if self.query_text:
            self.search.step_result(step)
            return
        sidebar = self.query_one(Sidebar)
        number = sidebar.neighbour(self._opened_number(), step)
        if number is None:
            self.app.bell()
            return
        self.open_number(number)

    # m u B ': reading_state.py does the work.
    def action_toggle_read(self) -> None:
        self.reading.toggle_read()

    def action_next_unread(self) -> None:
        self.reading.next_unread()

    def action_toggle_bookmark(self) -> None:
        self.reading.toggle_bookmark()

    def action_show_bookmarks(self) -> None:
        self.reading.show_bookmarks()

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
        if not self.query_text:
            self.search.leave()  # the bar is being left with no query: the sidebar comes back
            return self.query_one(Sidebar)
        return self.query_one(ResultsList)

    def action_focus_search(self) -> None:
        self.set_focus(self.query_one(SearchBar))

    def on_descendant_focus(self, event) -> None:
        # Remember where the reader was, however focus reached the search bar (/ or tab).
        if not isinstance(event.widget, SearchBar):
            self._before_search = event.widget
        self.search.bar_focus_changed(isinstance(event.widget, SearchBar))
        if isinstance(event.widget, ResultsList) and not self.query_text:
            self.set_focus(self.query_one(Sidebar))  # tab from an empty bar: the results it would reach are gone
            return
        # Results are wide while choosing, narrow while reading.
        self.set_class(bool(self.query_text) and isinstance(event.widget, (ArticleView, FindInput)), "reading")
        if self.query_text:
            self._set_status()  # the match note while reading a hit, the loading line while choosing
            self.search.bindings_changed()

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
        if sidebar.current is None:
            self.reveal_opened()

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

    _SEARCH_ACTIONS = frozenset(("next_match", "copy_passage", "search_back"))
    _ARTICLE_ACTIONS = frozenset(("find", "open_url", "show_links"))  # f, o, L: with an article open

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self._SEARCH_ACTIONS:
            return self.search.check_action(action)
        if action in self._ARTICLE_ACTIONS:
            return self.opened is not None
        if action == "toggle_grouping":
            return not self.query_text  # the sidebar is out of sight
        return super().check_action(action, parameters)

    # -- the search, the find and the links: their parts do the work -------------------
    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self.search.set_query(event.value)

    @on(Input.Submitted, "#search")
    def _query_submitted(self) -> None:
        self.search.submitted()

    @on(SearchFinished)
    def _search_finished(self, message: SearchFinished) -> None:
        self.search.show_results(message)

    @on(SearchCompleted)
    def _search_completed(self, message: SearchCompleted) -> None:
        self.search.complete_results(message)

    @on(ResultsList.HitChosen)
    def _hit_chosen(self, message: ResultsList.HitChosen) -> None:
        self.search.open_hit(message.hit)

    @on(ResultsList.MoreWanted)
    def _more_wanted(self) -> None:
        self.search.more_wanted()

    @on(ResultsList.HitHighlighted)
    def _hit_highlighted(self, message: ResultsList.HitHighlighted) -> None:
        self.search.hit_highlighted(message.hit)

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.find.changed(event.value)

    @on(Input.Submitted, "#find")
    def _find_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.find.submitted()

    def action_focus_results(self) -> None:
        if self.query_text:
            self.action_focus_sidebar()

    def action_next_match(self, step: int) -> None:
        self.search.next_match(step)

    def action_copy_passage(self) -> None:
        self.search.copy_passage()

    def action_search_back(self) -> None:
        self.search.back()

    def action_clear_search(self) -> None:
        self.search.clear()

    def action_find(self) -> None:
        self.find.open()

    def close_find(self) -> None:
        """esc in the find bar or the article (find_bar.py, navigation.py)."""
        self.find.close()

    def action_open_url(self) -> None:
        self.links.open_article_url()

    def action_show_links(self) -> None:
        self.links.show_links()

    # -- status line ----------------------------------------------------------------
    def _set_status(self, *, wrapped: bool = False) -> None:
        """While reading a hit: where the current match is. Otherwise the loading line."""
        status = self.query_one(StatusLine)
        if self.find.finding:  # the find bar's matches (finding.py)
            status.update(Text(self.find.note(wrapped)))
            return
        note = self.search.note(wrapped)  # None while previewing, or not reading a hit
        if note is not None:
            status.update(Text(note))
        else:
            status.show_loading(self.query_one(Live).status_first())  # "this file is gone" first


def _shown(widget: Widget) -> bool:
    """Whether the widget and everything around it is displayed."""
    return all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))
