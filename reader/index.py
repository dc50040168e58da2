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
numbers local to the segment, next to its own passage tables (which article
and which block each passage is). Folded passage texts are not kept:
candidates are folded again when they are checked, which costs less than the
memory would. Folding for the index goes through a per-character table in
numpy (normalize.fold_table); the same table encodes queries.

Sharing with a loading thread is safe by construction: segments never change
once built, and the index is an immutable ``IndexSnapshot`` (a tuple of
segments) that ``add`` replaces in one assignment. A search takes the snapshot
once and reads nothing else, so a batch that arrives meanwhile, or an ``add``
that fails half-way, can never change what it sees.
"""

from __future__ import annotations

import bisect
import threading
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .model import Article
from .normalize import SEPARATOR_CODE, fold_codes

TITLE = -1  # passage "block" numbers that are not blocks
SOURCE = -2
_MAX_SEGMENT_PASSAGES = 65_535  # local passage numbers are uint16


@dataclass(frozen=True)
class Postings:
    """Which of ``count`` passages hold each bigram."""

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


def build_postings(texts: list[str]) -> Postings:
    """Postings of passages 0, 1, … holding ``texts``.

    All in numpy: the texts are folded through the folding table, paired, and
    sorted by bigram with two stable 16-bit sorts (a radix sort, about three
    times faster here than sorting 64-bit keys). Passages come in order, so
    within a bigram they stay in order too.
    """
    count = len(texts)
    if count > _MAX_SEGMENT_PASSAGES:
        raise ValueError(f"{count} passages: a segment holds at most {_MAX_SEGMENT_PASSAGES}")
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
        return Postings(count, empty, np.zeros(1, dtype=np.uint32), np.empty(0, dtype=np.uint16))
    change = np.flatnonzero(bigrams[1:] != bigrams[:-1]) + 1
    starts = np.concatenate(([0], change, [len(bigrams)])).astype(np.uint32)
    return Postings(count, bigrams[starts[:-1]], starts, owner)


@dataclass(frozen=True)
class Segment:
    """A batch of articles, their passages (title, source, every block) and the passages' postings."""

    articles: tuple[Article, ...]
    owners: np.ndarray  # uint32: passage → article, numbered within the segment
    blocks: np.ndarray  # int32: passage → block index, TITLE or SOURCE
    texts: tuple[str, ...]  # passage → text
    postings: Postings

    @property
    def count(self) -> int:
        return len(self.texts)


def build_segments(articles: list[Article]) -> list[Segment]:
    """The segments for a batch: one, unless its passages overflow 16-bit numbers."""
    segments: list[Segment] = []
    batch: list[Article] = []
    texts: list[str] = []
    for article in articles:
        passages = [article.title, article.source, *(block.text for block in article.blocks)]
        if batch and len(texts) + len(passages) > _MAX_SEGMENT_PASSAGES:
            segments.append(_segment(batch, texts))
            batch, texts = [], []
        if len(passages) > _MAX_SEGMENT_PASSAGES:
            passages = passages[:_MAX_SEGMENT_PASSAGES]  # blocks beyond are not searchable
        batch.append(article)
        texts += passages
    if batch:
        segments.append(_segment(batch, texts))
    return segments


def _segment(articles: list[Article], texts: list[str]) -> Segment:
    counts = np.fromiter((2 + len(article.blocks) for article in articles), dtype=np.int64, count=len(articles))
    counts[-1] -= counts.sum() - len(texts)  # an article cut at the segment's limit
    starts = np.cumsum(counts) - counts
    owners = np.repeat(np.arange(len(articles), dtype=np.uint32), counts)
    # Within an article: TITLE, SOURCE, then blocks 0, 1, …
    blocks = (np.arange(len(texts), dtype=np.int64) - np.repeat(starts, counts) - 2).astype(np.int32)
    blocks[starts] = TITLE
    blocks[starts[counts > 1] + 1] = SOURCE
    return Segment(tuple(articles), owners, blocks, tuple(texts), build_postings(texts))


