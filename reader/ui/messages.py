"""Messages between the loader worker and the screen: small, past-tense events."""

from __future__ import annotations

from textual.message import Message

from ..library import Batch


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
