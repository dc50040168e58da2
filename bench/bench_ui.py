"""Measure how the app feels on a big folder: first paint, full listing, cursor moves.

    python bench/bench_ui.py [CORPUS] [--n 10000] [--moves 1000]

Drives the real app headless with Textual's Pilot over a synthetic corpus
(bench/gen_corpus.py; bench/.corpus-N is reused when present) and prints:

- time to first paint: from the start of this process (before Textual is
  imported, as when a user types `reader FOLDER`) until the main screen has
  painted once; loading goes on after it, with progress in the status line;
- time until all articles are listed in the sidebar;
- mean CPU time per cursor move over N presses of `j` in the sidebar, each
  press processed and the screen refreshed before the next (Pilot's own
  idle waits sleep, so they cost no CPU; wall time would measure them).

Budgets (issue 3): first paint at most 1.0 s on 10,000 articles; a cursor
move at most 10 ms.
"""

from __future__ import annotations

import time

PROCESS_START = time.perf_counter()  # before anything heavy is imported

import argparse  # noqa: E402
import asyncio  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
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


async def measure(corpus: Path, moves: int, started: float) -> dict[str, float]:
    from textual import on

    from reader.ui.app import ReaderApp
    from reader.ui.messages import LoadingFinished
    from reader.ui.screens.main import MainScreen
    from reader.ui.widgets.sidebar import Sidebar

    marks: dict[str, float] = {}

    class MeasuredScreen(MainScreen):
        def on_mount(self) -> None:
            super().on_mount()
            self.call_after_refresh(lambda: marks.setdefault("first_paint", time.perf_counter()))

        @on(LoadingFinished)
        def _mark_listed(self) -> None:
            # Runs after the screen's own handler has listed the last batch.
            marks["listed"] = time.perf_counter()

    class MeasuredApp(ReaderApp):
        def push_screen(self, screen, *args, **kwargs):  # swap in the measuring screen
            if type(screen) is MainScreen:
                screen = MeasuredScreen(screen.paths, clock=screen.clock)
            return super().push_screen(screen, *args, **kwargs)

    settings = Path(tempfile.mkdtemp(prefix="reader-bench-")) / "settings.json"
    app = MeasuredApp([corpus], theme="reader-dark", settings_path=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        deadline = time.perf_counter() + 600  # a bound against a hang, not a budget
        while "listed" not in marks:
            if time.perf_counter() > deadline:
                raise SystemExit("bench_ui: loading never finished")
            await asyncio.sleep(0.01)
        await pilot.pause()
        sidebar = app.screen.query_one(Sidebar)
        sidebar.focus()
        # Open the biggest group so that every press really moves the cursor.
        biggest = max(sidebar.root.children, key=lambda node: len(node.children))
        biggest.expand()
        await pilot.pause()
        sidebar.move_cursor(biggest)
        await pilot.pause()
        before = sidebar.cursor_line
        # Pilot waits for the app to go idle after each press by sleeping in
        # 20 ms steps, so wall time would measure Pilot. The CPU time the
        # process spends is the work of the move itself: key dispatch, the
        # action, rendering the changed lines and writing the screen update.
        cpu_start = time.process_time()
        for _ in range(moves):
            await pilot.press("j")
        elapsed = time.process_time() - cpu_start
        moved = sidebar.cursor_line - before
        articles = len(sidebar.articles)
    return {
        "first_paint": marks["first_paint"] - started,
        "listed": marks["listed"] - started,
        "move_ms": elapsed / moves * 1000,
        "moved": moved,
        "articles": articles,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("--n", type=int, default=10_000, help="articles to generate (default 10000)")
    parser.add_argument("--moves", type=int, default=1000, help="cursor moves to time (default 1000)")
    args = parser.parse_args()
    corpus = corpus_for(args)
    generated_at = time.perf_counter()
    # Generating the corpus is not part of start-up: measure from here if it ran.
    started = PROCESS_START if args.corpus is not None or generated_at - PROCESS_START < 0.5 else generated_at
    result = asyncio.run(measure(corpus, args.moves, started))
    import textual

    print(f"corpus: {corpus} ({result['articles']:,} articles)")
    print(f"Python {platform.python_version()}, textual {textual.__version__}, {platform.machine()}")
    print("| measure | result | budget |")
    print("|---|---:|---:|")
    print(f"| time to first paint | {result['first_paint']:.2f} s | 1.0 s |")
    print(f"| time until all articles are listed | {result['listed']:.2f} s | — |")
    print(f"| cursor move, CPU (mean of {args.moves:,}; moved {result['moved']:,} lines) | {result['move_ms']:.2f} ms | 10 ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
