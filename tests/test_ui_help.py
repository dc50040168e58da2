"""The help (?): every key in sight at 80×24, boxed when there is room, scrolled when there is none."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll

from conftest import make_app, wait_until_loaded
from reader.ui.keys import key_groups
from reader.ui.screens.help import HelpScreen, plan


@pytest.mark.parametrize("size, bare", [((80, 24), True), ((120, 40), False)])
@pytest.mark.asyncio
async def test_every_key_shows_without_scrolling(size, bare):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await wait_until_loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        scroller = app.screen.query_one(VerticalScroll)
        assert scroller.has_class("-bare") is bare
        assert scroller.max_scroll_y == 0 and scroller.max_scroll_x == 0
        lines = [app.screen._compositor.render_strips()[y].text for y in range(size[1])]
        drawn = "\n".join(lines)
        for _title, rows in key_groups(app):
            for _keys, description in rows:
                assert description in drawn, description  # on screen, not wrapped
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


def test_the_plan_keeps_every_section_once_and_scrolls_when_nothing_fits():
    groups = key_groups(make_app())
    for size in ((80, 24), (100, 30), (120, 40), (200, 60)):
        _bare, columns = plan(groups, *size)
        assert sorted(n for column in columns for n in column) == list(range(len(groups))), size
    assert plan(groups, 60, 20) == (False, [])
    assert plan(groups, 80, 24)[0] and not plan(groups, 120, 40)[0]


@pytest.mark.asyncio
async def test_a_small_terminal_scrolls_with_j_and_k():
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await wait_until_loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        scroller = app.screen.query_one(VerticalScroll)
        assert scroller.has_class("-scrolling") and scroller.max_scroll_y > 0
        await pilot.press("j", "j", "j")
        await pilot.pause()
        assert scroller.scroll_y == 3
        await pilot.press("k")
        await pilot.pause()
        assert scroller.scroll_y == 2
