"""The bigram index (reader.search.index) against brute force over fold_many."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import set_zone
from reader.catalog.snapshot import snapshot_of
from reader.search.index import SOURCE, TITLE, bigram_codes, build_postings, first_of, merge_postings
from reader.model import Article, Block, BlockKind
from reader.search.fold import fold_many, index_keys
from reader.search.engine import search

_ALPHABET = (
    "北约美俄谈判会有用核战争"  # CJK
    "abAB"  # Latin, both cases
    "，。“”\"'- _\n"  # punctuation, spaces, line breaks: dropped
    "ＡＢａｂ１"  # full-width forms
    "1ßﬁ"  # digits, multi-character folds
)
_SOURCES = ["观察者网", "VOA", "Ａｌｊａｚｅｅｒａ 半岛网"]  # each folds to at least one bigram

_text = st.text(st.sampled_from(_ALPHABET), max_size=8)


def make_article(number: int, title: str, source: str, blocks: list[str], date: datetime | None = None) -> Article:
    return Article(
        path=Path(f"/corpus/{number:05d}.txt"),
        title=title,
        source=source,
        date=date,
        date_origin=None,
        author="",
        url="",
        categories=(),
        tags=(),
        format="text",
        blocks=tuple(Block(BlockKind.PARAGRAPH, text) for text in blocks),
    )


_article_specs = st.lists(
    st.tuples(_text, st.sampled_from(_SOURCES), st.lists(_text, max_size=4)),
    min_size=1,
    max_size=5,
)


def _articles(specs) -> list[Article]:
    return [make_article(n, title, source, blocks) for n, (title, source, blocks) in enumerate(specs)]


def _passages(articles: list[Article]) -> list[str]:
    """The passages the index should hold, in its order: per article title, source, blocks."""
    return [text for a in articles for text in (a.title, a.source, *(b.text for b in a.blocks))]


def _bigrams(folded: str) -> set[str]:
    return {folded[i:i + 2] for i in range(len(folded) - 1)}


def _pairs(folded: str) -> set[str]:
    """What the index pairs: each bigram, and the last character with the passage's end (U+0001)."""
    return _bigrams(folded) | ({folded[-1] + "\x01"} if folded else set())


def _code(bigram: str) -> np.ndarray:
    return np.array([(ord(bigram[0]) << 16) | ord(bigram[1])], dtype=np.uint32)


