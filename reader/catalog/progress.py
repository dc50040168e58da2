"""How far a load has come, and how fast it goes lately: the status bar's and the CLI's progress line.

A first read starts slowly: the process pool starts, each worker imports
lxml and builds its fold tables, and the first small tasks come back
together. An average since the load started counted that start-up as
reading: at 500 files of 100,000 it said "114 a second · about 14 min 35 s
left" when about 75 s were left. The rate is measured instead from the
first batch read, over the last ``WINDOW`` seconds, and only once it spans
``MIN_SPAN`` seconds; until then the line says how far, not how fast.
Two workers hand their tasks back about together, so a rate taken between
the first batch and the next one alone (2,500 files after 2.8 s: "646 a
second · about 2 min 31 s left", with 67 s left) is off by the one still
under way; over five seconds or more it is within a tenth or so.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from ..textwidth import fit_parts

WINDOW = 30.0  # seconds of batches the rate is measured over
MIN_SPAN = 5.0  # no rate from batches closer together than this (see above)


@dataclass(frozen=True)
class Progress:
    """How far a load has come."""

    found: int  # files found by the walk (0 until it is done)
    to_read: int  # of them, changed or new: to read and parse
    read: int  # read so far
    seconds: float  # since the load started
    finished: bool = False
    cached: int = 0  # articles taken from the cache unchanged
    recent: float | None = None  # files a second lately (a RateMeter); None: the average since the start

    @property
    def rate(self) -> float:
        if self.recent is not None:
            return self.recent
        return self.read / self.seconds if self.seconds > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        if not self.read or self.finished or self.read >= self.to_read:
            return None
        return (self.to_read - self.read) / self.rate if self.rate else None

    def describe(self, width: int | None = None, also: tuple[str, ...] = ()) -> str:
        """``reading 12,345 of 100,000 files · 2,400 a second · about 36 s left``: the status bar and the CLI alike.

        ``also``: more parts after those. In ``width`` cells, when given, parts
        are left out rather than cut: ``also`` first, then the rate, then the
        time left; how far it has come stays (cut only if it alone is wider).
        """
        parts = [f"reading {self.read:,} of {self.to_read:,} files"]
        if self.rate:
            parts.append(f"{self.rate:,.0f} a second")
        if self.seconds_left is not None:
            parts.append(f"about {_duration(self.seconds_left)} left")
        ours = len(parts)
        parts += also
        if width is None:
            return " · ".join(parts)
        return fit_parts(parts, width, drop=(*range(len(parts) - 1, ours - 1, -1), *range(1, ours)))


class RateMeter:
    """Files a second over the last ``window`` seconds of batches, the time before the first batch not counted."""

    def __init__(self, window: float = WINDOW, min_span: float = MIN_SPAN) -> None:
        self.window = window
        self.min_span = min_span
        self._samples: deque[tuple[float, int]] = deque()  # (seconds, files read), oldest first

    def add(self, seconds: float, read: int) -> float:
        """Record a batch done; the rate since the oldest batch in the window, 0.0 while there is none to tell."""
        samples = self._samples
        samples.append((seconds, read))
        # Keep one batch at or before the window's start, so the span stays at least the window.
        while len(samples) > 2 and samples[1][0] <= seconds - self.window:
            samples.popleft()
        first_seconds, first_read = samples[0]
        span = seconds - first_seconds
        return (read - first_read) / span if span >= self.min_span else 0.0


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    return f"{int(seconds // 60)} min {round(seconds % 60):02d} s"
