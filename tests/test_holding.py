"""Which articles hold one character (reader.catalog.holding), and the one-character search built on it.

Checked against brute force over the passages' folded texts, on snapshots of
several parts (some without the character at all), with dead articles, and
with characters beyond the BMP, whose index keys several characters share.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest

from reader.catalog.segment import FileRef, build_segment
from reader.catalog.snapshot import Part, Snapshot
from reader.model import Article, Block, BlockKind
from reader.search.engine import search
from reader.search.fold import KEY_BUCKETS_START, fold, index_key
from reader.search.index import SOURCE, TITLE, first_of

_BASE = datetime(2024, 1, 1, tzinfo=timezone.utc)


def _article(n: int, title: str, blocks: list[str], source: str = "来源") -> Article:
    return Article(
        path=Path(f"/hand/{n:03}.txt"), title=title, source=source, date=_BASE + timedelta(days=n % 17, hours=n),
        date_origin=None, author="", url="", categories=(), tags=(), format="text",
        blocks=tuple(Block(BlockKind.PARAGRAPH, text) for text in blocks),
    )


# Titles, sources and blocks that hold 鸡 (and 𠮷, beyond the BMP) in every place, or nowhere.
_SHAPES = [
    ("鸡年", ["没有", "鸡蛋"], "来源"),  # title and a block
    ("标题", ["鸭子", "小鸡", "鸡"], "来源"),  # blocks only: the first that holds it
    ("标题", ["正文"], "鸡鸣报"),  # the source only
    ("标题", ["正文"], "鸡鸣报", ),
    ("标题", [], "来源"),  # nothing
    ("𠮷野家", ["吉野家"], "来源"),  # 𠮷 in the title, 吉 in a block
    ("标题", ["𢒷𠀁", "吉"], "来源"),  # 𢒷 shares 𠮷's index key: only the text tells them apart
    ("标题", ["鸡"], "鸡鸣报"),  # the source, and a block after it
]


def _articles(count: int) -> list[Article]:
    return [_article(n, *_SHAPES[n % len(_SHAPES)]) for n in range(count)]


def _parts(articles: list[Article], size: int, dead: dict[int, list[int]] | None = None) -> Snapshot:
    files = [FileRef(0, str(a.path), str(a.path), (0, n, 0, 0)) for n, a in enumerate(articles)]
    parts = []
    for i in range(0, len(articles), size):
        part = Part(build_segment(files[i:i + size], articles[i:i + size]))
        if dead and i // size in dead:
            part = part.with_dead(np.array([n for n in dead[i // size] if n < part.segment.article_count], dtype=np.int64))
        parts.append(part)
    return Snapshot(tuple(parts), ("",))


def _brute(snapshot: Snapshot, char: str) -> dict[int, int]:
    """Each live article holding ``char`` → its hit: the title, else its first block, else its source."""
    found: dict[int, int] = {}
    for number in np.flatnonzero(snapshot.alive).tolist():
        article = snapshot.article(number)
        blocks = [n for n, block in enumerate(article.blocks) if char in fold(block.text)]
        if char in fold(article.title):
            found[number] = TITLE
        elif blocks:
            found[number] = blocks[0]
        elif char in fold(article.source):
            found[number] = SOURCE
    return found


def _key(char: str) -> int:
    return int(index_key(np.array([ord(fold(char))]))[0])


def test_the_nasty_characters_are_what_they_should_be():
    assert _key("𢒷") == _key("𠮷") >= KEY_BUCKETS_START  # else the check of the texts is not tested
    snapshot = _parts(_articles(16), 4)
    unchecked = snapshot.holding(first_of(_key("𠮷")))
    assert len(unchecked.articles) > len(snapshot.holding(first_of(_key("𠮷")), "𠮷").articles)


@pytest.mark.parametrize("size", [1, 3, 8, 40])
@pytest.mark.parametrize("char", ["鸡", "𠮷", "𢒷", "吉", "鸭"])
def test_the_articles_holding_a_character_are_those_whose_text_holds_it(size, char):
    snapshot = _parts(_articles(40), size, dead={0: [0], 2: [1]})
    key = _key(char)
    holding = snapshot.holding(first_of(key), fold(char) if key >= KEY_BUCKETS_START else None)
    expected = _brute(snapshot, char)
    live = holding.articles[snapshot.alive[holding.articles]]
    assert live.tolist() == sorted(expected)
    assert np.all(np.diff(holding.articles) > 0)
    # the first passage holding it, from the title on (place 0) and from the first block on (place 2)
    everyone = np.arange(snapshot.article_count)
    first, first_block = holding.first_held(everyone), holding.first_held(everyone, 2)
    for number in everyone.tolist():
        article = snapshot.article(number)
        texts = [article.title, article.source, *(block.text for block in article.blocks)]
        places = [n for n, text in enumerate(texts) if fold(char) in fold(text)]
        start = int(snapshot.first_passages[number])
        assert first[number] == (start + places[0] if places else -1)
        blocks = [p for p in places if p >= 2]
        assert first_block[number] == (start + blocks[0] if blocks else -1)


def test_no_segment_holds_it():
    snapshot = _parts(_articles(16), 4)
    holding = snapshot.holding(first_of(_key("猫")))
    assert holding.articles.tolist() == []
    assert holding.first_held(np.arange(16)).tolist() == [-1] * 16


@pytest.mark.parametrize("char", ["鸡", "𠮷", "𢒷", "吉"])
@pytest.mark.parametrize("limit", [0, 3, 50])
def test_a_one_character_search_over_many_parts_shows_each_article_newest_first_at_its_hit(char, limit):
    snapshot = _parts(_articles(64), 5, dead={1: [0, 2], 4: [4]})
    expected = _brute(snapshot, char)
    newest = [n for n in snapshot.newest_first.tolist() if n in expected]
    results = search(snapshot, char, limit=limit)
    assert results.total == len(expected)
    shown = newest[:limit]
    assert [hit.number for hit in results.hits] == shown
    assert [hit.block for hit in results.hits] == [expected[n] for n in shown]
    assert results.more == (len(newest) > limit)
    for hit in results.hits:
        assert [fold(hit.passage[s:e]) for s, e in hit.spans] == [fold(char)] * len(hit.spans) != []
    titles = search(snapshot, f"in:title {char}", limit=100)
    assert [hit.number for hit in titles.hits] == [n for n in newest if expected[n] == TITLE]
