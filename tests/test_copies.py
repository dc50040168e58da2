"""reader.catalog.copies: the same article under several paths is one row, one hit, one line.

And reader.search.repeats: a passage that stands in many articles (a
footer) ranks after passages unique to their article.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from reader.catalog.copies import MIN_TEXT
from reader.catalog.segment import url_hashes
from reader.catalog.grouping import Grouping, group_articles
from reader.catalog.segment import FileRef, build_segment, passage_hashes
from reader.catalog.snapshot import Part, Snapshot, snapshot_of
from reader.model import Article, Block, BlockKind
from reader.search.engine import search
from reader.search.repeats import repeat_tiers, shared_texts

BASE = datetime(2022, 1, 10, 8, 0, tzinfo=timezone.utc)
BODY = "美国和俄罗斯官员1月10日就俄罗斯在乌克兰边界大规模集结部队所引发的紧张局势举行重要的会谈。"
OTHER = "这是本周在欧洲举行的美俄及北约组织一系列外交活动的一部分，双方立场相差甚远，会谈没有取得进展。"
assert len(BODY) >= MIN_TEXT and len(OTHER) >= MIN_TEXT


def article(path: str, body: str = BODY, *, title: str = "美俄会谈", url: str = "", days: float | None = 0,
            source: str = "美国之音", blocks: tuple[str, ...] = ()) -> Article:
    texts = (body, *blocks) if body else blocks
    return Article(
        path=Path(path), title=title, source=source, date=None if days is None else BASE + timedelta(days=days),
        date_origin=None, author="", url=url, categories=(), tags=(), format="text",
        blocks=tuple(Block(BlockKind.PARAGRAPH, text) for text in texts),
    )


def groups_of(snapshot) -> list[list[str]]:
    return [[snapshot.path(n) for n in group] for group in snapshot.copies.groups()]


# --- which articles are copies ------------------------------------------------------------------


def test_the_same_text_under_two_paths_is_one_article():
    snapshot = snapshot_of([article("a/x.txt"), article("b/y.md", title="美俄会谈（转载）"), article("c/z.txt", OTHER)])
    assert groups_of(snapshot) == [["a/x.txt", "b/y.md"]]
    copies = snapshot.copies
    assert copies.size.tolist() == [2, 2, 1]
    assert copies.count(0) == 2 and copies.count(2) == 1
    assert copies.mark(0) == "×2" and copies.mark(2) == ""
    assert copies.others(0) == [1] and copies.others(1) == [0] and copies.others(2) == []
    assert copies.copy_count == 1
    assert len(copies.listed) == 2


def test_blanks_do_not_make_another_text():
    spaced = BODY.replace("，", " ，").replace("。", "。  ")
    snapshot = snapshot_of([article("a.txt"), article("b.txt", spaced)])
    assert groups_of(snapshot) == [["a.txt", "b.txt"]]


def test_the_same_url_is_one_article_whatever_the_text():
    snapshot = snapshot_of([
        article("a.txt", BODY, url="https://www.voachinese.com/a/6390398.html"),
        article("b.txt", OTHER, url="http://voachinese.com/a/6390398.html#comments", days=1),  # updated since
        article("c.txt", OTHER + "另", url="https://www.voachinese.com/a/other.html"),
    ])
    assert groups_of(snapshot) == [["b.txt", "a.txt"]]  # the newest is listed


def test_urls_compare_without_scheme_www_fragment_and_trailing_slash():
    keys = url_hashes(["https://www.a.com/x/", "http://a.com/x#top", "a.com/x/#top", "HTTPS://WWW.a.com/x", "", "https://a.com/y", "https://b.com/x"])
    assert keys[:4].tolist() == [keys[0]] * 4 and keys[0] != 0
    assert keys[4] == 0  # no url: no one's copy
    assert len(set(keys[4:].tolist())) == 3
    assert url_hashes([]).tolist() == []


def test_a_copy_of_a_copy_is_a_copy():
    # a and b share a url, b and c share a text: one group of three.
    snapshot = snapshot_of([
        article("a.txt", OTHER, url="https://a.com/1"),
        article("b.txt", BODY, url="https://a.com/1"),
        article("c.txt", BODY),
        article("d.txt", OTHER + "另一篇"),
    ])
    assert [sorted(group) for group in groups_of(snapshot)] == [["a.txt", "b.txt", "c.txt"]]
    assert snapshot.copies.size.tolist() == [3, 3, 3, 1]


def test_a_short_or_empty_body_names_no_article():
    snapshot = snapshot_of([article("a.txt", "正文"), article("b.txt", "正文"), article("c.txt", ""), article("d.txt", "")])
    assert groups_of(snapshot) == []
    assert snapshot.copies.size.tolist() == [1, 1, 1, 1]


def test_the_representative_is_the_newest_then_by_title_then_by_path():
    snapshot = snapshot_of([
        article("z/old.txt", days=0),
        article("y/new.txt", days=5),
        article("x/undated.txt", days=None),
    ])
    assert groups_of(snapshot) == [["y/new.txt", "z/old.txt", "x/undated.txt"]]
    same_day = snapshot_of([article("b/x.txt", title="戊"), article("a/x.txt", title="戊"), article("c/x.txt", title="丁")])
    assert groups_of(same_day) == [["c/x.txt", "a/x.txt", "b/x.txt"]]  # 丁 < 戊, then a/ < b/
    listed = same_day.copies.listed.tolist()
    assert [same_day.path(n) for n in listed] == ["c/x.txt"]
    assert same_day.copies.representative(0) == same_day.copies.representative(1) == listed[0]


def test_dead_articles_are_nobody_s_copy():
    snapshot = snapshot_of([article("a.txt"), article("b.txt"), article("c.txt")])
    (part,) = snapshot.parts
    fewer = Snapshot((part.with_dead(np.array([1])),), snapshot.roots)
    assert groups_of(fewer) == [["a.txt", "c.txt"]]
    assert fewer.copies.group[1] == -1 and fewer.copies.size[1] == 0
    assert fewer.copies.representative(1) == 1  # not live: itself


def in_parts(articles: list[Article], size: int) -> Snapshot:
    """A snapshot of several parts (snapshot_of joins its batches into one)."""
    files = [FileRef(0, str(a.path), str(a.path), (0, n, 0, 0)) for n, a in enumerate(articles)]
    parts = tuple(Part(build_segment(files[i:i + size], articles[i:i + size])) for i in range(0, len(articles), size))
    return Snapshot(parts, ("",))


def test_copies_across_segments():
    articles = [article(f"a/{n}.txt", f"{BODY}{n}") for n in range(7)] + [article("b/3.txt", f"{BODY}3")]
    snapshot = in_parts(articles, 3)
    assert len(snapshot.parts) == 3
    assert groups_of(snapshot) == [["a/3.txt", "b/3.txt"]]


# --- the sidebar lists each article once --------------------------------------------------------


@pytest.mark.parametrize("grouping", list(Grouping))
def test_the_sidebar_groups_hold_one_row_per_article(grouping):
    snapshot = snapshot_of([article("a/x.txt"), article("b/x.txt", source="另一个来源"), article("c.txt", OTHER, days=1)])
    rows = [snapshot.path(n) for group in _leaves(group_articles(snapshot, grouping)) for n in group.members.tolist()]
    assert sorted(rows) == ["a/x.txt", "c.txt"]


def _leaves(groups):
    for group in groups:
        yield from (group.children or (group,))


# --- search: copies are one hit ----------------------------------------------------------------


def test_copies_are_one_hit_with_the_other_paths():
    snapshot = snapshot_of([article("a/x.txt"), article("b/x.txt"), article("c/x.txt", OTHER + "集结部队")])
    hits = search(snapshot, "集结部队").hits
    assert [str(hit.article.path) for hit in hits] == ["a/x.txt", "c/x.txt"]
    assert hits[0].copies == (Path("b/x.txt"),)
    assert hits[1].copies == ()


def test_copies_are_one_hit_for_fuzzy_one_character_and_filter_only_queries():
    snapshot = snapshot_of([article("a/x.txt"), article("b/x.txt"), article("c/x.txt", OTHER + "集结部队", days=1)])
    fuzzy = search(snapshot, "集结步队所引发").hits  # one character wrong
    assert [str(hit.article.path) for hit in fuzzy] == ["a/x.txt"] and not fuzzy[0].exact
    one = search(snapshot, "集")
    assert [str(hit.article.path) for hit in one.hits] == ["c/x.txt", "a/x.txt"] and one.total == 2
    assert one.hits[1].copies == (Path("b/x.txt"),)
    filtered = search(snapshot, "source:美国之音").hits
    assert [str(hit.article.path) for hit in filtered] == ["c/x.txt", "a/x.txt"]
    assert filtered[1].copies == (Path("b/x.txt"),)


def test_a_copy_that_alone_holds_the_match_is_the_hit():
    # Two saves of one url: only the older holds the words; it is the hit, the listed one is "also in".
    snapshot = snapshot_of([
        article("new.txt", OTHER, url="https://a.com/1", days=1),
        article("old.txt", BODY, url="https://a.com/1", days=0),
    ])
    (hit,) = search(snapshot, "集结部队").hits
    assert str(hit.article.path) == "old.txt" and hit.copies == (Path("new.txt"),)


def test_the_limit_counts_articles_not_copies():
    articles = [article(f"{n}/x.txt", f"第{n}篇：{BODY}", days=n) for n in range(4)] + [article("copy/x.txt", f"第3篇：{BODY}")]
    results = search(snapshot_of(articles), "集结部队", limit=3)
    assert [str(hit.article.path) for hit in results.hits] == ["3/x.txt", "2/x.txt", "1/x.txt"] and results.more


# --- repeated passages --------------------------------------------------------------------------

FOOTER = "欢迎关注本频道，转载请注明出处。"


def test_a_footer_of_many_articles_ranks_after_the_passage_unique_to_its_article():
    channel = [article(f"channel/{n}.txt", f"第{n}条新闻：{BODY}", days=10 + n, source="某频道", blocks=(FOOTER,)) for n in range(6)]
    unique = article("voa/x.txt", f"记者说，本频道会继续报道。{OTHER}", days=0, source="美国之音")
    hits = search(snapshot_of([*channel, unique]), "本频道").hits
    assert str(hits[0].article.path) == "voa/x.txt"  # the oldest, but its passage is its own
    assert [str(hit.article.path) for hit in hits[1:]] == [f"channel/{n}.txt" for n in range(5, -1, -1)]  # newest first


def test_a_footer_reposted_under_other_sources_is_still_a_footer():
    # Reposts (not word for word: other bodies) carry the outlet's footer into other sources.
    reposts = [article(f"{n}.txt", f"第{n}条：{BODY}", days=10 + n, source=f"来源{n}", blocks=(FOOTER,)) for n in range(4)]
    unique = article("own.txt", f"记者说，本频道会继续报道。{OTHER}", days=0, source="来源0")
    hits = search(snapshot_of([*reposts, unique]), "本频道").hits
    assert [str(hit.article.path) for hit in hits] == ["own.txt", "3.txt", "2.txt", "1.txt", "0.txt"]


def test_copies_of_one_article_do_not_make_its_passages_repeated():
    copies = [article(f"{n}/x.txt", BODY + "本频道独家。", source="某频道") for n in range(3)]
    other = article("y.txt", OTHER + "本频道评论。", days=5, source="某频道")
    hits = search(snapshot_of([*copies, other]), "本频道").hits
    assert [str(hit.article.path) for hit in hits] == ["y.txt", "0/x.txt"]  # by date: neither repeats


def tiers_of(snapshot, passages: np.ndarray) -> np.ndarray:
    return repeat_tiers(snapshot, passages, snapshot.owners[passages])


def test_repeat_tiers_are_log2_of_the_articles_holding_the_text():
    articles = [article(f"{n}.txt", f"第{n}条：{BODY}", days=n, source="频道", blocks=(FOOTER,)) for n in range(9)]
    snapshot = snapshot_of(articles)
    footers = np.array([int(snapshot.first_passages[n]) + 3 for n in range(9)])  # title, source, body, footer
    assert set(snapshot.passage_texts(footers.tolist())) == {FOOTER}
    for count, tier in ((1, 0), (2, 1), (3, 1), (4, 2), (7, 2), (8, 3), (9, 3)):
        assert tiers_of(snapshot, footers[:count]).tolist() == [tier] * count
    bodies = footers - 1
    assert tiers_of(snapshot, np.concatenate((bodies, footers[:4]))).tolist() == [0] * 9 + [2] * 4


def test_repeat_tiers_of_many_candidates_agree_with_a_plain_count():
    rng = np.random.default_rng(3)
    texts = [f"{BODY}{n}" for n in range(300)]
    articles = [article(f"{n}.txt", texts[n], source=f"来源{n % 3}", blocks=tuple(f"段落{k}" for k in rng.integers(0, 40, 20)))
                for n in range(300)]
    articles += [dataclasses.replace(articles[n], path=Path(f"copy/{n}.txt")) for n in range(5)]  # copies: counted once
    snapshot = snapshot_of(articles)
    candidates = np.arange(snapshot.passage_count)
    tiers = tiers_of(snapshot, candidates)
    owners = snapshot.owners[candidates]
    texts = snapshot.passage_texts(candidates.tolist())
    group = snapshot.copies.group
    holders: dict[str, set[int]] = {}
    for owner, text in zip(owners.tolist(), texts):
        holders.setdefault(text, set()).add(int(group[owner]))  # copies count once
    expected = [int(np.log2(len(holders[text]))) for text in texts]
    assert len(snapshot.copies.groups()) == 5
    assert len(candidates) > 4096 and tiers.tolist() == expected
    assert 0 < int((tiers > 0).sum()) < len(candidates)
    # Once the snapshot knows which passages share their text, only those are counted: the same tiers.
    assert not snapshot.has("repeated_passages")  # a search never computes it (0.2 s at 100,000 articles)
    snapshot.prepare_search()
    assert snapshot.has("repeated_passages")
    shared = snapshot.repeated_passages
    assert shared.tolist() == [sum(1 for other in texts if other == text) > 1 for text in texts]
    assert tiers_of(snapshot, candidates).tolist() == expected
    some = candidates[rng.random(len(candidates)) < 0.3]  # a query's candidates: a part of every passage
    assert tiers_of(snapshot, some).tolist() == plain_tiers(snapshot, some)  # counted among them only
    assert tiers_of(snapshot, candidates[~shared]).tolist() == [0] * int((~shared).sum())


def plain_tiers(snapshot, passages: np.ndarray) -> list[int]:
    """The repeat tiers of ``passages`` counted one by one: log2 of the copy groups among them holding each text."""
    texts = snapshot.passage_texts(passages.tolist())
    group = snapshot.copies.group
    holders: dict[str, set[int]] = {}
    for owner, text in zip(snapshot.owners[passages].tolist(), texts):
        holders.setdefault(text, set()).add(int(group[owner]))
    return [int(np.log2(len(holders[text]))) for text in texts]


def test_shared_texts_marks_every_hash_another_one_has():
    rng = np.random.default_rng(5)
    hashes = rng.integers(-(2**63), 2**63 - 1, 50_000, dtype=np.int64)
    hashes[rng.integers(0, len(hashes), 2_000)] = hashes[rng.integers(0, len(hashes), 2_000)]  # planted repeats
    values, counts = np.unique(hashes, return_counts=True)
    expected = np.isin(hashes, values[counts > 1])
    assert 0 < int(expected.sum()) < len(hashes)
    assert shared_texts(hashes).tolist() == expected.tolist()
    assert shared_texts(np.zeros(0, dtype=np.int64)).tolist() == []
    assert shared_texts(np.array([7], dtype=np.int64)).tolist() == [False]
    # Two hashes whose 32-bit folds tie are marked too (a superset is safe: they are counted after).
    tied = np.array([1 << 32 | 5, 5 << 32 | 1, 9], dtype=np.int64)
    assert shared_texts(tied).tolist() == [True, True, False]


def test_a_search_ranks_alike_before_and_after_the_snapshot_knows_its_repeated_passages():
    channel = [article(f"channel/{n}.txt", f"第{n}条新闻：{BODY}", days=10 + n, source="某频道", blocks=(FOOTER,)) for n in range(6)]
    reposts = [article(f"repost/{n}.txt", f"转载{n}：{OTHER}", days=n, source=f"来源{n}", blocks=(FOOTER,)) for n in range(3)]
    unique = article("voa/x.txt", f"记者说，本频道会继续报道。{OTHER}", days=0, source="美国之音")
    snapshot = snapshot_of([*channel, *reposts, unique, article("copy/x.txt", f"记者说，本频道会继续报道。{OTHER}")])
    queries = ("本频道", "本頻道", "美俄", "会谈", "北约", "第3条")
    before = {query: [(str(hit.article.path), hit.passage) for hit in search(snapshot, query).hits] for query in queries}
    assert not snapshot.has("repeated_passages")
    snapshot.prepare_search()
    after = {query: [(str(hit.article.path), hit.passage) for hit in search(snapshot, query).hits] for query in queries}
    assert after == before
    assert before["本频道"][0][0] == "copy/x.txt" and len(before["本频道"]) == 10  # its copy voa/x.txt: "also in"


def test_passage_hashes_tell_texts_apart():
    texts = ["正文", "正文", "正文。", "", "𠮷𠮷", "𠮷𠮶"]
    text = np.frombuffer("".join(texts).encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    starts = np.cumsum([0, *(len(t.encode("utf-16-le", "surrogatepass")) // 2 for t in texts)])
    hashes = passage_hashes(text, starts).tolist()
    assert hashes[0] == hashes[1]
    assert len(set(hashes)) == 5
    assert hashes[3] == 0 or hashes[3] not in hashes[:3]


def test_a_snapshot_reads_passage_hashes_across_segments():
    articles = [article(f"{n}.txt", f"第{n}条：{BODY}", blocks=(FOOTER,)) for n in range(7)]
    snapshot = in_parts(articles, 3)
    footers = [int(snapshot.first_passages[n]) + 3 for n in range(7)]
    assert len(set(snapshot.passage_hashes(np.array(footers)).tolist())) == 1
    bodies = [passage - 1 for passage in footers]
    assert len(set(snapshot.passage_hashes(np.array(bodies)).tolist())) == 7
    # in any order, each passage's own hash
    mixed = np.array([bodies[5], footers[0], bodies[1], footers[6], bodies[5]])
    one_by_one = [int(snapshot.passage_hashes(np.array([passage]))[0]) for passage in mixed.tolist()]
    assert snapshot.passage_hashes(mixed).tolist() == one_by_one
    assert one_by_one[0] == one_by_one[4] and one_by_one[1] == one_by_one[3] and one_by_one[0] != one_by_one[2]
