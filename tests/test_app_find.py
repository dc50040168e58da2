"""f finds text in the open article: matches highlighted, n / N step through them, esc closes; Pilot at 80×24 over the seeds.

At the start the newest seed, 002, is open; it holds 北约 five times (in
simplified characters), and the tests look for it in traditional ones, 北約,
which the search's fold makes the same text.
"""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import make_app, wait_until_loaded
from reader.search.engine import article_matches
from reader.search.fold import fold
from reader.search.matching import match_spans
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.find_bar import FindBar, FindInput
from test_app_search import QUOTE, open_result, press, running, search_for, seed, status, visible
from test_colours import (  # noqa: F401 (fixtures)
    THEMES, check_matches, colour_system, no_color, occurrences as drawn_occurrences, region_rows, screen_cells,
    settle, sixteen_colours,
)

SUMMARY = "5 articles · 4 sources · 0 skipped · loaded in 0.00 s"


async def find(r, text: str) -> None:
    """f, then the text, as if typed (CJK goes in as the bar's value)."""
    await press(r, "f")
    assert r.app.focused is r.screen.query_one(FindInput)
    r.screen.query_one(FindInput).value = text
    await press(r)


def occurrences(article, text: str) -> list[tuple[int, tuple[int, int]]]:
    """(block, span) of every occurrence, as the search's own matching finds them."""
    return [(block, span) for block, spans in article_matches(article, text) for span in spans]


def current_line_is_shown(r) -> bool:
    block, _span = r.view.current
    return visible(r.view, r.view.layout.match_lines[block])


@pytest.mark.asyncio
async def test_f_finds_traditional_text_in_a_simplified_article_and_shows_the_first():
    async with running() as r:
        assert seed(r.view.article) == "002"
        await find(r, "北約")
        expected = occurrences(r.view.article, "北约")
        assert len(expected) == 5
        assert occurrences(r.view.article, "北約") == expected  # one fold: the same spans either way
        assert [(block, span) for block, (span,) in r.screen.matches] == expected
        assert r.view.current == expected[0] and current_line_is_shown(r)
        highlighted = {block: spans for block, spans in r.view.highlights.items()}
        assert sorted((block, span) for block, spans in highlighted.items() for span in spans) == expected
        assert status(r) == "match 1 of 5 · n / N next / previous · esc closes"
        assert r.screen.query_one(FindBar).display


@pytest.mark.asyncio
async def test_enter_goes_to_the_article_and_n_N_step_through_every_occurrence():
    async with running() as r:
        await find(r, "北約")
        expected = occurrences(r.view.article, "北约")
        await press(r, "enter")
        assert r.app.focused is r.view
        seen = [r.view.current]
        for _ in range(4):
            await press(r, "n")
            seen.append(r.view.current)
            assert current_line_is_shown(r)
        assert seen == expected  # each occurrence, not each paragraph
        assert status(r).startswith("match 5 of 5")
        await press(r, "n")
        assert r.view.current == expected[0] and "(wrapped)" in status(r)
        await press(r, "N")
        assert r.view.current == expected[4] and status(r).startswith("match 5 of 5 (wrapped)")
        await press(r, "N")
        assert r.view.current == expected[3] and status(r).startswith("match 4 of 5 ·")


@pytest.mark.asyncio
async def test_the_current_match_is_drawn_apart_from_the_others():
    async with running() as r:
        await find(r, "北約")
        await press(r, "enter", "n")
        block, (start, end) = r.view.current
        current = r.view.get_component_rich_style("article-view--current")
        match = r.view.get_component_rich_style("article-view--match")
        assert current.bgcolor != match.bgcolor
        drawn = [
            seg.style.bgcolor
            for y in range(r.view.size.height)
            for seg in r.view.render_line(y)
            if seg.style is not None and fold(seg.text) == "北约"
        ]
        assert drawn.count(current.bgcolor) == 1  # the one n is on
        assert match.bgcolor in drawn  # others in view stay plain matches


@pytest.mark.asyncio
async def test_escape_closes_the_find_from_the_bar_or_the_article():
    async with running() as r:
        for keys in ((), ("enter",)):
            await find(r, "北約")
            await press(r, *keys)
            await press(r, "escape")
            assert not r.screen.query_one(FindBar).display and not r.screen.finding
            assert r.view.highlights == {} and r.view.current is None
            assert status(r) == SUMMARY
            assert r.app.focused is r.view
        await press(r, "n")  # nothing to step through now
        assert r.screen.matches == []


