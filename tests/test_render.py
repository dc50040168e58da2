"""Blocks, headers and articles as styled lines (line breaking itself: test_linebreak)."""

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from reader.parse.dates import format_date
from reader.model import Article, Block, BlockKind, DateOrigin, Span, SpanKind
from reader.render import (
    NO_BODY_NOTE,
    PLAIN,
    render_article,
    render_block,
    render_blocks,
    render_header,
    wrap,
)
from reader.textwidth import cell_width

# Sentences, text strategy and helpers shared with the line-breaking tests.
from test_linebreak import BLINKEN, SHERMAN, TEXTS, non_space, plains

ROOT = Path(__file__).resolve().parent.parent
CONSOLE = Console(width=200)


def style_at(line: Text, offset: int):
    return line.get_style_at_offset(CONSOLE, offset)


def article(**changes) -> Article:
    fields = dict(
        path=Path("a.txt"),
        title="美俄谈了7个半小时，“有用”但没啥进展",
        source="观察者网",
        date=datetime(2022, 1, 11, 10, 55, tzinfo=timezone.utc),
        date_origin=DateOrigin.METADATA,
        author="刘程辉",
        url="https://www.guancha.cn/internation/2022_01_11_621682.shtml",
        categories=(),
        tags=(),
        format="front-matter",
        blocks=(Block(BlockKind.PARAGRAPH, BLINKEN),),
    )
    fields.update(changes)
    return Article(**fields)


# ------------------------------------------------------------------ styled lines


def test_non_positive_width_gives_no_lines():
    assert wrap(Text("舍曼"), 0) == []
    assert render_block(Block(BlockKind.PARAGRAPH, "舍曼"), -1) == []


def test_styles_survive_a_line_break():
    text = "俄塔社注意到美俄没有在北约东扩问题上取得任何进展"
    start, end = text.index("没有"), text.index("问题") + 2
    block = Block(BlockKind.PARAGRAPH, text, spans=(Span(start, end, SpanKind.BOLD),))
    lines = render_block(block, 20)
    assert plains(lines) == ["俄塔社注意到美俄没有", "在北约东扩问题上取得", "任何进展"]
    assert [bool(style_at(lines[0], i).bold) for i in (7, 8, 9)] == [False, True, True]
    assert all(style_at(lines[1], i).bold for i in range(7))
    assert not style_at(lines[1], 7).bold
    assert not style_at(lines[2], 0).bold


def test_article_text_is_not_markup():
    lines = render_block(Block(BlockKind.PARAGRAPH, "[bold]舍曼[/bold] [link=file:///etc]x[/link]"), 80)
    assert lines[0].plain == "[bold]舍曼[/bold] [link=file:///etc]x[/link]"
    assert not style_at(lines[0], 6).bold


def test_control_characters_never_reach_the_terminal():
    lines = render_block(Block(BlockKind.PARAGRAPH, "舍曼\x1b[31m红\x07"), 80)
    assert "\x1b" not in lines[0].plain and "\x07" not in lines[0].plain
    assert cell_width(lines[0].plain) <= 80


# ------------------------------------------------------------------ links


def link_block(url: str) -> Block:
    text = "详见路透社报道全文"
    return Block(BlockKind.PARAGRAPH, text, spans=(Span(2, 5, SpanKind.LINK, url),))


@pytest.mark.parametrize("url", ["https://www.reuters.com/x", "http://cnn.com", "mailto:a@b.cn"])
def test_safe_links_get_a_link_style(url):
    line = render_block(link_block(url), 80)[0]
    assert style_at(line, 3).link == url
    assert style_at(line, 3).underline
    assert style_at(line, 0).link is None


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "", None])
def test_unsafe_links_are_plain_text(url):
    line = render_block(link_block(url), 80)[0]
    assert line.plain == "详见路透社报道全文"
    assert style_at(line, 3).link is None
    assert not style_at(line, 3).underline


