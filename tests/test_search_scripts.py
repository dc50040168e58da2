"""Search across the ways one text can be written: scripts, variants, planes, forms (reader.search).

A quote is found however it was remembered: in simplified or traditional
characters, with a variant form, decomposed or not; and only where it is:
characters beyond the BMP are themselves, Latin words are not found inside
other words.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader.catalog.snapshot import snapshot_of
from reader.search.index import SOURCE, TITLE
from reader.search.matching import find, match_spans
from reader.model import Article, Block, BlockKind
from reader.search.fold import fold
from reader.search.engine import article_matches, search

_BASE = datetime(2022, 1, 10, tzinfo=timezone.utc)


def make_article(name: str, title: str, blocks: list[str], *, days: int = 0, source: str = "来源",
                 caption: str | None = None) -> Article:
    kinds = [Block(BlockKind.PARAGRAPH, text) for text in blocks]
    if caption is not None:
        kinds.append(Block(BlockKind.CAPTION, caption))
    return Article(
        path=Path(f"/hand/{name}.txt"), title=title, source=source, date=_BASE + timedelta(days=days),
        date_origin=None, author="", url="", categories=(), tags=(), format="text", blocks=tuple(kinds),
    )


def _hits(built, query: str, limit: int = 50) -> list[tuple[str, int, bool, list[str]]]:
    """(article, block, exact, the highlighted characters) of each hit."""
    return [
        (h.article.path.stem, h.block, h.exact, [h.passage[s:e] for s, e in h.spans])
        for h in search(built, query, limit).hits
    ]


# --- simplified and traditional ---------------------------------------------------------------

SIMPLIFIED = "美方认为核战争打不赢也打不得。"
TRADITIONAL = "美方認為核戰爭打不贏也打不得。"


@pytest.mark.parametrize(("query", "written"), [("核战争", "核戰爭"), ("核戰爭", "核战争"), ("核战争", "核战争")])
def test_one_script_finds_the_other_exactly_in_every_kind_of_passage(query, written):
    built = snapshot_of([
        make_article("body", "标题", [f"美方认为{written}打不赢"], days=3),
        make_article("title", f"{written}的风险", ["正文"], days=2),
        make_article("caption", "标题", ["正文"], caption=f"图：{written}演习", days=1),
        make_article("source", "标题", ["正文"], source=f"{written}研究所", days=0),
    ])
    hits = _hits(built, query)
    assert sorted((name, block, exact) for name, block, exact, _ in hits) == [
        ("body", 0, True), ("caption", 1, True), ("source", SOURCE, True), ("title", TITLE, True)
    ]
    # highlighted as written, not as typed
    assert all(marked == [written] for *_, marked in hits)


def test_a_whole_converted_quote_is_exact_and_uses_no_edit():
    built = snapshot_of([make_article("t", "標題", [TRADITIONAL]), make_article("s", "标题", [SIMPLIFIED], days=-1)])
    hits = search(built, "核战争打不赢也打不得").hits
    assert [(h.article.path.stem, h.exact, h.score) for h in hits] == [("t", True, 100.0), ("s", True, 100.0)]
    # with a typo on top of the conversion, the edit is still there to be used
    typo = search(built, "核戰爭打不應也打不得").hits
    assert [(h.article.path.stem, h.exact) for h in typo] == [("t", False), ("s", False)]


@pytest.mark.parametrize(("typed", "written"), [
    ("穿着", "穿著"), ("穿著", "穿着"),
    ("里面", "裏面"), ("裡面", "里面"), ("裏面", "裡面"),
    ("为了", "爲了"), ("為了", "为了"), ("爲了", "為了"),
    ("山峰", "山峯"), ("山峯", "山峰"),
])
def test_variant_forms_are_the_same(typed, written):
    built = snapshot_of([make_article("a", "标题", [f"他{written}很久"])])
    assert _hits(built, typed) == [("a", 0, True, [written])]


def test_source_filter_across_scripts():
    built = snapshot_of([
        make_article("a", "北约东扩", ["正文"], source="觀察者網"),
        make_article("b", "北约东扩", ["正文"], source="美国之音", days=-1),
    ])
    assert [h.article.path.stem for h in search(built, "source:观察者网 北约").hits] == ["a"]


def test_article_matches_across_scripts():
    article = make_article("a", "标题", ["第一段", TRADITIONAL, SIMPLIFIED])
    assert [(n, [article.blocks[n].text[s:e] for s, e in spans]) for n, spans in article_matches(article, "核战争")] == [
        (1, ["核戰爭"]), (2, ["核战争"])
    ]


# --- beyond the BMP ---------------------------------------------------------------------------


def test_astral_characters_do_not_match_texts_without_them():
    built = snapshot_of([
        make_article("other", "标题", ["𠀄𠀅𠀆𠀇 在这里"]),  # other Extension B characters
        make_article("bmp", "标题", ["吉野家 一丁丂七"]),
        make_article("holds", "标题", ["前言𠀀𠀁𠀂𠀃后记"], days=-1),
    ])
    assert _hits(built, "𠀀𠀁𠀂𠀃") == [("holds", 0, True, ["𠀀𠀁𠀂𠀃"])]
    assert _hits(built, "𠮷𠮷") == []
    assert _hits(built, '"𠀀𠀁"') == [("holds", 0, True, ["𠀀𠀁"])]
    assert _hits(built, "𠀀") == [("holds", 0, True, ["𠀀"])]


def test_astral_characters_that_share_an_index_key_are_still_told_apart():
    # 6,400 apart: the same index key (normalize.KEY_BUCKETS), different characters
    a, b = chr(0x20000), chr(0x20000 + 6400)
    built = snapshot_of([make_article("a", "标题", [f"甲{a}{a}乙"]), make_article("b", "标题", [f"甲{b}{b}乙"], days=-1)])
    assert _hits(built, f"甲{a}{a}") == [("a", 0, True, [f"甲{a}{a}"])]
    assert _hits(built, b) == [("b", 0, True, [b + b])]


def test_a_fuzzy_astral_hit_highlights_the_right_characters():
    text = "他说𠮷野家的牛丼很好吃。"
    built = snapshot_of([make_article("a", "标题", [text])])
    (hit,) = search(built, "𠮷野家的牛肉很好吃").hits
    assert not hit.exact
    marked = "".join(hit.passage[s:e] for s, e in hit.spans)
    assert marked == "𠮷野家的牛很好吃"


# --- equivalent forms: highlighting lands on what is read ---------------------------------------


@pytest.mark.parametrize(("text", "query", "marked"), [
    (unicodedata.normalize("NFD", "Le café crème"), "cafe", "cafe\u0301"),
    ("Le café crème", "Cafe\u0301", "café"),
    ("Die Straße ist lang", "strasse", "Straße"),
    ("the ﬁnance report", "finance", "ﬁnance"),
    (unicodedata.normalize("NFD", "한국어 뉴스"), "한국어", unicodedata.normalize("NFD", "한국어")),
    ("ＷＥＮＤＹ　ＳＨＥＲＭＡＮ said", "wendy sherman", "ＷＥＮＤＹ　ＳＨＥＲＭＡＮ"),
])
def test_highlighting_covers_the_original_characters(text, query, marked):
    spans = match_spans(text, fold(query))
    assert ["".join(text[s:e] for s, e in spans)] == [marked]


# --- Latin words ------------------------------------------------------------------------------


def test_a_latin_word_does_not_fuzzily_match_inside_another_word():
    built = snapshot_of([
        make_article("negotiation", "标题", ["The negotiation went on for hours."]),
        make_article("nato", "标题", ["北约（NATO）东扩"], days=-1),
    ])
    assert _hits(built, "NATO") == [("nato", 0, True, ["NATO"])]
    assert find("The negotiation went on", "nato") is None
    assert find("The negotiation went on", "natio") is None


@pytest.mark.parametrize(("text", "query", "marked"), [
    ("Sergei Riabkov said", "Ryabkov", "Riabkov"),  # one letter wrong, a whole word
    ("Wendy Sherman met", "Shermn", "Sherman"),  # one missing
    ("Wendy Sherman met", "wendy shermen", "Wendy Sherman"),  # across words
    ("会见了WendySherman。", "Shermn", "Sherman"),  # a camel-case word start
    ("据Reuters报道", "Reuter报道", "Reuters报道"),  # only the Latin start must be a word's start
])
def test_latin_fuzzy_matches_align_to_words(text, query, marked):
    found = find(text, fold(query))
    assert found is not None and not found[2]
    spans = found[0]
    assert text[spans[0][0]:spans[-1][1]] == marked


@pytest.mark.parametrize(("text", "query"), [
    ("the senators agreed", "nato"),  # an exact piece of a word is found: as typed, a prefix or a piece
    ("Sherman", "sher"),
])
def test_exact_latin_pieces_of_words_are_still_found(text, query):
    found = find(text, query)
    assert found is not None and found[2]


@pytest.mark.parametrize(("text", "query"), [
    ("the senators agreed", "natos"),  # a fuzzy match starting inside "senators"
    ("Wendy Sherman met", "hermen"),  # "herman" inside "Sherman", with a letter wrong
    ("the annotations", "notatiom"),
])
def test_latin_fuzzy_never_starts_inside_a_word(text, query):
    assert find(text, query) is None


def test_chinese_fuzzy_matching_is_unchanged_beside_latin():
    text = "美国副国务卿温迪·谢尔曼（Wendy Sherman）星期一上午在日内瓦"
    found = find(text, fold("谢尔慢（Wendy Sherman）星期一"))
    assert found is not None and not found[2]
