"""The reader over the hostile folder: every article opens, Problems lists the rest, nothing is interpreted."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from textual.widgets import OptionList

import hostile
from conftest import live_articles, make_app, wait_until_loaded
from reader.ui.screens.problems import ProblemsScreen
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.sidebar import Sidebar
from reader.ui.widgets.status import StatusLine

_FORBIDDEN = ("\x1b", "\x07", "\x00", "\x08", "\u202e", "\x9b")


def _segments(widget, height: int) -> list[Segment]:
    found = []
    for y in range(height):
        found += list(widget.render_line(y))
    return found


def _assert_inert(segments: list[Segment]) -> None:
    for segment in segments:
        assert not any(bad in segment.text for bad in _FORBIDDEN), repr(segment.text)
        style = segment.style
        if style is not None and style.link:
            assert style.link.startswith(("http://", "https://", "mailto:")), style.link


@pytest.mark.asyncio
async def test_every_article_opens_and_nothing_is_interpreted(tmp_path):
    expect = hostile.build(tmp_path / "hostile")
    before = hostile.snapshot(tmp_path / "hostile")
    app = make_app([tmp_path / "hostile"], settings_path=tmp_path / "settings.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until_loaded(pilot)
        screen = app.screen
        sidebar = screen.query_one(Sidebar)
        view = screen.query_one(ArticleView)
        opened_markup = False
        for article in live_articles(screen):
            view.show(article)
            await pilot.pause()
            segments = _segments(view, view.size.height)
            _assert_inert(segments)
            shown = "".join(segment.text for segment in segments)
            if article.path.name == "attack-markup.md":
                assert hostile.MARKUP[:20] in shown  # the brackets are on screen as typed
                opened_markup = True
        assert opened_markup
        # Sidebar labels come from titles and sources, attackers' text included.
        _assert_inert(_segments(sidebar, sidebar.size.height))

        status = str(screen.query_one(StatusLine).render())
        skipped = sum(1 for outcome in expect.values() if outcome.kind == "problem")
        assert f"{skipped:,} skipped (p: why)" in status

        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        options = app.screen.query_one(OptionList)
        shown_anyway = sum(len(article.problems) for article in live_articles(screen))
        assert options.option_count == skipped + shown_anyway
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("photo.md" in prompt and "binary" in prompt for prompt in prompts)
        assert any("line\\nbreak.md" not in prompt for prompt in prompts)
        _assert_inert(_segments(options, options.size.height))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ProblemsScreen)

        # Search results show attackers' text literally too.
        await pilot.press("slash")
        screen.query_one("#search").value = "bold red"
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        results = screen.query("ResultsList")
        if results:
            _assert_inert(_segments(results.first(), results.first().size.height))
    assert hostile.snapshot(tmp_path / "hostile") == before
