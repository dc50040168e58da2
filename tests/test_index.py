"""The bigram index (reader.index) against brute force over fold_many."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.index import SOURCE, TITLE, IndexSnapshot, SearchIndex, bigram_codes, build_postings
from reader.model import Article, Block, BlockKind
from reader.normalize import fold_codes, fold_many
from reader.search import search

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


def _code(bigram: str) -> np.ndarray:
    return np.array([(ord(bigram[0]) << 16) | ord(bigram[1])], dtype=np.uint32)


def _index(articles: list[Article], batches: int = 1) -> SearchIndex:
    index = SearchIndex()
    size = -(-len(articles) // batches)
    for start in range(0, len(articles), size):
        index.add(articles[start:start + size])
    return index


def _lookup(index: SearchIndex, codes: np.ndarray) -> np.ndarray:
    return index.snapshot().shared_bigrams(codes)


# --- build_postings ---------------------------------------------------------------------------


@given(st.lists(_text, min_size=1, max_size=12))
@settings(max_examples=200)
def test_build_postings_equal_brute_force(texts):
    folded = fold_many(texts)
    every = set().union(*(_bigrams(f) for f in folded))
    if not every:
        return  # see test_build_postings_without_any_bigram
    segment = build_postings(texts)
    assert segment.count == len(texts)
    # sorted, distinct bigrams; starts bracket the postings
    expected_codes = sorted((ord(b[0]) << 16) | ord(b[1]) for b in every)
    assert segment.bigrams.tolist() == expected_codes
    assert segment.starts[0] == 0 and segment.starts[-1] == len(segment.passages)
    assert np.all(np.diff(segment.starts.astype(np.int64)) > 0)
    for bigram in every:
        (found,) = segment.postings(_code(bigram))
        assert found.tolist() == [n for n, f in enumerate(folded) if bigram in _bigrams(f)]
    assert segment.postings(_code("鸡鸭")) == []  # not in the alphabet
    assert segment.nbytes == segment.bigrams.nbytes + segment.starts.nbytes + segment.passages.nbytes > 0


def test_build_postings_does_not_pair_across_passages():
    segment = build_postings(["北", "约", "北约", "，约"])
    (found,) = segment.postings(_code("北约"))
    assert found.tolist() == [2]
    assert segment.bigrams.tolist() == _code("北约").tolist()


@pytest.mark.parametrize("texts", [[""], ["北"], ["a", "，", ""]])
def test_build_postings_without_any_bigram(texts):
    segment = build_postings(texts)
    assert segment.count == len(texts)
    assert len(segment.bigrams) == 0
    assert segment.postings(_code("北约")) == []


def test_add_a_batch_without_any_bigram():
    index = SearchIndex()
    index.add([make_article(0, "X", "", [])])
    assert index.passage_count == 2
    index.add([make_article(1, "北约东扩", "观察者网", [])])
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
def test_bigram_codes_encode_fold_codes_pairs(text):
    codes = fold_codes(text).tolist()
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
    assert several.snapshot().articles == once.snapshot().articles
    assert several.snapshot().owners.tolist() == once.snapshot().owners.tolist()
    assert several.snapshot().kinds.tolist() == once.snapshot().kinds.tolist()
    every = set().union(*(_bigrams(f) for f in fold_many(_passages(articles))))
    for bigram in every:
        assert _lookup(several, _code(bigram)).tolist() == _lookup(once, _code(bigram)).tolist()
    for query in ("北约", "美俄谈判", "ＡＢ", "ab"):
        assert _lookup(several, bigram_codes(query)).tolist() == _lookup(once, bigram_codes(query)).tolist()


@given(_article_specs)
@settings(max_examples=100)
def test_passages_round_trip(specs):
    articles = _articles(specs)
    index = _index(articles, 2).snapshot()
    texts = _passages(articles)
    assert [index.passage_text(p) for p in range(index.passage_count)] == texts
    for number, article in enumerate(articles):
        assert index.article(number) is article
        mine = [p for p in range(index.passage_count) if index.passage_article(p) == number]
        assert [index.passage_block(p) for p in mine] == [TITLE, SOURCE, *range(len(article.blocks))]
        assert mine == list(range(mine[0], mine[0] + len(mine)))  # contiguous
        title = mine[0]
        assert index.passage_text(title) == article.title
        assert index.passage_text(title + 1) == article.source


def test_title_and_source_passages_exist_for_each_article(seed_articles):
    built = SearchIndex()
    built.add(list(seed_articles.values()))
    assert len(built) == 5
    index = built.snapshot()
    assert index.passage_count == sum(2 + len(a.blocks) for a in seed_articles.values())
    for number, article in enumerate(seed_articles.values()):
        kinds = {
            index.passage_block(p): index.passage_text(p)
            for p in range(index.passage_count)
            if index.passage_article(p) == number and index.passage_block(p) < 0
        }
        assert kinds == {TITLE: article.title, SOURCE: article.source}


def test_nbytes_positive_and_growing(seed_articles):
    index = SearchIndex()
    assert index.nbytes == 0
    articles = list(seed_articles.values())
    sizes = []
    for article in articles:
        index.add([article])
        sizes.append(index.nbytes)
    assert sizes[0] > 0
    assert all(b > a for a, b in zip(sizes, sizes[1:]))
    segments = index.snapshot().segments
    assert index.nbytes == sum(s.postings.nbytes for s in segments) + 8 * index.passage_count


def test_snapshot_is_consistent(seed_articles):
    index = SearchIndex()
    index.add(list(seed_articles.values())[:2])
    old = index.snapshot()
    old_owners = old.owners  # tables built before the next batch arrives
    index.add(list(seed_articles.values())[2:])
    assert old.article_count == 2 and old.passage_count == sum(s.count for s in old.segments)
    assert index.snapshot().article_count == 5
    # the old snapshot still answers about the first two articles only, with the same tables
    counts = old.shared_bigrams(bigram_codes("北约"))
    assert len(counts) == old.passage_count and counts.any()
    assert old.owners is old_owners and len(old.owners) == old.passage_count
    assert len(search(old, "北约").hits) <= 2


def test_a_failed_add_changes_nothing(seed_articles, monkeypatch):
    import reader.index as index_module

    index = SearchIndex()
    index.add(list(seed_articles.values())[:2])
    before = index.snapshot()

    def broken(texts):
        raise MemoryError("no room")

    monkeypatch.setattr(index_module, "build_postings", broken)
    with pytest.raises(MemoryError):
        index.add(list(seed_articles.values())[2:])
    assert index.snapshot() is before
    assert len(search(index, "北约").hits) == len(search(before, "北约").hits)


def test_newest_rank():
    base = datetime(2022, 1, 1, tzinfo=timezone.utc)
    articles = [
        make_article(0, "old", "VOA", [], base),
        make_article(1, "undated", "VOA", [], None),
        make_article(2, "new", "VOA", [], base + timedelta(days=3)),
        make_article(3, "b-same", "VOA", [], base + timedelta(days=1)),
        make_article(4, "a-same", "VOA", [], base + timedelta(days=1)),
    ]
    index = SearchIndex()
    index.add(articles[:2])
    assert index.snapshot().rank.tolist() == [0, 1]
    index.add(articles[2:])  # a new snapshot ranks again
    assert index.snapshot().rank.tolist() == [3, 4, 0, 2, 1]


def test_facets(seed_articles):
    index = SearchIndex()
    index.add(list(seed_articles.values()))
    source_of, sources, dates = index.snapshot().facets
    assert sorted(sources) == sorted({a.source for a in seed_articles.values()})
    assert [sources[n] for n in source_of.tolist()] == [a.source for a in seed_articles.values()]
    assert dates == [a.date.isoformat() for a in seed_articles.values()]


# --- the 65,535-passage segment split ---------------------------------------------------------


def test_one_add_with_more_than_65535_passages_is_split_into_segments():
    # A: passages 0 (title), 1 (source), 2..40001 (blocks)
    # B: passages 40002 (title), 40003 (source), 40004..70003 (blocks): too many
    # for A's segment, so B starts the second one; an article is never split.
    a_blocks = [""] * 40_000
    a_blocks[0] = "北约"
    a_blocks[-1] = "北约"  # the last passage of the first segment
    b_blocks = [""] * 30_000
    b_first = 40_004
    b_blocks[0] = "东扩"  # the first block of the second segment
    b_blocks[-1] = "北约东扩"  # the very last passage
    a = make_article(0, "甲", "VOA", a_blocks)
    b = make_article(1, "乙", "VOA", b_blocks)
    index = SearchIndex()
    index.add([a, b])
    snapshot = index.snapshot()
    assert snapshot.passage_count == 70_004
    assert [(len(s.articles), s.count) for s in snapshot.segments] == [(1, 40_002), (1, 30_002)]
    assert np.flatnonzero(_lookup(index, bigram_codes("北约"))).tolist() == [2, 40_001, 70_003]
    assert np.flatnonzero(_lookup(index, bigram_codes("东扩"))).tolist() == [b_first, 70_003]
    assert snapshot.passage_text(b_first) == "东扩"
    assert (snapshot.passage_article(b_first), snapshot.passage_block(b_first)) == (1, 0)

    hits = search(index, "东扩").hits
    assert [(h.article.title, h.block) for h in hits] == [("乙", 0)]
    hits = search(index, "约东").hits  # only in the very last passage
    assert [(h.article.title, h.block) for h in hits] == [("乙", 29_999)]
    hits = search(index, "北约").hits
    assert [(h.article.title, h.block) for h in hits] == [("乙", 29_999), ("甲", 0)]  # undated: by title


def test_an_article_with_more_passages_than_a_segment_holds_is_searchable_up_to_the_limit():
    blocks = ["北约"] + [""] * 70_000 + ["东扩"]
    index = SearchIndex()
    index.add([make_article(0, "甲", "VOA", blocks)])
    assert index.snapshot().passage_count == 65_535
    assert [h.block for h in search(index, "北约").hits] == [0]
    assert search(index, "东扩").hits == []  # past the 65,535th passage


# --- a loading thread and searches at once ---------------------------------------------------


def test_searches_while_a_thread_adds_batches_never_fail_and_see_whole_batches():
    """The loader never pauses here: both run at once, as in the app while a big folder loads."""
    import threading

    batches = [
        [make_article(n * 10 + k, f"北约东扩{n}-{k}", "VOA", ["美俄谈判" * (k + 1), "核战争打不赢"]) for k in range(10)]
        for n in range(150)
    ]
    index = SearchIndex()
    errors: list[BaseException] = []
    done = threading.Event()

    def load() -> None:
        try:
            for batch in batches:
                index.add(batch)
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            done.set()

    def search_until_loaded() -> None:
        seen = 0
        try:
            while not done.is_set():
                for query in ("北约东扩", "美俄谈判", "核战争打不应", "北约", "source:VOA"):
                    results = search(index, query, limit=20)
                    # whole batches only, never fewer articles than an earlier search saw
                    assert results.searched % 10 == 0 and results.searched >= seen
                    seen = results.searched
                    assert all(0 < len(hit.article.title) for hit in results.hits)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    searchers = [threading.Thread(target=search_until_loaded) for _ in range(2)]
    loader = threading.Thread(target=load)
    for thread in (*searchers, loader):
        thread.start()
    for thread in (loader, *searchers):
        thread.join(timeout=120)
    assert not errors, errors[0]
    assert index.snapshot().article_count == 1500
    assert search(index, "北约东扩149-9").hits[0].article.title == "北约东扩149-9"
