"""Repeated passages: a text that stands in many articles ranks after text unique to its article.

A channel's footer, a standard disclaimer, a recurring column's title: a
query that matches one of them matches it in every article of the source,
and those hits would bury the one passage the reader remembers. Each
candidate passage gets a *repeat tier*, like an inverse document frequency
in steps: how many articles (copies of one article counted once,
reader.catalog.copies) hold the same text (``segment.passage_hash``), as
log2: 0 for a passage of one article, 1 for two or three articles, 2 for
four to seven, and so on. Search ranks by tier before everything but
exactness (reader.search.engine).

Articles of every source are counted, not only the passage's own source: an
outlet's footer travels with its articles into the outlets that repost them
(and a repost that is word for word the original is its copy, counted once).

Only candidates are counted, and that is enough: the same text holds the
same bigrams, so every copy of a candidate's text (within the filters) is a
candidate too. Most candidates repeat nothing: one sort of their hashes sets
those aside, and only the few that repeat are counted (the 532,000
candidates of `北约` over 100,000 articles: about 15 ms, against 30 ms with
an argsort and a lexsort).

Once a snapshot has computed which of all its passages share their text with
another (``shared_texts``, the table ``Snapshot.repeated_passages``: one sort
of 3.2 million hashes, about 0.2 s, in the thread that prepares searches),
that sort of the candidates is skipped too: only the candidates marked there
can repeat (`北约`: 47,000 of its 532,000), and the tiers are the same, since
a text that no other passage holds cannot be held by another candidate. That
sort was 26 of `北约`'s 75 ms here (numpy sorts 532,000 integers in 25 ms
on this machine).
"""

from __future__ import annotations

import numpy as np

def repeat_tiers(snapshot, candidates: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """For each candidate passage (``owners``: their articles), its repeat tier (int64; see the module's docstring)."""
    tiers = np.zeros(len(candidates), dtype=np.int64)
    if len(candidates) < 2:
        return tiers
    if snapshot.has("repeated_passages"):  # only once computed: never computed here (0.2 s)
        maybe = np.flatnonzero(snapshot.repeated_passages[candidates])
        if len(maybe) >= 2:
            keys = snapshot.passage_hashes(candidates[maybe]).view(np.uint64)
            tiers[maybe] = _counted(snapshot, keys, owners[maybe], maybe_repeated(keys))
        return tiers
    keys = snapshot.passage_hashes(candidates).view(np.uint64)
    return _counted(snapshot, keys, owners, maybe_repeated(keys))


def shared_texts(hashes: np.ndarray) -> np.ndarray:
    """Per hash, whether another one may be the same: every repeated one, and the rare others whose 32-bit folds tie."""
    shared = np.zeros(len(hashes), dtype=bool)
    shared[maybe_repeated(hashes.view(np.uint64))] = True
    return shared


def maybe_repeated(keys: np.ndarray) -> np.ndarray:
    """The places of the hashes (uint64) whose 32-bit fold another one has, grouped by that fold.

    One sort of the folds with each place below them (where numpy sorts
    with SIMD, about three times faster than an argsort). Runs of equal
    folds are the texts that may repeat.
    """
    if len(keys) < 2:
        return np.empty(0, dtype=np.int64)
    bits = np.uint64(int(len(keys) - 1).bit_length())
    # In place, one array at a time: over every passage of 100,000 articles (3.2 million) each is
    # 26 MB, and the table is made while the reader reads (RssAnon: +120 MB for a moment, now +80).
    ordered = keys >> np.uint64(32)
    ordered ^= keys
    ordered &= np.uint64(0xFFFF_FFFF)
    ordered <<= bits
    ordered |= np.arange(len(keys), dtype=np.uint64)
    ordered.sort()
    folds = ordered >> bits
    same = folds[1:] == folds[:-1]
    del folds
    if not same.any():
        return np.empty(0, dtype=np.int64)
    in_run = np.concatenate(([False], same)) | np.concatenate((same, [False]))
    return (ordered[in_run] & ((np.uint64(1) << bits) - np.uint64(1))).astype(np.int64)


def _counted(snapshot, keys: np.ndarray, owners: np.ndarray, repeated: np.ndarray) -> np.ndarray:
    """The tiers of passages with hashes ``keys`` and articles ``owners``: ``repeated`` (maybe_repeated) counted, the rest 0."""
    tiers = np.zeros(len(keys), dtype=np.int64)
    if not len(repeated):
        return tiers
    held = keys[repeated]
    # Runs by the whole hash. Two repeated texts whose 32-bit hashes tie (about one pair in 4
    # billion) may interleave and count in pieces: a lower tier for them, nothing worse.
    run = np.cumsum(np.concatenate(([True], held[1:] != held[:-1])))
    groups = snapshot.copies.group[owners[repeated]]
    # Distinct copy groups per run: one sort of (run, group) pairs packed in one number.
    pairs = np.sort((run.astype(np.uint64) << np.uint64(32)) | groups.astype(np.uint64))
    fresh = np.concatenate(([True], pairs[1:] != pairs[:-1]))
    articles = np.bincount((pairs >> np.uint64(32)).astype(np.int64), weights=fresh)  # per run number
    tiers[repeated] = np.log2(articles[run]).astype(np.int64)  # exact for whole numbers below 2**53
    return tiers