def _index(articles: list[Article], batches: int = 1):
    """A snapshot of the articles, built ``batches`` batches at a time (merged, as loading does)."""
    return snapshot_of(articles, batch=max(1, -(-len(articles) // batches)))


def _lookup(index, codes: np.ndarray) -> np.ndarray:
    return index.shared_bigrams(codes)


# --- build_postings ---------------------------------------------------------------------------


@given(st.lists(_text, min_size=1, max_size=12))
@settings(max_examples=200)
def test_build_postings_equal_brute_force(texts):
    folded = fold_many(texts)
    every = set().union(*(_pairs(f) for f in folded))
    if not every:
        return  # see test_build_postings_of_empty_texts
    segment = build_postings(texts)
    assert segment.count == len(texts)
    # sorted, distinct bigrams; starts bracket the postings
    expected_codes = sorted((ord(b[0]) << 16) | ord(b[1]) for b in every)
    assert segment.bigrams.tolist() == expected_codes
    assert segment.starts[0] == 0 and segment.starts[-1] == len(segment.passages)
    assert np.all(np.diff(segment.starts.astype(np.int64)) > 0)
    for bigram in every:
        (found,) = segment.postings(_code(bigram))
        assert found.tolist() == [n for n, f in enumerate(folded) if bigram in _pairs(f)]
    # first_of: every passage holding a character, whatever follows it
    for char in {c for f in folded for c in f}:
        (found,) = segment.postings(np.array([first_of(ord(char))], dtype=np.uint32))
        assert sorted(set(found.tolist())) == [n for n, f in enumerate(folded) if char in f]
    assert segment.postings(_code("鸡鸭")) == []  # not in the alphabet
    assert segment.nbytes == segment.bigrams.nbytes + segment.starts.nbytes + segment.passages.nbytes > 0


@given(st.lists(_text, min_size=1, max_size=12), st.randoms(use_true_random=False))
@settings(max_examples=100)
def test_many_codes_at_once_are_each_codes_postings_in_order(texts, rng):
    """Exact, first_of and absent codes in one call, shuffled: the postings of each code that is there, in order."""
    folded = fold_many(texts)
    segment = build_postings(texts)
    codes = [int(_code(b)[0]) for b in set().union(*(_pairs(f) for f in folded))]
    codes += [first_of(ord(c)) for c in {c for f in folded for c in f}]
    codes += [int(_code("鸡鸭")[0]), first_of(ord("鸡")), first_of(0xFFFF), first_of(0)]
    rng.shuffle(codes)
    one_by_one = [found.tolist() for code in codes for found in segment.postings(np.array([code], dtype=np.uint32))]
    assert [found.tolist() for found in segment.postings(np.array(codes, dtype=np.uint32))] == one_by_one


def test_build_postings_does_not_pair_across_passages():
    segment = build_postings(["北", "约", "北约", "，约"])
    (found,) = segment.postings(_code("北约"))
    assert found.tolist() == [2]
    assert segment.bigrams.tolist() == sorted(int(_code(pair)[0]) for pair in ("北约", "北\x01", "约\x01"))
    (ends,) = segment.postings(_code("约\x01"))
    assert ends.tolist() == [1, 2, 3]


@pytest.mark.parametrize("texts", [[""], ["，", "", " "]])
def test_build_postings_of_empty_texts(texts):
    segment = build_postings(texts)
    assert segment.count == len(texts)
    assert len(segment.bigrams) == 0
    assert segment.postings(_code("北约")) == []
    assert segment.postings(np.array([first_of(ord("北"))], dtype=np.uint32)) == []


def test_one_character_passages_are_found_by_their_character():
    segment = build_postings(["a", "，", "", "北", "x北"])
    assert segment.bigrams.tolist() == sorted(int(_code(pair)[0]) for pair in ("a\x01", "北\x01", "x北"))
    (found,) = segment.postings(np.array([first_of(ord("北"))], dtype=np.uint32))
    assert found.tolist() == [3, 4]


def test_build_postings_ignores_nul_inside_a_text():
    # NUL joins passages while building: one inside a text must not shift the passages after it.
    segment = build_postings(["北\x00约", "东扩"])
    assert segment.postings(_code("北约"))[0].tolist() == [0]
    assert segment.postings(_code("东扩"))[0].tolist() == [1]


def test_a_batch_without_any_bigram():
    index = snapshot_of([make_article(0, "X", "", []), make_article(1, "北约东扩", "观察者网", [])], batch=1)
    assert index.passage_count == 4
    assert [h.article.title for h in search(index, "北约").hits] == ["北约东扩"]


# --- bigram_codes ----------------------------------------------------------------------------


def test_bigram_codes():
    assert bigram_codes("").tolist() == []
    assert bigram_codes("北").tolist() == []
    assert bigram_codes("，北，").tolist() == []
    assert bigram_codes("“北约”").tolist() == _code("北约").tolist()
    codes = bigram_codes("北约北约 北约")  # distinct and sorted
    assert sorted(codes.tolist()) == codes.tolist()
    assert set(codes.tolist()) == {_code("北约")[0], _code("约北")[0]}
    assert bigram_codes("ＣＮＮ").tolist() == bigram_codes("cnn").tolist()


@given(_text)
def test_bigram_codes_encode_index_key_pairs(text):
    codes = index_keys(text).tolist()
    expected = sorted({(a << 16) | b for a, b in zip(codes, codes[1:])})
    assert bigram_codes(text).tolist() == expected


# --- SearchIndex -----------------------------------------------------------------------------


@given(_article_specs)
@settings(max_examples=150)
def test_index_lookup_equals_brute_force(specs):
    articles = _articles(specs)
    index = _index(articles)
    texts = _passages(articles)
    folded = fold_many(texts)
    assert index.passage_count == len(texts)
    for bigram in set().union(*(_bigrams(f) for f in folded)):
        counts = _lookup(index, _code(bigram))
        assert set(counts.tolist()) <= {0, 1}  # a passage counts once per bigram
        assert np.flatnonzero(counts).tolist() == [n for n, f in enumerate(folded) if bigram in _bigrams(f)]


@given(_article_specs, _text)
@settings(max_examples=150)
def test_shared_bigrams_counts_distinct_query_bigrams(specs, query):
    articles = _articles(specs)
    index = _index(articles)
    folded = fold_many(_passages(articles))
    wanted = _bigrams(fold_many([query])[0])
    counts = _lookup(index, bigram_codes(query))
    assert counts.tolist() == [len(wanted & _bigrams(f)) for f in folded]


@given(_article_specs, st.integers(min_value=2, max_value=5))
@settings(max_examples=100)
def test_adding_in_batches_equals_adding_at_once(specs, batches):
    articles = _articles(specs)
    once, several = _index(articles), _index(articles, batches)
    assert [several.article(n) for n in range(len(articles))] == [once.article(n) for n in range(len(articles))]
    assert several.owners.tolist() == once.owners.tolist()
    assert several.kinds.tolist() == once.kinds.tolist()
    every = set().union(*(_bigrams(f) for f in fold_many(_passages(articles))))
    for bigram in every:
        assert _lookup(several, _code(bigram)).tolist() == _lookup(once, _code(bigram)).tolist()
    for query in ("北约", "美俄谈判", "ＡＢ", "ab"):
        assert _lookup(several, bigram_codes(query)).tolist() == _lookup(once, bigram_codes(query)).tolist()


@given(_article_specs)
@settings(max_examples=100)
def test_passages_round_trip(specs):
    articles = _articles(specs)
    index = _index(articles, 2)
    texts = _passages(articles)
    assert [index.passage_text(p) for p in range(index.passage_count)] == texts
    assert index.passage_texts(list(range(index.passage_count))[::-1]) == texts[::-1]
    for number, article in enumerate(articles):
        assert index.article(number) == article
        mine = [p for p in range(index.passage_count) if index.passage_article(p) == number]
        assert [index.passage_block(p) for p in mine] == [TITLE, SOURCE, *range(len(article.blocks))]
        assert mine == list(range(mine[0], mine[0] + len(mine)))  # contiguous
        title = mine[0]
        assert index.passage_text(title) == article.title
        assert index.passage_text(title + 1) == article.source


def test_title_and_source_passages_exist_for_each_article(seed_articles):
    index = snapshot_of(list(seed_articles.values()))
    assert len(index) == 5
    assert index.passage_count == sum(2 + len(a.blocks) for a in seed_articles.values())
    for number, article in enumerate(seed_articles.values()):
        kinds = {
            index.passage_block(p): index.passage_text(p)
            for p in range(index.passage_count)
            if index.passage_article(p) == number and index.passage_block(p) < 0
        }
        assert kinds == {TITLE: article.title, SOURCE: article.source}


def test_nbytes_positive_and_growing(seed_articles):
    articles = list(seed_articles.values())
    sizes = [snapshot_of(articles[:count]).nbytes for count in range(1, len(articles) + 1)]
    assert sizes[0] > 0
    assert all(b > a for a, b in zip(sizes, sizes[1:]))


def test_newest_rank():
    base = datetime(2022, 1, 1, tzinfo=timezone.utc)
    articles = [
        make_article(0, "old", "VOA", [], base),
        make_article(1, "undated", "VOA", [], None),
        make_article(2, "new", "VOA", [], base + timedelta(days=3)),
        make_article(3, "b-same", "VOA", [], base + timedelta(days=1)),
        make_article(4, "a-same", "VOA", [], base + timedelta(days=1)),
    ]
    assert snapshot_of(articles[:2]).rank.tolist() == [0, 1]
    index = snapshot_of(articles, batch=2)
    assert index.rank.tolist() == [3, 4, 0, 2, 1]
    assert index.newest_first.tolist() == [2, 4, 3, 0, 1]


def test_facets(seed_articles):
    index = snapshot_of(list(seed_articles.values()))
    source_of, sources = index.source_numbers
    dates = index.iso_dates
    assert sorted(sources) == sorted({a.source for a in seed_articles.values()})
    assert [sources[n] for n in source_of.tolist()] == [a.source for a in seed_articles.values()]
    assert dates == [a.date.replace(tzinfo=None).isoformat() for a in seed_articles.values()]


_dates = st.one_of(
    st.none(),
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(timezone.utc)),
    # a few instants shared by many articles, and the edges of days, months and years
    st.sampled_from([datetime(2022, 1, 31, 23, 59, 59, tzinfo=timezone.utc), datetime(1969, 12, 31, 23, 30, tzinfo=timezone.utc)]),
)


def _date_prefixes(isos: list[str]):
    cut = st.sampled_from([iso for iso in isos if iso] or ["2022-01-31T23:59:59"]).flatmap(
        lambda iso: st.integers(0, len(iso) + 1).map(lambda n: iso[:n])
    )
    return st.one_of(cut, st.text(st.sampled_from("0123456789-T:x "), max_size=21))


@settings(max_examples=150, deadline=None)
@given(st.lists(_dates, min_size=1, max_size=12), st.sampled_from(["UTC", "Asia/Shanghai", "America/St_Johns"]), st.data())
def test_dated_is_a_prefix_of_the_local_iso_date(dates, zone, data):
    with pytest.MonkeyPatch.context() as patch:  # per example: hypothesis runs many in one test
        set_zone(patch, zone)
        index = snapshot_of([make_article(n, f"t{n}", "s", [], date) for n, date in enumerate(dates)])
        isos = index.iso_dates
        for prefix in [data.draw(_date_prefixes(isos)) for _ in range(6)] + ["", "2022", "1969-12-31T23"]:
            assert index.dated(prefix).tolist() == [iso.startswith(prefix) for iso in isos], (prefix, isos)
        set_zone(patch, "Pacific/Kiritimati")  # the same snapshot in another zone: nothing kept from the first
        isos = index.iso_dates
        for prefix in ("2022", "2022-01-01T0", "1970-01-01"):
            assert index.dated(prefix).tolist() == [iso.startswith(prefix) for iso in isos], (prefix, isos)


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([None, datetime(2022, 1, 1, tzinfo=timezone.utc), datetime(2021, 5, 5, tzinfo=timezone.utc)]),
                          st.sampled_from(["甲", "乙", "a", ""]), st.sampled_from(["x", "y/z", "a b"])), min_size=1, max_size=14),
       st.integers(1, 4))
