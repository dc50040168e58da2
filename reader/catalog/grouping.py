"""How the sidebar groups and orders articles: by source, or by month and day.

Pure functions over a snapshot's arrays: 100,000 articles are grouped with a
few numpy sorts, never one Python object per article, and the order comes out
the same however the articles arrived (loading is incremental, in file order).
numpy is imported by the functions that sort, not above: the interface builds
its sidebar, which holds a Grouping, before the core is loaded (reader/ui/__init__.py).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from ..model import Article

if TYPE_CHECKING:
    import numpy as np

_OLDEST = datetime.min.replace(tzinfo=timezone.utc)
UNDATED = "no date"


class Grouping(enum.Enum):
    SOURCE = "source"
    DATE = "date"

    def other(self) -> Grouping:
        return Grouping.DATE if self is Grouping.SOURCE else Grouping.SOURCE


def article_order(article: Article) -> tuple:
    """Newest first; ties by title then path, so the order never wobbles (as Snapshot.newest_first)."""
    moment = article.date or _OLDEST
    return (-moment.timestamp(), article.title, str(article.path))


def _no_members() -> np.ndarray:
    import numpy as np

    return np.empty(0, dtype=np.int64)


@dataclass(frozen=True)
class Group:
    """A group of the sidebar: its label, its articles newest first, or its subgroups (months hold days)."""

    key: tuple[str, ...]  # the labels from the outermost group down to this one
    members: np.ndarray = field(default_factory=_no_members)
    children: tuple[Group, ...] = ()

    @property
    def label(self) -> str:
        return self.key[-1]

    @property
    def count(self) -> int:
        return len(self.members) if not self.children else sum(child.count for child in self.children)


def group_articles(snapshot, grouping: Grouping) -> tuple[Group, ...]:
    """The groups of the snapshot's live articles, in the sidebar's order.

    By source: sources by name (case-folded); their articles newest first.
    Sources are not ordered by their newest article because that changes
    while a big folder loads, and groups must not jump under the cursor.
    By date: months, then days of the user's time zone, newest first, undated last.
    Copies of one article are one row, its representative (reader.catalog.copies).
    """
    import numpy as np

    from .columns import NO_DATE

    order = snapshot.copies.listed
    if not len(order):
        return ()
    if grouping is Grouping.SOURCE:
        source_of, sources = snapshot.source_numbers  # not the facets: their local dates are for filters (100 ms at 100,000)
        ranked = sorted(range(len(sources)), key=lambda n: (sources[n].casefold(), sources[n]))
        place = np.empty(len(sources), dtype=np.int64)
        place[ranked] = np.arange(len(sources))
        return _split(order, place[source_of[order]], [(sources[n],) for n in ranked])
    dated = snapshot.date_us[order] != NO_DATE
    groups: list[Group] = []
    dated_order = order[dated]
    if len(dated_order):
        local_us = snapshot.date_us[dated_order] + snapshot.local_offset[dated_order] * 1_000_000
        days = np.floor_divide(local_us, 86_400_000_000)
        # newest_first sorts by instant; a local day can differ by offset, so
        # sort by day (newest first) keeping that order within a day.
        by_day = np.argsort(-days, kind="stable")
        dated_order, days = dated_order[by_day], days[by_day]
        months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
        month_starts = _starts(months)
        for start, end in zip(month_starts, [*month_starts[1:], len(months)]):
            month = str(np.datetime64(int(months[start]), "M"))
            day_starts = _starts(days[start:end])
            children = tuple(
                Group((month, str(np.datetime64(int(days[start + a]), "D"))), dated_order[start + a:start + b])
                for a, b in zip(day_starts, [*day_starts[1:], end - start])
            )
            groups.append(Group((month,), children=children))
    if not dated.all():
        groups.append(Group((UNDATED,), order[~dated]))
    return tuple(groups)


def _split(order: np.ndarray, place: np.ndarray, keys: list[tuple[str, ...]]) -> tuple[Group, ...]:
    import numpy as np

    by_group = np.argsort(place, kind="stable")  # stable: newest first within each group
    members, places = order[by_group], place[by_group]
    starts = _starts(places)
    return tuple(
        Group(keys[int(places[start])], members[start:end])
        for start, end in zip(starts, [*starts[1:], len(places)])
    )


def _starts(values: np.ndarray) -> list[int]:
    import numpy as np

    if not len(values):
        return []
    return [0, *(np.flatnonzero(values[1:] != values[:-1]) + 1).tolist()]
