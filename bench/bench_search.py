"""Measure search: building the index, its memory, and query latency.

    python bench/bench_search.py [CORPUS] [--n 10000] [--seed 0] [--queries]

Over a synthetic corpus (bench/gen_corpus.py; bench/.corpus-N is reused when
present, otherwise generated into it) this:

- loads the articles (reader.catalog.library.load_library; parsing is not measured);
- builds the index as the app does, library.BATCH_SIZE articles per
  SearchIndex.add, and times it in CPU (time.process_time). The folding table
  (normalize.fold_table) is built once per process on first use; it is timed
  apart, so the build figure is what a folder costs;
- compares SearchIndex.nbytes with the corpus's text (UTF-8 bytes of titles,
  sources and block texts);
- runs a fixed mix of queries through reader.search.search(limit=50): text
  cut from the corpus with a seeded random.Random (Chinese, Latin and mixed,
  2 to 12 characters), variants of it with one character wrong or missing,
  queries with filters, and a few fixed ones. One untimed pass over the mix
  first pays for the caches a session builds once (ranks, facets, folded
  characters); then every query is timed three times (time.perf_counter) and
  its median counts, so that one scheduler hiccup on a shared machine does not
  land in p95 while a query that is always slow still does;
- measures finding quotes written in the other script: 300 runs of Chinese
  cut from the corpus (a quarter of it is in traditional characters), each
  searched as written and converted to the other script, with OpenCC when
  the opencc package is importable (phrase by phrase, as a user's converter
  or input method would), otherwise character by character with
  bench/data/s2t.tsv and reader/data/t2s.tsv; a quote counts as found when
  one of the first 5 hits holds it (folded) or is the article it came from;
- for reference, times ripgrep on the same literal queries (exact ones,
  without filters): one cold `rg` process per query, wall time. ripgrep scans
  the raw files (markup included, no folding, no ranking) and stops at the
  first match in each file (-l), so it is a yardstick, not the same job.

Budgets: p50 at most 10 ms, p95 at most 30 ms, build at most 1 s, index
memory at most 2x the text.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR.parent))  # this checkout, not an installed copy

import bench_parse  # noqa: E402  (its table, CPU and git helpers)
import corpus_text  # noqa: E402  (bench/data/s2t.tsv)
import gen_corpus  # noqa: E402

LIMIT = 50
REPEATS = 3
BUDGET_P50_MS, BUDGET_P95_MS, BUDGET_BUILD_S, BUDGET_MEMORY_RATIO = 10.0, 30.0, 1.0, 2.0
MB = 1_000_000

_CJK = re.compile(r"[\u4e00-\u9fff]+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?: [A-Za-z][A-Za-z0-9]*)*")
# Replacements for the "one character wrong" queries: common characters, so
# the variant looks like a typo rather than noise.
_WRONG = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长"


@dataclass(frozen=True)
class Probe:
    category: str
    text: str  # the query as typed
    literal: str | None  # what ripgrep looks for, for exact queries without filters


# --------------------------------------------------------------------------
# Corpus and index


def corpus_for(args: argparse.Namespace) -> Path:
    if args.corpus is not None:
        return args.corpus
    cached = BENCH_DIR / f".corpus-{args.n}"
    if gen_corpus.read_marker(cached).get("n") != str(args.n):
        start = time.perf_counter()
        files, total = gen_corpus.generate(cached, args.n, seed=args.seed)
        (cached / ".gitignore").write_text("*\n", encoding="utf-8")
        print(f"generated {files} articles, {total / MB:.1f} MB in {time.perf_counter() - start:.1f} s -> {cached}",
              file=sys.stderr)
    return cached


def text_bytes(articles) -> int:
    return sum(
        len(a.title.encode()) + len(a.source.encode()) + sum(len(b.text.encode()) for b in a.blocks)
        for a in articles
    )


def build(articles, batch_size: int):
    """The articles' segments, built as loading builds them (postings per batch, then merged); CPU seconds."""
    from reader.catalog.snapshot import snapshot_of

    start = time.process_time()
    snapshot = snapshot_of(articles, batch=batch_size)
    return snapshot, time.process_time() - start


def postings_bytes(snapshot) -> int:
    return sum(part.segment.postings.nbytes for part in snapshot.parts)


