"""Search: candidates from the index, then checking, scoring and ranking.

Ranking, the same for every run of the same query:
1. exact matches (the folded query occurs in the folded passage) before fuzzy ones;
2. a passage unique to its article before one that stands in other articles
   too (a footer, a disclaimer), by repeat tier (reader.search.repeats);
3. fuzzy matches by score (rapidfuzz partial_ratio on folded text);
4. at the same score, a title match before a body match before a source match;
5. then newest first, then title and path.
One hit per article: its best passage; copies of one article (the same url,
or the same text under another path: reader.catalog.copies) are one hit,
whose ``copies`` are the other paths. A query of one character (no bigram,
no edits) finds every article holding it, newest first, and counts them.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Protocol

import numpy as np
from rapidfuzz import fuzz, process

from .index import SOURCE, TITLE, bigram_codes, first_of
from .matching import allowed_edits, best_fuzzy_score, cutoff_for, edged_scores, find_many, match_spans, padded, snippet, starts_and_ends_words
from ..model import Article, ArticleMeta
from .fold import KEY_BUCKETS_START, MULTI_CODE, fold, fold_many, index_key
from .query import Query, parse_query
from .repeats import repeat_tiers

_CHUNK = 256  # passages folded per round while checking candidates
_MOST_CANDIDATES = 20_000  # for fuzzy scoring; see _capped
_HEAD = 2048  # candidates put in order first; see search
# Scores rank rounded to this: rapidfuzz's float32 and the double of one fraction must be one score
# (fuzzy scores are fractions with denominators below 130, at least 0.005 apart).
_SCORE_DIGITS = 3
_VERIFY_CHUNK = 64  # fuzzy passages first checked for word edges at a time
_VERIFY_GROWTH = 4  # and this many times more each time after
_DRESSED_AT_A_TIME = 8  # hits dressed between looks at whether the rest is still wanted (Ranking.completed)


@dataclass(frozen=True)
class Hit:
    """The best passage of one article. ``article`` has no blocks: open it with ``snapshot.article(number)``."""

    article: ArticleMeta
    number: int  # the article's number in the snapshot searched
    block: int  # index in the article's blocks, or index.TITLE / index.SOURCE
    passage: str  # the sentence (or window) around the match
    spans: tuple[tuple[int, int], ...]  # matched characters in ``passage``
    score: float
    exact: bool
    copies: tuple[Path, ...] = ()  # the other paths of the same article (reader.catalog.copies), in list order


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    searched: int  # articles in the index when the search ran
    more: bool  # more articles matched than ``limit``
    total: int | None = None  # how many articles match, when it is known (one-character queries)
    # Hits ranked but not dressed yet: the first of a search's Results may bring only
    # the first screenful (Ranking.results(upto=…)), and a later one all of them.
    pending: int = 0

    @property
    def count(self) -> int:
        """How many hits this search found (within its limit), dressed or not."""
        return len(self.hits) + self.pending


@dataclass(frozen=True)
class Ranking:
    """A search's matches in order, each dressed as a Hit only when it is read.

    Dressing (the article's fields, the passage's snippet and highlights) is
    most of a long list's time: `reader find 北约 --limit 0` dressed 81,000
    hits in about 6 s before printing the first. ``hits()`` dresses one at a
    time, so the command line prints each as it comes (``| head`` and
    ``| less`` see the first at once); ``search`` dresses them all. The app
    dresses what its first screen shows (``results(upto=…)``: 50 hits cost
    about 6 ms one by one, 12 in Latin queries, whose highlights are found on
    word edges; ``dress_many`` reads and folds them together, in half the
    time), sends those, then dresses the rest (``completed``).
    """

    items: list  # what ``dress`` makes a Hit of, in order
    articles: np.ndarray  # each item's article number
    searched: int  # articles in the index when the search ran
    more: bool  # more articles matched than ``limit``
    total: int | None = None  # how many articles match, when it is known (one-character queries)
    dress: Callable[[object], Hit] = field(default=lambda item: item, repr=False)
    # Many items at once, as ``dress`` would one by one (None: one by one).
    dress_many: Callable[[list], list[Hit]] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.items)

    def hits(self) -> Iterator[Hit]:
        return map(self.dress, self.items)

    def results(self, upto: int | None = None) -> Results:
        """The hits dressed, or only the first ``upto`` of them (the rest ``pending``)."""
        items = self.items if upto is None else self.items[:max(0, upto)]
        return Results(self._dressed(items), self.searched, self.more, self.total, len(self.items) - len(items))

    def completed(self, results: Results, stop: Callable[[], bool] = lambda: False) -> Results | None:
        """``results`` (the first hits of this ranking) with every other hit dressed; None if ``stop()`` said so first."""
        hits = list(results.hits)
        for start in range(len(hits), len(self.items), _DRESSED_AT_A_TIME):
            if stop():
                return None
            hits += self._dressed(self.items[start:start + _DRESSED_AT_A_TIME])
        return Results(hits, self.searched, self.more, self.total)

    def _dressed(self, items: list) -> list[Hit]:
        return list(map(self.dress, items)) if self.dress_many is None else self.dress_many(items)


class PassageTable(Protocol):
    def __getitem__(self, passages): ...


class Searchable(Protocol):
    """What a search reads (reader.catalog.Snapshot): one fixed picture of the articles."""

    article_count: int
    live_count: int
    passage_count: int
    alive: np.ndarray
    owners: PassageTable  # indexed with passages (an array, or one)
    kinds: PassageTable  # the same: each passage's block, TITLE or SOURCE
    first_passages: np.ndarray  # each article's first passage, then the count of passages
    rank: np.ndarray
    newest_first: np.ndarray
    source_numbers: tuple[np.ndarray, list[str]]  # each article's source number, the distinct sources

    titles: list[str]
    copies: object  # reader.catalog.copies.Copies: ``group``, ``others(number)``
    repeated_passages: np.ndarray  # per passage, whether another may hold its text: read only once ``has`` it

    def has(self, name: str) -> bool: ...  # whether a table is computed already

    def article(self, number: int) -> Article: ...
    def path(self, number: int) -> str: ...
    def passage_hashes(self, passages: np.ndarray) -> np.ndarray: ...
    def meta(self, number: int) -> ArticleMeta: ...
    def passage_text(self, passage: int) -> str: ...
    def passage_texts(self, passages: list[int]) -> list[str]: ...
    def folded_passage_texts(self, passages: list[int]) -> list[str]: ...
    def shared_bigrams(self, codes: np.ndarray) -> np.ndarray: ...
    def holding(self, code: int, folded: str | None = None) -> object: ...  # reader.catalog.holding.Holding
    def dated(self, prefix: str) -> np.ndarray: ...  # whether each article's local ISO date starts with it


def search(snapshot: Searchable, query: Query | str, limit: int = 50) -> Results:
    """The best passage of each matching article, best first; at most ``limit`` of them.

    Reads one snapshot, whatever a loading thread publishes meanwhile.
    """
    return rank(snapshot, query, limit).results()


def rank(snapshot: Searchable, query: Query | str, limit: int = 50) -> Ranking:
    """What ``search`` finds, in the same order, each hit dressed only when it is read (Ranking)."""
    query = parse_query(query) if isinstance(query, str) else query
    articles = snapshot.live_count
    if query.is_empty or not articles:
        return _nothing(articles)
    allowed = _allowed_articles(snapshot, query)
    folded = query.folded
    if not folded:
        return _filtered_only(snapshot, allowed, limit)
    owners = snapshot.owners
    rank = snapshot.rank

    if len(folded) == 1:
        return _one_character(snapshot, query, allowed, limit)
    codes = bigram_codes(query.text)
    least = _least_shared(len(codes), folded, query)
    candidates, shared = snapshot.candidates(codes, least, counted=least < len(codes))  # counts: for _capped
    owner_of = owners[candidates]  # looked up once: the filters, the tiers and the key read it
    first = snapshot.first_passages  # an article's title is its first passage, its source the next
    usable = allowed[owner_of]
    if query.title_only:
        usable &= candidates == first[owner_of]
    shared = shared[usable] if shared is not None else None
    candidates, owner_of, shared = _capped(candidates[usable], shared, owner_of[usable], len(codes), least)
    if not len(candidates):
        return _nothing(articles)
    tiers = repeat_tiers(snapshot, candidates, owner_of)
    # In ranking order: unique before repeated, title first, then newest, then passage.
    order = tiers * 3 + _priority(snapshot, candidates, owner_of)
    key = (order * (len(rank) + 1) + rank[owner_of]) * (snapshot.passage_count + 1) + candidates
    ranked = _Ranked(candidates, key)
    # Only a passage holding every bigram of the query can hold the query: the exact check reads no other.
    whole = None if shared is None else shared == len(codes)
    exact_ranked = ranked if whole is None or whole.all() else _Ranked(candidates[whole], key[whole])
    exact_hits, more = _exact(snapshot, _FoldedPassages(snapshot, exact_ranked), folded, limit, every_one_holds=_held_by_every_candidate(folded, codes))
    hits = list(exact_hits.values())
    fuzzy_allowed = not query.exact and bool(allowed_edits(len(folded)))
    if fuzzy_allowed and (len(hits) < limit or not more):
        # Exact hits may fill the page: then one fuzzy hit in another article is enough to say more match.
        room = limit - len(hits)
        fuzzy = _fuzzy_in_order(
            snapshot, _FoldedPassages(snapshot, ranked), folded,  # what the exact check folded is in FOLDED
            exclude=exact_hits.keys(), rank=rank, tier_of=_TierOf(candidates, tiers),
            want=room + 1,  # one more than the page holds: whether more match
        )
        more = more or len(fuzzy) > room
        hits += fuzzy[:room]
    passages = np.array([passage for passage, _score, _exact in hits], dtype=np.int64)
    return Ranking(
        hits, owners[passages], articles, more,
        dress=partial(_dress, snapshot, folded=folded), dress_many=partial(_dress_many, snapshot, folded=folded),
    )


def _nothing(searched: int, total: int | None = None) -> Ranking:
    """The ranking of a search that matched nothing."""
    return Ranking([], np.zeros(0, dtype=np.int64), searched, False, total)


def _least_shared(bigrams: int, folded: str, query: Query) -> int:
    if query.exact or not allowed_edits(len(folded)):
        return bigrams
    # A passage with k characters wrong, missing or extra still shares this many.
    return max(1, bigrams - 2 * allowed_edits(len(folded)))


def _capped(candidates: np.ndarray, shared: np.ndarray | None, owner_of: np.ndarray, bigrams: int, least: int) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Candidates sharing at least ``least`` bigrams; every passage sharing all of them always.

    A short fuzzy query (4 characters: one shared bigram is enough) can make
    most of a big corpus a candidate. Then the threshold rises until the
    candidates are few enough to score quickly: the passages sharing more
    bigrams are the likelier matches, and exact ones are never dropped.
    """
    while len(candidates) > _MOST_CANDIDATES and least < bigrams:
        least += 1
        keep = shared >= least
        candidates, shared, owner_of = candidates[keep], shared[keep], owner_of[keep]
    return candidates, owner_of, shared


