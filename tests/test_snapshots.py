"""Screenshots of the whole app, compared with the SVGs in tests/__snapshots__/.

Each screen is taken at 80×24 (the smallest terminal the README promises to
look right in) and at 120×40. Every screenshot waits for the loading worker,
and the clock from conftest never moves, so the status line always reads
"loaded in 0.00 s". Nothing that blinks has focus: the sidebar or the article
pane holds it, never the search bar.

After a deliberate change of the look, regenerate with
``pytest tests/test_snapshots.py --snapshot-update`` and LOOK at the new SVGs
before committing them.
"""

from __future__ import annotations

import pytest

from conftest import make_app, wait_until_loaded
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen, SearchBar
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.sidebar import Sidebar
from reader.ui.widgets.status import StatusLine

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]

NEWEST_TITLE = "_我们会给一个书面回复，但内容请俄方保密_"  # seed 002
CAPTIONED_TITLE = "美俄谈了7个半小时，_有用_但没啥进展"  # seed 000
CAPTION_MARK = "▣"
SUMMARY = "5 articles · 4 sources · 0 skipped · loaded in 0.00 s"


async def loaded(pilot) -> None:
    """Wait for the articles, then check the things every screenshot relies on."""
    await wait_until_loaded(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    assert str(screen.query_one(StatusLine).content) == SUMMARY
    assert screen.opened is not None and screen.opened.title == NEWEST_TITLE
    # A focused search bar would blink; keep its cursor still in any case.
    search = screen.query_one(SearchBar)
    search.cursor_blink = False
    assert not search.has_focus


@pytest.mark.parametrize("size", SIZES)
def test_startup(snap_compare, size):
    """After loading: sources in the sidebar, the newest article (002) open, summary in the status line."""

    async def run_before(pilot) -> None:
        await loaded(pilot)
        assert pilot.app.screen.query_one(Sidebar).has_focus

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_article_with_captions(snap_compare, size):
    """Seed 000 opened from the sidebar (j, enter), scrolled so its first ▣ caption is in view."""

    async def run_before(pilot) -> None:
        await loaded(pilot)
        screen = pilot.app.screen
        await pilot.press("j", "enter")
        await pilot.pause()
        assert screen.opened is not None and screen.opened.title == CAPTIONED_TITLE
        view = screen.query_one(ArticleView)
        assert view.has_focus
        lines = [line.plain for line in view.layout.lines]
        first_caption = next(y for y, line in enumerate(lines) if line.startswith(CAPTION_MARK))
        # Two lines of the paragraph above it for context.
        view.scroll_to(y=first_caption - 3, animate=False, force=True)
        await pilot.pause()
        await pilot.pause()
        top = round(view.scroll_y)
        assert top <= first_caption < top + view.scrollable_content_region.height

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_grouped_by_date(snap_compare, size):
    """`s` regroups the sidebar by month and day; the open article stays under the cursor."""

    async def run_before(pilot) -> None:
        await loaded(pilot)
        await pilot.press("s")
        await pilot.pause()
        sidebar = pilot.app.screen.query_one(Sidebar)
        assert sidebar.current is not None
        assert sidebar.snapshot.titles[sidebar.current] == NEWEST_TITLE

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, size):
    """`?` shows every key over the main screen."""

    async def run_before(pilot) -> None:
        await loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_light_theme(snap_compare, size):
    """The start-up screen in reader-light."""

    async def run_before(pilot) -> None:
        await loaded(pilot)
        assert pilot.app.theme == "reader-light"

    assert snap_compare(make_app(theme="reader-light"), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_no_color(snap_compare, size, monkeypatch):
    """NO_COLOR: no colour at all, yet the sidebar cursor and the captions stay visible.

    Seed 000 is opened and scrolled to its first caption, so one screenshot shows both.
    """
    monkeypatch.setenv("NO_COLOR", "1")  # read (and removed) by App.__init__
    app = make_app()

    async def run_before(pilot) -> None:
        await loaded(pilot)
        screen = pilot.app.screen
        sidebar = screen.query_one(Sidebar)
        await pilot.press("j", "enter", "h")  # open seed 000, then back to the sidebar
        await pilot.pause()
        assert screen.opened is not None and screen.opened.title == CAPTIONED_TITLE
        view = screen.query_one(ArticleView)
        lines = [line.plain for line in view.layout.lines]
        first_caption = next(y for y, line in enumerate(lines) if line.startswith(CAPTION_MARK))
        view.scroll_to(y=first_caption - 3, animate=False, force=True)
        await pilot.pause()
        await pilot.pause()
        assert sidebar.has_focus

    assert snap_compare(app, terminal_size=size, run_before=run_before)