# --------------------------------------------------------------------------
# The query mix


def _cut(rng: random.Random, texts: list[str], pattern: re.Pattern, length: int, tries: int = 10_000) -> str:
    """A substring of ``length`` characters inside one run of ``pattern`` in a random text."""
    for _ in range(tries):
        runs = [m.group() for m in pattern.finditer(rng.choice(texts)) if len(m.group()) >= length]
        if runs:
            run = rng.choice(runs)
            start = rng.randrange(len(run) - length + 1)
            return run[start:start + length]
    raise SystemExit(f"bench_search: no run of {length} characters for {pattern.pattern} in the corpus")


def _mixed(rng: random.Random, texts: list[str], length: int) -> str:
    """Latin or digits next to Chinese, such as G7峰会 or CNN报道."""
    for _ in range(10_000):
        text = rng.choice(texts)
        joins = [m.start() for m in re.finditer(r"(?<=[A-Za-z0-9])(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?=[A-Za-z0-9])", text)]
        if joins:
            join = rng.choice(joins)
            start = max(0, join - rng.randrange(1, length))
            piece = text[start:start + length]
            if len(piece) == length and _CJK.search(piece) and re.search(r"[A-Za-z0-9]", piece) and "\n" not in piece:
                return piece
    raise SystemExit("bench_search: no mixed Latin and Chinese text in the corpus")


def _wrong(rng: random.Random, text: str) -> str:
    middle = rng.randrange(1, len(text) - 1)
    replacement = rng.choice([c for c in _WRONG if c != text[middle]])
    return text[:middle] + replacement + text[middle + 1:]


def _missing(rng: random.Random, text: str) -> str:
    middle = rng.randrange(1, len(text) - 1)
    return text[:middle] + text[middle + 1:]


def query_mix(articles, seed: int) -> list[Probe]:
    """The same list for the same corpus and seed: cut from the corpus's own text."""
    texts = [block.text for article in articles for block in article.blocks]
    titles = [article.title for article in articles]
    sources = sorted({article.source for article in articles})
    months = sorted({f"{article.date:%Y-%m}" for article in articles if article.date})
    return query_mix_of(texts, titles, sources, months, seed)


def snapshot_mix(snapshot, seed: int, sample: int = 5000) -> list[Probe]:
    """The mix for a catalog snapshot (100,000 articles: cut from a sample of them)."""
    rng = random.Random(seed)
    live = snapshot.live.tolist()
    chosen = rng.sample(live, min(sample, len(live)))
    articles = [snapshot.article(n) for n in sorted(chosen)]
    return query_mix(articles, seed)


def query_mix_of(texts: list[str], titles: list[str], sources: list[str], months: list[str], seed: int) -> list[Probe]:
    rng = random.Random(seed)
    probes: list[Probe] = []
    for length in (2, 2, 3, 3, 4, 4, 5, 6, 8, 10, 12):
        text = _cut(rng, texts, _CJK, length)
        probes.append(Probe("Chinese, exact", text, text))
    probes.append(Probe("Chinese, exact", "北约", "北约"))
    probes.append(Probe("Chinese, exact", '"书面回复"', "书面回复"))
    for length in (2, 3, 5, 8):
        text = _cut(rng, texts, _LATIN, length)
        probes.append(Probe("Latin, exact", text, text))
    probes.append(Probe("Latin, exact", "CNN", "CNN"))
    probes.append(Probe("Latin, exact", "Wendy Sherman", "Wendy Sherman"))
    for length in (3, 4, 6, 8):
        text = _mixed(rng, texts, length)
        probes.append(Probe("mixed, exact", text, text))
    # Typos need at least 4 characters: shorter queries are matched exactly only.
    for length in (4, 5, 6, 6, 7, 8, 10, 12):
        probes.append(Probe("Chinese, one wrong", _wrong(rng, _cut(rng, texts, _CJK, length)), None))
    for length in (5, 6, 7, 8, 10, 12):
        probes.append(Probe("Chinese, one missing", _missing(rng, _cut(rng, texts, _CJK, length)), None))
    probes += [
        Probe("filters", "source:观察者网 北约", None),
        Probe("filters", "date:2022-01 拉夫罗夫", None),
        Probe("filters", f"source:{rng.choice(sources)} {_cut(rng, texts, _CJK, 4)}", None),
        Probe("filters", f"date:{rng.choice(months)} {_cut(rng, texts, _CJK, 3)}", None),
        Probe("filters", f"in:title {_cut(rng, titles, _CJK, 4)}", None),
        Probe("filters", f"source:{rng.choice(sources)} date:{rng.choice(months)[:4]}", None),
    ]
    # Kinds added later, drawn apart so that the queries above stay the same.
    rng = random.Random(seed + 7)
    for char in ("的", "峰", rng.choice(_WRONG)):
        probes.append(Probe("one character", char, None))
    for length in (4, 6, 8, 10, 12):
        probes.append(Probe("Chinese, other script", _other_script(_cut(rng, texts, _CJK, length)), None))
    return probes


