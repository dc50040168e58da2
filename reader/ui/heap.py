"""What is loaded stays: Python's garbage collector stops visiting it once loading ends.

A full collection visits every object the process holds. With 100,000
articles loaded one took 95-180 ms of the interface's thread, and typing
queries set off 46 of them in 363 keystrokes (bench/bench_ui.py), each a
keystroke whose results waited that much longer. ``gc.freeze()`` moves
every object alive when loading ends to a generation no collection visits;
what becomes garbage among them is still freed by reference counting. Only
reference cycles among frozen objects would stay, so a later load (the live
folder, R) unfreezes, collects and freezes again, at most once a minute;
loads closer together only freeze what they added.

What is made after the load is still collected: Python's full collections
come every ten collections of the middle generation (about 70,000 objects
kept), 30 times while typing bench_ui's queries at 100,000 articles, each
15–35 ms of the interface's thread on top of a keystroke. ``Pauses`` does
them early, when the reader pauses (a quarter of a second in which the app
kept too little to set off even one young collection), so that few are
left to fall on a keystroke, and when the search bar opens (``before_typing``):
the keys of a query are about to come, and the one owed would fall on the
first of them. Typing bench_ui's 51 queries set off 31 full collections (up
to 34 ms each), most of them on a query's first key (median 68 ms to its
results painted, against 42 ms with the collector off).
"""

from __future__ import annotations

import gc
import time

FULL_EVERY = 60.0  # seconds: at most one full collection (about 0.1 s at 100,000 articles) a minute

# One process, one heap: the time of the last full collection is the process's, not
# a screen's (a test run starts hundreds of apps, and each must not freeze the
# garbage of the ones before it for good).
_collected: float | None = None  # None: nothing frozen yet


def loaded(clock=time.monotonic) -> None:
    """A load ended: freeze what is alive (after collecting what earlier freezes kept, if a minute has passed)."""
    global _collected
    now = clock()
    if _collected is None:
        _collected = now  # nothing frozen yet, so nothing kept from collection
    elif now - _collected >= FULL_EVERY:
        _collected = now
        gc.unfreeze()
        gc.collect()
    gc.freeze()


PAUSE_TICK = 0.25  # seconds: how often the app looks whether it is at rest
AT_REST_FROM = 2  # a full collection is done at rest once 1/2 of Python's spacing of them has passed


class Pauses:
    """Full garbage collections when the app is at rest rather than on a keystroke.

    ``tick()``, called every PAUSE_TICK seconds, runs a full collection once
    half of Python's spacing of them (its third threshold, in collections of
    the middle generation) has passed and a tick went by with no collection
    at all (the app kept fewer than 700 new objects: nobody is typing or
    scrolling). Python's own spacing is left as it is: while the reader
    types without a pause its full collections come as they always did.
    Holding them back longer (ten times) made each one visit the cycles of
    all that time, 195 ms instead of 30 at 100,000 articles.
    ``counts``, ``collect`` and ``threshold`` are gc's, or a test's.
    """

    def __init__(self, counts=gc.get_count, collect=gc.collect, threshold=gc.get_threshold) -> None:
        self._counts = counts
        self._collect = collect
        self._threshold = threshold
        self._last: tuple[int, ...] = ()  # gc's counts of collections at the last tick
        self.collections = 0  # run at rest (tests)

    def before_typing(self) -> bool:
        """The search bar opened: run the full collection owed now, if any middle collection came since the last
        full one, rather than on one of the keys about to come; whether it ran."""
        if self._counts()[2] < 1:
            return False
        self._collect_now()
        return True

    def tick(self) -> bool:
        """Run a full collection if one is half due and the app has been at rest since the last tick; whether it ran."""
        counts = self._counts()[1:]  # young collections since the last middle one, middle ones since the last full one
        at_rest = counts == self._last
        self._last = counts
        if at_rest and counts[1] >= max(1, self._threshold()[2] // AT_REST_FROM):
            self._collect_now()
            return True
        return False

    def _collect_now(self) -> None:
        """A full collection, and the counts it leaves as the ones the next tick compares with."""
        self._collect()
        self._last = self._counts()[1:]
        self.collections += 1