def test_link_style_continues_on_the_next_line():
    text = "当地时间10日上午由俄罗斯外交部副部长率领的谈判团队"
    block = Block(BlockKind.PARAGRAPH, text, spans=(Span(5, 20, SpanKind.LINK, "https://tass.ru/"),))
    lines = render_block(block, 16)
    assert style_at(lines[1], 0).link == "https://tass.ru/"


# ------------------------------------------------------------------ block kinds


def test_bullet_item_hangs_continuation_under_the_text():
    block = Block(BlockKind.LIST_ITEM, "美国原则上排除了保证乌克兰永远不会加入北约的想法", level=1)
    lines = plains(render_block(block, 20))
    assert lines[0].startswith("  • 美国")
    assert len(lines) > 1
    for line in lines[1:]:
        assert line.startswith("    ") and line[4] != " "
    assert all(cell_width(line) <= 20 for line in lines)


def test_ordered_item_uses_its_ordinal():
    block = Block(BlockKind.LIST_ITEM, "对等限制军事演习和导弹部署等问题", ordinal=3)
    lines = plains(render_block(block, 16))
    assert lines[0].startswith("3. 对等")
    assert all(line.startswith("   ") for line in lines[1:])


def test_bullet_is_styled():
    line = render_block(Block(BlockKind.LIST_ITEM, "舍曼"), 20)[0]
    assert style_at(line, 0).bold
    assert not style_at(line, 2).bold


def test_caption_marker_is_present_and_styled():
    block = Block(BlockKind.CAPTION, "参与会谈的美国常务副国务卿舍曼与俄副外长里亚布科夫（澎湃影像）")
    lines = render_block(block, 24)
    assert lines[0].plain.startswith("▣ 参与")
    marker_style = style_at(lines[0], 0)
    assert marker_style.dim and marker_style.italic
    assert style_at(lines[1], 3).italic
    assert all(line.plain.startswith("  ") for line in lines[1:])
    assert all(cell_width(line.plain) <= 24 for line in lines)


def test_caption_marker_kept_in_plain_styles():
    lines = render_block(Block(BlockKind.CAPTION, "舍曼"), 24, PLAIN)
    assert lines[0].plain == "▣ 舍曼"
    assert not style_at(lines[0], 0).italic


def test_quote_bar_on_every_line():
    block = Block(BlockKind.QUOTE, SHERMAN, level=2)
    lines = render_block(block, 30)
    assert len(lines) > 3
    for line in lines:
        assert line.plain.startswith("│ │ ")
        assert style_at(line, 0).dim
        assert style_at(line, 4).italic
        assert cell_width(line.plain) <= 30


def test_heading_is_styled_and_wrapped():
    lines = render_block(Block(BlockKind.HEADING, "舍曼：抵制那些对美国根本行不通的安全提议", level=2), 16)
    assert len(lines) == 3
    assert all(cell_width(line.plain) <= 16 for line in lines)
    assert all(style_at(line, 0).bold for line in lines)


def test_pre_lines_are_cut_not_wrapped():
    source = "def talks(hours):\n    return 'useful' if hours > 7 else 'no progress at all, said Ryabkov'"
    lines = plains(render_block(Block(BlockKind.PRE, source), 30))
    assert lines[0] == "def talks(hours):"
    assert lines[1] == "    return 'useful' if hours >"
    assert "".join(lines[1:]) == source.split("\n")[1]
    assert all(cell_width(line) == 30 for line in lines[1:-1])


def test_pre_keeps_blank_lines_and_expands_tabs():
    lines = plains(render_block(Block(BlockKind.PRE, "a\tb\n\n中文"), 20))
    assert lines == ["a       b", "", "中文"]


def test_pre_cuts_by_cells():
    lines = plains(render_block(Block(BlockKind.PRE, "俄罗斯外交部副部长"), 5))
    assert lines == ["俄罗", "斯外", "交部", "副部", "长"]


