"""Screenshots of the links list (L) and of the find bar (f), as test_snapshots.py takes them.

After a deliberate change of the look, regenerate with
``pytest tests/test_snapshots_links.py --snapshot-update`` and LOOK at the new SVGs.
"""

from __future__ import annotations

import pytest

from conftest import make_app, wait_until_loaded
from reader.ui.screens.links import LinksScreen
from reader.ui.widgets.find_bar import FindInput
from test_app_links import TASS, URL, WHITE_HOUSE, write_articles
from test_snapshots import SIZES, loaded


@pytest.fixture(autouse=True)
def _no_theme_env(monkeypatch):
    monkeypatch.delenv("READER_THEME", raising=False)


@pytest.mark.parametrize("size", SIZES)
def test_links_screen(snap_compare, size, tmp_path):
    """L over an article with its url, a link and a url written in its text; the second one highlighted."""
    folder = write_articles(tmp_path / "news")

    async def run_before(pilot) -> None:
        await wait_until_loaded(pilot)
        await pilot.press("L", "j")
        await pilot.pause()
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, LinksScreen)
        assert [link.url for link in screen.links] == [URL, TASS, WHITE_HOUSE]
        assert screen.options.highlighted == 1

    assert snap_compare(make_app([folder]), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_find_in_the_article(snap_compare, size):
    """f 北約 (traditional) in seed 002, enter, n: every 北约 marked, the second one as the current match."""

    async def run_before(pilot) -> None:
        await loaded(pilot)
        screen = pilot.app.screen
        await pilot.press("f")
        find = screen.query_one(FindInput)
        find.cursor_blink = False
        find.value = "北約"
        await pilot.pause()
        await pilot.press("enter", "n")
        await pilot.pause()
        await pilot.pause()
        assert screen.search.match_index == 1 and screen.finding

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