# --------------------------------------------------------------------------
# The other script


_CONVERTERS: dict[str, object] = {}


def converter_name() -> str:
    try:
        import opencc
        from importlib.metadata import version
    except ImportError:
        return "character tables (bench/data/s2t.tsv, reader/data/t2s.tsv)"
    return f"OpenCC {version('opencc')} (s2t, t2s)"


def _convert(text: str, to_traditional: bool) -> str:
    name = "s2t" if to_traditional else "t2s"
    if name not in _CONVERTERS:
        try:
            import opencc

            _CONVERTERS[name] = opencc.OpenCC(name).convert
        except ImportError:
            if to_traditional:
                table = corpus_text.load_s2t()
            else:
                from reader.search.fold import t2s_table

                table = {source: chr(target) for source, target in t2s_table().items()}
            _CONVERTERS[name] = lambda piece, table=table: piece.translate(table)
    return _CONVERTERS[name](text)


def _other_script(text: str) -> str:
    """``text`` in the other script: to simplified when converting to it changes anything, else to traditional."""
    simplified = _convert(text, to_traditional=False)
    return simplified if simplified != text else _convert(text, to_traditional=True)


@dataclass(frozen=True)
class Recall:
    quotes: int
    changed: float  # share of a converted quote's characters that differ from the quote's
    found: float  # as written: found in the first 5 hits
    converted: float  # in the other script: found in the first 5 hits
    converted_exact: float  # ... and found exactly (no edit used)
    misses: list[tuple[str, str]]


def conversion_recall(snapshot, articles, seed: int, count: int = 300, top: int = 5) -> Recall:
    """Quotes cut from the corpus, searched as written and in the other script."""
    from reader.search.fold import fold
    from reader.search.engine import search

    rng = random.Random(seed + 12)
    found = converted_found = converted_exact = 0
    changed: list[float] = []
    misses = []
    for _ in range(count):
        for _ in range(10_000):
            number = rng.randrange(len(articles))
            runs = [m.group() for block in articles[number].blocks for m in _CJK.finditer(block.text) if len(m.group()) >= 6]
            if runs:
                break
        run = rng.choice(runs)
        length = rng.randint(6, min(12, len(run)))
        start = rng.randrange(len(run) - length + 1)
        quote = run[start:start + length]
        other = _other_script(quote)
        changed.append(sum(a != b for a, b in zip(quote, other)) / len(quote))
        wanted = fold(quote)

        def holds(hits) -> list:
            return [h for h in hits[:top] if h.number == number or wanted in fold(h.passage)]

        found += bool(holds(search(snapshot, quote, top).hits))
        hits = holds(search(snapshot, other, top).hits)
        converted_found += bool(hits)
        converted_exact += any(h.exact for h in hits)
        if not hits and len(misses) < 5:
            misses.append((quote, other))
    return Recall(count, statistics.mean(changed), found / count, converted_found / count, converted_exact / count, misses)


# --------------------------------------------------------------------------
# Timing