def _priority(snapshot: Searchable, passages: np.ndarray, articles: np.ndarray) -> np.ndarray:
    """0 for a title, 1 for a block, 2 for a source: from each passage's place in its article (``articles``).

    An article's title is its first passage and its source the next. From
    the owners already looked up: `北约`'s 532,000 candidates would look them
    up again through ``snapshot.kinds`` (3-4 ms of its 60, median of 15).
    """
    place = passages - snapshot.first_passages[articles]
    return np.where(place == 0, 0, np.where(place == 1, 2, 1))


class _TierOf:
    """passages → their repeat tiers, for passages among the candidates they were computed for."""

    def __init__(self, candidates: np.ndarray, tiers: np.ndarray) -> None:
        order = np.argsort(candidates)
        self._candidates, self._tiers = candidates[order], tiers[order]

    def __getitem__(self, passages: np.ndarray) -> np.ndarray:
        return self._tiers[np.searchsorted(self._candidates, passages)]


class _Ranked:
    """Candidates in order of their keys, sorted only as far as they are read.

    An exact query over a common bigram may have 100,000 candidates and need
    the first few hundred: the first ``_HEAD`` are picked and sorted at once
    (a partition, then a small sort), the rest only if someone reads past them.
    """

    def __init__(self, candidates: np.ndarray, key: np.ndarray) -> None:
        self._candidates, self._key = candidates, key
        if len(candidates) > 2 * _HEAD:
            self._top = np.argpartition(key, _HEAD - 1)[:_HEAD]
            self._items = candidates[self._top[np.argsort(key[self._top])]].tolist()
        else:
            self._top = None
            self._items = candidates[np.argsort(key)].tolist()

    def __len__(self) -> int:
        return len(self._candidates)

    def _complete(self) -> None:
        if self._top is not None:
            rest = np.ones(len(self._candidates), dtype=bool)
            rest[self._top] = False
            self._items += self._candidates[rest][np.argsort(self._key[rest])].tolist()
            self._top = None

    def __getitem__(self, index):
        stop = (index.stop if index.stop is not None else len(self)) if isinstance(index, slice) else index + 1
        if stop > len(self._items):
            self._complete()
        return self._items[index]

    def tolist(self) -> list[int]:
        self._complete()
        return self._items


