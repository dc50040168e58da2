"""Measure what listing each article once and showing local times cost on a big catalog.

    python bench/bench_copies.py CORPUS [--repeat 5]

Loads CORPUS through the catalog with its cache (READER_CACHE_DIR, or the
XDG cache: a first run parses everything, later runs are warm; loading is
not measured), then times, as the median of --repeat runs on a fresh
snapshot of the same parts (nothing cached from the run before), in CPU
(time.process_time):

- the copy groups (reader.catalog.copies.copy_groups), and its pieces:
  the url column made into numbers with a dict (what reader does) and,
  for comparison, with np.unique over the normalised strings (the
  snapshot's order, newest first, is computed before the clock starts:
  every list and search needs it anyway);
- the local offsets of every date (reader.parse.dates.local_offsets) and
  the local dates as ISO strings (what `date:` filters and `reader list` read);
- the sidebar's groups, by source and by date (reader.catalog.grouping);
- `reader list` into a pipe (the table with its path column) and `--json`,
  written to an in-memory file.

It prints how many copies the corpus holds and how many groups they make.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))  # this checkout, not an installed copy
sys.path.insert(0, str(BENCH_DIR))

import bench_parse  # noqa: E402  (its table)


def cpu_ms(run, repeat: int, setup=lambda: None) -> float:
    """Median CPU milliseconds of ``run(setup())``, the setup not timed."""
    times = []
    for _ in range(repeat):
        given = setup()
        start = time.process_time()
        run(given)
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    import numpy as np

    from reader.catalog import Catalog, Snapshot, default_cache_base
    from reader.catalog.copies import copy_groups, normalised_urls
    from reader.catalog.segment import url_hashes
    from reader.catalog.grouping import Grouping, group_articles
    from reader.cli.listing import print_json_lines, print_table
    from reader.parse.dates import local_offsets

    started = time.perf_counter()
    loaded = Catalog([args.corpus], cache_base=default_cache_base()).load()
    print(f"corpus: {args.corpus}: {loaded.live_count:,} articles in {len(loaded.parts)} segments "
          f"(loaded in {time.perf_counter() - started:.1f} s, not measured)")

    def fresh() -> Snapshot:
        # The same parts, nothing computed: each figure is a first use, as after a load.
        snapshot = Snapshot(loaded.parts, loaded.roots)
        snapshot.newest_first, snapshot.rank  # noqa: B018  (computed by every list and search anyway)
        return snapshot

    def known() -> Snapshot:
        snapshot = fresh()
        snapshot.copies  # noqa: B018
        return snapshot

    urls = loaded.column("url")
    texts = loaded.text_hash
    copies = loaded.copies
    groups = copies.groups()

    def by_np_unique(_) -> None:
        np.unique(np.array(normalised_urls(urls)), return_inverse=True)

    seconds = np.floor_divide(loaded.date_us[loaded.date_us != np.iinfo(np.int64).min], 1_000_000)
    n = args.repeat
    rows = [
        ("copy groups (copy_groups), on a fresh snapshot", cpu_ms(copy_groups, n, fresh)),
        ("  of which: the urls' hashes joined (Snapshot.url_hash)", cpu_ms(lambda s: s.url_hash, n, fresh)),
        ("  done once when read instead: urls normalised and hashed (segment.url_hashes)", cpu_ms(lambda _: url_hashes(urls), n)),
        ("  for comparison: the url column read (Snapshot.column)", cpu_ms(lambda s: s.column("url"), n, fresh)),
        ("  for comparison: normalised, then numbered with np.unique", cpu_ms(by_np_unique, n)),
        ("  for comparison: np.argsort of the text hashes", cpu_ms(lambda _: np.argsort(texts, kind="stable"), n)),
        ("local offsets of every date (local_offsets)", cpu_ms(lambda _: local_offsets(seconds), n)),
        ("local dates as ISO strings (Snapshot.local_dates)", cpu_ms(lambda s: s.local_dates("s"), n, fresh)),
        ("sidebar groups by source, copies included", cpu_ms(lambda s: group_articles(s, Grouping.SOURCE), n, fresh)),
        ("sidebar groups by source, copies already known", cpu_ms(lambda s: group_articles(s, Grouping.SOURCE), n, known)),
        ("sidebar groups by date, copies already known", cpu_ms(lambda s: group_articles(s, Grouping.DATE), n, known)),
        ("`reader list` to a pipe (path column, copies once)", cpu_ms(lambda s: print_table(s, io.StringIO()), n, fresh)),
        ("`reader list --json`", cpu_ms(lambda s: print_json_lines(s, io.StringIO()), n, fresh)),
    ]
    print()
    print(bench_parse.table([(name, f"{ms:.1f} ms") for name, ms in rows], (f"CPU, median of {args.repeat}", "")))
    sizes = [len(group) for group in groups]
    print()
    print(f"copies: {copies.copy_count:,} paths are copies of {len(groups):,} listed articles "
          f"(groups of {min(sizes, default=0)} to {max(sizes, default=0)}); "
          f"{len(copies.listed):,} rows for {loaded.live_count:,} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
