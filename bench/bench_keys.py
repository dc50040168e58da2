"""CPU per key press in the sidebar of the real app, headless, on a big folder.

    python bench/bench_keys.py CORPUS [--moves N]

For each key (j, then ctrl+d, ctrl+e and a count, 5j, where they are bound)
the sidebar's biggest group is opened, the cursor put on its first article,
and the key pressed N times through Pilot (past the first screenful every j
scrolls the list, so the whole sidebar is drawn again; "j then k" moves the
cursor within the view, the common case, where only two rows are); the figure is the process's CPU
time per press (Pilot sleeps while the app goes idle, so wall time would
measure Pilot). Each j also puts the cursor's title in the status line.
Run it on another checkout (PYTHONPATH=/other/checkout) to compare.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path


async def measure(corpus: Path, moves: int) -> list[tuple[str, float, int]]:
    from reader.ui.app import ReaderApp
    from reader.ui.widgets.sidebar import Sidebar

    settings = Path(tempfile.mkdtemp(prefix="reader-bench-")) / "settings.json"
    app = ReaderApp([corpus], theme="reader-dark", settings_path=settings)
    figures = []
    async with app.run_test(size=(80, 24)) as pilot:
        deadline = time.perf_counter() + 1200  # a bound against a hang, not a budget
        while getattr(app.screen, "_loading", True):
            if time.perf_counter() > deadline:
                raise SystemExit("bench_keys: loading never finished")
            await asyncio.sleep(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        sidebar = app.screen.query_one(Sidebar)
        sidebar.focus()
        biggest = max(sidebar.groups, key=lambda group: group.count)
        bound = {key for binding in Sidebar.BINDINGS for key in binding.key.split(",")}
        keys_of = (("j", ["j"]), ("j then k, in view", ["j", "k"]), ("ctrl+d", ["ctrl+d"]), ("ctrl+e", ["ctrl+e"]), ("5j", ["5", "j"]))
        for label, keys in keys_of:
            if keys[-1] not in bound:
                continue
            first = int(biggest.members[0]) if not biggest.children else int(biggest.children[0].members[0])
            sidebar.reveal(first)
            await pilot.pause()
            before = sidebar.cursor_row
            cpu = time.process_time()
            for _ in range(moves):
                await pilot.press(*keys)
            elapsed = time.process_time() - cpu
            presses = moves * (2 if label.startswith("j then k") else 1)
            figures.append((label, elapsed / presses * 1000, sidebar.cursor_row - before))
        articles = sidebar.article_count
    print(f"{articles:,} articles; biggest group {biggest.label} ({biggest.count:,})")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--moves", type=int, default=500, help="presses per key (default 500)")
    args = parser.parse_args()
    figures = asyncio.run(measure(args.corpus, args.moves))
    print("| key | CPU per press | rows moved |")
    print("|---|---:|---:|")
    for label, milliseconds, moved in figures:
        print(f"| `{label}` | {milliseconds:.2f} ms | {moved:,} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