class _FoldedPassages:
    """Candidates folded chunk by chunk, on demand, once: the exact pass and the fuzzy pass share them."""

    def __init__(self, snapshot: Searchable, candidates: _Ranked) -> None:
        self.snapshot = snapshot
        self.candidates = candidates
        self.texts: list[str] = []

    def upto(self, end: int) -> list[str]:
        # Rounds grow fourfold (256, 1,024, 4,096…): candidates come from every
        # segment of the snapshot, and each round reads from each segment once.
        while len(self.texts) < min(end, len(self.candidates)):
            size = max(_CHUNK, 3 * len(self.texts), end - len(self.texts))
            chunk = self.candidates[len(self.texts):len(self.texts) + size]
            self.texts += self.snapshot.folded_passage_texts(chunk)
        return self.texts


def _held_by_every_candidate(folded: str, codes: np.ndarray) -> bool:
    """Whether every passage the index gives for ``codes`` holds the query: two characters, each its own key.

    The index's bigrams are made of the folded text's characters; a BMP
    character's key is the character itself, so a passage holding the one
    bigram of a two-character query holds the query (`北约`: all of its
    532,000 candidates). Keys shared by several characters (beyond the BMP)
    or standing for none (a passage's end, a character folded to several)
    are not theirs alone: those queries are checked against the text.
    """
    if len(codes) != 1 or len(folded) != 2:
        return False
    keys = (int(codes[0]) >> 16, int(codes[0]) & 0xFFFF)
    return all(MULTI_CODE < key < KEY_BUCKETS_START for key in keys) and "".join(map(chr, keys)) == folded


