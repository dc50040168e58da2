"""The in-memory search index: which passages hold which character bigrams.

Chinese has no spaces, so words cannot be indexed; pairs of adjacent
characters can. A query of m folded characters has m-1 bigrams, and a passage
that holds the query with k characters wrong, missing or extra still shares at
least m-1-2k of them, so the index hands the scorer a few candidates instead of
every passage.

Postings are built per loading batch (a "segment"): sorting a batch's keys is
cheap and cache-friendly, where sorting 20 million postings at once costs over a
second. Each segment stores, in numpy arrays, its sorted distinct bigrams, where
each bigram's postings start, and the postings themselves as 16-bit passage
numbers local to the segment. Folded passage texts are not kept: candidates are
folded again when they are checked, which costs less than the memory would.
Folding for the index goes through a per-character table in numpy
(normalize.fold_table); the same table encodes queries.
"""

from __future__ import annotations

import threading
from array import array
from dataclasses import dataclass

import numpy as np

from .model import Article
from .normalize import SEPARATOR_CODE, fold_codes

TITLE = -1  # passage "block" numbers that are not blocks
SOURCE = -2
_MAX_SEGMENT_PASSAGES = 65_535  # local passage numbers are uint16


@dataclass(frozen=True)
class Segment:
    first: int  # global number of its first passage
    count: int
    bigrams: np.ndarray  # uint32, sorted, distinct
    starts: np.ndarray  # uint32, len(bigrams) + 1
    passages: np.ndarray  # uint16, local passage numbers, grouped by bigram

    def postings(self, bigram_codes: np.ndarray) -> list[np.ndarray]:
        where = np.searchsorted(self.bigrams, bigram_codes)
        found = []
        for code, index in zip(bigram_codes.tolist(), where.tolist()):
            if index < len(self.bigrams) and self.bigrams[index] == code:
                found.append(self.passages[self.starts[index]:self.starts[index + 1]])
        return found

    @property
    def nbytes(self) -> int:
        return self.bigrams.nbytes + self.starts.nbytes + self.passages.nbytes


def bigram_codes(text: str) -> np.ndarray:
    """The distinct bigrams of a text (a query), encoded as the index encodes them."""
    codes = fold_codes(text).astype(np.uint32)
    if len(codes) < 2:
        return np.empty(0, dtype=np.uint32)
    return np.unique((codes[:-1] << 16) | codes[1:])


def build_segment(first: int, texts: list[str]) -> Segment:
    """Postings of passages ``first``, ``first + 1``, … holding ``texts``.

    All in numpy: the texts are folded through the folding table, paired, and
    sorted by bigram with two stable 16-bit sorts (a radix sort, about three
    times faster here than sorting 64-bit keys). Passages come in order, so
    within a bigram they stay in order too.
    """
    count = len(texts)
    assert count <= _MAX_SEGMENT_PASSAGES
    folded = fold_codes("\x00".join(texts))
    boundary = folded == SEPARATOR_CODE
    owner = np.cumsum(boundary, dtype=np.uint32)  # passage number of every position
    inside = ~(boundary[:-1] | boundary[1:])
    left, right, owner = folded[:-1][inside], folded[1:][inside], owner[:-1][inside].astype(np.uint64)
    order = np.argsort(right, kind="stable")
    order = order[np.argsort(left[order], kind="stable")]
    # One 64-bit key per posting (bigram, then passage): one gather and one
    # comparison instead of three of each.
    keys = ((left.astype(np.uint64) << 32) | (right.astype(np.uint64) << 16) | owner)[order]
    if len(keys):
        fresh = np.empty(len(keys), dtype=bool)  # a passage counts once per bigram
        fresh[0] = True
        np.not_equal(keys[1:], keys[:-1], out=fresh[1:])
        keys = keys[fresh]
    bigrams = (keys >> 16).astype(np.uint32)
    owner = (keys & 0xFFFF).astype(np.uint16)
    if not len(bigrams):  # texts of single characters, or none
        empty = np.empty(0, dtype=np.uint32)
        return Segment(first, count, empty, np.zeros(1, dtype=np.uint32), np.empty(0, dtype=np.uint16))
    change = np.flatnonzero(bigrams[1:] != bigrams[:-1]) + 1
    starts = np.concatenate(([0], change, [len(bigrams)])).astype(np.uint32)
    return Segment(first, count, bigrams[starts[:-1]], starts, owner)