def test_newest_first_is_by_date_then_title_then_path(specs, batch):
    """Undated last; equal dates (often) and equal titles too (copies) never leave the order to chance."""
    articles = []
    for n, (date, title, place) in enumerate(specs):
        article = make_article(n, title, "s", [], date)
        articles.append(dataclasses.replace(article, path=Path(f"/corpus/{place}/{n:02d}.txt")))
    index = snapshot_of(articles, batch=batch)
    expected = sorted(range(len(articles)), key=lambda n: (
        articles[n].date is None, -(articles[n].date.timestamp() if articles[n].date else 0), articles[n].title, str(articles[n].path)))
    assert index.newest_first.tolist() == expected


def test_dated_answers_the_filter_for_every_article_of_every_part(seed_articles):
    articles = list(seed_articles.values())
    index = snapshot_of(articles, batch=2)
    assert index.dated("2022-01-1").tolist() == [a.date.isoformat().startswith("2022-01-1") for a in articles]


# --- the 65,535-passage segment limit ---------------------------------------------------------


def test_articles_with_more_passages_than_a_segment_holds_start_a_new_one():
    # A: passages 0 (title), 1 (source), 2..40001 (blocks)
    # B: 30,002 more passages: too many to join A's segment.
    a_blocks = [""] * 40_000
    a_blocks[0] = "北约"
    a_blocks[-1] = "北约"  # the last passage of the first segment
    b_blocks = [""] * 30_000
    b_first = 40_004
    b_blocks[0] = "东扩"  # the first block of the second segment
    b_blocks[-1] = "北约东扩"  # the very last passage
    a = make_article(0, "甲", "VOA", a_blocks)
    b = make_article(1, "乙", "VOA", b_blocks)
    snapshot = snapshot_of([a, b], batch=1)
    assert snapshot.passage_count == 70_004
    assert [(p.segment.article_count, p.segment.passage_count) for p in snapshot.parts] == [(1, 40_002), (1, 30_002)]
    assert np.flatnonzero(_lookup(snapshot, bigram_codes("北约"))).tolist() == [2, 40_001, 70_003]
    assert np.flatnonzero(_lookup(snapshot, bigram_codes("东扩"))).tolist() == [b_first, 70_003]
    assert snapshot.passage_text(b_first) == "东扩"
    assert (snapshot.passage_article(b_first), snapshot.passage_block(b_first)) == (1, 0)

    hits = search(snapshot, "东扩").hits
    assert [(h.article.title, h.block) for h in hits] == [("乙", 0)]
    hits = search(snapshot, "约东").hits  # only in the very last passage
    assert [(h.article.title, h.block) for h in hits] == [("乙", 29_999)]
    hits = search(snapshot, "北约").hits
    assert [(h.article.title, h.block) for h in hits] == [("乙", 29_999), ("甲", 0)]  # undated: by title


