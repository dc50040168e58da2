"""A key typed into the search bar repaints what changed and no more (reader/ui/widgets/quiet.py).

Counted, not timed: the lines of the article pane drawn and the layouts of
the screen while the query changes, the scrollbars of the lists kept true to
what they hold, the bar's text kept in view.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

import pytest

from conftest import make_app, many_articles, wait_until_loaded
from reader.ui.screens import searching
from reader.ui.screens.main import MainScreen, SearchBar
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.results import ResultsList
from reader.ui.widgets.sidebar import Sidebar


@asynccontextmanager
async def _running(folder):
    app = make_app([folder])
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_loaded(pilot)
        yield app, pilot


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    for _ in range(3):
        await pilot.pause()


async def _searching(pilot, query: str) -> tuple[SearchBar, ResultsList]:
    """/ and ``query`` put in the search bar, its results shown."""
    await pilot.press("slash")
    screen = pilot.app.screen
    bar, results = screen.query_one(SearchBar), screen.query_one(ResultsList)
    bar.value = query
    await _settle(pilot)
    return bar, results


class _Counts:
    def __init__(self, monkeypatch) -> None:
        self.article_lines = 0
        self.layouts = 0
        real_line, real_layout = ArticleView.render_line, MainScreen._refresh_layout

        def render_line(view, y):
            self.article_lines += 1
            return real_line(view, y)

        def refresh_layout(screen, *args, **kwargs):
            self.layouts += 1
            return real_layout(screen, *args, **kwargs)

        monkeypatch.setattr(ArticleView, "render_line", render_line)
        monkeypatch.setattr(MainScreen, "_refresh_layout", refresh_layout)

    def reset(self) -> None:
        self.article_lines = self.layouts = 0


@pytest.mark.asyncio
async def test_a_key_in_the_search_bar_redraws_no_line_of_the_article_and_lays_nothing_out(tmp_path, monkeypatch):
    monkeypatch.setattr(searching, "PREVIEW_DELAY", 3600)  # no preview of the result under the cursor
    counts = _Counts(monkeypatch)
    async with _running(many_articles(tmp_path, 70)) as (app, pilot):
        screen = app.screen
        bar, results = await _searching(pilot, "共同")
        assert len(results.hits) == 50 and results.show_vertical_scrollbar
        for query in ("共同的", "共同的一", "共同的一句", "共同的一句话"):
            counts.reset()
            shown = screen._shown_number
            bar.value = query
            await _settle(pilot)
            assert screen._shown_number > shown and len(results.hits) == 50  # this key's results are shown
            assert counts.article_lines == 0  # the article beside the results is not drawn again
            assert counts.layouts == 0  # nor is the screen laid out: no widget changed its size
        assert results.vertical_scrollbar.window_virtual_size == results.virtual_size.height


def _thumb_rows(results: ResultsList) -> int:
    """Rows of the results' scrollbar that draw its thumb (reversed cells); the track is the list's own colour."""
    bar = results.vertical_scrollbar
    if not bar.display or bar.window_virtual_size <= bar.window_size:
        return 0  # nothing to scroll: Textual draws the track alone
    rows = bar.render_lines(bar.region.reset_offset)
    return sum(any(segment.style is not None and segment.style.reverse for segment in row) for row in rows)


@pytest.mark.asyncio
async def test_the_results_scrollbar_and_scroll_follow_a_list_that_shrinks_and_grows(tmp_path, monkeypatch):
    counts = _Counts(monkeypatch)
    monkeypatch.setattr(searching, "PREVIEW_DELAY", 3600)  # no preview: the layouts counted are the list's
    async with _running(many_articles(tmp_path, 70)) as (app, pilot):
        bar, results = await _searching(pilot, "共同的一句话")
        await pilot.press("down", "G")
        await _settle(pilot)
        assert results.scroll_y > 0 and _thumb_rows(results) > 0
        counts.reset()
        bar.value = "编号7。"  # one article
        await _settle(pilot)
        assert [hit.article.title for hit in results.hits] == ["第7篇"]
        assert results.scroll_y == 0 == results.max_scroll_y  # scrolled back within the shorter list
        assert _thumb_rows(results) == 0  # nothing to scroll: no thumb drawn
        assert results.virtual_size.height <= results.scrollable_content_region.height
        bar.value = "共同"
        await _settle(pilot)
        assert _thumb_rows(results) > 0 and results.vertical_scrollbar.window_virtual_size == results.virtual_size.height
        # The scrollbar is always there (overflow-y: scroll), so a list that comes to fit, or stops
        # fitting, does not lay the screen out again: Textual's visibility of a scrollbar is a layout.
        assert counts.layouts == 0


@pytest.mark.asyncio
async def test_a_query_longer_than_the_bar_keeps_its_end_in_view(tmp_path):
    async with _running(many_articles(tmp_path, 5)) as (app, pilot):
        await pilot.press("slash")
        bar = app.screen.query_one(SearchBar)
        for key in "the quick brown fox jumps over the lazy dog and then runs far far away from here":
            await pilot.press("space" if key == " " else key)
        await _settle(pilot)
        assert bar.scroll_x > 0 and bar.scroll_x == bar.max_scroll_x
        x = bar.cursor_screen_offset.x
        assert bar.content_region.x <= x <= bar.content_region.right  # the cursor, after the last character, is shown
        await pilot.press("home")
        await _settle(pilot)
        assert bar.scroll_x == 0


@pytest.mark.asyncio
async def test_the_sidebar_scrolls_over_all_its_rows_as_grouping_changes_them(tmp_path):
    async with _running(many_articles(tmp_path, 70)) as (app, pilot):
        sidebar = app.screen.query_one(Sidebar)
        view = sidebar.scrollable_content_region.height
        for _ in range(2):  # by source, by date, and back
            await pilot.press("s")
            await _settle(pilot)
            rows = len(sidebar._rows)
            assert rows > view  # more rows than the view holds: there is somewhere to scroll
            assert sidebar.virtual_size.height == rows
            await pilot.press("G")
            await _settle(pilot)
            assert sidebar.cursor_row == rows - 1
            assert sidebar.max_scroll_y == max(0, rows - view) and sidebar.scroll_y == sidebar.max_scroll_y
            await pilot.press("g")
            await _settle(pilot)
            assert sidebar.scroll_y == 0
