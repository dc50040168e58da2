"""Copies: one article saved under several paths, listed once.

Archives often hold an article twice: in two folders, under two file names,
fetched twice from its feed. Two live articles are copies when they have the
same url (compared without its scheme, a leading ``www.``, its ``#fragment``
and trailing slashes) or the same body text (``Snapshot.text_hash``: blanks
left out), and a copy of a copy is a copy: a group is every article linked
so. A body under ``MIN_TEXT`` characters says too little to tell an article
by (``正文``, ``阅读全文``, a link-only post): it makes no copies.

A group's **representative** is the copy listed first in
``Snapshot.newest_first``: the newest, and at the same date the first by
title, then by path. Being the first of the list's own order, it is where the
group's row stands with no second order to keep: the one row of the sidebar
and of `reader list`, and the article a search result opens when its text
holds the match (search ranks by the same order). The others are shown
beside it: a count in the sidebar (``×2``), "also in" in search results and
`reader find`, ``copies`` in the JSON, every group on the problems screen.

Computed once per snapshot (``Snapshot.copies``), in numpy: each article
starts labelled with its rank in the list; every run of articles sharing a
url or a text takes the smallest label in it, until nothing changes (one
round, two when copies are linked through both). Urls come as numbers, hashed
once when each batch was read (segment.url_hashes). 100,000 articles cost a
few tens of milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

# Over the whole column joined by newlines (urls hold none), each url after a newline: a
# pattern that opens with a literal is searched for as fast as str.find (about 15 ms for
# 100,000 urls); one anchored with ^ or ending in $ is tried at every character (ten times that).
_URL_HEAD = re.compile(r"\n[ \t]*(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//(?:[wW][wW][wW]\.)?")
_URL_FRAGMENT = re.compile(r"#[^\n]*")
MIN_TEXT = 40  # characters of body text (blocks, blanks included) for the text to name the article


@dataclass(frozen=True, eq=False)
class Copies:
    """Which articles of one snapshot are copies of which."""

    group: np.ndarray  # int64 per article: its representative's number (its own when it has no copy); -1 if dead
    size: np.ndarray  # int64 per article: how many live copies its group holds, itself included; 0 if dead
    listed: np.ndarray  # the representatives, newest first: what a list shows
    members: np.ndarray  # the articles of groups of two or more, by group, each group in list order
    member_groups: np.ndarray  # the group (representative) of each of ``members``, sorted

    def representative(self, number: int) -> int:
        """The copy listed for article ``number`` (itself when it has none, or when it is not live)."""
        if not 0 <= number < len(self.group):
            return number
        found = int(self.group[number])
        return found if found >= 0 else number

    def count(self, number: int) -> int:
        """How many paths hold article ``number`` (1 when it has no copy)."""
        return int(self.size[number]) if 0 <= number < len(self.size) and self.size[number] else 1

    def mark(self, number: int) -> str:
        """What a list shows after the title of article ``number``: ``×2`` for two paths, nothing for one."""
        count = self.count(number)
        return f"×{count}" if count > 1 else ""

    def others(self, number: int) -> list[int]:
        """The other copies of article ``number``, in list order (none when it has none)."""
        if self.count(number) < 2:
            return []
        group = self.group[number]
        low, high = np.searchsorted(self.member_groups, [group, group + 1])
        return [member for member in self.members[low:high].tolist() if member != number]

    def groups(self) -> list[list[int]]:
        """Every group of two or more copies, its representative first, in list order of the representatives."""
        starts = np.flatnonzero(np.concatenate(([True], self.member_groups[1:] != self.member_groups[:-1]))) if len(self.members) else []
        runs = [self.members[start:end].tolist() for start, end in zip(starts, [*starts[1:], len(self.members)])]
        rank = {number: place for place, number in enumerate(self.listed.tolist())}
        return sorted(runs, key=lambda run: rank.get(run[0], len(rank)))

    @property
    def copy_count(self) -> int:
        """Paths that are copies of a listed article (not listed themselves)."""
        return len(self.members) - len(np.unique(self.member_groups)) if len(self.members) else 0


def normalised_urls(urls: list[str]) -> list[str]:
    """The urls as they are compared: no scheme, no leading ``www.``, no ``#fragment``, no trailing slash."""
    if not urls:
        return []
    if any("\n" in url for url in urls):  # never in a cleaned field; one would make two urls
        urls = [url.replace("\n", " ") for url in urls]
    joined = _URL_HEAD.sub("\n", "\n" + "\n".join(urls))
    if "#" in joined:
        joined = _URL_FRAGMENT.sub("", joined)
    return [item.rstrip("/ \t") for item in joined[1:].split("\n")]


