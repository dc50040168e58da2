"""The in-memory search index: which passages hold which character bigrams.

Chinese has no spaces, so words cannot be indexed; pairs of adjacent
characters can. A query of m folded characters has m-1 bigrams, and a passage
that holds the query with k characters wrong, missing or extra still shares at
least m-1-2k of them, so the index hands the scorer a few candidates instead of
every passage.

Postings are built per batch of a few hundred articles: sorting a batch's keys
is cheap and cache-friendly, where sorting 20 million postings at once costs
over a second; batches are then merged (``merge_postings``, no sorting) into
segments of up to 65,535 passages (reader.catalog.segment). Postings are, in
numpy arrays, the sorted distinct bigrams, where each bigram's postings start,
and the postings themselves as 16-bit passage numbers local to the segment.
Folded passage texts are not kept: candidates are folded again when they are
checked, which costs less than the memory would. Folding for the index goes
through the same per-code-point table as every other fold (reader.search.fold),
as 16-bit keys; the same keys encode queries.

Each passage's last character is also paired with the passage's end
(SEPARATOR_CODE), so that every character of a passage is the first of one
of its pairs: the passages holding one character are then the postings of
one run of bigrams (``Postings.postings`` with a WILDCARD code), which is how
one-character queries are answered.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .fold import DROPPED_CODE, SEPARATOR_CODE, index_keys

TITLE = -1  # passage "block" numbers that are not blocks
SOURCE = -2
_MAX_SEGMENT_PASSAGES = 65_535  # local passage numbers are uint16
WILDCARD = DROPPED_CODE  # as a bigram's second key: any character, or the passage's end


def first_of(key: int) -> int:
    """The bigram code that stands for every bigram whose first character has index key ``key``."""
    return (key << 16) | WILDCARD


@dataclass(frozen=True)
class Postings:
    """Which of ``count`` passages hold each bigram."""

    count: int
    bigrams: np.ndarray  # uint32, sorted, distinct
    starts: np.ndarray  # uint32, len(bigrams) + 1
    passages: np.ndarray  # uint16, local passage numbers, grouped by bigram

    def postings(self, bigram_codes: np.ndarray) -> list[np.ndarray]:
        """The postings of each code; a ``first_of`` code gives those of its whole run of bigrams."""
        codes = np.asarray(bigram_codes, dtype=np.uint32)
        if not len(codes) or not len(self.bigrams):
            return []
        wild = (codes & 0xFFFF) == WILDCARD
        # Where each code's run ends (a first_of code's: where the next first character's begins),
        # looked up with the codes in one call of the arrays' own searchsorted, and take: one mapped
        # from the cache checks only the items beside each answer. (Two calls a code, 71 segments:
        # 12 ms of a one-character query at 100,000 articles.)
        following = np.minimum(codes[wild].astype(np.uint64) + 0x10000, 0xFFFF_FFFF).astype(np.uint32)
        where = self.bigrams.searchsorted(np.concatenate((codes, following))).astype(np.int64)
        first = where[: len(codes)]
        last = first + 1
        last[wild] = where[len(codes):]
        present = np.where(wild, last > first, first < len(self.bigrams))
        exact = ~wild & present
        if exact.any():  # an exact code is there only if the bigram found is that code
            present[exact] = self.bigrams.take(first[exact]) == codes[exact]
        first, last = first[present], last[present]
        if not len(first):
            return []
        bounds = self.starts.take(np.concatenate((first, last))).astype(np.int64).tolist()
        return [self.passages[start:end] for start, end in zip(bounds[: len(first)], bounds[len(first):])]

    @property
    def nbytes(self) -> int:
        return self.bigrams.nbytes + self.starts.nbytes + self.passages.nbytes


def bigram_codes(text: str) -> np.ndarray:
    """The distinct bigrams of a text (a query), encoded as the index encodes them."""
    codes = index_keys(text.replace("\x00", "")).astype(np.uint32)
    if len(codes) < 2:
        return np.empty(0, dtype=np.uint32)
    return np.unique((codes[:-1] << 16) | codes[1:])


def build_postings(texts: list[str]) -> Postings:
    """Postings of passages 0, 1, … holding ``texts``.

    All in numpy: the texts are folded to index keys, paired (the last
    character of each with the passage's end too), and each pair made one
    64-bit key (bigram, then passage), so one sort puts them in order: with
    numpy 2.4 three times faster than two stable 16-bit argsorts and a gather
    (6 against 18 ms for a batch of 250 articles), a sixth of building a
    segment.
    """
    count = len(texts)
    if count > _MAX_SEGMENT_PASSAGES:
        raise ValueError(f"{count} passages: a segment holds at most {_MAX_SEGMENT_PASSAGES}")
    if any("\x00" in text for text in texts):  # NUL separates passages below
        texts = [text.replace("\x00", "") for text in texts]
    folded = index_keys("\x00".join(texts) + "\x00")
    boundary = folded == SEPARATOR_CODE
    owner = np.cumsum(boundary, dtype=np.uint32)  # passage number of every position
    inside = ~boundary[:-1]  # a pair starts inside a passage; it may end at the passage's end
    left, right, owner = folded[:-1][inside], folded[1:][inside], owner[:-1][inside].astype(np.uint64)
    keys = np.sort((left.astype(np.uint64) << 32) | (right.astype(np.uint64) << 16) | owner)
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


def merge_postings(parts: list[tuple[Postings, np.ndarray]], count: int) -> Postings:
    """The postings of several segments as one, each passage renumbered.

    ``parts`` are (postings, renumber): ``renumber[q]`` is passage q's number
    in the result, or -1 to leave it out; numbers must grow from part to part
    (a part's passages all come before the next part's). Every part is sorted
    by bigram and, within a bigram, by passage, so each posting's place in
    the result can be computed instead of sorted for: the bigram's start in
    the result, plus what earlier parts put there, plus its rank in its own run.
    """
    if not parts:
        return build_postings([])
    union = np.unique(np.concatenate([postings.bigrams for postings, _ in parts]))
    prepared = []
    totals = np.zeros(len(union) + 1, dtype=np.int64)
    for postings, renumber in parts:
        where = np.searchsorted(union, postings.bigrams)
        number = renumber[postings.passages]
        kept = number >= 0
        # kept postings per bigram of this part
        running = np.concatenate(([0], np.cumsum(kept, dtype=np.int64)))
        counts = running[postings.starts[1:].astype(np.int64)] - running[postings.starts[:-1].astype(np.int64)]
        totals[where] += counts
        prepared.append((where, number[kept], counts))
    starts = np.concatenate(([0], np.cumsum(totals[:-1])))
    filled = starts[:-1].copy()  # where the next posting of each union bigram goes
    passages = np.empty(int(starts[-1]), dtype=np.uint16)
    for where, numbers, counts in prepared:
        if not len(numbers):
            continue
        first = np.repeat(filled[where], counts)  # destination of each run's first posting
        run_start = np.repeat(np.cumsum(counts) - counts, counts)
        passages[first + np.arange(len(numbers)) - run_start] = numbers
        filled[where] += counts
    present = totals[:-1] > 0
    kept_starts = np.concatenate((starts[:-1][present], [starts[-1]])).astype(np.uint32)
    return Postings(count, union[present].astype(np.uint32), kept_starts, passages)
