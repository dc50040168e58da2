"""What the app, `reader list` and `reader find` read: the articles at one moment, never changing.

A ``Snapshot`` is a tuple of parts, each a segment and which of its articles
are still alive (an article whose file was deleted or changed is marked dead,
not removed: segments never change). Articles are numbered across the parts
in order, dead ones included, so a number means the same article for as long
as the snapshot lives; ``path`` is what stays the same from one snapshot to
the next. Loading publishes a new snapshot for every change, and whoever holds
an old one keeps a consistent picture: sharing with the loading thread needs
no lock because nothing here is ever modified after it is built (tables that
span every part are computed on first use and then kept, see ``table``).

The search (reader.search) reads a snapshot through the same methods it
always used: article and passage counts, owners, kinds, ranks, sources,
postings and passage texts.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from ..search.index import SOURCE, TITLE
from ..model import Article, ArticleMeta
from ..parse.dates import local_offsets, zone_key
from .columns import NO_DATE
from .copies import Copies, copy_groups
from .holding import Holding, Marked
from .keys import article_key
from .segment import VERIFY_ORDER, Segment


@dataclass(frozen=True, eq=False)  # parts are the same when they are the same object
class Part:
    segment: Segment
    alive: np.ndarray | None = None  # bool per article; None: every one
    alive_skipped: np.ndarray | None = None
    name: str | None = None  # its cache file, when it has one

    def with_dead(self, articles: np.ndarray | None = None, skipped: np.ndarray | None = None) -> Part:
        """The same part with more articles (and skipped files) marked dead; the masks are copies."""
        alive = np.ones(self.segment.article_count, dtype=bool) if self.alive is None else self.alive.copy()
        alive_skipped = np.ones(self.segment.skipped_count, dtype=bool) if self.alive_skipped is None else self.alive_skipped.copy()
        if articles is not None and len(articles):
            alive[articles] = False
        if skipped is not None and len(skipped):
            alive_skipped[skipped] = False
        return Part(self.segment, alive, alive_skipped, self.name)

    @property
    def live_count(self) -> int:
        return self.segment.article_count if self.alive is None else int(self.alive.sum())


class PassageOwners:
    """passage → article, for an index array (or one passage), from where each article's passages start.

    A few passages are looked up by bisection; many (a search's candidates,
    up to every passage) in a table of every passage's article, built on the
    first such lookup: 4 bytes a passage (12 MB at 100,000 articles), where
    bisecting 3 million passages into 100,000 starts took 140 ms a query.
    """

    _TABLE_FROM = 4096  # passages asked at once

    def __init__(self, first_passages: np.ndarray) -> None:
        self.first = first_passages
        self._table: np.ndarray | None = None

    def __len__(self) -> int:
        return int(self.first[-1])

    @property
    def table(self) -> np.ndarray:
        if self._table is None:  # two threads may both build it: the same values, and one assignment wins
            counts = np.diff(self.first)
            self._table = np.repeat(np.arange(len(counts), dtype=np.uint32), counts)
        return self._table

    def __getitem__(self, passages):
        if np.ndim(passages) == 0:
            return int(np.searchsorted(self.first, passages, side="right") - 1)
        passages = np.asarray(passages, dtype=np.int64)
        if len(passages) >= self._TABLE_FROM or self._table is not None:
            return self.table[passages].astype(np.int64)
        return np.searchsorted(self.first, passages, side="right").astype(np.int64) - 1

    def tolist(self) -> list[int]:
        return self.table.tolist()


class PassageKinds:
    """passage → its block's index in the article, TITLE or SOURCE."""

    def __init__(self, owners: PassageOwners) -> None:
        self.owners = owners

    def __getitem__(self, passages):
        scalar = np.ndim(passages) == 0
        passages = np.asarray(passages, dtype=np.int64)
        place = passages - self.owners.first[self.owners[passages]]
        kinds = np.where(place == 0, TITLE, np.where(place == 1, SOURCE, place - 2)).astype(np.int32)
        return int(kinds) if scalar else kinds

    def tolist(self) -> list[int]:
        return self[np.arange(len(self.owners))].tolist()


