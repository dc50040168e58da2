"""Measure how the app feels on a big folder: first paint, full listing, cursor moves.

    python bench/bench_ui.py [CORPUS] [--n 10000] [--moves 1000]

Drives the real app headless with Textual's Pilot over a synthetic corpus
(bench/gen_corpus.py; bench/.corpus-N is reused when present) and prints:

- time to first paint: from the start of this process (before Textual is
  imported, as when a user types `reader FOLDER`) until the main screen has
  painted once; loading goes on after it, with progress in the status line;
- time until all articles are listed in the sidebar;
- mean CPU time of the interface's thread per cursor move over N presses of
  `j` in the sidebar, each press processed and the screen refreshed before
  the next (Pilot's own idle waits sleep, so they cost no CPU; wall time
  would measure them); the whole process's CPU beside it.

- keystroke → results painted: bench_search's query mix typed into the search
  bar one character at a time; from the change of the bar's value until the
  first frame written after that keystroke's results are shown (the frame
  that draws them: the app sends the hits a screen holds first, and the
  rest of the page a moment later, SearchCompleted). Beside it, until the screen settles: Textual's
  after-refresh callbacks, which wait for a frame with nothing left to draw
  (the rest of the list, the scrollbar), often a frame or two later. Each
  query starts with / (the bar focused: the results pane takes the sidebar's
  place, timed on its own) and ends with esc.

Budgets: first paint at most 1.0 s on 10,000 articles (0.6 s warm at 100,000);
a cursor move at most 10 ms; a keystroke's results painted p95 at most 50 ms.
``--cache DIR`` keeps the reader's cache there (run twice: the second run is a
warm start). ``--profile FILE`` writes cProfile statistics of the interface's
thread while the queries are typed (the timings are then not the app's).
"""

from __future__ import annotations

import time

from installed import as_installed  # noqa: E402 (bench/ is this script's folder)

as_installed()  # reader's bytecode, as pip and pipx leave it (installed.py); not timed
PROCESS_START = time.perf_counter()  # before anything heavy is imported

import argparse  # noqa: E402
import asyncio  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))  # this checkout, not an installed copy

import gen_corpus  # noqa: E402


def corpus_for(args: argparse.Namespace) -> Path:
    if args.corpus is not None:
        return args.corpus
    cached = BENCH_DIR / f".corpus-{args.n}"
    if gen_corpus.read_marker(cached).get("n") != str(args.n):
        gen_corpus.generate(cached, args.n)
        (cached / ".gitignore").write_text("*\n", encoding="utf-8")
    return cached