class IndexSnapshot:
    """What a search reads: a fixed tuple of segments, numbered as one.

    Articles and passages are numbered across segments in order. Tables that
    span every segment (owners, kinds, ranks, facets) are built on first use
    and kept: the snapshot never changes, so they never go stale.
    """

    def __init__(self, segments: tuple[Segment, ...] = ()) -> None:
        self.segments = segments
        self._article_starts: list[int] = []
        self._passage_starts: list[int] = []
        articles = passages = 0
        for segment in segments:
            self._article_starts.append(articles)
            self._passage_starts.append(passages)
            articles += len(segment.articles)
            passages += segment.count
        self.article_count = articles
        self.passage_count = passages

    def __len__(self) -> int:
        return self.article_count

    # -- numbering ----------------------------------------------------------------
    def article(self, number: int) -> Article:
        where = bisect.bisect_right(self._article_starts, number) - 1
        return self.segments[where].articles[number - self._article_starts[where]]

    @cached_property
    def articles(self) -> tuple[Article, ...]:
        return tuple(article for segment in self.segments for article in segment.articles)

    def _where(self, passage: int) -> tuple[Segment, int]:
        where = bisect.bisect_right(self._passage_starts, passage) - 1
        return self.segments[where], passage - self._passage_starts[where]

    def passage_text(self, passage: int) -> str:
        segment, local = self._where(passage)
        return segment.texts[local]

    def passage_article(self, passage: int) -> int:
        return int(self.owners[passage])

    def passage_block(self, passage: int) -> int:
        return int(self.kinds[passage])

    @cached_property
    def owners(self) -> np.ndarray:
        """passage → article number, across segments."""
        parts = [segment.owners + start for segment, start in zip(self.segments, self._article_starts)]
        return np.concatenate(parts).astype(np.uint32) if parts else np.empty(0, dtype=np.uint32)

    @cached_property
    def kinds(self) -> np.ndarray:
        """passage → block index, TITLE or SOURCE."""
        parts = [segment.blocks for segment in self.segments]
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int32)

    # -- lookups ------------------------------------------------------------------
    def shared_bigrams(self, codes: np.ndarray) -> np.ndarray:
        """For every passage, how many of the query's bigrams it holds."""
        counts = np.zeros(self.passage_count, dtype=np.int32)
        for segment, first in zip(self.segments, self._passage_starts):
            found = segment.postings.postings(codes)
            if found:
                local = np.bincount(np.concatenate(found), minlength=segment.count)
                counts[first:first + segment.count] += local[: segment.count]
        return counts

    @cached_property
    def rank(self) -> np.ndarray:
        """Rank of every article by date, newest first (ties by title and path)."""
        from .grouping import article_order

        articles = self.articles
        order = sorted(range(len(articles)), key=lambda n: article_order(articles[n]))
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        return rank

    @cached_property
    def facets(self) -> tuple[np.ndarray, list[str], list[str]]:
        """For filters: each article's source number, the distinct sources, each article's ISO date."""
        numbers: dict[str, int] = {}
        articles = self.articles
        source_of = np.fromiter(
            (numbers.setdefault(a.source, len(numbers)) for a in articles), dtype=np.int32, count=len(articles)
        )
        dates = [a.date.isoformat() if a.date else "" for a in articles]
        return source_of, list(numbers), dates

    @property
    def nbytes(self) -> int:
        """Memory held by the index itself (postings and passage tables)."""
        return sum(segment.postings.nbytes + segment.owners.nbytes + segment.blocks.nbytes for segment in self.segments)


class SearchIndex:
    """Articles and their passages (title, source, every block), searchable by bigram.

    ``add`` may run on a loading thread while searches run on others: it builds
    the new segments first and then publishes a new snapshot in one
    assignment, so a search sees either all of a batch or none of it.
    """

    def __init__(self) -> None:
        self._snapshot = IndexSnapshot()
        self._lock = threading.Lock()  # writers only: readers just take the current snapshot

    def __len__(self) -> int:
        return len(self._snapshot)

    @property
    def passage_count(self) -> int:
        return self._snapshot.passage_count

    def add(self, articles: list[Article]) -> None:
        segments = tuple(build_segments(articles))
        with self._lock:
            self._snapshot = IndexSnapshot(self._snapshot.segments + segments)

    def snapshot(self) -> IndexSnapshot:
        return self._snapshot

    @property
    def nbytes(self) -> int:
        return self._snapshot.nbytes
