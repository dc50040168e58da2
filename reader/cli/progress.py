"""A progress line on standard error for `reader list` and `reader find`: only on a terminal, only when it is slow.

Nothing is drawn in the first second (a warm start never shows it), nothing at
all when standard error is not a terminal (a pipe or a log never sees a
carriage return), and the line is wiped when the work is done.
"""

from __future__ import annotations

import os
import time
from typing import TextIO

DELAY = 1.0  # seconds before the line first appears
_EVERY = 0.1  # seconds between redraws


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
        # One line narrower than the terminal: a wrapped line leaves its first row behind at every redraw.
        self.stream.write("\r\x1b[K" + progress.describe(self._width() - 1))
        self.stream.flush()
        self.shown = True

    def _width(self) -> int:
        try:
            return os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, OSError, ValueError):
            return 80

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False
