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


def test_a_narrow_line_leaves_out_what_matters_least_and_never_ends_with_a_separator():
    line = progress(8_500, 100_000, seconds=7.5)
    whole = line.describe(also=("8,498 articles so far…",))
    assert whole == "reading 8,500 of 100,000 files · 1,133 a second · about 1 min 21 s left · 8,498 articles so far…"
    assert line.describe(len(whole), also=("8,498 articles so far…",)) == whole
    # At 80 columns (78 cells inside the status bar's padding): the article count goes first,
    assert line.describe(78, also=("8,498 articles so far…",)) == "reading 8,500 of 100,000 files · 1,133 a second · about 1 min 21 s left"
    # then the rate, then the time left: parts are left out, not cut;
    assert line.describe(60, also=("8,498 articles so far…",)) == "reading 8,500 of 100,000 files · about 1 min 21 s left"
    assert line.describe(49, also=("8,498 articles so far…",)) == "reading 8,500 of 100,000 files"
    # and only how far it has come, alone too wide, is cut, with an ellipsis.
    assert line.describe(20) == "reading 8,500 of 10…"
    for width in range(1, 100):
        fitted = line.describe(width, also=("8,498 articles so far…",))
        assert len(fitted) <= width and not fitted.rstrip("…").endswith(("·", " "))


def test_the_terminal_line_fits_the_terminal(monkeypatch):
    import os

    clock = Clock()
    terminal = Terminal()
    terminal.fileno = lambda: 2
    monkeypatch.setattr(os, "get_terminal_size", lambda fd: os.terminal_size((50, 24)))
    line = ProgressLine(terminal, clock)
    clock.now += DELAY + 1
    line(None, progress(8_500, 100_000, seconds=7.5))
    drawn = terminal.getvalue().removeprefix("\r\x1b[K")
    assert drawn == "reading 8,500 of 100,000 files"  # in 49 cells: a wrapped line would pile up at each redraw


def test_redraws_are_throttled():
    clock = Clock()
    terminal = Terminal()
    line = ProgressLine(terminal, clock)
    clock.now += DELAY + 1
    for read in range(100):
        line(None, progress(read))
    assert terminal.getvalue().count("reading") == 1


# ---------------------------------------------------------------- the rate, lately


def test_the_rate_leaves_out_the_start_up_before_the_first_batch():
    from reader.catalog.progress import RateMeter

    # What a first read of 100,000 files looked like: the pool took 4 s to
    # start, two tasks of 250 came back together, then 2,000-file tasks at
    # 1,400 files a second, two at a time. The whole read took about 75 s.
    meter = RateMeter()
    batches = [(4.0, 250), (4.05, 500)]
    seconds, read = 4.05, 500
    while read < 100_000:
        seconds += 2000 * 2 / 1400
        read += 2000
        batches.append((seconds, read))
        read += 2000
        batches.append((seconds + 0.05, read))
    shown = []
    for at, done in batches:
        recent = meter.add(at, done)
        shown.append(Progress(100_000, 100_000, done, at, recent=recent))
    assert shown[0].describe() == "reading 250 of 100,000 files"  # no rate from one batch
    assert shown[1].rate == 0.0 and shown[1].seconds_left is None  # nor from two 0.05 s apart
    assert shown[2].rate == 0.0  # nor from the next, while the other worker's task is still under way
    assert Progress(100_000, 100_000, 500, 4.05).rate < 130  # what the average since the start said
    estimated = [progress for progress in shown if progress.seconds_left is not None]
    assert estimated[0].seconds < 10  # an estimate within a few seconds of the first batch
    for progress in estimated:
        if progress.read < 100_000:
            true_left = (100_000 - progress.read) / 1400
            assert abs(progress.seconds_left - true_left) <= 0.3 * true_left + 3, progress.describe()


def test_the_rate_follows_a_change_of_pace_within_the_window():
    from reader.catalog.progress import RateMeter

    meter = RateMeter(window=10.0)
    for second in range(1, 40):
        fast = meter.add(float(second), second * 1000)
    assert fast == 1000.0
    read = 39 * 1000
    for second in range(40, 80):  # whole saved pages: ten times slower
        read += 100
        slow = meter.add(float(second), read)
    assert slow == 100.0


def test_a_first_read_shows_the_rate_of_its_batches_not_of_its_start(tmp_path, monkeypatch):
    from reader.catalog import Catalog
    from reader.catalog import catalog as module

    folder = tmp_path / "news"
    folder.mkdir()
    for number in range(12):
        (folder / f"{number}.md").write_text(f"---\ntitle: 第{number}篇\n---\n<p>正文{number}。</p>\n", encoding="utf-8")
    monkeypatch.setattr(module, "FIRST_TASKS", (3, 3))
    monkeypatch.setattr(module, "TASK_FILES", 3)
    times = iter([0.0, 0.0, 10.0, 16.0, 22.0, 28.0, 34.0, 40.0])  # the first batch after 10 s of start-up
    seen: list[Progress] = []
    catalog = Catalog([folder], cache_base=None, workers=1, clock=lambda: next(times))
    catalog.load(lambda snapshot, progress: seen.append(progress))
    reading = [progress for progress in seen if progress.read and not progress.finished]
    assert [progress.read for progress in reading] == [3, 6, 9, 12]
    assert reading[0].rate == 0.0  # one batch: no rate yet (the average said 0.3 a second)
    assert [progress.rate for progress in reading[1:]] == [0.5, 0.5, 0.5]
    assert reading[1].describe() == "reading 6 of 12 files · 0 a second · about 12 s left"