@pytest.mark.asyncio
async def test_f_works_from_the_sidebar_and_reopens_empty():
    async with running() as r:
        assert r.app.focused is r.sidebar
        await find(r, "俄罗斯")
        assert len(r.screen.matches) > 1
        await press(r, "escape", "f")
        assert r.screen.query_one(FindInput).value == ""
        assert status(r) == "find in this article: type, then enter · esc closes"


@pytest.mark.asyncio
async def test_a_find_with_no_match_says_so():
    async with running() as r:
        await find(r, "量子计算机")
        assert r.screen.matches == [] and r.view.highlights == {}
        assert status(r) == "no match in this article · esc closes"
        await press(r, "enter")  # nothing to go to: stays in the bar
        assert r.app.focused is r.screen.query_one(FindInput)


@pytest.mark.asyncio
async def test_another_article_drops_the_find():
    async with running() as r:
        await find(r, "北約")
        await press(r, "enter", "right_square_bracket")
        assert seed(r.view.article) != "002"
        assert not r.screen.finding and r.view.highlights == {} and status(r) == SUMMARY


@pytest.mark.asyncio
async def test_a_find_in_an_article_opened_from_a_search_gives_the_hit_back_on_escape():
    async with running() as r:
        await search_for(r, "北约")
        await open_result(r, "000")
        hit_matches, hit_highlights = list(r.screen.matches), r.view.highlights
        assert len(hit_matches) == 15 and "match 1 of 15" in status(r)
        await find(r, "里亚布科夫")
        assert r.screen.has_class("reading")  # typing in the find bar keeps the results narrow
        found = occurrences(r.view.article, "里亚布科夫")
        assert [(block, span) for block, (span,) in r.screen.matches] == found
        await press(r, "enter", "n")
        assert r.view.current == found[1]
        await press(r, "escape")  # closes the find, not the article
        assert r.app.focused is r.view and r.screen.query_text == "北约"
        assert r.screen.matches == hit_matches and r.view.highlights == hit_highlights
        assert "match 1 of 15" in status(r)
        await press(r, "n")
        assert r.screen.search.match_index == 1
        await press(r, "escape")  # and then back to the results, as before
        assert r.app.focused is r.results


@pytest.mark.asyncio
async def test_a_quoted_find_is_exact_only():
    async with running() as r:
        await search_for(r, QUOTE)
        await press(r, "enter")
        article = r.view.article
        await find(r, "核战争打不应")  # one character wrong: forgiven, as the search forgives it
        fuzzy = match_spans(article.blocks[r.screen.matches[0][0]].text, fold("核战争打不应")) if r.screen.matches else []
        assert fuzzy
        r.screen.query_one(FindInput).value = '"核战争打不应"'
        await press(r)
        assert r.screen.matches == []


# ---------------------------------------------------------------- on 16 colours and under NO_COLOR


@pytest.mark.asyncio
@pytest.mark.parametrize("theme", THEMES)
async def test_on_16_colours_the_current_match_shows_apart_from_the_others(sixteen_colours, theme):
    await _current_match_shows(make_app(theme=theme), by_paper=True)


@pytest.mark.asyncio
async def test_under_no_color_the_current_match_shows_apart_from_the_others(no_color):
    await _current_match_shows(make_app(), by_paper=False)


async def _current_match_shows(app, *, by_paper: bool) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_loaded(pilot)
        screen = app.screen
        await pilot.press("f")
        screen.query_one(FindInput).value = "北約"
        await settle(pilot)
        await pilot.press("enter", "n")
        await settle(pilot)
        view = screen.query_one(ArticleView)
        rows = region_rows(screen_cells(app, colour_system(app)), view)
        found = drawn_occurrences(rows, "北约")
        assert len(found) >= 2  # the current one and another in view
        assert check_matches(rows, "北约", by_paper=True) == len(found)  # each stands out from the text beside it
        own = (lambda cells: {cell.paper for cell in cells}) if by_paper else (lambda cells: {cell.look for cell in cells})
        kinds = Counter(frozenset(own(cells)) for cells, _beside in found)
        assert len(kinds) == 2 and min(kinds.values()) == 1  # one occurrence, the current, unlike the others


@pytest.mark.asyncio
async def test_in_a_narrow_terminal_enter_shows_the_article_at_the_match():
    async with running(size=(50, 24)) as r:
        assert r.screen.has_class("narrow")
        await press(r, "h")  # the sidebar, in place of the article
        assert r.screen.has_class("show-sidebar") and not r.view.display
        await find(r, "北約")
        await press(r, "enter")
        assert not r.screen.has_class("show-sidebar") and r.view.display and r.app.focused is r.view
        assert current_line_is_shown(r)
