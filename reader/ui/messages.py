"""Messages from the screen's workers (loading, searching): small, past-tense events."""

from __future__ import annotations

from textual.message import Message

from ..library import Batch
from ..search import Results


class BatchLoaded(Message):
    """More articles were read from disk."""

    def __init__(self, batch: Batch) -> None:
        super().__init__()
        self.batch = batch


class LoadingFinished(Message):
    """Every file has been read (or skipped)."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds


class SearchFinished(Message):
    """A search worker has results; ``number`` tells a stale search from the latest."""

    def __init__(self, number: int, query: str, results: Results) -> None:
        super().__init__()
        self.number = number
        self.query = query
        self.results = results