_UNIT_CELLS = ((4, "Y"), (7, "M"), (10, "D"), (13, "h"), (16, "m"))  # "2022", "2022-01", "2022-01-31", …


class table:
    """A table computed from a snapshot's parts on first use, and kept for every snapshot of those very parts.

    Loading publishes several snapshots of the same parts (the cache's, then
    the last, once the walk found nothing changed): each is handed the tables
    of the one before (``like``), as they are computed and not only those
    computed by then. Handed over when the next snapshot was made, they raced
    with the interface's thread: when it was slower than the walk (seen at a
    warm start of 100,000 articles under a profiler, and possible on a busy
    machine) the sidebar was still grouping the first snapshot when the last
    was made, and copies, the order, dates and paths were computed again for
    it (0.5 s and more of the interface's thread). Two threads may compute one
    table at once: the same values, and the first stored is what both get.
    """

    def __init__(self, compute) -> None:
        self.compute = compute
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, snapshot, owner=None):
        if snapshot is None:
            return self
        shared = snapshot._tables.__dict__
        value = shared.get(self.name, _MISSING)
        if value is _MISSING:
            value = shared.setdefault(self.name, self.compute(snapshot))
        snapshot.__dict__[self.name] = value  # next time straight from the snapshot, as cached_property does
        return value


_MISSING = object()