def _exact(snapshot: Searchable, folded_passages: _FoldedPassages, folded: str, limit: int, *, every_one_holds: bool = False) -> tuple[dict, bool]:
    """Candidates are in ranking order, so the first exact passage of each article (each copy group) is its best.

    Keyed by copy group (its representative's number). ``every_one_holds``
    (_held_by_every_candidate): no text is read, the first candidate of each
    group is its hit (`reader find 北约 --limit 0`, which reads all 532,000:
    its first lines 1.8 → 0.8 s).
    """
    found: dict[int, tuple[int, float, bool]] = {}
    candidates = folded_passages.candidates
    owners = snapshot.owners
    group = snapshot.copies.group
    for start in range(0, len(candidates), _CHUNK):
        end = min(start + _CHUNK, len(candidates))
        if every_one_holds:
            passages = candidates[start:end]
        else:
            texts = folded_passages.upto(start + _CHUNK)
            held = [position for position in range(start, end) if folded in texts[position]]
            if not held:
                continue
            passages = [candidates[position] for position in held]
        for passage, owner in zip(passages, group[owners[np.asarray(passages, dtype=np.int64)]].tolist()):
            if owner not in found:
                if len(found) == limit:
                    return found, True
                found[owner] = (passage, 100.0, True)
    return found, False


