"""Messages from the screen's workers (loading, searching): small, past-tense events."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the core comes after the first paint (reader/ui/__init__.py)
    from ..catalog import Progress, Snapshot
    from ..search.engine import Ranking, Results


@dataclass
class CatalogChanged(Message):
    """The catalog published a new snapshot (more articles read, files changed), and how far it has come."""

    snapshot: Snapshot
    progress: Progress


@dataclass
class SearchFinished(Message):
    """A search worker has results; ``number`` tells a stale search from the latest.

    ``results`` may hold only the first hits (``results.pending`` more), which
    ``ranking`` dresses once they are shown (SearchCompleted).
    """

    number: int
    query: str
    results: Results
    ranking: Ranking | None = None


@dataclass
class SearchCompleted(Message):
    """The rest of a search's hits, dressed after its first screenful was sent (SearchFinished, same ``number``)."""

    number: int
    query: str
    results: Results