def test_table_rows_join_cells_and_fit():
    rows = (("日期", "地点", "参与方"), ("1月10日", "日内瓦", "美国、俄罗斯"), ("1月12日", "布鲁塞尔", "北约"))
    block = Block(BlockKind.TABLE, "", rows=rows)
    lines = plains(render_block(block, 40))
    assert lines == ["日期 │ 地点 │ 参与方", "1月10日 │ 日内瓦 │ 美国、俄罗斯", "1月12日 │ 布鲁塞尔 │ 北约"]
    narrow = plains(render_block(block, 12))
    assert all(cell_width(line) <= 12 for line in narrow)


def test_blocks_are_separated_by_blank_lines_except_list_items():
    blocks = [
        Block(BlockKind.HEADING, "舍曼的表态"),
        Block(BlockKind.PARAGRAPH, "舍曼称"),
        Block(BlockKind.LIST_ITEM, "第一"),
        Block(BlockKind.LIST_ITEM, "第二"),
        Block(BlockKind.PARAGRAPH, "完"),
        Block(BlockKind.PARAGRAPH, ""),
    ]
    assert render_blocks(blocks, 40).plain == "舍曼的表态\n\n舍曼称\n\n• 第一\n• 第二\n\n完"


def test_plain_styles_add_no_formatting():
    block = Block(BlockKind.PARAGRAPH, "舍曼", spans=(Span(0, 2, SpanKind.BOLD),))
    for kind in (BlockKind.HEADING, BlockKind.QUOTE):
        line = render_block(Block(kind, "舍曼", level=1), 20, PLAIN)[0]
        assert not style_at(line, line.plain.index("舍")).bold
        assert not style_at(line, 0).dim
    assert not style_at(render_block(block, 20, PLAIN)[0], 0).bold


# ------------------------------------------------------------------ header and article


def test_header_has_title_and_one_meta_line():
    a = article()
    lines = render_header(a, 200).plain.split("\n")
    assert len(lines) == 2
    assert lines[0] == a.title
    assert lines[1] == " · ".join(["观察者网", format_date(a.date, a.date_origin), "刘程辉", a.url])
    header = render_header(a, 200)
    assert style_at(header, 0).bold
    assert style_at(header, len(a.title) + 1).dim


def test_header_skips_author_equal_to_source_and_empty_parts():
    a = article(author="观察者网", date=None, date_origin=None, url="")
    assert render_header(a, 80).plain.split("\n")[1] == "观察者网"


def test_header_url_is_a_link_only_when_safe():
    header = render_header(article(), 200)
    url_offset = header.plain.index("https://")
    assert style_at(header, url_offset).link == article().url
    unsafe = render_header(article(url="javascript:alert(1)"), 200)
    assert style_at(unsafe, unsafe.plain.index("javascript")).link is None


def test_header_wraps_within_width():
    lines = render_header(article(title=SHERMAN), 30).plain.split("\n")
    assert len(lines) > 4
    assert all(cell_width(line) <= 30 for line in lines)


def test_article_is_header_blank_line_body():
    a = article()
    text = render_article(a, 60).plain
    header = render_header(a, 60).plain
    assert text.startswith(header + "\n\n")
    assert non_space(text[len(header):]) == non_space(BLINKEN)


def test_article_without_blocks_gets_a_note():
    text = render_article(article(blocks=()), 60).plain
    assert text.endswith("\n\n" + NO_BODY_NOTE)


# ------------------------------------------------------------------ properties

@settings(max_examples=300, deadline=None)
@given(
    TEXTS,
    st.integers(min_value=1, max_value=120),
    st.sampled_from(list(BlockKind)),
    st.integers(min_value=0, max_value=6),
)
def test_every_block_kind_fits_the_width(text, width, kind, level):
    rows = tuple(tuple(line.split(" ")) for line in text.split("\n")) if kind is BlockKind.TABLE else ()
    block = Block(kind, text, level=level, rows=rows)
    assert all(cell_width(line.plain) <= width for line in render_block(block, width))


# ------------------------------------------------------------------ purity


def test_render_modules_do_not_import_textual():
    code = "import reader.linebreak, reader.render, reader.textwidth, sys; assert 'textual' not in sys.modules"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
