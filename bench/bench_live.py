"""What a live folder costs: a refresh of a big archive, the app's share of it, and setting up the watch.

    python bench/bench_live.py [CORPUS] [--cache DIR] [--repeat 5]

CORPUS defaults to bench/.corpus-scale-100000 (bench_scale.py builds it) and
is never written: the files this adds, changes and removes live in a scratch
folder (next to the cache) given to the catalog as a second root, so every refresh walks the
whole archive as the app's would. The cache (built on the first run: minutes
at 100,000 articles) defaults to a folder in the system's temporary folder.

Prints, each the median of --repeat runs (wall and CPU of this process):

- a refresh that finds nothing (the price of every poll): the walk and the comparison;
- a refresh after one file was added, changed, removed, and after 100 were added;
- what the app does with the new snapshot: the sidebar's grouping and the
  path lookup that follows the cursor and the open article;
- watchfiles: setting up the watch on every folder (CPU, wall), how long
  an added file takes to be reported, and how long another thread (the
  app's) is stalled meanwhile: with the watch in this process, and in a
  process of its own as reader runs it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))  # this checkout, not an installed copy

from reader.catalog import Catalog  # noqa: E402
from reader.catalog.grouping import Grouping, group_articles  # noqa: E402

ARTICLE = "---\ntitle: '实时第{n}篇'\ndate: 2022-01-10 08:00\ncategories: [测试, 实时社]\n---\n<p>{body}</p>\n"


def timed(action) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = action()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def median_of(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def write(path: Path, n: int, body: str = "北约东扩的实时正文。") -> None:
    path.write_text(ARTICLE.format(n=n, body=body * 20), encoding="utf-8")


def bench_refreshes(corpus: Path, cache: Path, repeat: int) -> list[tuple[str, float, float]]:
    # The same scratch folder every time: the cache belongs to its roots, so the next run starts warm.
    scratch = cache.with_name(cache.name + "-scratch")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    rows = []
    try:
        catalog = Catalog([corpus, scratch], cache_base=cache)
        wall, cpu, snapshot = timed(catalog.load)
        print(f"load: {snapshot.live_count:,} articles in {wall:.1f} s ({cpu:.1f} s CPU here)", flush=True)
        # As in the app, another thread runs: the walk is then not shared with a forked child.
        idle = threading.Event()
        threading.Thread(target=idle.wait, daemon=True).start()
        nothing = [timed(catalog.refresh)[:2] for _ in range(repeat)]
        rows.append(("refresh, nothing changed (a poll)", *median_of(nothing)))
        steps = {"one file added": [], "that file changed": [], "that file removed": [], "100 files added": [], "the app: grouping + path lookup": []}
        for run in range(repeat):
            target = scratch / f"live-{run}.md"
            write(target, run)
            steps["one file added"].append(timed(catalog.refresh)[:2])
            write(target, run, "华约解散的实时正文。")
            os.utime(target, ns=(time.time_ns(), time.time_ns() + 10**9))
            steps["that file changed"].append(timed(catalog.refresh)[:2])
            target.unlink()
            steps["that file removed"].append(timed(catalog.refresh)[:2])
            for n in range(100):
                write(scratch / f"many-{run}-{n}.md", n)
            wall, cpu, fresh = timed(catalog.refresh)
            steps["100 files added"].append((wall, cpu))
            path = fresh.path(int(fresh.newest_first[len(fresh.newest_first) // 2]))
            steps["the app: grouping + path lookup"].append(timed(lambda: (group_articles(fresh, Grouping.SOURCE), fresh.number_of(path)))[:2])
            for n in range(100):
                (scratch / f"many-{run}-{n}.md").unlink()
            catalog.refresh()
        rows += [(name, *median_of(runs)) for name, runs in steps.items()]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return rows


def bench_watch(corpus: Path) -> None:
    try:
        from watchfiles._rust_notify import RustNotify
    except ImportError:
        print("watchfiles is not installed: no watch to measure")
        return
    folders = sum(1 for _ in os.walk(corpus))
    wall, cpu, notify = timed(lambda: RustNotify([str(corpus)], False, False, 0, True, False))
    print(f"watchfiles: watching {folders:,} folders took {wall:.2f} s ({cpu:.2f} s CPU)")
    # Told of a new file below a watched folder? The scratch folder stands in for one (the corpus is not written).
    scratch = Path(tempfile.mkdtemp(prefix="reader-bench-live-"))
    try:
        watched = RustNotify([str(scratch)], False, False, 0, True, False)
        made: list[float] = []
        threading.Timer(0.3, lambda: (write(scratch / "new.md", 0), made.append(time.perf_counter()))).start()
        watched.watch(50, 50, 5_000, None)
        print(f"watchfiles: a new file reported after {(time.perf_counter() - made[0]) * 1000:.0f} ms (50 ms debounce step)")
        watched.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    notify.close()


def longest_stall(action) -> tuple[float, float]:
    """(seconds ``action`` took, the longest another thread of this process waited meanwhile for its turn)."""
    gaps: list[float] = []
    done = threading.Event()

    def tick() -> None:
        last = time.perf_counter()
        while not done.is_set():
            time.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticker = threading.Thread(target=tick)
    ticker.start()
    time.sleep(0.05)
    began = time.perf_counter()
    action()
    took = time.perf_counter() - began
    time.sleep(0.05)
    done.set()
    ticker.join()
    return took, max(gaps) - 0.005


def bench_stall(corpus: Path) -> None:
    """What setting up the watch does to the app's own thread: in this process, and in the watch's own."""
    from reader.catalog import watch

    try:
        from watchfiles._rust_notify import RustNotify
    except ImportError:
        return
    took, stall = longest_stall(lambda: RustNotify([str(corpus)], False, False, 0, True, False).close())
    print(f"watch set up in this process: {took:.2f} s, another thread stalled up to {stall * 1000:,.0f} ms")
    stop = threading.Event()
    took, stall = longest_stall(lambda: watch._Watcher([str(corpus)], stop).close())
    print(f"watch set up in its own process (as reader does): {took:.2f} s, another thread stalled up to {stall * 1000:,.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=BENCH_DIR / ".corpus-scale-100000")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "reader-bench-live-cache")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        parser.error(f"{args.corpus}: no such folder (python bench/gen_corpus.py {args.corpus} 100000 makes one)")
    bench_watch(args.corpus)
    bench_stall(args.corpus)
    rows = bench_refreshes(args.corpus, args.cache, args.repeat)
    print(f"\n| {args.corpus.name}: median of {args.repeat} | wall | CPU |")
    print("|---|---:|---:|")
    for name, wall, cpu in rows:
        print(f"| {name} | {wall * 1000:,.0f} ms | {cpu * 1000:,.0f} ms |")


if __name__ == "__main__":
    main()
