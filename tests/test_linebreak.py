"""Line breaking: CJK, kinsoku, whole words, hard cuts, prefixes."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text

from reader.linebreak import wrap
from reader.textwidth import cell_width

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_5ebfe7b192dec475.txt"

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


def seed_paragraphs() -> list[str]:
    html = SEED.read_text(encoding="utf-8")
    paragraphs = (re.sub(r"<[^>]+>", "", p).strip() for p in re.findall(r"<p[^>]*>(.*?)</p>", html, re.S))
    return [p for p in paragraphs if p]


def plains(lines: list[Text]) -> list[str]:
    return [line.plain for line in lines]


def non_space(text: str) -> str:
    return "".join(text.split())


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


# ------------------------------------------------------------------ cost
# Deterministic stand-ins for timing: how many characters the breaker measures.


@pytest.fixture
def measured(monkeypatch):
    import reader.linebreak
    import reader.textwidth

    count = [0]

    def counting(real):
        def measure(text, *args):
            count[0] += len(text)
            return real(text, *args)

        return measure

    for module in (reader.linebreak, reader.textwidth):
        for name in ("cell_len", "get_character_cell_size", "split_graphemes"):
            if hasattr(module, name):
                monkeypatch.setattr(module, name, counting(getattr(module, name)))
    return count


@pytest.mark.parametrize(
    "text",
    ["a" * 20_000, "—" * 10_000, "a" + "\u0301" * 20_000, "（" * 5_000 + "中" * 5_000, ("词" * 30 + "“") * 300],
    ids=["latin word", "glued dashes", "combining marks", "glued openings", "glued runs"],
)
@pytest.mark.parametrize("width", [80, 20])
def test_an_overlong_segment_is_measured_a_bounded_number_of_times(measured, text, width):
    lines = plains(wrap(Text(text), width))
    assert "".join(lines) == text
    # Each character a few times, not once per line (that was quadratic).
    assert measured[0] <= 12 * len(text)
    assert all(cell_width(line) <= width for line in lines)


# ------------------------------------------------------------------ grapheme clusters
# Rich measures a string by grapheme cluster: U+26A0 U+1161 U+FE0F is 2 cells
# whole but 1 + 0 + 0 in pieces, so a breaker that measures pieces overflows.

_CLUSTERS = [
    "\u26a0\u1161\ufe0f", "\u26a0\ufe0f", "\u2764\ufe0f", "1\ufe0f\u20e3",  # variation selector 16
    "👩\u200d👩\u200d👧", "👨\u200d💻", "🏳\ufe0f\u200d🌈", "中\u200d中",  # zero-width joiner sequences
    "e\u0301", "中\u0301\u0302", "a" + "\u0301" * 5,  # combining marks
    "\u1100\u1161\u11a8", "\u1112\u1161\u11ab",  # Hangul jamo
    "🇨🇳", "한", "a", "中", "，", "“", "—", " ", "  ", "word", "\u200d", "\ufe0f", "\u0301", "\n",
]
_TEXTS = st.lists(st.one_of(st.sampled_from(_CLUSTERS), st.text(max_size=3)), max_size=60).map("".join)


def _sanitized(text: str) -> str:
    """The text as the breaker sees it: Rich's Text drops \\r and a few others, the breaker makes controls spaces."""
    from reader.textwidth import CONTROLS_TO_SPACE

    return Text(text).plain.translate(CONTROLS_TO_SPACE)


def test_a_cluster_that_widens_is_measured_whole():
    lines = plains(wrap(Text("\u26a0\u1161\ufe0f " * 50), 80))
    assert max(cell_len(line) for line in lines) <= 80
    assert cell_len(lines[0]) >= 78  # and the line is still filled


@settings(max_examples=400, deadline=None)
@given(_TEXTS, st.integers(1, 30), st.sampled_from(["", "• ", "12. ", "│ "]))
def test_every_wrapped_line_fits_and_no_text_is_lost(text, width, indent):
    lines = plains(wrap(Text(text), width, indent=indent))
    assert all(cell_len(line) <= width for line in lines), [(line, cell_len(line)) for line in lines]
    if width >= 2 + cell_len(indent):  # at width 1 a wide cluster can only be a placeholder
        shown = "".join(line.removeprefix(indent).removeprefix(" " * cell_len(indent)) for line in lines)
        assert non_space(shown) == non_space(_sanitized(text))


@settings(max_examples=400, deadline=None)
@given(_TEXTS, st.integers(1, 30))
def test_every_cut_line_fits_and_no_text_is_lost(text, width):
    from reader.linebreak import cut_lines

    lines = plains(cut_lines(Text(text), width))
    assert all(cell_len(line) <= width for line in lines), [(line, cell_len(line)) for line in lines]
    if width >= 2:
        assert "".join(lines) == _sanitized(text).replace("\n", "")


@given(st.lists(st.sampled_from(_CLUSTERS), min_size=1, max_size=30).map("".join), st.integers(1, 30))
def test_fit_measures_as_rich_does_and_never_splits_a_cluster(text, width):
    from rich.cells import split_graphemes

    from reader.textwidth import fit

    index, used = fit(text, width)
    # Rich's split counts a joiner at the very start as nothing and cell_len
    # lets it hide the next character: where they differ, fit errs wide.
    assert cell_len(text[:index]) <= used <= width
    if not text.startswith(("\u200d", "\ufe0f")):
        assert cell_len(text[:index]) == used
    starts = {start for start, _end, _size in split_graphemes(text)[0]} | {len(text)}
    assert index in starts


# ------------------------------------------------------------------ urls

LONG_URL = "https://www.whitehouse.gov/briefing-room/statements-releases/2022/01/10/fact-sheet-u-s-diplomatic-engagement-with-european-allies-and-partners/"


def test_a_url_longer_than_the_line_is_cut_by_default():
    # In the app a line may not be wider than the pane: the url is cut at the width.
    lines = plains(wrap(Text(f"详情请见：{LONG_URL}。"), 80))
    assert all(cell_width(line) <= 80 for line in lines)
    assert LONG_URL not in lines


def test_whole_urls_keeps_a_long_url_on_a_line_of_its_own():
    assert len(LONG_URL) > 140
    lines = plains(wrap(Text(f"美国白宫当天发表声明，详情请见：{LONG_URL}。舍曼表示双方将继续对话。"), 80, whole_urls=True))
    assert lines == ["美国白宫当天发表声明，详情请见：", f"{LONG_URL}。", "舍曼表示双方将继续对话。"]


def test_whole_urls_keeps_a_url_whole_after_an_indent():
    lines = plains(wrap(Text(LONG_URL), 40, indent="• ", whole_urls=True))
    assert lines == [f"• {LONG_URL}"]


def test_whole_urls_still_cuts_other_long_words():
    word = "a" * 150
    lines = plains(wrap(Text(word), 80, whole_urls=True))
    assert lines == [word[:80], word[80:]]


def test_a_url_that_fits_moves_to_the_next_line_whole():
    url = "https://www.voachinese.com/a/6390398.html"
    for whole in (False, True):
        lines = plains(wrap(Text("美俄今日举行化解乌克兰危机会谈，双方立场相差甚远 " + url), 60, whole_urls=whole))
        assert lines[-1] == url
