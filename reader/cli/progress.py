"""A progress line on standard error for `reader list` and `reader find`: only on a terminal, only when it is slow.

Nothing is drawn in the first second (a warm start never shows it), nothing at
all when standard error is not a terminal (a pipe or a log never sees a
carriage return), and the line is wiped when the work is done.
"""

from __future__ import annotations

import time
from typing import TextIO

DELAY = 1.0  # seconds before the line first appears
_EVERY = 0.1  # seconds between redraws


def describe(read: int, to_read: int, rate: float, seconds_left: float | None) -> str:
    """``reading 12,345 of 100,000 files · 2,400 a second · about 36 s left``."""
    line = f"reading {read:,} of {to_read:,} files"
    if rate:
        line += f" · {rate:,.0f} a second"
    if seconds_left is not None:
        line += f" · about {_duration(seconds_left)} left"
    return line


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    return f"{int(seconds // 60)} min {round(seconds % 60):02d} s"


class ProgressLine:
    def __init__(self, stream: TextIO, clock=time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.started = clock()
        self.shown = False
        self._last = 0.0
        try:
            self.enabled = stream.isatty()
        except (AttributeError, ValueError):
            self.enabled = False

    def __call__(self, _snapshot, progress) -> None:
        if not self.enabled or progress.finished or not progress.to_read:
            return
        now = self.clock()
        if now - self.started < DELAY or now - self._last < _EVERY:
            return
        self._last = now
        self.stream.write("\r\x1b[K" + describe(progress.read, progress.to_read, progress.rate, progress.seconds_left))
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