def _fuzzy_in_order(snapshot: Searchable, folded_passages: _FoldedPassages, folded, *, exclude, rank, tier_of, want: int) -> list[tuple[int, float, bool]]:
    """The best fuzzy passage of each copy group not in ``exclude`` (groups with an exact hit), best first:
    the first ``want`` of them, or all when fewer match.

    Candidates are read in ranking order but for the score (tier, title
    first, newest), a chunk at a time, and no candidate outside ``exclude``
    holds the query, so none scores above ``best_fuzzy_score``: once
    ``want`` groups are found that the next candidate could not beat even
    with that score, no candidate after it can either. With one mistake
    allowed (4 to 11 characters) every fuzzy match scores exactly that, so
    the first ``want`` matches read are the answer: `能没有欧洲人` reads a few
    hundred of its 18,600 candidates, where scoring them all took 40 ms.

    A query that starts or ends with a Latin letter matches only on word
    edges: the fuzzy score knows no words, so the passages it lets through
    are checked as matching.find checks them, which highlighting uses too
    (NATO is not "atio"), many at once (matching.edged_scores); the check
    still costs far more than the score (`NATO` lets 5,000 passages through
    at 100,000 articles), one more reason to read in order. A passage then
    scores the lower of the two:
    find's windows on word edges may be shorter or longer than the query and
    score higher (`gate`: 75 in "datedated", 85.7 on the edge of "d-ate"),
    which would let a passage read later rise above the ones found.
    """
    candidates = folded_passages.candidates
    owners, group = snapshot.owners, snapshot.copies.group
    excluded = np.fromiter(exclude, dtype=np.uint32, count=len(exclude))
    cutoff = cutoff_for(len(folded))
    on_word_edges = any(starts_and_ends_words(folded))

    def keys(passages: np.ndarray, articles: np.ndarray, scores: np.ndarray):
        return zip(
            tier_of[passages].tolist(), (-np.round(scores.astype(np.float64), _SCORE_DIGITS)).tolist(),
            _priority(snapshot, passages, articles).tolist(), rank[articles].tolist(), passages.tolist(),
        )

    best: dict[int, tuple] = {}  # group → the ranking key of its best passage so far

    def settled(position: int) -> bool:
        """Whether the ``want`` best found beat everything from ``candidates[position]`` on."""
        if len(best) < want or position >= len(candidates):
            return False
        following = np.array([candidates[position]], dtype=np.int64)  # the best it, or any after it, can do:
        bound = next(keys(following, owners[following], np.array([best_fuzzy_score(len(folded))])))
        return sorted(best.values())[want - 1] < bound

    def found(owners_of, passages, articles, scores) -> None:
        for owner, mine in zip(owners_of.tolist(), keys(passages, articles, scores)):
            if owner not in best or mine < best[owner]:
                best[owner] = mine

    done, size, enough = 0, _CHUNK, False
    while done < len(candidates) and not enough:
        chunk = np.asarray(candidates[done:done + size], dtype=np.int64)
        texts = folded_passages.upto(done + len(chunk))[done:done + len(chunk)]
        articles = owners[chunk]
        groups = group[articles]
        pool = np.flatnonzero(~np.isin(groups, excluded)) if len(excluded) else np.arange(len(chunk))
        scores = _scores(folded, [texts[i] for i in pool.tolist()], cutoff)
        passing = scores >= cutoff
        matched, scores = pool[passing], scores[passing]
        if not on_word_edges:
            found(groups[matched], chunk[matched], articles[matched], scores)
        # On word edges, a few at a time, then more: the check costs far more than the score (see above).
        start, step = 0, _VERIFY_CHUNK
        while on_word_edges and start < len(matched):
            enough = bool(start) and settled(done + int(matched[start]))
            if enough:
                break
            part = matched[start:start + step]
            edged = edged_scores(snapshot.passage_texts(chunk[part].tolist()), folded)
            held = [i for i, score in enumerate(edged) if score is not None]
            capped = np.minimum(np.array([edged[i] for i in held], dtype=np.float64), scores[start:start + step][held])
            found(groups[part[held]], chunk[part[held]], articles[part[held]], capped)
            start += step
            step *= _VERIFY_GROWTH
        done += len(chunk)
        size *= 4
        enough = enough or settled(done)
    return [(key[4], -key[1], False) for key in sorted(best.values())[:want]]