def copy_groups(snapshot) -> Copies:
    """The copies of a snapshot's live articles (see the module's docstring)."""
    count = snapshot.article_count
    alive = snapshot.alive
    order = snapshot.newest_first
    label = snapshot.rank.copy()  # a live article's place in the list; dead ones are never spread from
    texts = snapshot.text_hash
    urls = snapshot.url_hash  # made when each batch was read (segment.url_hashes); 0 for no url
    # Only the few articles whose text another one has can be copies by text: their bodies'
    # lengths are read (the passages' offsets), and only they are sorted again without the short.
    members, _ = _shared(texts, alive & (texts != 0))
    long_enough = np.zeros(count, dtype=bool)
    long_enough[members[_body_lengths(snapshot, members) >= MIN_TEXT]] = True
    runs = [_shared(urls, alive & (urls != 0)), _shared(texts, long_enough)]
    changed = True
    while changed:
        changed = False
        for members, starts in runs:
            if not len(members):
                continue
            lowest = np.repeat(np.minimum.reduceat(label[members], starts), np.diff(np.append(starts, len(members))))
            if (lowest < label[members]).any():
                label[members] = lowest
                changed = True
    group = np.full(count, -1, dtype=np.int64)
    size = np.zeros(count, dtype=np.int64)
    live = snapshot.live
    if len(live):
        group[live] = order[label[live]]
        size[live] = np.bincount(label[live], minlength=len(order))[label[live]]
    in_groups = live[size[live] > 1]
    by_group = in_groups[np.lexsort((snapshot.rank[in_groups], group[in_groups]))]
    listed = order[group[order] == order]
    return Copies(group, size, listed, by_group, group[by_group])


def _body_lengths(snapshot, numbers: np.ndarray) -> np.ndarray:
    """Per article of ``numbers``, the characters of its blocks' text (UTF-16 code units: one beyond the BMP counts two)."""
    lengths = np.zeros(len(numbers), dtype=np.int64)
    first = 0
    for part in snapshot.parts:
        count = part.segment.article_count
        mine = np.flatnonzero((numbers >= first) & (numbers < first + count))
        if len(mine):
            arrays = part.segment.arrays
            local = numbers[mine] - first
            starts = np.asarray(arrays["passage_starts"], dtype=np.int64)
            text_starts = arrays["text_starts"]  # take: from the cache, only the chunks holding these are checked
            lengths[mine] = text_starts.take(starts[local + 1]).astype(np.int64) - text_starts.take(starts[local] + 2)  # after title, source
        first += count
    return lengths


def _shared(keys: np.ndarray, usable: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The articles whose key another usable article shares, sorted by key, and where each key's run starts."""
    index = np.flatnonzero(usable)
    if len(index) < 2:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    index = index[np.argsort(keys[index], kind="stable")]
    sorted_keys = keys[index]
    same = sorted_keys[1:] == sorted_keys[:-1]
    shared = np.concatenate(([False], same)) | np.concatenate((same, [False]))
    index, sorted_keys = index[shared], sorted_keys[shared]
    starts = np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1]))) if len(index) else index
    return index, starts
