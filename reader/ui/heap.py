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