def test_an_article_with_more_passages_than_a_segment_holds_keeps_what_fits():
    blocks = ["北约"] + [""] * 70_000 + ["东扩"]
    snapshot = snapshot_of([make_article(0, "甲", "VOA", blocks)])
    assert snapshot.passage_count == 65_535
    assert [h.block for h in search(snapshot, "北约").hits] == [0]
    assert search(snapshot, "东扩").hits == []  # past the 65,535th passage


# --- merging postings -------------------------------------------------------------------------


@given(st.lists(st.lists(_text, min_size=1, max_size=6), min_size=1, max_size=4), st.randoms())
@settings(max_examples=100)
def test_merged_postings_equal_postings_built_at_once(batches, random):
    parts, kept_texts, base = [], [], 0
    for texts in batches:
        keep = [random.random() < 0.7 for _ in texts]
        renumber = np.full(len(texts), -1, dtype=np.int64)
        for number, (text, kept) in enumerate(zip(texts, keep)):
            if kept:
                renumber[number] = base
                base += 1
                kept_texts.append(text)
        parts.append((build_postings(texts), renumber))
    merged = merge_postings(parts, base)
    expected = build_postings(kept_texts)
    assert merged.count == expected.count == len(kept_texts)
    assert merged.bigrams.tolist() == expected.bigrams.tolist()
    assert merged.starts.tolist() == expected.starts.tolist()
    assert merged.passages.tolist() == expected.passages.tolist()


