import re
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from reader.dates import format_date
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

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_5ebfe7b192dec475.txt"

CLOSING = set("，。、；：？！）」』》〉】〕”’…—·,.;:!?)]}")
OPENING = set("（「『《〈【〔“‘([{")

# Sentences from the seed article (Chinese with English names and words).
BLINKEN = (
    "当地时间9日，美国国务卿布林肯在CNN“国情咨文”节目中称，“在俄罗斯把枪顶在乌克兰脑门上的情况下，"
    "很难看到我们会在谈判中取得任何进展。”"
)
SHERMAN = (
    "值得一提的是，尽管包括《纽约时报》、路透社、《卫报》在内的多家外媒均用“谈判”一词形容美俄会谈，"
    "但舍曼却“澄清”说，“今天我们进行了讨论（discussion），对彼此的优先事项有了更好的了解，"
    "但这不是我们所说的谈判（negotiation）。”"
)
CONSOLE = Console(width=200)


def seed_paragraphs() -> list[str]:
    html = SEED.read_text(encoding="utf-8")
    paragraphs = (re.sub(r"<[^>]+>", "", p).strip() for p in re.findall(r"<p[^>]*>(.*?)</p>", html, re.S))
    return [p for p in paragraphs if p]


def plains(lines: list[Text]) -> list[str]:
    return [line.plain for line in lines]


def style_at(line: Text, offset: int):
    return line.get_style_at_offset(CONSOLE, offset)


def non_space(text: str) -> str:
    return "".join(text.split())


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


# ------------------------------------------------------------------ wrapping


def test_mixed_latin_and_chinese_fill_the_first_line():
    text = Text("据 Reuters 报道，美国常务副国务卿舍曼与俄副外长里亚布科夫在日内瓦举行会谈，双方没有取得任何进展。")
    lines = plains(wrap(text, 50))
    # Rich would stop after "据 Reuters" and leave 40 cells empty.
    assert lines[0].startswith("据 Reuters 报道，美国常务副国务卿")
    assert cell_width(lines[0]) >= 49
    assert all(cell_width(line) <= 50 for line in lines)
    assert non_space("".join(lines)) == non_space(text.plain)


def test_chinese_breaks_between_any_characters():
    lines = plains(wrap(Text("由俄罗斯外交部副部长谢尔盖率领"), 10))
    assert lines == ["由俄罗斯外", "交部副部长", "谢尔盖率领"]


def test_closing_punctuation_is_glued_to_the_previous_character():
    # A naive break would start line two with "，".
    assert plains(wrap(Text("美俄会谈，分歧依旧"), 8)) == ["美俄会", "谈，分歧", "依旧"]
    # ... or with "。" and "”".
    assert plains(wrap(Text("他说“好的。”然后"), 10)) == ["他说“好", "的。”然后"]


def test_opening_punctuation_is_glued_to_the_next_character():
    # A naive break would end line one with "“" or "（".
    assert plains(wrap(Text("一二三“四五”"), 8)) == ["一二三", "“四五”"]
    assert plains(wrap(Text("一二三（四五）"), 8)) == ["一二三", "（四五）"]


# From 20 cells on, every glued unit of these paragraphs fits on a line.
@pytest.mark.parametrize("width", range(20, 61))
def test_no_line_starts_with_closing_or_ends_with_opening(width):
    for paragraph in [BLINKEN, SHERMAN, *seed_paragraphs()]:
        for line in plains(wrap(Text(paragraph), width)):
            assert line[0] not in CLOSING, (width, line)
            assert line[-1] not in OPENING, (width, line)
            assert cell_width(line) <= width


def test_ellipsis_and_dash_pairs_stay_together():
    for width in range(6, 30):
        lines = plains(wrap(Text("这是场有用的会谈，可并没有取得进展”——对于刚刚落下帷幕的谈判……他说"), width))
        assert not any(line.startswith(("—", "…")) for line in lines), (width, lines)


@pytest.mark.parametrize("width", range(14, 70, 3))
def test_latin_words_that_fit_are_never_split(width):
    text = SHERMAN + " Wendy Sherman told CNN that the talks were useful, Ryabkov said."
    lines = plains(wrap(Text(text), width))
    words = re.findall(r"[A-Za-z]+", text)
    assert [w for line in lines for w in re.findall(r"[A-Za-z]+", line)] == words


def test_overlong_url_is_hard_broken():
    url = "https://www.guancha.cn/internation/" + "a" * 80 + ".shtml"
    lines = plains(wrap(Text(f"原文见 {url} 。"), 30))
    assert len(lines) > 3
    assert all(cell_width(line) <= 30 for line in lines)
    assert url in "".join(lines)


def test_hard_newline_is_respected():
    assert plains(wrap(Text("第一行\n第二行\n\nlast"), 40)) == ["第一行", "第二行", "", "last"]


def test_spaces_at_breaks_are_dropped():
    lines = plains(wrap(Text("Wendy Sherman and Sergei Ryabkov met in Geneva"), 14))
    assert lines == ["Wendy Sherman", "and Sergei", "Ryabkov met in", "Geneva"]


def test_indent_and_hanging_prefixes():
    lines = plains(wrap(Text("美国常务副国务卿舍曼"), 10, indent="> ", hanging=". "))
    assert lines == ["> 美国常务", ". 副国务卿", ". 舍曼"]


def test_prefix_wider_than_width_is_shortened_from_the_left():
    lines = plains(wrap(Text("舍曼"), 4, indent="        • "))
    assert lines == ["• 舍", "  曼"]


def test_width_one_never_overflows():
    lines = plains(wrap(Text("据 Reuters"), 1))
    assert all(cell_width(line) <= 1 for line in lines)
    assert "".join(lines).endswith("Reuters")


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

CJK_PIECES = "美俄会谈舍曼俄罗斯北约乌克兰カナ한글，。、；：？！）」》（「《"
PIECES = st.one_of(
    st.sampled_from(list(CJK_PIECES)),
    st.sampled_from(list("”’…—·“‘,.;:!?)([")),
    st.sampled_from(["CNN", "Wendy", "Sherman", "Ryabkov", "7", "2022", "e\u0301", "👨\u200d👩"]),
    st.just("https://www.reuters.com/world/" + "x" * 30),
    st.sampled_from([" ", "  ", "\n"]),
)
TEXTS = st.lists(PIECES, max_size=80).map("".join)
# Runs of non-space, non-CJK characters: what the renderer keeps whole.
LATIN_WORD = re.compile(f"[^\\s{CJK_PIECES}]+")


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.integers(min_value=2, max_value=120))
def test_lines_fit_and_keep_every_character(text, width):
    lines = plains(wrap(Text(text), width))
    assert all(cell_width(line) <= width for line in lines)
    assert non_space("".join(lines)) == non_space(text)
    assert not any(line != line.strip(" ") for line in lines)
    for word in LATIN_WORD.findall(text):
        if cell_width(word) <= width:
            assert any(word in line for line in lines), word


@settings(max_examples=100, deadline=None)
@given(TEXTS)
def test_width_one_lines_fit(text):
    assert all(cell_width(line) <= 1 for line in plains(wrap(Text(text), 1)))


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
    code = "import reader.render, reader.textwidth, sys; assert 'textual' not in sys.modules"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