_SHARE_FROM = 2048  # texts: from here on the scoring is shared between threads


@lru_cache(maxsize=1)
def _scorers() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="reader-score")


def _scores(folded: str, texts: list[str], cutoff: float) -> np.ndarray:
    """Each text's fuzzy score against the query (matching.fuzzy_score, in bulk); under ``cutoff``, 0.

    cdist of one query against many texts, the texts cut in one share per
    core: rapidfuzz's own ``workers`` shares out the queries, and there is
    one; threads over shares of the texts score in C++ without the GIL, 1.6
    times faster on 2 cores for 17,000 passages.
    """
    if not texts:
        return np.zeros(0, dtype=np.float64)
    texts = [padded(text, len(folded)) for text in texts]

    def score(share: list[str]) -> np.ndarray:
        return process.cdist([folded], share, scorer=fuzz.partial_ratio, score_cutoff=cutoff, workers=1)[0]

    workers = os.cpu_count() or 1
    if len(texts) < _SHARE_FROM or workers == 1:
        return score(texts)
    size = -(-len(texts) // workers)
    return np.concatenate(list(_scorers().map(score, [texts[i:i + size] for i in range(0, len(texts), size)])))


def _allowed_articles(snapshot: Searchable, query: Query) -> np.ndarray:
    allowed = snapshot.alive.copy()
    if not (query.source or query.date_prefix):
        return allowed
    if query.source:
        # Fuzzy on the source's name, decided once per distinct source. Only
        # a date: filter reads the local dates: making them for `source:观`
        # was 90 of its 115 ms at 100,000 articles.
        source_of, sources = snapshot.source_numbers
        wanted = fold(query.source)
        matching = np.array(
            [wanted in name or fuzz.partial_ratio(wanted, name) >= 80 for name in fold_many(sources)], dtype=bool
        )
        allowed &= matching[source_of]
    if query.date_prefix:
        allowed &= snapshot.dated(query.date_prefix)
    return allowed


def _one_character(snapshot: Searchable, query: Query, allowed: np.ndarray, limit: int) -> Ranking:
    """Every article holding the character, newest first, counted.

    One character has no bigram, but the index pairs every character with the
    next one or with its passage's end, so the passages holding it are the
    postings of one run of bigrams (index.first_of), marked and counted per
    article (Snapshot.holding). Each article's hit is its title when the title
    holds it, else its first block that does, else its source's name.
    """
    folded = query.folded
    key = int(index_key(np.array([ord(folded)]))[0])
    # Beyond the BMP keys are shared: the passages' texts are checked.
    holding = snapshot.holding(first_of(key), folded if key >= KEY_BUCKETS_START else None)
    articles = holding.articles
    articles = articles[allowed[articles]]
    first_passages = snapshot.first_passages
    if query.title_only:
        articles = articles[holding.first_held(articles) == first_passages[articles]]
    if not len(articles):
        return _nothing(snapshot.live_count, total=0)
    articles, _ = _one_per_group(snapshot, articles, articles)
    total = len(articles)
    rank = snapshot.rank[articles]
    if total > limit:
        top = np.argpartition(rank, limit - 1)[:limit] if limit else np.empty(0, dtype=np.int64)
    else:
        top = np.arange(total)
    shown = articles[top[np.argsort(rank[top], kind="stable")]]
    passages = holding.first_held(shown)
    source = first_passages[shown] + 1
    at_source = passages == source  # a block after it that holds it is the hit
    if at_source.any():
        blocks = holding.first_held(shown[at_source], 2)
        passages[at_source] = np.where(blocks >= 0, blocks, source[at_source])
    found = [(passage, 100.0, True) for passage in passages.tolist()]
    return Ranking(found, shown, snapshot.live_count, total > limit, total, partial(_dress, snapshot, folded=folded))


def _one_per_group(snapshot: Searchable, articles: np.ndarray, passages: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Of the articles (each with its passage), the first in list order of each copy group; the order kept."""
    copied = np.flatnonzero(snapshot.copies.size[articles] > 1)  # the few that have copies: the others stay
    if not len(copied):
        return articles, passages
    by_rank = copied[np.argsort(snapshot.rank[articles[copied]], kind="stable")]
    _, first = np.unique(snapshot.copies.group[articles[by_rank]], return_index=True)
    kept = np.ones(len(articles), dtype=bool)
    kept[copied] = False
    kept[by_rank[first]] = True
    return articles[kept], passages[kept]


def _filtered_only(snapshot: Searchable, allowed: np.ndarray, limit: int) -> Ranking:
    order = snapshot.newest_first
    numbers = order[allowed[order]]
    numbers, _ = _one_per_group(snapshot, numbers, numbers)
    numbers = numbers[np.argsort(snapshot.rank[numbers], kind="stable")]
    shown = numbers[:limit]
    return Ranking(shown.tolist(), shown, snapshot.live_count, len(numbers) > limit, dress=partial(_title_hit, snapshot))


def _title_hit(snapshot: Searchable, number: int) -> Hit:
    return Hit(snapshot.meta(number), number, TITLE, snapshot.titles[number], (), 100.0, True, _copies(snapshot, number))


def _copies(snapshot: Searchable, number: int) -> tuple[Path, ...]:
    return tuple(Path(snapshot.path(other)) for other in snapshot.copies.others(number))


def _dress(snapshot: Searchable, found: tuple[int, float, bool], *, folded: str) -> Hit:
    """One hit, as ``reader find`` writes them: each as soon as it is dressed."""
    passage, _score, exact = found
    text = snapshot.passage_text(passage)
    number, block = int(snapshot.owners[passage]), int(snapshot.kinds[passage])
    return _hit(snapshot, found, number, block, text, match_spans(text, folded, exact_only=exact))


def _dress_many(snapshot: Searchable, found: list[tuple[int, float, bool]], *, folded: str) -> list[Hit]:
    """``_dress`` of each, the passages read and folded together (half the time of one by one for a page)."""
    if not found:
        return []
    passages = np.array([passage for passage, _score, _exact in found], dtype=np.int64)
    numbers, blocks = snapshot.owners[passages].tolist(), snapshot.kinds[passages].tolist()
    texts = snapshot.passage_texts(passages.tolist())
    matches = find_many(texts, folded, [exact for _passage, _score, exact in found])
    return [
        _hit(snapshot, item, number, block, text, match[0] if match else [])
        for item, number, block, text, match in zip(found, numbers, blocks, texts, matches)
    ]


def _hit(snapshot: Searchable, found: tuple[int, float, bool], number: int, block: int, text: str, spans) -> Hit:
    shown, shown_spans = snippet(text, spans)
    _passage, score, exact = found
    return Hit(snapshot.meta(number), number, block, shown, tuple(shown_spans), round(float(score), 2), exact, _copies(snapshot, number))


def article_matches(article: Article, query: Query | str) -> list[tuple[int, list[tuple[int, int]]]]:
    """Every block of one article that matches, with its spans: for n / N in an open article."""
    query = parse_query(query) if isinstance(query, str) else query
    folded = query.folded
    if not folded:
        return []
    found = []
    for number, block in enumerate(article.blocks):
        spans = match_spans(block.text, folded, exact_only=query.exact)
        if spans:
            found.append((number, spans))
    return found