class Snapshot:
    def __init__(
        self,
        parts: tuple[Part, ...] = (),
        roots: tuple[str, ...] = (),
        problems: tuple[tuple[Path, str], ...] = (),
        like: Snapshot | None = None,
    ) -> None:
        """``like``: an earlier snapshot of the very same parts, whose computed tables are reused."""
        self.parts = parts
        self.roots = roots  # how the user named each root of the store, to build paths from
        self.discovery_problems = problems
        self._article_starts: list[int] = []
        self._passage_starts: list[int] = []
        articles = passages = 0
        for part in parts:
            self._article_starts.append(articles)
            self._passage_starts.append(passages)
            articles += part.segment.article_count
            passages += part.segment.passage_count
        self.article_count = articles
        self.passage_count = passages
        same = like is not None and like.roots == roots and len(like.parts) == len(parts) and all(a is b for a, b in zip(like.parts, parts))
        # Every table but the problems depends on the parts alone: sharing is safe (both are immutable).
        self._tables = like._tables if same else SimpleNamespace()

    def __len__(self) -> int:
        return self.live_count

    def adopt(self, **tables) -> None:
        """Tables computed before for these very parts (kept in the cache: catalog.kept), taken instead of computing them."""
        for name, value in tables.items():
            if not isinstance(getattr(type(self), name, None), table):
                raise AttributeError(f"{name} is not a table of a snapshot")
            self._tables.__dict__.setdefault(name, value)

    def has(self, name: str) -> bool:
        """Whether table ``name`` is computed (or adopted) already."""
        return name in self._tables.__dict__

    def prepare_search(self) -> None:
        """Compute ahead what every search reads and a first search would otherwise compute.

        Each article's first passage and the table of every passage's article
        (PassageOwners): at 100,000 articles the app's first query of a session
        spent 70-80 ms more on them than the same query after it (北約: 129 ms
        against 52). The interface calls this in a thread once loaded. And
        which passages share their text with another (``repeated_passages``),
        which the search reads only once it is computed.
        """
        self.owners.table
        self.kinds
        self.repeated_passages

    def prepare_listing(self) -> None:
        """Compute ahead what a list of this snapshot reads: its copies (and with them the list's
        order) and its sources, numbered.

        At 100,000 articles they cost 60-250 ms a snapshot, and a first read
        publishes one every second or so: the interface calls this in the
        thread that publishes, so that its own thread only lays out the rows.
        """
        self.copies
        self.source_numbers

    def verify(self, stop=None) -> bool:
        """Check what searches read of the cache, ahead of them; False if ``stop()`` said so first.

        Read from a cache, a segment's large arrays are checked chunk by
        chunk as searches first touch them (reader.store.container): a
        query's first search over the text checked up to 50 MB, 20-40% of
        its time. Run in a thread while the reader reads, this checks them
        all, array by array in every part (segment.VERIFY_ORDER, then what
        only an opened article reads), so that searches find them checked.
        Raises ``Damaged`` where a chunk is not what was written.
        """
        for name in VERIFY_ORDER:
            for part in self.parts:
                if not part.segment.verify((name,), stop):
                    return False
        return all(part.segment.verify(None, stop) for part in self.parts)  # the rest: what an opened article reads

    # -- articles -------------------------------------------------------------------
    @table
    def alive(self) -> np.ndarray:
        masks = [np.ones(p.segment.article_count, dtype=bool) if p.alive is None else p.alive for p in self.parts]
        return np.concatenate(masks) if masks else np.zeros(0, dtype=bool)

    @table
    def live_count(self) -> int:
        return int(self.alive.sum())

    @table
    def live(self) -> np.ndarray:
        """The numbers of the live articles."""
        return np.flatnonzero(self.alive)

    def _where(self, number: int) -> tuple[Part, int]:
        index = bisect.bisect_right(self._article_starts, number) - 1
        return self.parts[index], number - self._article_starts[index]

    def article(self, number: int) -> Article:
        """Article ``number`` with its body (read from the segment's arrays)."""
        part, local = self._where(number)
        return part.segment.article(local, Path(self.path(number)))

    def meta(self, number: int) -> ArticleMeta:
        """Article ``number`` without its body: what a list or a search result shows."""
        part, local = self._where(number)
        return part.segment.meta(local, Path(self.path(number)))

    def path(self, number: int) -> str:
        part, local = self._where(number)
        return self._path(int(part.segment.roots[local]), part.segment.column("relative")[local])

    def _path(self, root: int, relative: str) -> str:
        top = self.roots[root]
        if not top:  # articles made in memory (snapshot_of): the relative place is the whole path
            return relative
        return f"{top}/{relative}" if relative else top

    def column(self, name: str) -> list[str]:
        """One string column (title, source, author, url, format…) for every article, dead ones included."""
        return [item for part in self.parts for item in part.segment.column(name).tolist()]

    @table
    def titles(self) -> list[str]:
        return self.column("title")

    @table
    def sources(self) -> list[str]:
        return self.column("source")

    @table
    def paths(self) -> list[str]:
        found = []
        for part in self.parts:
            roots = part.segment.roots.tolist()
            found += [self._path(root, relative) for root, relative in zip(roots, part.segment.column("relative").tolist())]
        return found

    @table
    def numbers(self) -> dict[str, int]:
        """path → number, for the live articles."""
        paths = self.paths
        return {paths[n]: n for n in self.live.tolist()}

    def number_of(self, path: str | Path) -> int | None:
        return self.numbers.get(str(path))

    def follow(self, number: int, older: Snapshot) -> int | None:
        """The number in this snapshot of article ``number`` of an ``older`` one (None if it is gone).

        While a folder loads, snapshots only grow: the older one's parts come
        first, unchanged, and numbers stay as they were. Otherwise the
        article is looked up by its path.
        """
        shared = len(older.parts)
        if 0 <= number < older.article_count and all(a is b for a, b in zip(self.parts[:shared], older.parts)) and len(self.parts) >= shared:
            return number if self.alive[number] else None
        if not 0 <= number < older.article_count:
            return None
        found = self.number_of(older.path(number))
        return found if found is not None else self._moved(number, older)

    # A live folder replaces and removes articles, so a number kept from an
    # older snapshot (a search hit, the open article) is checked before use.
    def locate(self, number: int | None, path: str | Path) -> int | None:
        """The number of the live article at ``path``: ``number`` itself when it still is that article."""
        if number is not None and 0 <= number < self.article_count and self.alive[number] and self.path(number) == str(path):
            return number
        return self.number_of(path)

    def _moved(self, number: int, older: Snapshot) -> int | None:
        """Article ``number`` of ``older`` under another name: the live article with its key among the new segments."""
        key = older.key(number)
        if key == "text:" + "0" * 16:
            return None  # no url, no text: nothing to know it by
        known = {id(part.segment) for part in older.parts}
        for part, start in zip(self.parts, self._article_starts):
            if id(part.segment) in known:
                continue
            live = range(part.segment.article_count) if part.alive is None else np.flatnonzero(part.alive).tolist()
            for local in live:
                if self.key(start + local) == key:
                    return start + local
        return None

    def same_entry(self, number: int, older: Snapshot, old_number: int) -> bool:
        """Whether ``number`` here and ``old_number`` in ``older`` are one entry of one part: nothing about it changed."""
        if not (0 <= number < self.article_count and 0 <= old_number < older.article_count):
            return False
        (part, local), (old_part, old_local) = self._where(number), older._where(old_number)
        return part.segment is old_part.segment and local == old_local

    def _concat(self, name: str) -> np.ndarray:
        arrays = [getattr(part.segment, name) for part in self.parts]
        return np.concatenate(arrays) if arrays else np.empty(0, dtype=np.int64)

    @table
    def date_us(self) -> np.ndarray:
        return self._concat("date_us")

    @table
    def date_offset(self) -> np.ndarray:
        return self._concat("date_offset").astype(np.int64)

    @table
    def date_origin(self) -> np.ndarray:
        arrays = [part.segment.arrays["date_origin"] for part in self.parts]
        return np.concatenate(arrays) if arrays else np.empty(0, dtype=np.uint8)

    @table
    def text_hash(self) -> np.ndarray:
        """Per article, the hash of its body text (segment.text_hash): copies of one article share it."""
        arrays = [part.segment.arrays["text_hash"] for part in self.parts]
        return np.concatenate(arrays) if arrays else np.empty(0, dtype=np.int64)

    @table
    def url_hash(self) -> np.ndarray:
        """Per article, the hash of its url as copies compare urls (segment.url_hashes); 0 for none."""
        arrays = [part.segment.arrays["url_hash"] for part in self.parts]
        return np.concatenate(arrays) if arrays else np.empty(0, dtype=np.int64)

    def key(self, number: int) -> str:
        """What identifies article ``number`` beyond its file: its url, else the hash of its text.

        Moving or renaming a file keeps its key, so whatever is remembered
        about an article (read, bookmarked, where the reader was) follows it.
        """
        part, local = self._where(number)
        return article_key(part.segment.column("url")[local], part.segment.arrays["text_hash"][local])  # the rule: keys.py

    def date(self, number: int):
        part, local = self._where(number)
        return part.segment.date(local)

    def date_origin_of(self, number: int):
        part, local = self._where(number)
        return part.segment.date_origin(local)

    @cached_property
    def skipped(self) -> list[tuple[Path, str]]:
        """Files that are not articles: discovery's problems, then the skipped files still there."""
        found = list(self.discovery_problems)
        for part in self.parts:
            segment = part.segment
            roots = segment.arrays["skipped_root"].tolist()
            relatives = segment.column("skipped_relative").tolist()
            reasons = segment.column("skipped_reason").tolist()
            alive = [True] * len(roots) if part.alive_skipped is None else part.alive_skipped.tolist()
            found += [(Path(self._path(root, relative)), reason) for root, relative, reason, live in zip(roots, relatives, reasons, alive) if live]
        return found

    # -- order ----------------------------------------------------------------------
    @table
    def newest_first(self) -> np.ndarray:
        """The live articles' numbers, newest first; ties by title, then path (the order never wobbles)."""
        live = self.live
        dates = self.date_us[live]
        key = np.where(dates == NO_DATE, np.iinfo(np.int64).max, -dates)  # undated last
        by_date = np.argsort(key, kind="stable")
        order, keys = live[by_date], key[by_date]
        if len(order) < 2:
            return order
        # Equal dates are rare but for undated articles (often thousands): the
        # articles of every run of them are ordered by date, then title, then
        # path in one sort of numpy strings (a sort per run cost 80 ms for the
        # thousands of short runs of 100,000 articles).
        same = np.flatnonzero(keys[1:] == keys[:-1])
        if len(same):
            tied = np.unique(np.concatenate((same, same + 1)))  # places in ``order`` that share a date with a neighbour
            numbers = order[tied].tolist()
            titles = self.titles
            by_title = np.array([titles[n] for n in numbers])
            by_path = np.array([self.path(n) for n in numbers])
            # The places stay where they are (sorted by date already); the tied articles are ordered within them.
            order[tied] = order[tied][np.lexsort((by_path, by_title, keys[tied]))]
        return order

    @table
    def rank(self) -> np.ndarray:
        """Rank of every article by newest_first; dead ones rank last."""
        rank = np.full(self.article_count, self.article_count, dtype=np.int64)
        rank[self.newest_first] = np.arange(len(self.newest_first))
        return rank

    # -- search: the same view reader.search always had -----------------------------
    @table
    def first_passages(self) -> np.ndarray:
        """Each article's first passage (its title), numbered across the parts; then the count of passages."""
        parts = [part.segment.arrays["passage_starts"][:-1].astype(np.int64) + start for part, start in zip(self.parts, self._passage_starts)]
        return np.concatenate([*parts, [self.passage_count]]) if parts else np.zeros(1, dtype=np.int64)

    @table
    def owners(self) -> PassageOwners:
        """passage → article number (PassageOwners)."""
        return PassageOwners(self.first_passages)

    @table
    def kinds(self) -> PassageKinds:
        """passage → its block's index in the article, TITLE or SOURCE (looked up, like owners)."""
        return PassageKinds(self.owners)

    def _passage_where(self, passage: int) -> tuple[Segment, int]:
        index = bisect.bisect_right(self._passage_starts, passage) - 1
        return self.parts[index].segment, passage - self._passage_starts[index]

    def passage_text(self, passage: int) -> str:
        segment, local = self._passage_where(passage)
        return segment.passage_text(local)

    def passage_texts(self, passages: list[int]) -> list[str]:
        """The texts of many passages at once (grouped by segment)."""
        return self._by_segment(passages, Segment.passage_texts_at)

    def folded_passage_texts(self, passages: list[int]) -> list[str]:
        """The texts of many passages folded for search (reader.search.fold.fold_many of passage_texts)."""
        return self._by_segment(passages, Segment.folded_texts_at)

    def _by_segment(self, passages: list[int], read) -> list[str]:
        """``read(segment, local passages)`` for each segment's share of ``passages``, back in their order."""
        if not passages:
            return []
        ids = np.asarray(passages, dtype=np.int64)
        where = np.searchsorted(np.asarray(self._passage_starts), ids, side="right") - 1
        order = np.argsort(where, kind="stable")  # grouped by segment, in the given order within each
        grouped = where[order]
        bounds = np.flatnonzero(np.concatenate(([True], grouped[1:] != grouped[:-1], [True])))
        texts: list[str] = []
        for start, end in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
            index = int(grouped[start])
            texts += read(self.parts[index].segment, ids[order[start:end]] - self._passage_starts[index])
        return list(map(texts.__getitem__, np.argsort(order).tolist()))

    def passage_article(self, passage: int) -> int:
        return int(self.owners[passage])

    def passage_block(self, passage: int) -> int:
        return int(self.kinds[passage])

    def candidates(self, codes: np.ndarray, least: int, *, counted: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
        """The passages holding at least ``least`` of the query's bigrams, in order, and how many each holds.

        Segment by segment: a count per passage of one segment stays in the
        CPU's cache, and nothing of the size of every passage is made. With
        ``counted`` False and ``least`` 1 the counts are not made (None):
        marking passages beats counting postings.
        """
        counted = counted or least > 1
        found: list[np.ndarray] = []
        counts: list[np.ndarray] = []
        for part, first in zip(self.parts, self._passage_starts):
            segment = part.segment
            lists = segment.postings.postings(codes)
            if len(lists) < least:
                continue  # not enough of the bigrams are in this segment at all
            if not counted:
                held = np.zeros(segment.passage_count, dtype=bool)
                for postings in lists:
                    held[postings] = True
                found.append(np.flatnonzero(held) + first)
                continue
            shared = np.bincount(np.concatenate(lists) if len(lists) > 1 else lists[0], minlength=segment.passage_count)
            local = np.flatnonzero(shared >= least)
            found.append(local + first)
            counts.append(shared[local])
        if not found:
            return np.empty(0, dtype=np.int64), (np.empty(0, dtype=np.int64) if counted else None)
        return np.concatenate(found), (np.concatenate(counts) if counted else None)

    def holding(self, code: int, folded: str | None = None) -> Holding:
        """The articles holding the one character of a ``first_of`` bigram code (reader.catalog.holding).

        ``folded``: the character, folded, for keys that several characters
        share (beyond the BMP): each passage the postings name is then read
        and kept only if its folded text holds it.
        """
        codes = np.array([code], dtype=np.uint32)
        marks: list[Marked] = []
        for part, articles, passages in zip(self.parts, self._article_starts, self._passage_starts):
            segment = part.segment
            lists = segment.postings.postings(codes)
            if not lists:
                continue
            held = np.zeros(segment.passage_count, dtype=bool)
            for postings in lists:
                held[postings] = True
            if folded is not None:
                positions = np.flatnonzero(held)
                texts = segment.folded_texts_at(positions)
                held[positions[np.fromiter((folded not in text for text in texts), dtype=bool, count=len(texts))]] = False
            if held.any():
                marks.append(Marked(articles, passages, segment.arrays["passage_starts"], held))
        return Holding.marked(marks)

    def shared_bigrams(self, codes: np.ndarray) -> np.ndarray:
        """For every passage, how many of the query's bigrams it holds."""
        counts = np.zeros(self.passage_count, dtype=np.int32)
        for part, first in zip(self.parts, self._passage_starts):
            segment = part.segment
            found = segment.postings.postings(codes)
            if found:
                local = np.bincount(np.concatenate(found), minlength=segment.passage_count)
                counts[first:first + segment.passage_count] += local[: segment.passage_count]
        return counts

    @table
    def source_numbers(self) -> tuple[np.ndarray, list[str]]:
        """Each article's source number, and the distinct sources (the sidebar's groups, the source: filter)."""
        numbers: dict[str, int] = {}
        source_of = np.fromiter((numbers.setdefault(name, len(numbers)) for name in self.sources), dtype=np.int32, count=self.article_count)
        return source_of, list(numbers)

    # -- local times, copies, repeated passages (reader.parse.dates, reader.catalog.copies) --
    @table
    def _by_zone(self) -> dict:
        return {}  # (what, zone_key()) → computed: right for the time zone it was computed in

    @property
    def local_offset(self) -> np.ndarray:
        """Each article's offset in the user's time zone (TZ) at its date, in seconds (0 when undated)."""
        key = ("offset", zone_key())
        if key not in self._by_zone:
            dated = self.date_us != NO_DATE
            offsets = np.zeros(self.article_count, dtype=np.int64)
            offsets[dated] = local_offsets(np.floor_divide(self.date_us[dated], 1_000_000))
            self._by_zone[key] = offsets
        return self._by_zone[key]

    def local_dates(self, unit: str = "s") -> list[str]:
        """Each article's date in the user's time zone, ISO 8601 to ``unit`` without the offset ("" when it has none)."""
        key = (unit, zone_key())
        if key not in self._by_zone:
            dated = self.date_us != NO_DATE
            local = np.where(dated, self.date_us + self.local_offset * 1_000_000, 0).astype("datetime64[us]")
            self._by_zone[key] = np.where(dated, np.datetime_as_string(local, unit=unit), "").tolist()
        return self._by_zone[key]

    @property
    def iso_dates(self) -> list[str]:
        """Each article's date as ISO 8601 in the user's time zone, to the second, without the offset."""
        return self.local_dates("s")

    def dated(self, prefix: str) -> np.ndarray:
        """Whether each article's ``iso_dates`` string starts with ``prefix`` (the date: filter), as booleans.

        Without writing every date out: 100,000 of them took 90 ms, the first
        date: query's whole time. Each date is cut to the unit the prefix
        reaches (year, month, day…), and only the distinct values (a few
        thousand) are written and compared; a date written to a unit is the
        start of the same date written to the second, at least as long as
        the prefix, so the answer is the same. The distinct values are kept
        for each unit: every key of `date:2022-01` asks again.
        """
        if not prefix:
            return np.ones(self.article_count, dtype=bool)
        unit = next((unit for cells, unit in _UNIT_CELLS if len(prefix) <= cells), "s")
        key = ("cut", unit, zone_key())
        if key not in self._by_zone:
            dated = np.flatnonzero(self.date_us != NO_DATE)
            local = (self.date_us[dated] + self.local_offset[dated] * 1_000_000).astype("datetime64[us]")
            values, which = np.unique(local.astype(f"datetime64[{unit}]"), return_inverse=True)
            self._by_zone[key] = dated, np.datetime_as_string(values, unit=unit).tolist(), which
        dated, written, which = self._by_zone[key]
        answer = np.zeros(self.article_count, dtype=bool)
        answer[dated] = np.array([text.startswith(prefix) for text in written], dtype=bool)[which]
        return answer

    @table
    def copies(self) -> Copies:
        """The same article under several paths, listed once (reader.catalog.copies)."""
        return copy_groups(self)

    @table
    def repeated_passages(self) -> np.ndarray:
        """Per passage, whether another passage may hold the same text (reader.search.repeats.shared_texts).

        Its hashes part by part (26 MB at 3.2 million passages), then one sort
        of them: about 0.2 s at 100,000 articles, so computed ahead
        (``prepare_search``), never by a search.
        """
        from ..search.repeats import shared_texts

        hashes = [np.asarray(part.segment.arrays["passage_hash"][:], dtype=np.int64) for part in self.parts]
        return shared_texts(np.concatenate(hashes) if hashes else np.zeros(0, dtype=np.int64))

    def passage_hashes(self, passages: np.ndarray) -> np.ndarray:
        """The hash of each passage's text (segment.passage_hash): the same text hashes alike."""
        passages = np.asarray(passages, dtype=np.int64)
        order = None if not len(passages) or (passages[1:] >= passages[:-1]).all() else np.argsort(passages, kind="stable")
        ordered = passages if order is None else passages[order]
        found = np.empty(len(passages), dtype=np.int64)
        # Sorted (as candidates come): each part's passages are one slice.
        bounds = np.searchsorted(ordered, [*self._passage_starts, self.passage_count])
        for index, (start, end) in enumerate(zip(bounds[:-1].tolist(), bounds[1:].tolist())):
            if end > start:
                hashes = self.parts[index].segment.arrays["passage_hash"]  # from the cache: checks only what it takes
                found[start:end] = hashes.take(ordered[start:end] - self._passage_starts[index])
        if order is not None:
            found[order] = found.copy()
        return found

    @property
    def nbytes(self) -> int:
        return sum(part.segment.nbytes for part in self.parts)


def snapshot_of(articles: list, batch: int = 250) -> Snapshot:
    """A snapshot of articles already in memory (tests, and anything not read from folders)."""
    from .reading import fitting, join
    from .segment import FileRef, build_segment

    files = [FileRef(0, str(article.path), str(article.path), (0, n, 0, 0)) for n, article in enumerate(articles)]
    pieces = [build_segment(*zip(*group)) for group in fitting(zip(files, articles), most=batch)]
    return Snapshot(tuple(Part(segment) for segment in join(pieces)), ("",))