async def measure(corpus: Path, moves: int, started: float, cache: Path, seed: int, profile: Path | None = None) -> dict:
    from reader.catalog.discover import start_walk

    walking = start_walk([corpus])  # as `reader FOLDER` does: before Textual is imported
    import reader.ui  # noqa: F401 - first, as in `reader`: it sets Textual's frame rate (reader/ui/__init__.py)
    from textual import on

    import bench_search
    from reader.ui.app import ReaderApp
    from reader.ui.messages import CatalogChanged
    from reader.ui.screens.main import MainScreen, SearchBar
    from reader.ui.widgets.sidebar import Sidebar

    marks: dict[str, float] = {}
    frame_watch: dict = {}  # while typing: which frames draw the results pane (see below)

    class MeasuredScreen(MainScreen):
        def on_mount(self) -> None:
            # First: the screen's own after-the-first-paint work (the core's import, the
            # reading state) is queued by its on_mount and runs after this mark.
            self.call_after_refresh(lambda: marks.setdefault("first_paint", time.perf_counter()))
            super().on_mount()

        def _on_timer_update(self) -> None:  # a frame, when anything is marked to draw
            wanted = frame_watch.get("wanted")
            frame_watch["drawing"] = bool(wanted and wanted(self))
            try:
                super()._on_timer_update()
            finally:
                frame_watch["drawing"] = False

        @on(CatalogChanged)
        def _mark_listed(self, message: CatalogChanged) -> None:
            # Runs after the screen's own handler has shown the snapshot.
            if message.progress.finished:
                self.call_after_refresh(lambda: marks.setdefault("listed", time.perf_counter()))

    class MeasuredApp(ReaderApp):
        def _display(self, screen, renderable) -> None:  # a frame written to the terminal
            super()._display(screen, renderable)
            if frame_watch.get("drawing"):
                frame_watch["frames"].append((time.perf_counter(), time.clock_gettime(frame_watch["clock"])))

        def push_screen(self, screen, *args, **kwargs):  # swap in the measuring screen
            if type(screen) is MainScreen:
                screen = MeasuredScreen(screen.paths, clock=screen.clock, walking=screen.walking)
            return super().push_screen(screen, *args, **kwargs)

    os.environ["READER_CACHE_DIR"] = str(cache)  # the screen's loading worker keeps the folding tables there
    settings = Path(tempfile.mkdtemp(prefix="reader-bench-")) / "settings.json"
    app = MeasuredApp([corpus], theme="reader-dark", settings_path=settings, walking=walking)
    async with app.run_test(size=(80, 24)) as pilot:
        deadline = time.perf_counter() + 900  # a bound against a hang, not a budget
        while "listed" not in marks:
            if time.perf_counter() > deadline:
                raise SystemExit("bench_ui: loading never finished")
            await asyncio.sleep(0.01)
        await pilot.pause()
        screen = app.screen
        sidebar = screen.query_one(Sidebar)
        sidebar.focus()
        # Open the newest article's groups, so that every press really moves the cursor.
        sidebar.reveal(int(screen.snapshot.newest_first[0]))
        await pilot.pause()
        before = sidebar.cursor_row
        # Pilot waits for the app to go idle after each press by sleeping in
        # 20 ms steps, so wall time would measure Pilot. The CPU time the
        # interface's thread spends is the work of the move itself: key
        # dispatch, the action, rendering the changed lines and writing the
        # screen update. The process's CPU meanwhile is printed beside it: the
        # live folder's first look at the folders (catalog/watch.py) runs in a
        # thread of its own right after the listing, and would be counted as
        # the moves' if it were the measure.
        cpu_start, process_start = time.thread_time(), time.process_time()
        for _ in range(moves):
            await pilot.press("j")
        elapsed, process_elapsed = time.thread_time() - cpu_start, time.process_time() - process_start
        moved = sidebar.cursor_row - before

        # From a keystroke to its results painted: each query of bench_search's
        # mix typed one character at a time into the search bar (as a user
        # types: every prefix is a keystroke), timed from the change of the
        # bar's value to the first refresh after its results are shown.
        # Where the time goes: the search itself, and the results list laid out.
        from reader.search import engine
        from reader.ui.screens import searching
        from reader.ui.widgets.results import ResultsPane

        phase: dict[str, float] = {}
        real_rank, real_show = engine.rank, ResultsPane.show
        # The CPU the interface's thread spends while a search runs: the two share one
        # interpreter lock, so it is time the search waits.
        interface_clock = time.pthread_getcpuclockid(threading.main_thread().ident)

        def timed_rank(*args, **kwargs):
            phase["search_start"] = time.perf_counter()
            phase["interface_cpu_start"] = time.clock_gettime(interface_clock)
            own = time.thread_time()
            try:
                return real_rank(*args, **kwargs)
            finally:
                phase["search_end"] = time.perf_counter()
                phase["search_cpu"] = time.thread_time() - own
                phase["interface_cpu"] = time.clock_gettime(interface_clock) - phase["interface_cpu_start"]

        # Waited for with events set by the app's own calls, not by polling: a
        # coroutine waking every half millisecond in the app's loop competes with
        # the search for the interpreter, which no user's terminal does.
        asked, shown = asyncio.Event(), asyncio.Event()
        real_set_query = searching.SearchController.set_query

        def timed_show(self, *args, **kwargs):
            phase["show_start"] = time.perf_counter()
            real_show(self, *args, **kwargs)
            phase["show_end"] = time.perf_counter()
            phase["interface_cpu_shown"] = time.clock_gettime(interface_clock)
            shown.set()

        def set_query(self, raw: str) -> None:
            real_set_query(self, raw)
            asked.set()

        engine.rank, ResultsPane.show = timed_rank, timed_show  # searching.py calls engine.rank
        # The frames that draw the results pane: the first one after the results are
        # shown is when they are painted. A frame draws every widget marked dirty
        # (or, after a layout, everything); show() marks the list, and the refresh
        # below marks the pane when the results are the same as before. Textual's
        # after-refresh callbacks wait for a frame with nothing left dirty, often a
        # frame or two later (the rest of the list laid out, its scrollbar redrawn):
        # that is when the screen settles, printed beside it.
        frames: list[tuple[float, float]] = []  # (when, the interface thread's CPU then)

        def draws_results(widget) -> bool:
            return widget is results or widget is screen or results in widget.ancestors

        frame_watch.update(
            frames=frames, clock=interface_clock,
            wanted=lambda shown: shown._layout_required or shown._repaint_required or any(map(draws_results, shown._dirty_widgets)),
        )
        searching.SearchController.set_query = set_query
        phases: list[tuple[float, float, float, float]] = []
        probes = bench_search.snapshot_mix(screen.snapshot, seed)
        bar = screen.query_one(SearchBar)
        results = screen.query_one(ResultsPane)
        # Full collections of Python's garbage collector while typing: each one stops the
        # interface's thread for as long as it takes to visit every object the app holds.
        import gc

        collections: list[float] = []

        def timed_collection(phase: str, info: dict) -> None:
            if info["generation"] == 2:
                if phase == "start":
                    timed_collection.began = time.perf_counter()
                else:
                    collections.append(time.perf_counter() - timed_collection.began)

        gc.callbacks.append(timed_collection)
        profiler = None
        if profile is not None:  # the interface's thread only: cProfile follows the thread that enables it
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        keystrokes: list[float] = []  # until the first frame after the results are shown
        settled: list[float] = []  # until Textual's after-refresh callbacks run (nothing left to draw)
        slashes: list[float] = []  # / → the results pane painted in the sidebar's place
        first_keys: list[float] = []  # of each query
        slowest: list[tuple[float, str, tuple]] = []  # keystroke time, the query, its phases
        for probe in probes:
            # The bar takes the focus (/) in an app at rest, and the results pane is
            # laid out in the sidebar's place before the first key, as a reader's
            # first key comes a moment after the /.
            painted = asyncio.Event()
            begun = time.perf_counter()
            bar.focus()
            await asyncio.sleep(0)
            results.call_after_refresh(painted.set)
            await asyncio.wait_for(painted.wait(), 10)
            slashes.append(time.perf_counter() - begun)
            await pilot.pause()
            for end in range(1, len(probe.text) + 1):
                painted = asyncio.Event()
                asked.clear()
                frames.clear()
                begun = time.perf_counter()
                bar.value = probe.text[:end]
                # The bar's Changed message starts the search (or ends it: a prefix that is no query).
                await asyncio.wait_for(asked.wait(), 10)
                if not screen.query_text:
                    continue  # the prefix is no query (a lone quote): nothing to show
                wanted = screen._search_number
                while screen._shown_number != wanted:
                    shown.clear()
                    await asyncio.wait_for(shown.wait(), 10)
                results.refresh()  # results equal to the last ones repaint nothing: wait for a paint all the same
                results.call_after_refresh(painted.set)
                await asyncio.wait_for(painted.wait(), 10)
                settled.append(time.perf_counter() - begun)
                first_frame, frame_cpu = next(frame for frame in frames if frame[0] >= phase["show_end"])
                keystrokes.append(first_frame - begun)
                painting_cpu = frame_cpu - phase.get("interface_cpu_shown", 0)
                if end == 1:
                    first_keys.append(keystrokes[-1])
                if phase.get("search_start", 0) >= begun:
                    phases.append((
                        phase["search_start"] - begun,  # the key handled, the worker started
                        phase["search_end"] - phase["search_start"],  # the search
                        phase["show_end"] - phase["search_end"],  # the message back, the list laid out
                        keystrokes[-1] - (phase["show_end"] - begun),  # until painted
                        phase["search_cpu"],  # the search's own thread's CPU
                        phase["interface_cpu"],  # the interface thread's CPU meanwhile
                        painting_cpu,  # the interface thread's CPU from the results shown until painted
                    ))
                    slowest.append((keystrokes[-1], probe.text[:end], phases[-1]))
            asked.clear()
            bar.value = ""
            await asyncio.wait_for(asked.wait(), 10)
            # The reader leaves the bar (esc): the sidebar is drawn back before the next /.
            screen.action_leave_search()
            await pilot.pause()
            cleared = asyncio.Event()
            screen.call_after_refresh(cleared.set)
            await asyncio.wait_for(cleared.wait(), 10)
            await pilot.pause()
        gc.callbacks.remove(timed_collection)
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile)
        articles = screen.snapshot.live_count
    return {
        "collections": collections,
        "first_paint": marks["first_paint"] - started,
        "listed": marks["listed"] - started,
        "move_ms": elapsed / moves * 1000,
        "move_process_ms": process_elapsed / moves * 1000,
        "moved": moved,
        "articles": articles,
        "keystrokes": keystrokes,
        "settled": settled,
        "slashes": slashes,
        "first_keys": first_keys,
        "queries": len(probes),
        "phases": phases,
        "slowest": sorted(slowest, key=lambda row: row[0])[-10:],
    }


