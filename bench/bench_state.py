"""Measure the reading state at archive scale: the database, and the read marks the sidebar draws.

    python bench/bench_state.py [--n 100000] [--segment 250]

Builds a state database with N read marks in a temporary folder and prints:

- opening it (WAL, SQLite's quick check, the schema) and reading every read
  key into memory, which the app does once at start, before the first
  snapshot;
- one mark, as `m` or the 3-second timer writes it (its own transaction);
- the read marks of a snapshot of N articles in segments of SEGMENT (as
  loading makes them): the first time (every key computed), again after a
  mark changed (keys kept, membership again), and while the snapshot grows
  one segment at a time as a big folder loads (the total over all of them);
- `u`'s search for the next unread over N articles in the sidebar's order.

Segments here are stand-ins holding only what keys need (urls and text
hashes, a url for half of them), so no corpus has to be parsed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout, not an installed copy

from reader.catalog.keys import KeySet, segment_keys  # noqa: E402
from reader.store.state import STATE_FILE, State  # noqa: E402


class _Strings(list):
    def tolist(self) -> list[str]:
        return list(self)


class FakeSegment:
    """What segment_keys reads of a segment: its urls and text hashes."""

    def __init__(self, start: int, count: int) -> None:
        self.urls = _Strings(f"https://example.com/news/2022/{n:07d}.html" if n % 2 else "" for n in range(start, start + count))
        self.arrays = {"text_hash": np.arange(start, start + count, dtype=np.int64) * 2654435761}

    @property
    def article_count(self) -> int:
        return len(self.urls)

    def column(self, name: str) -> _Strings:
        assert name == "url"
        return self.urls


class Part:
    def __init__(self, segment: FakeSegment) -> None:
        self.segment = segment


class FakeSnapshot:
    def __init__(self, parts) -> None:
        self.parts = tuple(parts)


def timed(action, repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--segment", type=int, default=250)
    args = parser.parse_args()
    n, size = args.n, args.segment

    segments = [FakeSegment(start, min(size, n - start)) for start in range(0, n, size)]
    snapshot = FakeSnapshot(Part(segment) for segment in segments)
    keys = [key for segment in segments for key in segment_keys(segment)]
    computed = [FakeSegment(start, min(size, n - start)) for start in range(0, n, size)]  # keys not yet computed
    segments, snapshot = computed, FakeSnapshot(Part(segment) for segment in computed)

    folder = Path(tempfile.mkdtemp(prefix="bench-state-"))
    path = folder / STATE_FILE
    state = State(path)
    read = keys[::2]  # half of them read
    fill = timed(lambda: state.mark_read(read))
    state.close()
    size_mb = sum(file.stat().st_size for file in folder.iterdir()) / 1e6

    opened: list[State] = []
    open_s = timed(lambda: opened.append(State(path)), 3)
    state = opened[-1]
    load_s = timed(lambda: state.read_keys(), 3)
    marks = KeySet(state.read_keys())
    unmarked = iter(keys[1::2])
    one_mark = timed(lambda: state.mark_read([next(unmarked)]), 20)  # a key not read yet, each time

    first = timed(lambda: marks.flags(snapshot))
    assert int(marks.flags(snapshot).sum()) == len(read)

    marks.add([keys[5]])
    again = timed(lambda: (marks.discard([keys[5]]), marks.flags(snapshot), marks.add([keys[5]])), 5)

    growing = KeySet(read)
    grow = timed(lambda: [growing.flags(FakeSnapshot(Part(s) for s in segments[: i + 1])) for i in range(len(segments))])

    unread = ~marks.flags(snapshot)
    order = np.random.default_rng(1).permutation(n)
    after = n // 2

    def next_unread() -> None:
        hits = np.flatnonzero(np.roll(unread[order], -(after + 1)))
        assert len(hits)

    u = timed(next_unread, 20)

    print(f"reading state, {n:,} articles ({len(read):,} read), segments of {size}, {len(segments):,} segments")
    print()
    print("| measure | result |")
    print("|---|---:|")
    print(f"| database with {len(read):,} read marks | {size_mb:.1f} MB |")
    print(f"| writing them, one transaction | {fill * 1e3:.0f} ms |")
    print(f"| open (WAL, quick check, schema), median of 3 | {open_s * 1e3:.1f} ms |")
    print(f"| every read key into memory, median of 3 | {load_s * 1e3:.1f} ms |")
    print(f"| one mark (its own transaction), median of 20 | {one_mark * 1e3:.3f} ms |")
    print(f"| read marks of the snapshot, first time (keys computed) | {first * 1e3:.1f} ms |")
    print(f"| read marks again after a mark changed, median of 5 | {again * 1e3:.1f} ms |")
    print(f"| read marks of each of {len(segments):,} growing snapshots, in all | {grow * 1e3:.0f} ms |")
    print(f"| u: next unread in the sidebar's order, median of 20 | {u * 1e3:.2f} ms |")
    print("(wall time, time.perf_counter; this machine is shared and noisy)")


if __name__ == "__main__":
    main()
