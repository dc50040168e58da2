from hypothesis import given
from hypothesis import strategies as st

from reader.textwidth import cell_width, index_at_width, pad, truncate

MIXED = st.lists(
    st.sampled_from([*"abc XYZ12中文报道，。“”（）한글カナ…", "e\u0301"]), max_size=40
).map("".join)


def test_cell_width_counts_wide_and_zero_width_characters():
    assert cell_width("abc") == 3
    assert cell_width("中文") == 4
    assert cell_width("据 Reuters 报道，") == 17
    assert cell_width("ｆｕｌｌ") == 8  # fullwidth Latin
    assert cell_width("e\u0301") == 1  # combining acute accent takes no cell
    assert cell_width("") == 0


def test_truncate_leaves_fitting_text_alone():
    assert truncate("舍曼", 4) == "舍曼"
    assert truncate("Sherman", 7) == "Sherman"


def test_truncate_cuts_and_adds_ellipsis():
    assert truncate("美俄谈了7个半小时", 7) == "美俄谈…"
    assert truncate("Wendy Sherman", 8) == "Wendy S…"


def test_truncate_never_splits_a_wide_character_past_the_width():
    # "中文" plus the ellipsis would be 5 cells; only "中" fits before it.
    assert truncate("中文字符", 4) == "中…"
    assert cell_width(truncate("中文字符", 4)) == 3


def test_truncate_non_positive_width_is_empty():
    assert truncate("中文", 0) == ""
    assert truncate("abc", -3) == ""


def test_truncate_with_ellipsis_wider_than_width_cuts_plainly():
    assert truncate("abcdef", 2, ellipsis="...") == "ab"
    assert truncate("abcdef", 3, ellipsis="") == "abc"


def test_truncate_keeps_combining_mark_with_its_base():
    assert truncate("cafe\u0301 au lait", 5) == "cafe\u0301…"


def test_pad_fills_to_exact_width():
    assert pad("ab", 5) == "ab   "
    assert pad("中文", 5) == "中文 "
    assert pad("中文字符", 5) == "中文…"
    assert pad("中文", 3) == "中…"
    assert pad("x", 0) == ""


def test_pad_aligns_columns_of_mixed_titles():
    titles = ["美俄谈了7个半小时，有用但没啥进展", "CNN: Blinken on Russia", "舍曼：抵制", ""]
    cells = [pad(title, 20) for title in titles]
    assert {cell_width(cell) for cell in cells} == {20}


def test_index_at_width_respects_range():
    text = "ab中文cd"
    assert index_at_width(text, 3) == 2  # "中" would make it 4
    assert index_at_width(text, 4, start=2) == 4
    assert index_at_width(text, 10, start=2, end=5) == 5


@given(MIXED, st.integers(min_value=-2, max_value=30))
def test_truncate_and_pad_properties(text, width):
    cut = truncate(text, width)
    assert cell_width(cut) <= max(width, 0)
    if width > 0 and cell_width(text) <= width:
        assert cut == text
    elif width > 1:
        assert cut.endswith("…")
        assert text.startswith(cut[:-1])
    padded = pad(text, width)
    assert cell_width(padded) == max(width, 0)


def test_fit_parts_leaves_parts_out_in_the_order_given_then_cuts_without_a_dangling_separator():
    from reader.textwidth import fit_parts

    parts = ["读取 8,500 篇", "rate", "剩下 1 分钟", "more"]
    assert fit_parts(parts, 100) == "读取 8,500 篇 · rate · 剩下 1 分钟 · more"
    assert fit_parts(parts, 30, drop=(3, 1)) == "读取 8,500 篇 · 剩下 1 分钟"  # CJK: two cells each
    assert cell_width(fit_parts(parts, 30, drop=(3, 1))) == 27
    assert fit_parts(parts, 16, drop=(3, 1, 2)) == "读取 8,500 篇"
    assert fit_parts(parts, 12, drop=(3, 1, 2)) == "读取 8,500…"  # never "读取 8,500 …"
    assert fit_parts(parts, 20, drop=(3,)) == "读取 8,500 篇 · rat…"  # what is not to be left out is cut
    assert fit_parts([], 10) == ""
