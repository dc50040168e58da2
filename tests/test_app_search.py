"""Searching in the app, pressed through Textual's Pilot at 80×24 over the seeds.

`核战争打不赢` is in seed 000 only (its paragraph 17, in a quote); `北约`
is in every seed, fifteen times in paragraphs of 000; `拜登` is in the title
of 004. CJK text is put into the search bar by setting its value (Pilot
types keys, and there is no key for 核); Latin queries are typed key by key.

No test waits on a clock: workers are awaited, and where a test needs a
search or the loading to hold still, a threading.Event holds it (the waits on
it have a bound only so that a bug fails instead of hanging).
"""

from __future__ import annotations

import asyncio
import base64
import threading
import time
from contextlib import asynccontextmanager
from types import SimpleNamespace

import pytest
from rich.style import Style
from rich.text import Text

from conftest import make_app, many_articles, pace_loading, wait_until_loaded
from reader.search.engine import article_matches, search
from reader.ui import clipboard
from reader.ui.clipboard import citation, osc52, tmux_passthrough
from reader.ui.messages import SearchFinished
from reader.ui.screens.help import HelpScreen
from reader.ui.screens.main import MainScreen, SearchBar
from reader.ui.widgets.article_view import ArticleView
from reader.ui.widgets.results import READY, READY_HEADER, ResultsList, ResultsPane, header_text, passage_lines
from reader.ui.widgets.sidebar import Sidebar
from reader.ui.widgets.status import StatusLine

SIZE = (80, 24)
QUOTE = "核战争打不赢"
TITLE_000 = "美俄谈了7个半小时，_有用_但没啥进展"
BOUND = 30  # seconds: only ever reached when something is broken


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv("READER_THEME", raising=False)
    monkeypatch.delenv("TMUX", raising=False)


