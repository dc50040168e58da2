"""The article pane: what it shows, how it scrolls, how it reflows (Textual Pilot)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual import events
from textual.app import App, ComposeResult
from textual.theme import Theme

from conftest import seed_path
from reader.parse.load import load_article
from reader.model import Article, Block, BlockKind
from reader.render import NO_BODY_NOTE, DEFAULT_STYLES, render_article, render_block
from reader.ui.widgets.article_view import EMPTY_HINT, ArticleView, layout_article

SIZE = (80, 24)


class ViewApp(App[None]):
    def compose(self) -> ComposeResult:
        yield ArticleView()


def make_article(blocks: tuple[Block, ...] = (), title: str = "A title") -> Article:
    return Article(
        path=Path("made.md"),
        title=title,
        source="Test Wire",
        date=None,
        date_origin=None,
        author="",
        url="",
        categories=(),
        tags=(),
        format="markdown",
        blocks=blocks,
    )


@pytest.fixture(scope="module")
def seed000() -> Article:
    return load_article(seed_path("000"))


def visible(view: ArticleView) -> list[str]:
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


def content_width(view: ArticleView) -> int:
    return view.scrollable_content_region.width


async def shown(app: ViewApp, pilot, article: Article | None) -> ArticleView:
    view = app.query_one(ArticleView)
    view.show(article)
    view.focus()
    await pilot.pause()
    return view


# ---------------------------------------------------------------- layout, no app


@pytest.mark.parametrize("width", [1, 7, 20, 50, 77, 120])
def test_layout_matches_render_article(seed_articles, width):
    for article in seed_articles.values():
        layout = layout_article(article, width, DEFAULT_STYLES)
        expected = render_article(article, width, DEFAULT_STYLES).plain.split("\n")
        assert [line.plain for line in layout.lines] == expected
        assert len(layout.block_starts) == len(article.blocks)
        for index, block in enumerate(article.blocks):
            first = render_block(block, width, DEFAULT_STYLES)
            if first:
                assert layout.lines[layout.block_starts[index]].plain == first[0].plain


def test_layout_blocks_without_lines_point_at_the_next_block():
    blocks = (
        Block(BlockKind.PARAGRAPH, "one"),
        Block(BlockKind.PARAGRAPH, "   "),
        Block(BlockKind.PARAGRAPH, "two"),
        Block(BlockKind.HEADING, ""),
    )
    layout = layout_article(make_article(blocks), 40, DEFAULT_STYLES)
    plains = [line.plain for line in layout.lines]
    assert plains[layout.block_starts[1]] == "two"
    assert layout.block_starts[1] == layout.block_starts[2]
    assert layout.block_starts[3] == len(plains)
    assert list(layout.block_starts) == sorted(layout.block_starts)


def test_anchor_round_trip_at_the_same_width(seed_articles):
    layout = layout_article(seed_articles["003"], 60, DEFAULT_STYLES)
    for y in range(len(layout.lines)):
        assert layout.line_of(layout.anchor_at(y)) == y


# ---------------------------------------------------------------- showing


@pytest.mark.asyncio
async def test_seed_opens_with_title_then_meta(seed000):
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await shown(app, pilot, seed000)
        lines = visible(view)
        assert lines[0].strip() == seed000.title
        assert lines[1].startswith(seed000.source)
        assert lines[2].strip() == ""
        assert view.article is seed000
        assert view.scroll_y == 0


@pytest.mark.asyncio
async def test_lines_fit_and_there_is_no_sideways_scrolling(seed000):
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await shown(app, pilot, seed000)
        width = content_width(view)
        # 80 columns less 2 of padding and 1 of scrollbar.
        assert width == 77
        assert view.virtual_size.width <= width
        assert not view.show_horizontal_scrollbar
        assert view.max_scroll_x == 0
        assert max(line.cell_len for line in view.layout.lines) <= width
        assert all(cell_len(text) == width for text in visible(view))


@pytest.mark.asyncio
async def test_show_none_gives_the_hint_and_scrolls_to_top(seed000):
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await shown(app, pilot, seed000)
        await pilot.press("space")
        assert view.scroll_y > 0
        view.show(None)
        await pilot.pause()
        assert view.article is None
        assert view.scroll_y == 0
        assert visible(view)[0].strip() == EMPTY_HINT
        view.show(seed000)
        await pilot.pause()
        assert view.scroll_y == 0
        assert visible(view)[0].strip() == seed000.title


@pytest.mark.asyncio
async def test_article_without_blocks_shows_header_and_note():
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await shown(app, pilot, make_article())
        lines = [line.strip() for line in visible(view)]
        assert lines[:4] == ["A title", "Test Wire", "", NO_BODY_NOTE]
        assert not any(lines[4:])


@pytest.mark.asyncio
async def test_markup_in_article_text_is_shown_literally():
    text = "[bold red]x[/] and [link=file:///etc/passwd]y[/link]"
    article = make_article((Block(BlockKind.PARAGRAPH, text),), title="[b]T[/b]")
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await shown(app, pilot, article)
        lines = visible(view)
        assert lines[0].strip() == "[b]T[/b]"
        assert lines[3].strip() == text
        for segment in view.render_line(3):
            style = segment.style
            assert style is None or (not style.link and not style.bold)


# ---------------------------------------------------------------- scrolling


@pytest.mark.asyncio
async def test_keys_scroll_by_line_page_and_to_the_ends(seed000):
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await shown(app, pilot, seed000)
        page = view.scrollable_content_region.height - 1  # one line of overlap
        end = view.max_scroll_y
        assert end == len(view.layout.lines) - view.scrollable_content_region.height > 0

        await pilot.press("j")
        assert view.scroll_y == 1
        await pilot.press("down", "down")
        assert view.scroll_y == 3
        await pilot.press("k")
        assert view.scroll_y == 2
        await pilot.press("space")
        assert view.scroll_y == 2 + page
        await pilot.press("b")
        assert view.scroll_y == 2
        await pilot.press("pagedown")
        assert view.scroll_y == 2 + page
        await pilot.press("pageup", "up", "up", "up")
        assert view.scroll_y == 0
        await pilot.press("G")
        assert view.scroll_y == end
        await pilot.press("j", "space", "end")
        assert view.scroll_y == end
        await pilot.press("g")
        assert view.scroll_y == 0
        await pilot.press("k", "b")
        assert view.scroll_y == 0
        await pilot.press("end", "home")
        assert view.scroll_y == 0


@pytest.mark.asyncio
async def test_paging_through_shows_every_caption_dim_or_italic(seed000):
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await shown(app, pilot, seed000)
        height = view.scrollable_content_region.height
        seen: dict[int, str] = {}
        while True:
            top = view.scroll_offset.y
            for y, text in enumerate(visible(view)):
                seen[top + y] = text
            if view.scroll_y >= view.max_scroll_y:
                break
            await pilot.press("space")
        assert len(seen) == len(view.layout.lines) >= height
        captions = [y for y, text in sorted(seen.items()) if text.startswith("▣ ")]
        assert len(captions) == 4

        view.scroll_to(y=captions[0], animate=False)
        await pilot.pause()
        assert visible(view)[0].startswith("▣ ")
        styled = [s.style for s in view.render_line(0) if s.text.strip() and s.style]
        assert styled and all(style.italic or style.dim for style in styled)


@pytest.mark.asyncio
async def test_article_shown_while_hidden_opens_at_its_top(seed000, seed_articles):
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await shown(app, pilot, seed000)
        await pilot.press("space", "space")
        view.display = False
        await pilot.pause()
        other = seed_articles["004"]
        view.show(other)
        view.display = True
        await pilot.pause()
        assert view.scroll_y == 0
        assert visible(view)[0].strip() == other.title


@pytest.mark.asyncio
async def test_mouse_wheel_scrolls(seed000):
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await shown(app, pilot, seed000)
        wheel = dict(x=5, y=5, delta_x=0, delta_y=1, button=0, shift=False, meta=False, ctrl=False)
        view.post_message(events.MouseScrollDown(view, **wheel))
        await pilot.pause()
        assert view.scroll_y > 0
        view.post_message(events.MouseScrollUp(view, **wheel))
        await pilot.pause()
        assert view.scroll_y == 0


@pytest.mark.asyncio
async def test_article_given_before_mount_is_laid_out_on_mount(seed000):
    class EarlyApp(App[None]):
        def compose(self) -> ComposeResult:
            yield ArticleView(seed000)

    app = EarlyApp()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.query_one(ArticleView)
        assert visible(view)[0].strip() == seed000.title
        view.scroll_to_block(5)
        await pilot.pause()
        assert view.scroll_y == view.layout.block_starts[5]


@pytest.mark.asyncio
async def test_holding_j_draws_one_new_line_per_step(seed000):
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await shown(app, pilot, seed000)
        layout = view.layout
        drawn = len(view._strips)
        await pilot.press(*"jjjjj")
        assert view.scroll_y == 5
        assert view.layout is layout  # not wrapped again
        assert len(view._strips) == drawn + 5


@pytest.mark.asyncio
async def test_scroll_to_block_puts_its_first_line_on_top(seed000):
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await shown(app, pilot, seed000)
        width = content_width(view)
        for index in (4, 12, 7, 0):
            view.scroll_to_block(index)
            await pilot.pause()
            first = render_block(seed000.blocks[index], width)[0].plain
            assert visible(view)[0].rstrip() == first
            assert view.scroll_y == view.layout.block_starts[index]
        with pytest.raises(IndexError):
            view.scroll_to_block(len(seed000.blocks))


@pytest.mark.asyncio
async def test_scroll_to_block_near_the_end_stops_at_the_end(seed000):
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await shown(app, pilot, seed000)
        view.scroll_to_block(len(seed000.blocks) - 1)
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y


# ---------------------------------------------------------------- reflow and themes


@pytest.mark.asyncio
async def test_resize_reflows_and_keeps_the_place(seed000):
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await shown(app, pilot, seed000)
        wide_count = len(view.layout.lines)
        view.scroll_to_block(10)
        await pilot.pause()
        await pilot.press("j", "j")  # two lines into block 10
        wide_anchor = view.layout.anchor_at(view.scroll_offset.y)
        assert wide_anchor[0] == 10

        await pilot.resize_terminal(50, 24)
        await pilot.pause()
        width = content_width(view)
        assert width == 47
        assert len(view.layout.lines) > wide_count
        assert max(line.cell_len for line in view.layout.lines) <= width
        assert view.virtual_size.width <= width
        assert all(cell_len(text) == width for text in visible(view))
        index, fraction = view.layout.anchor_at(view.scroll_offset.y)
        assert index == 10
        assert fraction == pytest.approx(wide_anchor[1], abs=0.25)

        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        # Back at the first width, back on the very same line.
        assert len(view.layout.lines) == wide_count
        assert view.layout.anchor_at(view.scroll_offset.y) == wide_anchor


@pytest.mark.asyncio
async def test_theme_change_restyles_the_title(seed000):
    app = ViewApp()
    async with app.run_test(size=SIZE) as pilot:
        view = await shown(app, pilot, seed000)

        def title_colour():
            (first, *_) = [s for s in view.render_line(0) if s.text.strip()]
            return first.style.color

        app.register_theme(Theme("red-accent", primary="#004578", accent="#ff0000"))
        app.register_theme(Theme("green-accent", primary="#004578", accent="#00ff00"))
        app.theme = "red-accent"
        await pilot.pause()
        red, green, _blue = title_colour().triplet
        assert red > 200 and green < 50
        app.theme = "green-accent"
        await pilot.pause()
        red, green, _blue = title_colour().triplet
        assert green > 200 and red < 50
        assert visible(view)[0].strip() == seed000.title


def test_bindings_have_ids():
    ids = {binding.id for binding in ArticleView.BINDINGS}
    assert {
        "article.down",
        "article.up",
        "article.page_down",
        "article.page_up",
        "article.top",
        "article.bottom",
    } <= ids