class SearchIndex:
    """Articles and their passages (title, source, every block), searchable by bigram.

    ``add`` may run on a loading thread while searches run on another: a
    search sees the segments that were complete when it started.
    """

    def __init__(self) -> None:
        self.articles: list[Article] = []
        self.passage_article = array("I")  # passage → article number
        self.passage_block = array("i")  # passage → block index, TITLE or SOURCE
        self.segments: list[Segment] = []
        self._lock = threading.Lock()
        self._order: np.ndarray | None = None  # article number → rank, newest first
        self._facets: tuple[np.ndarray, list[str], list[str]] | None = None

    def __len__(self) -> int:
        return len(self.articles)

    @property
    def passage_count(self) -> int:
        return len(self.passage_block)

    def add(self, articles: list[Article]) -> None:
        texts: list[str] = []
        owners = array("I")
        blocks = array("i")
        number = len(self.articles)
        for article in articles:
            passages = [article.title, article.source, *(block.text for block in article.blocks)]
            texts += passages
            owners.extend([number] * len(passages))
            blocks.extend([TITLE, SOURCE, *range(len(article.blocks))])
            number += 1
        first = self.passage_count
        segments = [
            build_segment(first + start, texts[start:start + _MAX_SEGMENT_PASSAGES])
            for start in range(0, len(texts), _MAX_SEGMENT_PASSAGES)
        ]
        with self._lock:
            self.articles.extend(articles)
            self.passage_article.extend(owners)
            self.passage_block.extend(blocks)
            self.segments.extend(segments)
            self._order = None

    def snapshot(self) -> tuple[list[Segment], int, int]:
        """The segments, passage count and article count a search may use."""
        with self._lock:
            return list(self.segments), self.passage_count, len(self.articles)

    def shared_bigrams(self, codes: np.ndarray, segments: list[Segment], passages: int) -> np.ndarray:
        """For every passage, how many of the query's bigrams it holds."""
        counts = np.zeros(passages, dtype=np.int32)
        for segment in segments:
            found = segment.postings(codes)
            if found:
                local = np.bincount(np.concatenate(found), minlength=segment.count)
                counts[segment.first:segment.first + segment.count] += local[: segment.count]
        return counts

    def passage_text(self, passage: int) -> str:
        article = self.articles[self.passage_article[passage]]
        block = self.passage_block[passage]
        if block == TITLE:
            return article.title
        if block == SOURCE:
            return article.source
        return article.blocks[block].text

    def newest_rank(self) -> np.ndarray:
        """Rank of every article by date, newest first (ties by title and path)."""
        with self._lock:
            if self._order is None or len(self._order) != len(self.articles):
                from .grouping import article_order

                order = sorted(range(len(self.articles)), key=lambda n: article_order(self.articles[n]))
                rank = np.empty(len(order), dtype=np.int64)
                rank[order] = np.arange(len(order))
                self._order = rank
            return self._order

    def facets(self) -> tuple[np.ndarray, list[str], list[str]]:
        """For filters: each article's source number, the distinct sources, each article's ISO date."""
        with self._lock:
            if self._facets is None or len(self._facets[0]) != len(self.articles):
                numbers: dict[str, int] = {}
                source_of = np.fromiter(
                    (numbers.setdefault(a.source, len(numbers)) for a in self.articles), dtype=np.int32, count=len(self.articles)
                )
                dates = [a.date.isoformat() if a.date else "" for a in self.articles]
                self._facets = (source_of, list(numbers), dates)
            return self._facets

    @property
    def nbytes(self) -> int:
        """Memory held by the index itself (postings and passage tables)."""
        postings = sum(segment.nbytes for segment in self.segments)
        tables = self.passage_article.itemsize * len(self.passage_article) + self.passage_block.itemsize * len(self.passage_block)
        return postings + tables