@asynccontextmanager
async def running(paths=None, *, size=SIZE, loaded=True, **options):
    app = make_app(paths, **options)
    async with app.run_test(size=size) as pilot:
        if loaded:
            await wait_until_loaded(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        yield SimpleNamespace(
            app=app,
            pilot=pilot,
            screen=screen,
            bar=screen.query_one(SearchBar),
            results=screen.query_one(ResultsList),
            pane=screen.query_one(ResultsPane),
            sidebar=screen.query_one(Sidebar),
            view=screen.query_one(ArticleView),
        )


async def settle(r) -> None:
    """Let the search workers finish and their results arrive."""
    await r.pilot.pause()
    await r.app.workers.wait_for_complete()
    await r.pilot.pause()
    await r.pilot.pause()


async def press(r, *keys: str) -> None:
    await r.pilot.press(*keys)
    await settle(r)


async def search_for(r, text: str) -> None:
    """/ then the query, as if typed (CJK goes in as the bar's value)."""
    await r.pilot.press("slash")
    r.bar.value = text
    await settle(r)


async def until_results(r) -> None:
    """Until the results list holds hits, while a search worker may still be running (no waiting for workers)."""
    for _ in range(200):
        await r.pilot.pause()
        if r.results.hits:
            return


def held_search(monkeypatch, held: str) -> threading.Event:
    """Searches for ``held`` wait until the event returned is set (at most BOUND); others run at once."""
    from reader.search import engine

    release = threading.Event()
    real_rank = engine.rank  # what the app's search worker calls

    def search(index, raw, *args, **kwargs):
        if raw == held:
            release.wait(BOUND)
        return real_rank(index, raw, *args, **kwargs)

    monkeypatch.setattr(engine, "rank", search)
    return release


def seed(article) -> str:
    return article.path.name[:3]


def header(r) -> str:
    return str(r.pane.query_one("#results-header").content)


def visible(view: ArticleView, line: int) -> bool:
    top = round(view.scroll_y)
    return top <= line < top + view.scrollable_content_region.height


def match_segments(view: ArticleView, line: int) -> list:
    """The segments of a drawn article line that carry the match style."""
    match = view.get_component_rich_style("article-view--match")
    strip = view.render_line(line - round(view.scroll_y))
    return [seg for seg in strip if seg.style and seg.style.bgcolor == match.bgcolor and seg.style.bold]


def status(r) -> str:
    return str(r.screen.query_one(StatusLine).content)


# ---------------------------------------------------------------- results as you type


@pytest.mark.asyncio
async def test_a_quote_lists_seed_000_first_with_title_and_passage():
    async with running() as r:
        assert not r.pane.display and r.sidebar.display  # no query: the idle screen
        await search_for(r, QUOTE)
        assert r.screen.has_class("searching") and r.pane.display and not r.sidebar.display
        hit = r.results.hits[0]
        assert seed(hit.article) == "000" and hit.exact
        assert header(r) == "1 article"
        row = r.results.row_text(0)
        assert TITLE_000 in row and "观察者网 · 2022-01-11" in row
        assert "核战争打不赢" in row.replace("\n", "")  # the passage, maybe across two lines
        assert r.app.focused is r.bar  # typing stays in the search bar


@pytest.mark.asyncio
async def test_latin_typed_key_by_key_updates_the_results_as_it_goes():
    async with running() as r:
        await r.pilot.press("slash", *"negotia")
        await settle(r)
        assert r.bar.value == "negotia"
        assert [seed(hit.article) for hit in r.results.hits] == ["000"]  # “谈判”（negotiation）
        await r.pilot.press(*"tionqqqqqq")
        await settle(r)
        assert r.results.hits == [] and header(r) == "no matches"


@pytest.mark.asyncio
async def test_result_rows_mark_the_matched_characters():
    async with running() as r:
        await search_for(r, QUOTE)
        match = r.results.get_component_rich_style("results-list--match")
        marked = ""
        for y in range(r.results.scrollable_content_region.height):
            for seg in r.results.render_line(y):
                if seg.style and seg.style.bgcolor == match.bgcolor:
                    marked += seg.text
        assert marked == QUOTE


# ---------------------------------------------------------------- enter opens at the match


@pytest.mark.asyncio
@pytest.mark.parametrize("keys", [("enter",), ("down", "enter"), ("tab", "enter")])
async def test_enter_opens_the_article_at_the_matching_paragraph_highlighted(keys):
    async with running() as r:
        await search_for(r, QUOTE)
        await press(r, *keys)
        await settle(r)
        article = r.view.article
        assert seed(article) == "000" and r.screen.opened is article and r.app.focused is r.view
        ((block, spans),) = article_matches(article, QUOTE)
        assert r.results.hits[0].block == block
        layout = r.view.layout
        assert visible(r.view, layout.block_starts[block])
        match_line = layout.match_lines[block]
        assert visible(r.view, match_line)
        marked = "".join(seg.text for seg in match_segments(r.view, match_line))
        following = "".join(seg.text for seg in match_segments(r.view, match_line + 1))
        assert marked + following == QUOTE  # the match may wrap onto the next line
        assert r.view.highlights == {block: tuple(spans)}
        assert "match 1 of 1" in status(r)


@pytest.mark.asyncio
async def test_a_title_hit_opens_at_the_top_with_the_title_marked():
    async with running() as r:
        await search_for(r, "拜登")
        hit = r.results.hits[0]
        assert seed(hit.article) == "004" and hit.block < 0
        await press(r, "enter")
        assert seed(r.view.article) == "004" and r.view.scroll_y == 0
        assert match_segments(r.view, 0)  # in the header's title line
        assert "12 matches in this article" in status(r)


# ---------------------------------------------------------------- n / N


async def open_result(r, wanted: str) -> None:
    """Move the results cursor to the seed ``wanted`` and open it."""
    await press(r, "down")  # from the search bar into the list
    assert r.app.focused is r.results
    for _ in range(len(r.results.hits)):
        if seed(r.results.current.article) == wanted:
            break
        await press(r, "j")
    await press(r, "enter")
    assert seed(r.view.article) == wanted


@pytest.mark.asyncio
async def test_n_and_shift_n_step_through_the_matches_of_the_article_and_wrap():
    async with running() as r:
        await search_for(r, "北约")
        await open_result(r, "000")
        matches = r.screen.matches
        assert len(matches) == 15 and r.screen.search.match_index == 0  # the hit is 000's first match
        seen = [(r.screen.search.match_index, r.view.scroll_y)]
        for _ in range(3):
            await press(r, "n")
            seen.append((r.screen.search.match_index, r.view.scroll_y))
            block = matches[r.screen.search.match_index][0]
            assert visible(r.view, r.view.layout.match_lines[block])
        assert [index for index, _ in seen] == [0, 1, 2, 3]
        assert len({top for _, top in seen}) > 1  # the article scrolled
        assert "match 4 of 15" in status(r)
        await press(r, "N")
        assert r.screen.search.match_index == 2
        await press(r, "N", "N", "N")  # past the first: wraps to the last
        assert r.screen.search.match_index == 14
        assert visible(r.view, r.view.layout.match_lines[matches[14][0]])
        assert "(wrapped)" in status(r)
        await press(r, "n")
        assert r.screen.search.match_index == 0


# ---------------------------------------------------------------- esc, esc


@pytest.mark.asyncio
async def test_escape_goes_back_to_the_results_then_clears_the_search():
    async with running() as r:
        await search_for(r, QUOTE)
        await press(r, "enter")
        assert r.app.focused is r.view and r.screen.has_class("reading")
        await press(r, "escape")
        assert r.app.focused is r.results and r.bar.value == QUOTE and r.pane.display
        assert seed(r.results.current.article) == "000" and not r.screen.has_class("reading")
        await press(r, "escape")
        assert r.bar.value == "" and not r.screen.has_class("searching")
        assert not r.pane.display and r.sidebar.display and r.app.focused is r.sidebar
        assert r.sidebar.current_path == str(r.view.article.path)  # the opened article, under the cursor
        assert r.view.highlights == {} and seed(r.view.article) == "000"
        assert status(r) == "5 articles · 4 sources · 0 skipped · loaded in 0.00 s"


@pytest.mark.asyncio
async def test_deleting_the_query_leaves_the_pane_ready_and_esc_brings_the_sidebar_back():
    async with running() as r:
        await search_for(r, "北约")
        r.bar.value = ""
        await settle(r)
        # The bar still has the focus: the next query is typed into a pane laid out already.
        assert r.pane.display and not r.sidebar.display and r.app.focused is r.bar
        assert header(r) == READY_HEADER and r.results.hits == [] and r.screen.query_text == ""
        assert not r.screen.has_class("reading") and r.view.highlights == {}
        await press(r, "escape")
        assert not r.pane.display and r.sidebar.display and r.app.focused is r.sidebar
        assert r.sidebar.current_path == str(r.view.article.path)  # the last previewed, under the cursor


@pytest.mark.asyncio
async def test_a_warm_start_has_the_folding_and_word_edge_tables_ready_before_the_first_key():
    # Nothing folds text on a start from the cache; the first key must not load (or build) the tables,
    # nor the first Latin or digit query build those of word edges.
    from reader.search.fold import fold_table
    from reader.search.matching import _bmp_tables

    async with running():
        pass  # the first start fills the cache
    fold_table.cache_clear()
    _bmp_tables.cache_clear()
    async with running() as r:
        assert r.screen.snapshot.live_count == 5
        assert fold_table.cache_info().currsize == 1
        assert _bmp_tables.cache_info().currsize == 1


@pytest.mark.asyncio
async def test_slash_shows_the_results_pane_before_any_key_and_esc_takes_it_away():
    async with running() as r:
        assert not r.pane.display and r.sidebar.display
        await press(r, "slash")
        assert r.app.focused is r.bar and r.screen.has_class("searching")
        assert r.pane.display and not r.sidebar.display and header(r) == READY_HEADER
        assert READY[0] in [line.text.plain for line in r.results._lines]  # what to type
        await press(r, "escape")
        assert not r.pane.display and r.sidebar.display and r.app.focused is r.sidebar
        await press(r, "l")  # the article, then / and esc: back to the article
        assert r.app.focused is r.view
        await press(r, "slash", "escape")
        assert r.app.focused is r.view and r.sidebar.display and not r.pane.display


@pytest.mark.asyncio
async def test_leaving_an_empty_bar_any_way_brings_the_sidebar_back():
    async with running() as r:
        await press(r, "slash", "tab")  # tab: the results it would reach are not there
        assert r.app.focused is r.sidebar and r.sidebar.display and not r.pane.display
        await press(r, "slash")
        await r.pilot.click(ArticleView)
        await settle(r)
        assert r.app.focused is r.view and r.sidebar.display and not r.pane.display


@pytest.mark.asyncio
async def test_slash_on_a_narrow_screen_gives_the_pane_the_screen_and_esc_gives_it_back():
    async with running(size=(50, 20)) as r:
        await press(r, "enter")  # the article has the screen
        assert r.view.display and not r.sidebar.display and r.app.focused is r.view
        await press(r, "slash")
        assert r.pane.display and not r.view.display
        await press(r, "escape")
        assert r.view.display and not r.pane.display and not r.sidebar.display and r.app.focused is r.view


@pytest.mark.asyncio
async def test_h_from_the_article_goes_back_to_the_results_and_bracket_steps_through_them():
    async with running() as r:
        await search_for(r, "北约")
        await press(r, "enter")
        first = r.view.article
        await press(r, "right_square_bracket")
        assert r.view.article.path == r.results.hits[1].article.path and r.results.cursor == 1
        await press(r, "h")
        assert r.app.focused is r.results and r.pane.display and not r.sidebar.display
        await press(r, "left_square_bracket")
        assert r.view.article == first


# ---------------------------------------------------------------- y


@pytest.mark.asyncio
async def test_y_copies_the_passage_with_its_citation():
    async with running() as r:
        await search_for(r, QUOTE)
        await press(r, "enter", "y")
        copied = r.app.clipboard
        passage, cited = copied.split("\n")
        assert QUOTE in passage and passage == r.results.hits[0].passage
        assert cited == f"— {TITLE_000}, 观察者网, 2022-01-11 10:55"  # seed 000 has no url; local time (UTC here)
        notices = [notification.message for notification in r.app._notifications]
        assert any(message.startswith("Copied with its citation") for message in notices)


@pytest.mark.asyncio
async def test_y_in_the_results_copies_the_result_under_the_cursor():
    async with running() as r:
        await search_for(r, "北约")
        await press(r, "down", "j", "y")
        hit = r.results.current
        assert r.app.clipboard == citation(hit.passage, hit.article)


def test_osc52_and_the_tmux_passthrough_are_exact():
    text = "核战争 ok"
    encoded = base64.b64encode(text.encode()).decode()
    assert encoded == "5qC45oiY5LqJIG9r"
    assert osc52(text) == "\x1b]52;c;5qC45oiY5LqJIG9r\x07"
    assert tmux_passthrough(osc52(text)) == "\x1bPtmux;\x1b\x1b]52;c;5qC45oiY5LqJIG9r\x07\x1b\\"
    assert tmux_passthrough(osc52(text)).encode() == b"\x1bPtmux;\x1b\x1b]52;c;5qC45oiY5LqJIG9r\x07\x1b\\"


def test_copy_writes_the_passthrough_only_inside_tmux_in_a_real_terminal(monkeypatch):
    written: list[str] = []
    copied: list[str] = []
    app = SimpleNamespace(
        copy_to_clipboard=copied.append, _driver=SimpleNamespace(write=written.append), is_headless=False
    )
    clipboard.copy(app, "x")
    assert copied == ["x"] and written == []
    monkeypatch.setenv("TMUX", "/tmp/tmux-1000/default,1,0")
    clipboard.copy(app, "x")
    assert written == [tmux_passthrough(osc52("x"))]
    app.is_headless = True  # run_test: nothing is written
    clipboard.copy(app, "x")
    assert len(written) == 1


def test_citation_leaves_out_empty_parts(seed_articles):
    article = seed_articles["001"]
    text = citation("一句话。", article)
    assert text.startswith("一句话。\n— ") and article.url in text and ", ," not in text


# ---------------------------------------------------------------- a newer query wins


@pytest.mark.asyncio
async def test_a_newer_query_supersedes_an_older_search_still_running(monkeypatch):
    release = held_search(monkeypatch, "北约")  # the older search finishes last
    async with running() as r:
        await r.pilot.press("slash")
        r.bar.value = "北约"
        await r.pilot.pause()
        r.bar.value = QUOTE
        await until_results(r)
        assert [seed(hit.article) for hit in r.results.hits] == ["000"]
        release.set()
        await settle(r)
        assert [seed(hit.article) for hit in r.results.hits] == ["000"] and header(r) == "1 article"


@pytest.mark.asyncio
async def test_results_under_an_old_number_are_dropped():
    async with running() as r:
        await search_for(r, QUOTE)
        stale = search(r.screen.snapshot, "北约")
        r.screen.post_message(SearchFinished(0, "北约", stale))
        await settle(r)
        assert len(r.results.hits) == 1 and seed(r.results.hits[0].article) == "000"
        assert r.screen.snapshot.live_count == 5


# ---------------------------------------------------------------- while loading


@pytest.mark.asyncio
async def test_a_search_while_loading_covers_what_is_loaded_and_says_so(monkeypatch):
    release = threading.Event()
    pace_loading(monkeypatch, hold_before=4, release=release)
    async with running(loaded=False) as r:
        for _ in range(200):
            await r.pilot.pause()
            if r.screen.snapshot.live_count == 4:
                break
        assert r.screen.snapshot.live_count == 4 and r.sidebar.article_count == 4
        await r.pilot.press("slash")
        r.bar.value = "北约"
        await until_results(r)
        assert len(r.results.hits) == 4
        assert header(r) == "4 articles — searched 4 of 5 so far, still loading"
        release.set()
        await wait_until_loaded(r.pilot)
        await settle(r)
        assert len(r.results.hits) == 5 and header(r) == "5 articles"


def test_header_text():
    assert header_text(1, False, 5, False, 5) == "1 article"
    assert header_text(50, True, 9000, False, 9000) == "50+ articles"
    assert header_text(0, False, 5, False, 5) == "no matches"
    assert header_text(3, False, 3000, True, 10000) == "3 articles — searched 3,000 of 10,000 so far, still loading"
    assert header_text(0, False, 0, True, 0) == "nothing read yet — still loading"  # not "no matches"


@pytest.mark.asyncio
async def test_a_search_before_anything_is_read_says_so_not_no_matches(monkeypatch):
    release = threading.Event()
    pace_loading(monkeypatch, hold_before=0, release=release)
    async with running(loaded=False) as r:
        await r.pilot.press("slash")
        r.bar.value = "北约"
        for _ in range(200):
            await r.pilot.pause()
            if header(r) not in ("search", "searching…"):
                break
        assert header(r) == "nothing read yet — still loading"
        assert "No article matches." not in [line.text.plain for line in r.results._lines]
        release.set()
        await wait_until_loaded(r.pilot)
        await settle(r)
        assert len(r.results.hits) == 5 and header(r) == "5 articles"


# ---------------------------------------------------------------- nothing found


@pytest.mark.asyncio
async def test_a_query_matching_nothing_says_so_and_keys_stay_harmless():
    async with running() as r:
        await search_for(r, "zzzzqqq")
        assert r.results.hits == [] and header(r) == "no matches"
        assert "No article matches." in [line.text.plain for line in r.results._lines]
        before = r.view.article
        await press(r, "enter", "down", "enter", "j", "y", "n", "N")
        assert r.view.article == before and r.app.clipboard == "" and r.app.is_running
        await press(r, "escape")
        assert r.bar.value == "" and r.sidebar.display


# ---------------------------------------------------------------- looks


@pytest.mark.asyncio
async def test_no_color_still_shows_the_match_in_reverse(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")  # read (and removed) by App.__init__
    async with running() as r:
        assert r.app.no_color
        await search_for(r, QUOTE)
        reversed_in_list = [seg.text for y in range(10) for seg in r.results.render_line(y) if seg.style and seg.style.reverse]
        assert "".join(reversed_in_list).startswith("核")
        await press(r, "enter")
        ((block, _spans),) = article_matches(r.view.article, QUOTE)
        line = r.view.layout.match_lines[block]
        text = "".join(
            seg.text for y in (line, line + 1) for seg in r.view.render_line(y - round(r.view.scroll_y))
            if seg.style and seg.style.reverse
        )
        assert text == QUOTE


@pytest.mark.asyncio
@pytest.mark.parametrize("theme", ["reader-dark", "reader-light", "reader-high-contrast", "reader-sepia"])
async def test_the_match_stands_out_in_every_theme(theme):
    async with running(theme=theme) as r:
        await search_for(r, QUOTE)
        await press(r, "enter")
        match = r.view.get_component_rich_style("article-view--match")
        base = r.view.rich_style
        assert match.bgcolor is not None and match.bgcolor != base.bgcolor and match.bold
        assert match.color != match.bgcolor


@pytest.mark.asyncio
async def test_results_take_the_sidebars_place_wide_while_choosing_narrow_while_reading():
    async with running() as r:
        sidebar_width = r.sidebar.region.width
        await search_for(r, QUOTE)
        choosing = r.pane.region.width
        await press(r, "enter")
        reading = r.pane.region.width
        assert choosing > reading == sidebar_width
        assert r.view.region.width > 40  # the article gets its usual room back


@pytest.mark.asyncio
async def test_narrow_results_and_article_take_turns():
    async with running(size=(50, 20)) as r:
        await search_for(r, QUOTE)
        assert r.pane.display and not r.view.display and not r.sidebar.display
        await press(r, "enter")
        assert r.view.display and not r.pane.display and seed(r.view.article) == "000"
        await press(r, "escape")
        assert r.pane.display and not r.view.display and r.app.focused is r.results
        await press(r, "escape")
        assert r.sidebar.display and r.app.focused is r.sidebar


@pytest.mark.asyncio
async def test_help_at_80x24_fits_the_screen_without_scrolling():
    # Two columns on the bare screen (screens/help.py): every key in sight, j has nothing to scroll.
    async with running() as r:
        await press(r, "question_mark")
        assert isinstance(r.app.screen, HelpScreen)
        from textual.containers import VerticalScroll

        scroller = r.app.screen.query_one(VerticalScroll)
        assert scroller.region.height <= SIZE[1]
        await press(r, "j")
        assert scroller.max_scroll_y == 0 and scroller.scroll_y == 0


def test_passage_lines_keep_the_first_match_in_view():
    passage = "这份声明强调，美国与俄罗斯之间的谈判是在有关战略稳定的双边对话框架内进行的，此后还会在北约理事会、俄罗斯和欧安组织"
    start = passage.index("北约")
    match = Style(reverse=True)
    for width in (10, 24, 46, 80):
        lines = passage_lines(passage, [(start, start + 2)], width, match)
        assert 1 <= len(lines) <= 2 and all(line.cell_len <= width for line in lines)
        marked = "".join(line.plain[span.start:span.end] for line in lines for span in line.spans if span.style == match)
        assert marked == "北约", width


@pytest.mark.parametrize(("start", "width"), [(0, 20), (0, 30), (0, 54), (0, 80), (1, 20), (1, 54), (3, 20), (3, 54), (6, 54)])
def test_a_long_match_near_the_start_is_never_cut_nor_given_an_ellipsis(start, width):
    passage = "根据舍曼的说法，会谈中美俄双方一致认为，核战争打不赢也打不得。她表示，美方愿与俄方讨论涉及导弹部署和限制军演方面的问题。"
    match = Style(reverse=True)
    lines = passage_lines(passage, [(start, start + 50)], width, match)
    shown = "".join(line.plain for line in lines)
    assert not shown.startswith("…")  # the passage is shown from its first character
    assert shown.startswith(passage[:5])
    assert all(line.cell_len <= width for line in lines)


def test_a_long_match_further_in_is_brought_up_with_an_ellipsis():
    passage = "这份声明强调，" * 8 + "美国与俄罗斯之间的谈判是在有关战略稳定的双边对话框架内进行的，此后还会在北约理事会进行"
    start = passage.index("美国")
    lines = passage_lines(passage, [(start, start + 30)], 30, Style(reverse=True))
    assert lines[0].plain.startswith("…") and "美国" in lines[0].plain


@pytest.mark.asyncio
async def test_the_command_palette_offers_clear_and_copy_while_searching():
    async with running() as r:
        titles = {command.title for command in r.app.get_system_commands(r.screen)}
        assert "Clear the search" not in titles
        await search_for(r, QUOTE)
        commands = {command.title: command for command in r.app.get_system_commands(r.screen)}
        commands["Copy passage with citation"].callback()
        assert QUOTE in r.app.clipboard
        commands["Clear the search"].callback()
        await settle(r)
        assert r.bar.value == "" and r.sidebar.display and r.app.focused is r.sidebar


@pytest.mark.asyncio
async def test_moving_in_the_results_and_the_cursor_colours_follow_the_focus():
    async with running() as r:
        await search_for(r, "北约")
        assert len(r.results.hits) == 5

        def cursor_background():
            return list(r.results.render_line(0))[0].style.bgcolor

        blurred = cursor_background()
        await press(r, "down")
        assert r.app.focused is r.results and r.results.cursor == 0 and cursor_background() != blurred
        await press(r, "j", "j")
        assert r.results.cursor == 2
        await press(r, "G")
        assert r.results.cursor == 4 and r.results.scroll_y > 0
        await press(r, "pageup")
        assert r.results.cursor < 4
        await press(r, "g", "k")
        assert r.results.cursor == 0 and r.results.scroll_y == 0
        await press(r, "pagedown")
        assert r.results.cursor > 0


# ---------------------------------------------------------------- preview, more results, totals, problems


async def rest(r) -> None:
    """Past the preview delay (a real timer: the cursor must rest before a preview)."""
    import asyncio

    from reader.ui.screens.searching import PREVIEW_DELAY

    await asyncio.sleep(PREVIEW_DELAY * 3)
    await settle(r)


@pytest.mark.asyncio
async def test_the_article_pane_previews_the_result_under_the_cursor():
    async with running() as r:
        await search_for(r, "北约")
        await press(r, "down")
        assert r.app.focused is r.results
        await rest(r)
        first = r.results.hits[0]
        assert r.view.article is not None and r.view.article.path == first.article.path
        await press(r, "j")
        await rest(r)
        second = r.results.hits[1]
        assert second.article.path != first.article.path
        assert r.view.article.path == second.article.path  # previewed
        assert r.app.focused is r.results  # the focus stays in the list
        assert not r.screen.has_class("reading")  # still choosing: the list stays wide
        await press(r, "enter")
        assert r.app.focused is r.view and r.view.article.path == second.article.path


@pytest.mark.asyncio
async def test_a_longer_query_previews_its_own_matches_in_the_same_article():
    """北 rests (previewed, 北 marked), then 北约: the same article stays first, its preview now marks 北约."""
    async with running() as r:
        await search_for(r, "北")
        await rest(r)
        first = r.results.current
        assert r.view.article is not None and r.view.article.path == first.article.path
        assert r.screen.search.hit is first
        r.bar.value = "北约"
        await settle(r)
        await rest(r)
        now = r.results.current
        assert now.article.path == first.article.path and now.spans != first.spans  # same article, longer match
        assert r.screen.search.hit is now
        block = r.view.article.blocks[now.block].text
        marked = {block[start:end] for start, end in r.view.highlights[now.block]}
        assert marked == {"北约"}


@pytest.mark.asyncio
async def test_no_preview_of_results_a_newer_search_is_replacing(monkeypatch):
    """While the next keystroke's search runs, the old results' preview would only compete with it."""
    import asyncio

    from reader.ui.screens import searching

    release = held_search(monkeypatch, QUOTE)
    monkeypatch.setattr(searching, "PREVIEW_DELAY", 1.0)  # time enough for the next keystroke before it is due
    async with running() as r:
        opened = []
        real_open = r.screen.search.open_hit
        monkeypatch.setattr(r.screen.search, "open_hit", lambda hit, **kw: opened.append(hit) or real_open(hit, **kw))
        await r.pilot.press("slash")
        r.bar.value = "北约"
        await until_results(r)
        assert r.results.hits
        r.bar.value = QUOTE  # the next keystroke: its search is held
        await r.pilot.pause()
        opened.clear()  # (on a very slow machine the old results may have been previewed already: rightly)
        await asyncio.sleep(searching.PREVIEW_DELAY * 1.5)
        await r.pilot.pause()
        assert opened == []  # the old results were not previewed while the newer search ran
        release.set()
        await settle(r)
        await asyncio.sleep(searching.PREVIEW_DELAY * 1.5)
        await settle(r)
        assert [seed(hit.article) for hit in opened] == ["000"]  # the new results are


@pytest.mark.asyncio
async def test_scrolling_past_the_last_result_loads_more(tmp_path):
    folder = many_articles(tmp_path, 130)
    async with running([folder]) as r:
        await search_for(r, "共同的一句话")
        assert len(r.results.hits) == 50 and header(r).startswith("50+ articles")
        await press(r, "down", "G")
        assert len(r.results.hits) == 100
        assert r.results.cursor == 49  # the cursor stays where it was, the new ones below it
        await press(r, "G")
        assert len(r.results.hits) == 130 and header(r) == "130 articles"
        await press(r, "G")  # nothing more to load: stays
        assert len(r.results.hits) == 130 and r.results.cursor == 129


def held_rest(monkeypatch) -> tuple[threading.Event, list]:
    """The first search's hits after its first screenful are dressed only once the event returned is set
    (at most BOUND); the list returned counts the searches that went on to dress them."""
    from reader.search import engine

    release, calls = threading.Event(), []
    real_completed = engine.Ranking.completed

    def completed(self, results, stop=lambda: False):
        calls.append(len(results.hits))
        if len(calls) == 1:
            release.wait(BOUND)
        return real_completed(self, results, stop)

    monkeypatch.setattr(engine.Ranking, "completed", completed)
    return release, calls


async def first_hits_shown(r, text: str, calls: list) -> None:
    """/ and ``text``, until its first hits are shown and the dressing of the rest has begun (held_rest)."""
    await r.pilot.press("slash")
    r.bar.value = text
    for _ in range(200):
        await r.pilot.pause()
        if r.results.hits and calls:
            return
    raise AssertionError("the first hits never came, or their rest was never asked for")


@pytest.mark.asyncio
async def test_a_screenful_of_results_comes_first_then_the_rest(tmp_path, monkeypatch):
    """The hits the screen shows are dressed and shown before the others (6-12 ms for 50 at 100,000
    articles); the header counts them all at once, and the cursor keeps its place when the rest come."""
    from reader.ui.screens import searching

    release, calls = held_rest(monkeypatch)
    async with running([many_articles(tmp_path, 130)]) as r:
        await first_hits_shown(r, "共同的一句话", calls)
        first = len(r.results.hits)
        assert first == SIZE[1] // 3 + 2 and calls == [first]  # what 24 lines can show, and the rest held
        assert header(r).startswith("50+ articles")
        assert r.results.row_text(0).startswith(search(r.screen.snapshot, "共同的一句话").hits[0].article.title)
        await r.pilot.press("down", "G")
        await r.pilot.pause()
        assert r.results.cursor == first - 1
        assert r.screen.search._limit == searching.PAGE  # the last hit so far is not the last: no more asked for
        release.set()
        await settle(r)
        assert len(r.results.hits) == 50 and r.results.cursor == first - 1 and header(r).startswith("50+ articles")
        assert r.results.hits == search(r.screen.snapshot, "共同的一句话").hits  # the hits of one whole search
        await press(r, "G")  # now the last: the next page
        assert len(r.results.hits) == 100 and r.results.cursor == 49


@pytest.mark.asyncio
async def test_a_kept_cursor_past_the_first_screenful_waits_for_the_rest(tmp_path, monkeypatch):
    """The same query again (a new snapshot) with the reader's cursor on hit 30: the first hits alone
    would not hold its article, so the list stays as it is until all are in, and the cursor with it."""
    folder = many_articles(tmp_path, 130)
    async with running([folder]) as r:
        await search_for(r, "共同的一句话")
        await press(r, "down")
        r.results.move_to(30)
        await settle(r)
        kept = r.results.current.article.path
        shown = []
        real_show = ResultsList.show
        monkeypatch.setattr(ResultsList, "show", lambda self, hits, **kw: shown.append(len(hits)) or real_show(self, hits, **kw))
        r.screen.search.start()  # as a new snapshot does
        await settle(r)
        assert shown == [50]  # never the first screenful without the cursor's article
        assert r.results.cursor == 30 and r.results.current.article.path == kept and r.results.taken


@pytest.mark.asyncio
async def test_the_rest_of_a_replaced_search_is_not_shown(tmp_path, monkeypatch):
    release, calls = held_rest(monkeypatch)
    async with running([many_articles(tmp_path, 130)]) as r:
        await first_hits_shown(r, "共同的一句话", calls)
        r.bar.value = "编号12。"  # the next keystroke, while the first search's rest is held
        for _ in range(200):
            await r.pilot.pause()
            if r.screen.search.shown_number == r.screen.search.search_number:
                break
        newer = [hit.article.path for hit in r.results.hits]
        assert newer and all("编号12" in hit.passage for hit in r.results.hits[:1])
        release.set()
        await settle(r)
        assert [hit.article.path for hit in r.results.hits] == newer  # the older search's rest never came
        assert len(calls) == 1 + (len(newer) > SIZE[1] // 3 + 2)


@pytest.mark.asyncio
async def test_the_result_the_cursor_reached_is_previewed_once_more_are_loaded(tmp_path):
    """The search for more replaced the hit the cursor had just reached, whose preview was due: it still comes."""
    import asyncio

    from reader.ui.screens import searching

    folder = many_articles(tmp_path, 130)
    async with running([folder]) as r:
        await search_for(r, "共同的一句话")
        await press(r, "down")
        await asyncio.sleep(searching.PREVIEW_DELAY * 2)
        await settle(r)
        first = r.view.article.path
        await press(r, "G")  # the last of 50: more are searched for at once
        assert len(r.results.hits) == 100 and r.results.cursor == 49
        await asyncio.sleep(searching.PREVIEW_DELAY * 2)
        await settle(r)
        assert r.view.article.path == r.results.current.article.path != first


@pytest.mark.asyncio
async def test_a_one_character_query_says_how_many_match(tmp_path):
    folder = many_articles(tmp_path, 70)
    async with running([folder]) as r:
        await search_for(r, "共")
        assert header(r) == "50 of 70 articles, newest first"


@pytest.mark.asyncio
async def test_an_unknown_filter_is_named_in_the_header():
    async with running() as r:
        await search_for(r, "北约 in:body")
        assert "unknown filter in:body" in header(r)
        assert r.results.hits  # the rest of the query still searches


async def typed(r, query: str) -> None:
    """The query typed into the search bar, and the app's turn taken (its search started)."""
    await r.pilot.press("slash")
    r.bar.value = query
    await r.pilot.pause()


@pytest.mark.asyncio
async def test_the_first_key_finds_the_pane_laid_out_and_never_draws_searching_for_a_quick_search(monkeypatch):
    # The pane is made ready at /, before the key: the key's results are all the screen waits for.
    from reader.search import engine
    from reader.ui.widgets.results import ResultsPane

    events: list[str] = []
    real_ready, real_clear, real_rank = ResultsPane.ready, ResultsPane.clear, engine.rank
    monkeypatch.setattr(ResultsPane, "ready", lambda self: events.append("ready") or real_ready(self))
    monkeypatch.setattr(ResultsPane, "clear", lambda self: events.append("searching…") or real_clear(self))
    monkeypatch.setattr(engine, "rank", lambda *args, **kwargs: events.append("searched") or real_rank(*args, **kwargs))
    async with running() as r:
        await r.pilot.press("slash")
        assert events == ["ready"] and r.screen.has_class("searching")
        r.bar.value = QUOTE
        await until_results(r)
        assert header(r) == "1 article"
        assert events == ["ready", "searched"]


@pytest.mark.asyncio
async def test_a_slow_search_shows_searching_after_a_moment_then_its_results(monkeypatch):
    from reader.ui.screens.searching import SLOW_DELAY

    release = held_search(monkeypatch, "北约")
    async with running() as r:
        await typed(r, "北约")
        assert r.screen.has_class("searching") and header(r) == READY_HEADER
        await asyncio.sleep(SLOW_DELAY * 2)
        await r.pilot.pause()
        assert header(r) == "searching…"
        release.set()
        await until_results(r)
        assert r.results.hits and header(r) != "searching…"


@pytest.mark.asyncio
async def test_a_query_cleared_before_its_results_shows_none_of_them(monkeypatch):
    from reader.ui.screens.searching import SLOW_DELAY

    release = held_search(monkeypatch, "北约")
    async with running() as r:
        await typed(r, "北约")
        r.bar.value = ""
        await r.pilot.pause()
        release.set()
        await asyncio.sleep(SLOW_DELAY * 2)
        await settle(r)
        assert r.screen.query_text == "" and r.results.hits == [] and header(r) == READY_HEADER
        await press(r, "escape")
        assert not r.screen.has_class("searching") and r.screen.query_one(Sidebar).display


@pytest.mark.asyncio
async def test_down_from_the_bar_goes_to_the_results_even_before_they_are_in(monkeypatch):
    release = held_search(monkeypatch, "北约")
    async with running() as r:
        await typed(r, "北约")
        await r.pilot.press("down")
        await r.pilot.pause()
        assert r.screen.has_class("searching") and r.results.has_focus
        release.set()
        await until_results(r)
        assert r.results.hits and r.results.has_focus


@pytest.mark.asyncio
async def test_the_same_header_again_is_not_set_again():
    # Setting a Static lays the screen out anew: most keys of a query keep "50+ articles".
    from reader.search.engine import search

    async with running() as r:
        await search_for(r, QUOTE)
        shown = r.pane.query_one("#results-header")
        updates: list[str] = []
        layouts: list[bool] = []  # whether each update laid the screen out: only when the header's height may change
        real_update = shown.update
        shown.update = lambda content, **kwargs: updates.append(str(content)) or layouts.append(kwargs["layout"]) or real_update(content, **kwargs)
        results = search(r.screen.snapshot, QUOTE)
        r.pane.show(results, loading=False, total=5)
        assert updates == [] and header(r) == "1 article"
        r.pane.show(results, loading=True, total=9)
        assert updates == ["1 article — searched 5 of 9 so far, still loading"] == [header(r)]
        r.pane.show(results, loading=False, total=5, problem="unknown filter foo:")
        assert len(updates) == 2 and header(r) == "1 article\nunknown filter foo:"
        r.pane.show(results, loading=False, total=5, problem="unknown filter bar:")
        # wider than the pane (it may wrap), then two lines, then two lines again: only the last keeps its height for sure
        assert len(updates) == 3 and layouts == [True, True, False]


@pytest.mark.asyncio
async def test_result_rows_are_laid_out_for_the_view_first_and_the_rest_after_the_paint(tmp_path, monkeypatch):
    """50 results in a 24-line screen: the rows in view (and the cursor's) before the first paint, every row right
    after it; the lines and the list's height are those of laying out every row at once."""
    scheduled: list = []  # the rest's timer: run by hand below, no test waits on a clock
    monkeypatch.setattr(ResultsList, "set_timer", lambda self, delay, callback, **kwargs: scheduled.append((delay, callback)))
    folder = many_articles(tmp_path, 60)
    laid: list[int] = []
    real = ResultsList._lay_out_rows
    monkeypatch.setattr(ResultsList, "_lay_out_rows", lambda self, rows, lines=0: real(self, rows, lines) or laid.append(len(self._row_starts)))
    async with running([folder]) as r:
        await search_for(r, "共同的一句话")
        results = r.results
        assert len(results.hits) == 50
        first = next(count for count in laid if count)
        assert 1 <= first < 10 and len(results._row_starts) < 10  # a screenful of rows of four lines and a blank
        delay, rest = scheduled[-1]
        assert delay > 0  # after the screen is drawn
        rest()
        assert len(results._row_starts) == 50
        room = results.scrollable_content_region.width - 2
        everything = [text.plain for hit in results.hits for text in [*results._row(hit, room, results._style("match")), Text()]]
        assert [line.text.plain for line in results._lines] == everything
        assert results.virtual_size.height == len(everything)
        await press(r, "down", "G")  # the last row, laid out and revealed
        assert results.cursor >= 49 and results.row_text(49).startswith("第")


@pytest.mark.asyncio
async def test_results_replaced_before_their_rest_is_laid_out_are_not_laid_out(tmp_path, monkeypatch):
    folder = many_articles(tmp_path, 60)
    async with running([folder]) as r:
        await search_for(r, "共同的一句话")
        results = r.results
        hits = list(results.hits)
        results.show(hits)  # a layout begun …
        older = results._layouts
        results.show(hits[:3])  # … and replaced before the paint: only the newer one is laid out
        results._lay_out_rest(older)
        assert len(results._row_starts) == 3 and results.virtual_size.height == len(results._lines)
        await r.pilot.pause()
        assert [results.row_text(i).split("\n")[0] for i in range(3)] == [hit.article.title for hit in hits[:3]]


_CHARACTERS = {"slash": "/", "space": " "}  # of the key names the tests use whose character is not the name


def _post_keys(*keys: str, app) -> None:
    """Keys by name, all queued in the app before the first is handled (one read from the terminal); no waiting."""
    from textual import events

    for key in keys:
        bare = key.removeprefix("alt+")
        app.post_message(events.Key(key, bare if len(bare) == 1 else _CHARACTERS.get(bare)))


async def _key_burst(r, *keys: str) -> None:
    """Keys by name arriving in one read, as a paste or a slow link delivers them; then the app settles."""
    _post_keys(*keys, app=r.app)
    await settle(r)


async def _burst(r, text: str) -> None:
    """The characters of ``text`` arriving in one read."""
    names = {character: name for name, character in _CHARACTERS.items()}
    await _key_burst(r, *(names.get(character, character) for character in text))


@pytest.mark.asyncio
@pytest.mark.parametrize("typed_text", ["/bei", "/jkq", "/核战争"])
async def test_keys_typed_right_behind_slash_go_into_the_search_bar(typed_text):
    """They were all handed to the sidebar before / moved the focus, and lost (j, k and q moved it, or quit)."""
    async with running() as r:
        cursor = r.sidebar.cursor_row
        await _burst(r, typed_text)
        assert r.bar.has_focus and r.bar.value == typed_text[1:]
        assert r.app.is_running and r.sidebar.cursor_row == cursor
        await press(r, "escape", "escape")  # cleared, back in the sidebar: and again
        assert r.sidebar.has_focus and r.bar.value == ""
        await _burst(r, typed_text)
        assert r.bar.has_focus and r.bar.value == typed_text[1:]


@pytest.mark.asyncio
async def test_keys_behind_down_from_the_search_bar_go_to_the_results():
    """↓ moves the focus only when its binding runs: j and enter read with it went into the query."""
    async with running() as r:
        await search_for(r, "北约")
        hits = list(r.results.hits)
        assert len(hits) >= 2
        await _key_burst(r, "down", "j", "enter")
        assert r.bar.value == "北约"
        assert r.screen.opened is not None and r.screen.opened.path == hits[1].article.path
        assert r.view.has_focus


@pytest.mark.asyncio
async def test_keys_behind_enter_in_the_sidebar_go_to_the_article_it_opened():
    async with running() as r:
        await press(r, "j")  # onto 000, under 002 (open at start) in 观察者网
        row, number = r.sidebar.cursor_row, r.sidebar.current
        assert number is not None and r.screen.article(number) != r.screen.opened
        await _key_burst(r, "enter", "j", "j")
        assert r.screen.opened == r.screen.article(number) and r.view.has_focus
        assert r.sidebar.cursor_row == row and r.view.scroll_y == 2  # the js scrolled the article


@pytest.mark.asyncio
async def test_a_key_whose_marker_never_comes_back_lets_the_next_key_go_after_key_wait(monkeypatch):
    """The widget a key went to may be removed by it, and its marker with it: keys must not wait for good."""
    from reader.ui.keyorder import OrderedKeys

    monkeypatch.setattr(Sidebar, "on_key_done", lambda self, message: message.stop(), raising=False)  # lost
    timed_out = []
    real = OrderedKeys._timed_out
    monkeypatch.setattr(OrderedKeys, "_timed_out", lambda self, serial: (timed_out.append(serial), real(self, serial)))
    async with running() as r:
        row = r.sidebar.cursor_row
        await _key_burst(r, "k", "k")
        for _ in range(BOUND * 10):
            if r.app._key_out is None and r.sidebar.cursor_row == row - 2:
                break
            await r.pilot.pause(0.1)
        assert r.sidebar.cursor_row == row - 2 and not r.app._waiting_keys
        assert len(timed_out) == 2  # each key went on when its marker did not come back


@pytest.mark.asyncio
async def test_keys_typed_in_one_read_while_a_folder_loads_each_go_where_the_last_left_the_focus(tmp_path, monkeypatch):
    """Loading keeps the screen's queue busy (a batch at a time): the keys still go in order, none lost."""
    from reader.catalog import catalog as module

    folder = many_articles(tmp_path, 60)
    pace_loading(monkeypatch)  # one file a batch, each taking a while: loading goes on under the keys
    paced = module.read_files
    monkeypatch.setattr(module, "read_files", lambda files: (time.sleep(0.05), paced(files))[1])

    async with running([folder], loaded=False) as r:
        await until_loaded_some(r, 10)
        under_cursor = _under_cursor(r)  # its row moves as newer articles load above it; what it is on does not
        _post_keys("slash", *"编号1", app=r.app)  # no waiting for the workers: loading is one
        await until_results(r)
        _post_keys("down", "j", "enter", "j", app=r.app)
        for _ in range(BOUND * 100):
            if r.view.has_focus and r.screen.opened is not None:
                break
            await r.pilot.pause(0.01)
        assert r.bar.value == "编号1"  # j went to the results, not into the query
        assert r.screen._loading  # still loading: the keys went in while batches came
        await r.pilot.pause(0.1)
        opened = r.screen.opened
        assert r.view.has_focus and opened is not None and "编号1" in "".join(block.text for block in opened.blocks)
        assert _under_cursor(r) == under_cursor  # no j reached the sidebar
        await wait_until_loaded(r.pilot)


def _under_cursor(r):
    """The sidebar's cursor: the path of its article, or its group's key."""
    number = r.sidebar.current
    return r.screen.article(number).path if number is not None else r.sidebar.current_group.key


async def until_loaded_some(r, count: int) -> None:
    for _ in range(BOUND * 100):
        if r.screen.snapshot.live_count >= count:
            return
        await r.pilot.pause(0.01)


@pytest.mark.asyncio
async def test_esc_and_a_letter_read_at_once_are_esc_then_the_letter():
    """Textual reads esc and a letter together as alt+letter: unbound, they are what was typed."""
    async with running() as r:
        await search_for(r, "北约")
        assert r.bar.has_focus and len(r.results.hits) >= 2
        await _key_burst(r, "alt+j")  # esc out of the bar to the results, j down them
        assert r.bar.value == "北约" and r.results.has_focus and r.results.cursor == 1
        await press(r, "escape")  # clears the query: back in the sidebar
        assert r.sidebar.has_focus and r.app.is_running
        _post_keys("alt+q", app=r.app)  # esc (nothing to leave), then q: quit
        await r.pilot.pause()
        await r.pilot.pause()
        assert r.app.return_code == 0


@pytest.mark.asyncio
async def test_an_alt_letter_with_a_binding_stays_itself():
    """A keymap may bind alt+j (here: to the sidebar's bottom): then it is alt+j, not esc and j."""
    async with running() as r:
        r.app.set_keymap({"sidebar.bottom": "G,end,alt+j"})
        await press(r, "g")
        assert r.sidebar.has_focus and r.sidebar.cursor_row == 0
        await _key_burst(r, "alt+j")
        assert r.sidebar.cursor_row == len(r.sidebar._rows) - 1 > 1


@pytest.mark.asyncio
async def test_what_every_search_reads_is_made_once_loaded_before_the_first_key():
    """Snapshot.prepare_search runs in the check's thread once loaded: the first query does not build the tables."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_loaded(pilot)
        await app.workers.wait_for_complete()
        snapshot = app.screen.snapshot
        assert snapshot.owners._table is not None and "kinds" in snapshot._tables.__dict__
        assert snapshot.has("repeated_passages") and len(snapshot.repeated_passages) == snapshot.passage_count
        passages = list(range(snapshot.passage_count))
        by_bisection = [snapshot.owners[p] for p in passages]  # one at a time: bisected, not the table
        assert snapshot.owners[passages].tolist() == by_bisection == snapshot.owners.table.tolist()
