"""The progress line of `reader list` and `reader find`: on a terminal, after a second, never in a pipe."""

from __future__ import annotations

import io

from reader.catalog import Progress
from reader.cli.progress import DELAY, ProgressLine


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def progress(read: int, to_read: int = 1000, seconds: float = 2.0, finished: bool = False) -> Progress:
    return Progress(found=to_read, to_read=to_read, read=read, seconds=seconds, finished=finished)


def test_nothing_is_drawn_in_the_first_second_nor_ever_in_a_pipe():
    clock = Clock()
    terminal, pipe = Terminal(), io.StringIO()
    on_terminal, in_pipe = ProgressLine(terminal, clock), ProgressLine(pipe, clock)
    on_terminal(None, progress(10))
    assert terminal.getvalue() == ""  # a warm start never shows it
    clock.now += DELAY + 0.1
    for line in (on_terminal, in_pipe):
        line(None, progress(500))
        line.close()
    assert pipe.getvalue() == ""
    drawn = terminal.getvalue()
    assert drawn.startswith("\r\x1b[K") and "reading 500 of 1,000 files" in drawn
    assert drawn.endswith("\r\x1b[K")  # wiped when done
    assert "\n" not in drawn


def test_the_line_says_how_far_how_fast_and_how_long_is_left():
    assert progress(500).describe() == "reading 500 of 1,000 files · 250 a second · about 2 s left"
    assert progress(24, 100_000, seconds=0.01).describe() == "reading 24 of 100,000 files · 2,400 a second · about 42 s left"
    assert progress(240, 300_240, seconds=0.1).describe() == "reading 240 of 300,240 files · 2,400 a second · about 2 min 05 s left"
    assert progress(0, 10, seconds=0.0).describe() == "reading 0 of 10 files"
    assert progress(500).seconds_left == 2.0 and progress(500).rate == 250.0
    assert progress(1000, finished=True).seconds_left is None


def test_redraws_are_throttled():
    clock = Clock()
    terminal = Terminal()
    line = ProgressLine(terminal, clock)
    clock.now += DELAY + 1
    for read in range(100):
        line(None, progress(read))
    assert terminal.getvalue().count("reading") == 1