def percentile(values: list[float], fraction: float) -> float:
    """Nearest rank: a value that was measured, never an interpolation."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


def time_queries(index, probes: list[Probe]) -> tuple[list[float], list[int]]:
    from reader.catalog.segment import FOLDED
    from reader.search.engine import search

    index.prepare_search()  # as the app does once loaded (Snapshot.prepare_search)
    for probe in probes:  # warm-up, untimed
        search(index, probe.text, LIMIT)
    runs: list[list[float]] = [[] for _ in probes]
    hits = [0] * len(probes)
    for _ in range(REPEATS):
        for number, probe in enumerate(probes):
            FOLDED.forget()  # each query timed as if typed first: no passages folded by a run before
            start = time.perf_counter()
            results = search(index, probe.text, LIMIT)
            runs[number].append((time.perf_counter() - start) * 1000)
            hits[number] = len(results.hits)
    return [statistics.median(times) for times in runs], hits


def time_ripgrep(rg: str, corpus: Path, literals: list[str]) -> tuple[list[float], list[int]]:
    # --no-ignore: a generated corpus carries a .gitignore of "*" so that git
    # never sees it, and ripgrep would honour it and search nothing.
    times, files = [], []
    for literal in literals:
        start = time.perf_counter()
        done = subprocess.run([rg, "-F", "-l", "--no-messages", "--no-ignore", "--", literal, str(corpus)],
                              capture_output=True, text=True)
        times.append((time.perf_counter() - start) * 1000)
        files.append(len(done.stdout.splitlines()))
    return times, files


# --------------------------------------------------------------------------
# Report


def environment(rg: str | None) -> list[tuple[str, str]]:
    import numpy
    import rapidfuzz

    import reader

    rows = [
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("numpy", numpy.__version__),
        ("rapidfuzz", rapidfuzz.__version__),
        ("platform", platform.platform()),
        ("CPU", f"{bench_parse.cpu_model()} ({os.cpu_count()} logical)"),
        ("reader", f"{getattr(reader, '__version__', '?')} (git {bench_parse.git_revision()})"),
    ]
    if rg:
        version = subprocess.run([rg, "--version"], capture_output=True, text=True).stdout.splitlines()
        rows.append(("ripgrep", version[0] if version else "?"))
    return rows


def markdown(header: tuple[str, ...], rows: list[tuple[str, ...]], right: set[int]) -> str:
    """A Markdown table whose columns also line up on a terminal, Chinese queries included."""
    from reader.textwidth import cell_width

    widths = [max(cell_width(header[i]), *(cell_width(row[i]) for row in rows)) for i in range(len(header))]

    def cell(number: int, text: str) -> str:
        fill = " " * (widths[number] - cell_width(text))
        return fill + text if number in right else text + fill

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(cell(number, text) for number, text in enumerate(cells)) + " |"

    rule = "|" + "|".join("-" * (w + 1) + ":" if i in right else "-" * (w + 2) for i, w in enumerate(widths)) + "|"
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def verdict(ok: bool) -> str:
    return "ok" if ok else "**over**"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, help="folder of articles (default: synthetic)")
    parser.add_argument("--n", type=int, default=10_000, help="articles to generate (default 10000)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the corpus and of the query mix (default 0)")
    parser.add_argument("--queries", action="store_true", help="also print every query with its latency and hits")
    args = parser.parse_args(argv)

    from reader.catalog.reading import BUILD_BATCH as BATCH_SIZE
    from reader.catalog.library import load_library
    from reader.search.fold import fold_table

    corpus = corpus_for(args)
    started = time.perf_counter()
    library = load_library([corpus])
    articles = library.articles
    load_s = time.perf_counter() - started
    if not articles:
        print(f"bench_search: no articles under {corpus}", file=sys.stderr)
        return 1

    table_start = time.process_time()
    fold_table()
    table_s = time.process_time() - table_start
    index, build_s = build(articles, BATCH_SIZE)
    text = text_bytes(articles)
    ratio = postings_bytes(index) / text

    probes = query_mix(articles, args.seed)
    latencies, hits = time_queries(index, probes)
    recall = conversion_recall(index, articles, args.seed)
    p50, p95, worst = percentile(latencies, 0.50), percentile(latencies, 0.95), max(latencies)

    rg = shutil.which("rg")
    literals = [probe.literal for probe in probes if probe.literal]
    rg_times, rg_files = time_ripgrep(rg, corpus, literals) if rg else ([], [])

    print(bench_parse.table(environment(rg), ("environment", ""), numbers=False))
    print()
    print(f"corpus: {corpus} ({len(articles):,} articles, {index.passage_count:,} passages, "
          f"{len(library.problems)} problems; loaded in {load_s:.1f} s, not measured below)")
    print()
    print(markdown(("index", "result", "budget", ""), [
        (f"build segments, CPU ({BATCH_SIZE} articles per batch, merged into {len(index.parts)})", f"{build_s:.2f} s",
         f"{BUDGET_BUILD_S:.0f} s", verdict(build_s <= BUDGET_BUILD_S)),
        ("folding table, CPU (once per process, before the first batch)", f"{table_s:.2f} s", "—", ""),
        ("postings", f"{postings_bytes(index) / MB:.1f} MB", "", ""),
        ("segments in all (postings, passages, their text, metadata)", f"{index.nbytes / MB:.1f} MB", "", ""),
        ("text: titles, sources, blocks (UTF-8)", f"{text / MB:.1f} MB", "", ""),
        ("postings / text", f"{ratio:.2f} x", f"{BUDGET_MEMORY_RATIO:.0f} x", verdict(ratio <= BUDGET_MEMORY_RATIO)),
    ], right={1, 2}))
    print()
    print(markdown((f"search, limit={LIMIT} ({len(probes)} queries)", "result", "budget", ""), [
        ("p50", f"{p50:.1f} ms", f"{BUDGET_P50_MS:.0f} ms", verdict(p50 <= BUDGET_P50_MS)),
        ("p95", f"{p95:.1f} ms", f"{BUDGET_P95_MS:.0f} ms", verdict(p95 <= BUDGET_P95_MS)),
        ("max", f"{worst:.1f} ms", "—", ""),
    ], right={1, 2}))
    print(f"(median of {REPEATS} runs per query after one untimed warm-up pass; wall time, time.perf_counter)")
    print()
    categories = list(dict.fromkeys(probe.category for probe in probes))
    rows = []
    for category in categories:
        numbers = [i for i, probe in enumerate(probes) if probe.category == category]
        times = [latencies[i] for i in numbers]
        found = [hits[i] for i in numbers]
        rows.append((category, str(len(numbers)), f"{percentile(times, 0.5):.1f} ms", f"{percentile(times, 0.95):.1f} ms",
                     f"{max(times):.1f} ms", f"{statistics.mean(found):.0f}", str(found.count(0))))
    print(markdown(("queries", "n", "p50", "p95", "max", "mean hits", "no hit"), rows, right={1, 2, 3, 4, 5, 6}))
    print()
    print(markdown((f"quotes in the other script ({recall.quotes} quotes of 6-12 characters)", "found in the first 5"), [
        ("as written", f"{recall.found:.1%}"),
        (f"converted ({recall.changed:.0%} of their characters changed)", f"{recall.converted:.1%}"),
        ("converted, found exactly (no edit used)", f"{recall.converted_exact:.1%}"),
    ], right={1}))
    print(f"(converted with {converter_name()}; a quote is found when one of the first 5 hits holds it or is its article)")
    for quote, other in recall.misses:
        print(f"  missed: {quote} -> {other}")
    print()
    if rg:
        print(markdown((f"ripgrep `rg -F -l` ({len(literals)} exact queries, one process each)", "result"), [
            ("p50", f"{percentile(rg_times, 0.5):.1f} ms"),
            ("p95", f"{percentile(rg_times, 0.95):.1f} ms"),
            ("max", f"{max(rg_times):.1f} ms"),
            ("queries with no file found", str(rg_files.count(0))),
        ], right={1}))
        print("(wall time of a cold `rg` process over the raw files, OS file cache warm)")
    else:
        print("ripgrep (rg) was not found on PATH: no reference timing (apt-get install ripgrep)")

    slowest = sorted(range(len(probes)), key=lambda i: -latencies[i])
    shown = range(len(probes)) if args.queries else slowest[:5]
    print()
    print(markdown(("query" if args.queries else "slowest queries", "category", "latency", "hits"), [
        (probes[i].text, probes[i].category, f"{latencies[i]:.1f} ms", str(hits[i])) for i in shown
    ], right={2, 3}))
    over = p50 > BUDGET_P50_MS or p95 > BUDGET_P95_MS or build_s > BUDGET_BUILD_S or ratio > BUDGET_MEMORY_RATIO
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
