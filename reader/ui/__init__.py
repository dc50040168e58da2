"""The Textual user interface: thin widgets over the pure core."""

import os

# Textual draws at most TEXTUAL_FPS frames a second (60 unless told), on a fixed grid of
# ticks: a change, such as a search's results arriving, waits for the next tick, 8 ms on
# average and up to 16.7 at 60. At 120 the wait halves: bench_ui at 100,000 articles,
# keystroke → results painted p50 33.7 → 25.0 ms, p95 53.5 → 45.4 ms, "until painted"
# 11.4 → 6.3 ms; the cursor's cost per move the same (7.6 / 7.4 ms), and a frame is still
# drawn only when something changed, so an app at rest costs nothing more. Textual reads it
# when it is first imported, which in `reader` comes after this package; a TEXTUAL_FPS the
# reader set in their environment is theirs to keep.
FRAMES_PER_SECOND = 120
os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_PER_SECOND))