@given(_article_specs, st.integers(min_value=1, max_value=4), st.randoms(use_true_random=False))
@settings(max_examples=100)
def test_passages_read_in_any_order_across_segments(specs, batches, random):
    """Texts, folded texts, owners and kinds of passages asked in any order, from several segments at once."""
    articles = _articles(specs)
    snapshot = _index(articles, batches)
    passages = list(range(snapshot.passage_count)) * 2
    random.shuffle(passages)
    texts = _passages(articles)
    assert snapshot.passage_texts(passages) == [texts[p] for p in passages]
    assert snapshot.folded_passage_texts(passages) == fold_many([texts[p] for p in passages])
    owner = [n for n, a in enumerate(articles) for _ in range(2 + len(a.blocks))]
    kind = [k for a in articles for k in (TITLE, SOURCE, *range(len(a.blocks)))]
    asked = np.array(passages, dtype=np.int64)
    assert snapshot.owners[asked].tolist() == [owner[p] for p in passages]
    assert snapshot.kinds[asked].tolist() == [kind[p] for p in passages]
    assert [snapshot.owners[p] for p in passages[:5]] == [owner[p] for p in passages[:5]]


def test_many_owners_at_once_come_from_the_table_and_agree_with_bisection():
    articles = [make_article(n, f"标题{n}", "VOA", ["北约"] * (n % 4)) for n in range(3000)]
    snapshot = _index(articles, 3)
    passages = np.arange(snapshot.passage_count)[::-1].copy()
    assert len(passages) >= snapshot.owners._TABLE_FROM
    by_table = snapshot.owners[passages]
    assert snapshot.owners._table is not None
    bisected = np.searchsorted(snapshot.first_passages, passages, side="right") - 1
    assert by_table.tolist() == bisected.tolist()