def quantile(seconds: list[float], q: float) -> float:
    """The q-quantile of ``seconds``, in milliseconds (the value at index q·n of the sorted list)."""
    ordered = sorted(seconds)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("--n", type=int, default=10_000, help="articles to generate (default 10000)")
    parser.add_argument("--moves", type=int, default=1000, help="cursor moves to time (default 1000)")
    parser.add_argument("--cache", type=Path, help="the reader's cache folder (default: a new one, so a cold start)")
    parser.add_argument("--seed", type=int, default=1, help="of bench_search's query mix (default 1)")
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the interface's thread while typing here (its figures are then slower)")
    args = parser.parse_args()
    corpus = corpus_for(args)
    generated_at = time.perf_counter()
    # Generating the corpus is not part of start-up: measure from here if it ran.
    started = PROCESS_START if args.corpus is not None or generated_at - PROCESS_START < 0.5 else generated_at
    cache = args.cache or Path(tempfile.mkdtemp(prefix="reader-bench-cache-"))
    result = asyncio.run(measure(corpus, args.moves, started, cache, args.seed, args.profile))
    keys = sorted(result["keystrokes"])
    import textual
    import textual.constants

    print(f"corpus: {corpus} ({result['articles']:,} articles)")
    print(f"Python {platform.python_version()}, textual {textual.__version__} at {textual.constants.MAX_FPS} frames a second, {platform.machine()}")
    print("| measure | result | budget |")
    print("|---|---:|---:|")
    print(f"| time to first paint | {result['first_paint']:.2f} s | 1.0 s |")
    print(f"| time until all articles are listed | {result['listed']:.2f} s | — |")
    print(f"| cursor move, the interface thread's CPU (mean of {args.moves:,}; moved {result['moved']:,} lines) | {result['move_ms']:.2f} ms | 10 ms |")
    print(f"| the same moves, the whole process's CPU (other threads' work included) | {result['move_process_ms']:.2f} ms | — |")
    print(f"| keystroke → results painted, p50 ({len(keys):,} keystrokes, {result['queries']} queries) | {quantile(keys, 0.5):.1f} ms | — |")
    print(f"| keystroke → results painted, p95 | {quantile(keys, 0.95):.1f} ms | 50 ms |")
    print(f"| keystroke → results painted, max | {keys[-1] * 1000:.1f} ms | — |")
    calm = sorted(result["settled"])
    print(f"| keystroke → the screen settled (nothing left to draw), p50 / p95 | {quantile(calm, 0.5):.1f} / {quantile(calm, 0.95):.1f} ms | — |")
    firsts = result["first_keys"]
    print(f"| first key of a query → results painted, median / p95 of {len(firsts)} | "
          f"{quantile(firsts, 0.5):.1f} / {quantile(firsts, 0.95):.1f} ms | — |")
    collections = result["collections"]
    print(f"| full garbage collections while typing: count, longest | {len(collections)}, "
          f"{max(collections, default=0) * 1000:.1f} ms | — |")
    slashes = result["slashes"]
    print(f"| / → results pane painted (before the first key), median / max of {len(slashes)} | "
          f"{quantile(slashes, 0.5):.1f} / {max(slashes) * 1000:.1f} ms | — |")
    if result["phases"]:
        print()
        print("| keystroke → painted, by phase (median / p95) | median | p95 |")
        print("|---|---:|---:|")
        names = (
            "key handled, search worker started", "the search itself (ranking)", "first hits dressed, back, laid out", "until painted",
            "the search's own CPU (its thread)", "the interface thread's CPU during the search",
            "the interface thread's CPU until painted",
        )
        for number, name in enumerate(names):
            values = [row[number] for row in result["phases"]]
            print(f"| {name} | {quantile(values, 0.5):.1f} ms | {quantile(values, 0.95):.1f} ms |")
        print()
        print("The ten slowest keystrokes (ms): total, then the phases above in order")
        for seconds, query, phases in reversed(result["slowest"]):
            print(f"  {seconds * 1000:6.1f}  {query!r:28}  " + "  ".join(f"{value * 1000:5.1f}" for value in phases))
    return 0


if __name__ == "__main__":
    sys.exit(main())
