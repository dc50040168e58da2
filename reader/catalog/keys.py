"""Article keys over whole snapshots: the rule, each segment's keys once, and sets of keys as arrays.

An article's key (its url, else the hash of its text) is what reader's state
remembers it by. The sidebar needs, for 100,000 articles, which ones are
read; asking per row while painting would be a database query per line. So
keys are computed once per segment (segments never change, and a snapshot
that grows while a folder loads shares the older one's segments), and a set
of keys becomes one bool array per snapshot, joined from per-segment arrays
that are computed again only when the set changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from weakref import WeakKeyDictionary, WeakSet

import numpy as np

from .segment import Segment

_UNSIGNED = 0xFFFF_FFFF_FFFF_FFFF
_keys: WeakKeyDictionary[Segment, list[str]] = WeakKeyDictionary()


def article_key(url: str, text_hash: int) -> str:
    """"url:<url>", or "text:<16 hex digits of the text's hash>" for an article without a url."""
    return "url:" + url if url else f"text:{int(text_hash) & _UNSIGNED:016x}"


def segment_keys(segment: Segment) -> list[str]:
    """Every article's key in a segment (computed once per segment)."""
    found = _keys.get(segment)
    if found is None:
        found = _keys[segment] = list(map(article_key, segment.column("url").tolist(), segment.arrays["text_hash"].tolist()))
    return found


def keys_of(snapshot, numbers: Iterable[int]) -> list[str]:
    """The keys of articles ``numbers`` of a snapshot, from its segments' keys (a whole group at once)."""
    starts = np.cumsum([0, *(part.segment.article_count for part in snapshot.parts)]).tolist()
    numbers = np.asarray(list(numbers), dtype=np.int64)
    where = (np.searchsorted(starts, numbers, side="right") - 1).tolist()
    parts = snapshot.parts
    return [segment_keys(parts[index].segment)[number - starts[index]] for number, index in zip(numbers.tolist(), where)]


def live_numbers(snapshot, keys: Iterable[str], seen: WeakSet[Segment] | None = None) -> dict[str, int]:
    """key → the number of a live article holding it (the first one), for the keys found.

    ``seen``: segments looked at already, skipped (and those looked at now are
    added), so that looking again as a folder loads costs only the new ones.
    """
    wanted = set(keys)
    found: dict[str, int] = {}
    alive = snapshot.alive
    start = 0
    for part in snapshot.parts:
        segment = part.segment
        if wanted and (seen is None or segment not in seen):
            for local, key in enumerate(segment_keys(segment)):
                if key in wanted and key not in found and alive[start + local]:
                    found[key] = start + local
            if seen is not None:
                seen.add(segment)
        start += segment.article_count
    return found


class KeySet:
    """A set of article keys (read ones, say), and which articles of a snapshot hold one."""

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self._keys = set(keys)
        self._flags: WeakKeyDictionary[Segment, np.ndarray] = WeakKeyDictionary()

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, keys: Iterable[str]) -> None:
        self._change(self._keys.update, keys)

    def discard(self, keys: Iterable[str]) -> None:
        self._change(self._keys.difference_update, keys)

    def _change(self, how, keys: Iterable[str]) -> None:
        before = len(self._keys)
        keys = list(keys)
        how(keys)
        if len(self._keys) != before:
            self._flags.clear()  # computed again when asked

    def flags(self, snapshot) -> np.ndarray:
        """A bool per article number of ``snapshot``: whether its key is in the set."""
        arrays = [self._segment_flags(part.segment) for part in snapshot.parts]
        return np.concatenate(arrays) if arrays else np.zeros(0, dtype=bool)

    def _segment_flags(self, segment: Segment) -> np.ndarray:
        if not self._keys:
            return np.zeros(segment.article_count, dtype=bool)  # no key to compute
        found = self._flags.get(segment)
        if found is None:
            keys = segment_keys(segment)
            # map over the set's own method: no Python bytecode per article (twice as fast as a generator)
            found = self._flags[segment] = np.fromiter(map(self._keys.__contains__, keys), dtype=bool, count=len(keys))
        return found
