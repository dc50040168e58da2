"""The mouse works too: a click opens an article or toggles a group."""

from __future__ import annotations

import pytest

from conftest import make_app, wait_until_loaded
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.sidebar import Sidebar


@pytest.mark.asyncio
async def test_clicking_an_article_opens_it_and_clicking_a_group_toggles_it():
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_loaded(pilot)
        sidebar = app.screen.query_one(Sidebar)
        view = app.screen.query_one(ArticleView)
        # Rows: Aljazeera, voachinese.com, 未名新闻, 观察者网 (open), 002, 000.
        await pilot.click(Sidebar, offset=(10, 5))
        await pilot.pause()
        assert view.article is not None and view.article.path.name.startswith("000_")
        voa = sidebar.groups[1]
        assert voa.label == "voachinese.com" and not sidebar.is_open(voa)
        await pilot.click(Sidebar, offset=(4, 1))
        await pilot.pause()
        assert sidebar.is_open(voa)
        await pilot.click(Sidebar, offset=(4, 1))
        await pilot.pause()
        assert not sidebar.is_open(voa)