@given(st.lists(st.tuples(st.sampled_from([None, 0, 1, 2]), st.sampled_from(["甲", "乙", "丙"])), min_size=1, max_size=40))
@settings(max_examples=100)
def test_newest_first_orders_every_run_of_one_date_by_title_then_path(specs):
    """Many short runs of equal dates (and the undated, last): each ordered by title, then path."""
    start = datetime(2022, 1, 1, tzinfo=timezone.utc)
    articles = [
        make_article(n, title, "VOA", ["正文"], None if day is None else start + timedelta(days=day))
        for n, (day, title) in enumerate(specs)
    ]
    snapshot = _index(articles, 3)
    undated_last = (1 << 62)

    def key(n: int):
        date = articles[n].date
        return (-date.timestamp() if date else undated_last, articles[n].title, str(articles[n].path))

    assert snapshot.newest_first.tolist() == sorted(range(len(articles)), key=key)


# --- folded texts kept between searches (segment.FoldedMemo) ------------------------------------


@given(_article_specs, st.integers(min_value=1, max_value=3), st.lists(st.lists(st.integers(0, 10**6), max_size=12), min_size=1, max_size=4),
       st.integers(min_value=1, max_value=60))
@settings(max_examples=100)
def test_folded_texts_are_the_same_from_the_memo_as_folded_afresh(specs, batches, asks, budget):
    """Asks that overlap, repeat and outgrow a small budget (so the memo is forgotten midway) fold alike."""
    from reader.catalog import segment

    articles = _articles(specs)
    snapshot = _index(articles, batches)
    texts = _passages(articles)
    memo = segment.FoldedMemo(budget)
    real, segment.FOLDED = segment.FOLDED, memo
    try:
        for ask in asks:
            passages = [number % snapshot.passage_count for number in ask]
            assert snapshot.folded_passage_texts(passages) == fold_many([texts[p] for p in passages])
            assert memo.kept <= budget  # past the budget, everything is forgotten
    finally:
        segment.FOLDED = real


def test_the_memo_is_used_until_forgotten():
    from reader.catalog import segment

    articles = [make_article(n, f"標題{n}", "VOA", ["北約東擴", "核戰爭"]) for n in range(20)]
    snapshot = _index(articles, 2)
    passages = list(range(snapshot.passage_count))
    memo = segment.FoldedMemo(10**6)
    real, segment.FOLDED = segment.FOLDED, memo
    folded = []
    real_fold = segment.fold_units
    try:
        segment.fold_units = lambda units: folded.append(len(units)) or real_fold(units)
        first = snapshot.folded_passage_texts(passages)
        assert folded and first[2] == "北约东扩"
        folded.clear()
        assert snapshot.folded_passage_texts(passages[::-1]) == first[::-1] and folded == []  # all kept
        memo.forget()
        assert snapshot.folded_passage_texts(passages[:5]) == first[:5] and folded  # folded again
    finally:
        segment.FOLDED, segment.fold_units = real, real_fold


def test_two_threads_reading_folded_texts_at_once_get_the_right_texts():
    import threading

    from reader.catalog import segment

    articles = [make_article(n, f"标题{n}", "VOA", [f"第{n}篇的第{b}段" for b in range(30)]) for n in range(400)]
    snapshot = _index(articles, 4)
    texts = _passages(articles)
    memo = segment.FoldedMemo(20_000)  # small: forgotten again and again while both read
    real, segment.FOLDED = segment.FOLDED, memo
    wrong: list[int] = []

    def read(seed: int) -> None:
        import random

        rng = random.Random(seed)
        for _ in range(60):
            passages = rng.sample(range(snapshot.passage_count), 300)
            if snapshot.folded_passage_texts(passages) != fold_many([texts[p] for p in passages]):
                wrong.append(seed)

    try:
        threads = [threading.Thread(target=read, args=(seed,)) for seed in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        assert memo.generation > 0 and not wrong
    finally:
        segment.FOLDED = real
