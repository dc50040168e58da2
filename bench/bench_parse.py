"""Measure how fast reader loads a folder of articles.

    python bench/bench_parse.py [CORPUS] [--n 10000] [--repeat R] [--cache] [--compare] [--by-kind]

Without CORPUS, a synthetic corpus of N articles (bench/gen_corpus.py) is
used: bench/.corpus-N if an earlier ``--cache`` run left one there, otherwise
a fresh one in a temporary folder that is deleted afterwards.

What is timed is what the reader does at start-up for every file: read it,
detect its format, parse it, extract the text blocks (reader.parse.load.load_article).
Files are read once beforehand, so the figures measure parsing, not the disk.

The files are timed in two groups: bodies (front matter, RSS dumps, saved
bodies, Markdown, text: the fast path, whose budget is 0.5 ms of CPU per 9 KB
article) and whole saved pages (``<html>``, ``<head>`` or ``<body>`` in the
first 4 KB, by reader's own test), which reader.parse.pages reads with trafilatura.

``--by-kind`` adds one more pass that times each file alone and splits the
CPU by the format reader found and by file size.

``--pages`` times instead whole saved pages of ``--pages-mb`` megabytes each
(default 1), made by bench/gen_corpus.py's page renderers (generic news sites,
WeChat and Drupal, in the corpus's shares): pages per second, CPU per page by
kind, and the part of it trafilatura takes. With ``--compare-extractors`` it
also times the candidate libraries on the same pages (trafilatura's modes,
readability-lxml if installed, htmldate).

``--compare`` adds an informational measurement: HTML tree building alone with
BeautifulSoup(body, "lxml") against lxml.html.fromstring, on the first 500
articles; it is why the project parses with lxml directly.

``--hostile`` times instead each input of the stall list in tests/hostile.py
(inputs that once took time quadratic in their size), made to ``--hostile-mb``
megabytes: loading it (what `reader list` does), rendering it at 80 and at 20
columns, and the seconds per MB of `reader show` at either width against the
budget of 1 s per MB. With ``--as-pages`` the HTML inputs are wrapped in
``<html><body>``, so that they take the whole-page path.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
# Benchmark this checkout, whatever version may be installed elsewhere.
sys.path.insert(0, str(REPO_DIR))

import gen_corpus  # noqa: E402  (lives next to this file)

KB, MB = 1000, 1_000_000
NORMAL_KB = 9  # articles are compared at this size: about the seeds' largest
COMPARE_SAMPLE = 500


def table(rows: list[tuple[str, str]], header: tuple[str, str], numbers: bool = True) -> str:
    """A two-column Markdown table, readable as is and pasteable into the README."""
    width = max(len(header[0]), *(len(k) for k, _ in rows))
    vwidth = max(len(header[1]), *(len(v) for _, v in rows))
    align, rule = (">", "-" * (vwidth + 1) + ":") if numbers else ("<", "-" * (vwidth + 2))
    lines = [f"| {header[0]:<{width}} | {header[1]:{align}{vwidth}} |", f"|{'-' * (width + 2)}|{rule}|"]
    lines += [f"| {k:<{width}} | {v:{align}{vwidth}} |" for k, v in rows]
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Environment


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as info:
            for line in info:
                if line.startswith(("model name", "Model", "Hardware")):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def git_revision() -> str:
    try:
        done = subprocess.run(["git", "-C", str(REPO_DIR), "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() if done.returncode == 0 else "no commit yet"


def environment() -> list[tuple[str, str]]:
    import lxml
    from lxml import etree

    import reader

    libxml2 = ".".join(map(str, etree.LIBXML_VERSION))
    return [
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("platform", platform.platform()),
        ("CPU", f"{cpu_model()} ({os.cpu_count()} logical)"),
        ("lxml", f"{lxml.__version__} (libxml2 {libxml2})"),
        ("reader", f"{getattr(reader, '__version__', '?')} (git {git_revision()})"),
    ]


# --------------------------------------------------------------------------
# Corpus


def open_corpus(args: argparse.Namespace, stack: list) -> tuple[Path, str]:
    """The folder to benchmark and a word on where it came from."""
    if args.corpus is not None:
        return args.corpus, "given"
    cached = BENCH_DIR / f".corpus-{args.n}"
    if gen_corpus.read_marker(cached).get("n") == str(args.n):
        return cached, "reused"
    if args.cache:
        target, origin = cached, "generated, cached"
    else:
        temp = tempfile.TemporaryDirectory(prefix="reader-bench-")
        stack.append(temp)  # kept alive until the benchmark ends, then deleted
        target, origin = Path(temp.name), "generated, temporary"
    start = time.perf_counter()
    files, total = gen_corpus.generate(target, args.n, seed=args.seed)
    if args.cache:
        # The cache lives inside the repo; keep git from ever seeing it.
        (target / ".gitignore").write_text("*\n", encoding="utf-8")
    print(f"generated {files} articles, {total / MB:.1f} MB in "
          f"{time.perf_counter() - start:.1f} s -> {target}", file=sys.stderr)
    return target, origin


# --------------------------------------------------------------------------
# The measurement


def load_all(files: list[Path]) -> tuple[float, float, int, list[tuple[Path, str]]]:
    """Load every file once; return wall s, CPU s, blocks seen, failures."""
    from reader.parse.load import ArticleError, load_article

    failures: list[tuple[Path, str]] = []
    blocks = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for path in files:
        try:
            article = load_article(path)
        except ArticleError as error:
            failures.append((path, getattr(error, "reason", str(error))))
        except Exception as error:  # a crash is a result too, not the end of the run
            failures.append((path, f"unexpected {type(error).__name__}: {error}"))
        else:
            blocks += len(article.blocks)
    return time.perf_counter() - wall, time.process_time() - cpu, blocks, failures


def split_pages(files: list[Path]) -> tuple[list[Path], list[Path]]:
    """(bodies, whole pages), as reader.parse.html.is_whole_page tells them apart."""
    from reader.parse.html import is_whole_page

    bodies, pages = [], []
    for path in files:
        head = path.read_bytes()[:8192].decode("utf-8", errors="replace")
        (pages if is_whole_page(body_of(head)) else bodies).append(path)
    return bodies, pages


def body_of(text: str) -> str:
    """The HTML after the metadata, by a crude split that is enough for timing."""
    fences = [m.end() for m in re.finditer(r"^-{3,}[ \t]*$", text, re.M)]
    if text.lstrip().startswith("---") and len(fences) >= 2:
        return text[fences[1]:]  # front matter: after its closing fence
    if fences and text.startswith("<!--"):
        return text[fences[0]:]  # RSS dump: after the ------ under the title
    return text


def compare_parsers(files: list[Path], repeat: int) -> list[tuple[str, str]]:
    import bs4
    import lxml.html
    from bs4 import BeautifulSoup

    bodies = [body_of(p.read_text(encoding="utf-8", errors="replace")) for p in files]
    bodies = [b for b in bodies if b.strip()]  # lxml refuses an empty document

    def best_ms(build) -> float:
        best = float("inf")
        for _ in range(repeat):
            start = time.process_time()
            for body in bodies:
                build(body)
            best = min(best, time.process_time() - start)
        return best * 1000 / len(bodies)

    bs4_ms = best_ms(lambda body: BeautifulSoup(body, "lxml"))
    lxml_ms = best_ms(lxml.html.fromstring)
    mean_kb = sum(len(b.encode("utf-8")) for b in bodies) / len(bodies) / KB
    return [
        ("articles (bodies only)", f"{len(bodies)}, mean {mean_kb:.1f} KB"),
        (f"BeautifulSoup(body, 'lxml'), bs4 {bs4.__version__}", f"{bs4_ms:.3f} ms"),
        ("lxml.html.fromstring(body)", f"{lxml_ms:.3f} ms"),
        ("ratio", f"{bs4_ms / lxml_ms:.1f} x"),
    ]


HOSTILE_BUDGET = 1.0  # seconds per MB to load and show any file under the 20 MB cap


def cpu_seconds(work) -> tuple[float, object]:
    start = time.process_time()
    result = work()
    return time.process_time() - start, result


def hostile(size_mb: float, as_pages: bool = False) -> int:
    """Each stall input at ``size_mb``: its size, load and render times, s/MB of `show`.

    ``as_pages``: each HTML input inside ``<html><body>``, so that reader.parse.pages reads it.
    """
    sys.path.insert(0, str(REPO_DIR / "tests"))
    import hostile as cases  # noqa: E402  (the stall list lives with the hostile suite)

    from reader.parse.load import ArticleError, parse_article
    from reader.render import render_article

    header = "| input | size | load | render 80 | render 20 | s/MB | budget |"
    print(header)
    print("|---|---:|---:|---:|---:|---:|---|")
    over = 0
    for stall in cases.STALLS:
        if as_pages and stall.suffix != ".html":
            continue
        data = stall.data(int(size_mb * MB))
        if as_pages:
            body = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
            data = f"<html><head><title>页面</title></head><body>{body}</body></html>".encode("utf-8")
        size = len(data) / MB
        try:
            load, article = cpu_seconds(lambda: parse_article(data, Path("stall" + stall.suffix), 0.0))
        except ArticleError as error:
            print(f"| {stall.name} | {size:.2f} MB | refused: {error.reason} | | | | |")
            continue
        wide, _ = cpu_seconds(lambda: render_article(article, 80))
        narrow, _ = cpu_seconds(lambda: render_article(article, 20))
        per_mb = (load + max(wide, narrow)) / size
        verdict = "ok" if per_mb <= HOSTILE_BUDGET else "OVER"
        over += verdict == "OVER"
        print(f"| {stall.name} | {size:.2f} MB | {load:.3f} s | {wide:.3f} s | {narrow:.3f} s | {per_mb:.2f} | {verdict} |",
              flush=True)
    print(f"(CPU seconds, time.process_time; s/MB = (load + the slower render) / size; budget {HOSTILE_BUDGET:g} s/MB)")
    return 1 if over else 0


SIZE_BUCKETS = ((3, "under 3 KB"), (10, "3-10 KB"), (30, "10-30 KB"), (100, "30-100 KB"), (400, "100-400 KB"),
                (float("inf"), "over 400 KB"))


def by_kind(files: list[Path], pages: set[Path]) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """CPU per article by format (whole pages apart) and by size bucket: one more pass, each file timed alone."""
    from reader.parse.load import ArticleError, load_article

    groups: dict[str, dict[str, list[float]]] = {"format": {}, "size": {}}
    for path in files:
        size = path.stat().st_size / KB
        start = time.process_time()
        try:
            kind = load_article(path).format + (" (whole page)" if path in pages else "")
        except ArticleError:
            kind = "failed"
        cpu = time.process_time() - start
        bucket = next(name for limit, name in SIZE_BUCKETS if size < limit)
        for key, name in (("format", kind), ("size", bucket)):
            groups[key].setdefault(name, []).append((cpu, size))
    total = sum(cpu for rows in groups["format"].values() for cpu, _ in rows) or 1

    def rows(key: str, order: list[str]) -> list[tuple[str, ...]]:
        return [(name, f"{len(g):,}", f"{len(g) / len(files):.1%}", f"{sum(s for _, s in g) / len(g):.1f}",
                 f"{sum(c for c, _ in g) * 1000 / len(g):.3f} ms", f"{sum(c for c, _ in g) / total:.1%}")
                for name in order for g in [groups[key][name]]]
    formats = sorted(groups["format"], key=lambda name: -len(groups["format"][name]))
    sizes = [name for _, name in SIZE_BUCKETS if name in groups["size"]]
    return rows("format", formats), rows("size", sizes)


def wide_table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    """A Markdown table, first column left-aligned, the others right-aligned."""
    widths = [max(len(header[i]), *(len(row[i]) for row in rows)) for i in range(len(header))]
    line = lambda cells: "| " + " | ".join(  # noqa: E731
        f"{c:<{w}}" if i == 0 else f"{c:>{w}}" for i, (c, w) in enumerate(zip(cells, widths))) + " |"
    rule = "|" + "|".join("-" * (w + 2) if i == 0 else "-" * (w + 1) + ":" for i, w in enumerate(widths)) + "|"
    return "\n".join([line(header), rule] + [line(row) for row in rows])


def make_pages(n: int, size: int, seed: int) -> list[tuple[str, bytes, object, str]]:
    """``n`` whole pages of about ``size`` bytes as gen_corpus makes them: (kind, bytes, piece, article).

    ``article`` is the article's own HTML as the renderer put it into the page,
    caught on its way in: read alone, as a body, it is what the page must read as.
    """
    import corpus_pages

    caught: list[str] = []
    finish = corpus_pages._finish

    def catching(page, body, *rest):
        caught.append(body)
        return finish(page, body, *rest)

    made = []
    index = 0
    corpus_pages._finish = catching
    try:
        while len(made) < n and index < 1000 * max(1, n):
            piece = gen_corpus.make_piece(seed, index)[0]
            if piece.kind in corpus_pages.PAGE_RENDERERS:
                data = gen_corpus._render(piece, size, seed, index)
                made.append((piece.kind, data, piece, caught.pop()))
            index += 1
    finally:
        corpus_pages._finish = finish
    return made


def page_accuracy(pages: list[tuple[str, bytes, object, str]]) -> list[tuple[str, ...]]:
    """How many pages read as the article alone does, with the generator's title, source and date."""
    from reader.parse.html import parse_html
    from reader.parse.load import parse_article

    rows = []
    for kind in sorted({kind for kind, *_ in pages}) + ["all"]:
        group = [page for page in pages if kind in (page[0], "all")]
        counts = [0] * 6
        for _, data, piece, body in group:
            article = parse_article(data, Path("page.html"), 0.0)
            truth = [block.text for block in parse_html(body).blocks]
            got = [block.text for block in article.blocks]
            off = abs((article.date - piece.date).total_seconds()) if article.date else float("inf")
            day = article.date is not None and article.date.astimezone(piece.source.zone).date() == \
                piece.date.astimezone(piece.source.zone).date()
            for i, right in enumerate((got == truth, got[:1] == truth[:1], article.title == piece.title,
                                       article.source == piece.source.name, off < 60, day)):
                counts[i] += right
        rows.append((kind, f"{len(group)}", *(f"{count / len(group):.0%}" for count in counts)))
    return rows


def best_cpu(work, items: list, repeat: int) -> float:
    """CPU seconds of the fastest of ``repeat`` passes of ``work`` over ``items``."""
    fastest = float("inf")
    for _ in range(max(1, repeat)):
        start = time.process_time()
        for item in items:
            work(item)
        fastest = min(fastest, time.process_time() - start)
    return fastest


def whole_pages(args: argparse.Namespace) -> int:
    from reader.parse.load import parse_article
    from reader.parse.pages._extract import find_date, main_texts

    start = time.perf_counter()
    made = make_pages(args.pages_n, int(args.pages_mb * MB), args.seed)
    print(f"made {len(made)} pages of {args.pages_mb:g} MB in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    pages = [(kind, data) for kind, data, *_ in made]
    texts = [data.decode("utf-8") for _, data in pages]
    for _, data in pages[:3]:
        parse_article(data, Path("warm-up.html"), 0.0)  # imports trafilatura once, as a worker does
    repeat = max(1, args.repeat)

    def load(data: bytes) -> None:
        parse_article(data, Path("page.html"), 0.0)

    print(table(environment(), ("environment", ""), numbers=False))
    print()
    rows = []
    for kind in sorted({kind for kind, _ in pages}) + ["all"]:
        group = [data for k, data in pages if kind in (k, "all")]
        cpu = best_cpu(load, group, repeat) * 1000 / len(group)
        mean = sum(map(len, group)) / len(group) / MB
        rows.append((kind, f"{len(group)}", f"{mean:.2f}", f"{cpu:.1f} ms", f"{1000 / cpu:,.0f}"))
    extraction = best_cpu(main_texts, texts, repeat) * 1000 / len(texts)
    print(wide_table(rows, ("whole pages", "pages", "mean MB", "CPU per page", "pages/s (CPU)")))
    print(f"(load_article's parse_article, best of {repeat} passes; of which trafilatura: {extraction:.1f} ms a page;"
          " WeChat pages skip it, their article is #js_content)")
    print()
    print(wide_table(page_accuracy(made), ("read right", "pages", "whole body", "first block", "title", "source",
                                           "date, minute", "date, day")))
    print("(whole body: the same blocks as the article's own HTML read alone; date to the minute where the page"
          " states a time with its zone, else htmldate's day)")
    if args.compare_extractors:
        print()
        print(wide_table(compare_extractors(texts, repeat, find_date, main_texts),
                         ("extractor (same pages)", "version", "CPU per page")))
    return 0


def compare_extractors(texts: list[str], repeat: int, find_date, main_texts) -> list[tuple[str, str, str]]:
    import htmldate
    import trafilatura

    candidates = [
        ("trafilatura, as reader calls it (fast, precision)", trafilatura.__version__, main_texts),
        ("trafilatura.extract(fast=True)", trafilatura.__version__, lambda html: trafilatura.extract(html, fast=True)),
        ("trafilatura.extract() (default)", trafilatura.__version__, trafilatura.extract),
        ("htmldate, as reader calls it (extensive)", htmldate.__version__, find_date),
    ]
    try:
        import readability
        from readability import Document
    except ImportError:
        print("(readability-lxml is not installed: pip install readability-lxml to time it too)")
    else:
        version = getattr(readability, "__version__", "?")
        candidates.append(("readability-lxml Document(html).summary()", version, lambda html: Document(html).summary()))
    return [(name, version, f"{best_cpu(work, texts, repeat) * 1000 / len(texts):.1f} ms")
            for name, version, work in candidates]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, help="folder of articles (default: synthetic)")
    parser.add_argument("--n", type=int, default=10_000, help="articles to generate (default 10000)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (default 0)")
    parser.add_argument("--repeat", type=int, default=1, help="passes over the corpus; the fastest counts")
    parser.add_argument("--cache", action="store_true", help="generate into bench/.corpus-N and keep it")
    parser.add_argument("--by-kind", action="store_true",
                        help="also time each file alone, by format and by size (one more pass)")
    parser.add_argument("--compare", action="store_true",
                        help=f"also time BeautifulSoup vs lxml tree building on {COMPARE_SAMPLE} articles")
    parser.add_argument("--hostile", action="store_true",
                        help="time each stall input of tests/hostile.py instead of a corpus")
    parser.add_argument("--hostile-mb", type=float, default=1.0, metavar="MB",
                        help="size of each stall input (default 1 MB)")
    parser.add_argument("--as-pages", action="store_true",
                        help="with --hostile: each HTML input as a whole page (<html><body>…)")
    parser.add_argument("--pages", action="store_true", help="time whole saved pages instead of a corpus")
    parser.add_argument("--pages-n", type=int, default=60, metavar="N", help="whole pages to make (default 60)")
    parser.add_argument("--pages-mb", type=float, default=1.0, metavar="MB", help="size of each page (default 1 MB)")
    parser.add_argument("--compare-extractors", action="store_true",
                        help="with --pages: also time trafilatura's modes, readability-lxml and htmldate")
    args = parser.parse_args(argv)

    try:
        from reader.parse.load import load_article  # noqa: F401
        from reader.catalog.discover import find_files
    except ImportError as error:
        print(f"bench_parse: the loader is not available yet ({error})", file=sys.stderr)
        return 2

    if args.hostile:
        return hostile(args.hostile_mb, args.as_pages)
    if args.pages:
        return whole_pages(args)
    keep_alive: list = []
    try:
        return run(args, keep_alive, find_files)
    finally:
        for temp in keep_alive:
            temp.cleanup()


def run(args: argparse.Namespace, keep_alive: list, find_files) -> int:
    corpus, origin = open_corpus(args, keep_alive)
    discovery = find_files([corpus])
    files = discovery.files
    if not files:
        print(f"bench_parse: no article files under {corpus}", file=sys.stderr)
        return 1
    total_bytes = 0
    for path in files:  # warms the OS file cache, so every pass below is alike
        total_bytes += len(path.read_bytes())
    bodies, pages = split_pages(files)
    load_all(bodies[:50] + pages[:3])  # first calls pay for imports and compiled patterns

    def best(group: list[Path]) -> tuple[float, float, int, list]:
        if not group:
            return 0.0, 0.0, 0, []
        return min((load_all(group) for _ in range(max(1, args.repeat))), key=lambda run: run[1])

    body_run, page_run = best(bodies), best(pages)
    wall, cpu = body_run[0] + page_run[0], body_run[1] + page_run[1]
    blocks = body_run[2] + page_run[2]
    failures = discovery.problems + body_run[3] + page_run[3]

    count = len(files)
    mean_kb = total_bytes / count / KB
    cpu_ms = cpu * 1000 / count
    body_kb = sum(p.stat().st_size for p in bodies) / max(1, len(bodies)) / KB
    body_ms = body_run[1] * 1000 / max(1, len(bodies))
    page_kb = sum(p.stat().st_size for p in pages) / max(1, len(pages)) / KB
    page_ms = page_run[1] * 1000 / max(1, len(pages))
    print(table(environment(), ("environment", ""), numbers=False))
    print()
    passes = f", best of {max(1, args.repeat)} passes" if args.repeat > 1 else ""
    print(f"corpus: {corpus} ({origin})")
    print(table([
        ("articles", f"{count:,}"),
        ("total size", f"{total_bytes / MB:.1f} MB"),
        ("mean file size", f"{mean_kb:.1f} KB"),
        ("wall time", f"{wall:.2f} s"),
        ("articles/s", f"{count / wall:,.0f}"),
        ("MB/s", f"{total_bytes / MB / wall:.1f}"),
        ("CPU per article", f"{cpu_ms:.3f} ms"),
        (f"CPU per {NORMAL_KB} KB article", f"{cpu_ms * NORMAL_KB / mean_kb:.3f} ms"),
        ("bodies (the fast path)", f"{len(bodies):,}, mean {body_kb:.1f} KB"),
        (f"bodies: CPU per {NORMAL_KB} KB article", f"{body_ms * NORMAL_KB / max(body_kb, 1e-9):.3f} ms"),
        ("whole pages", f"{len(pages):,}, mean {page_kb:.1f} KB"),
        ("whole pages: CPU per page", f"{page_ms:.2f} ms"),
        ("blocks per article", f"{blocks / count:.1f}"),
        ("failures", f"{len(failures)}"),
    ], (f"load_article{passes}", "result")))
    print("(KB = 1000 bytes, MB = 10^6 bytes; CPU = time.process_time; bodies and pages timed as two groups)")
    for path, reason in failures[:5]:
        print(f"  {path}: {reason}")
    if len(failures) > 5:
        print(f"  ... and {len(failures) - 5} more")

    if args.by_kind:
        by_format, by_size = by_kind(files, set(pages))
        header = ("files", "share", "mean KB", "CPU per article", "share of CPU")
        print()
        print(wide_table(by_format, ("format",) + header))
        print()
        print(wide_table(by_size, ("file size",) + header))
        print("(each file timed alone: a second pass, so its total differs a little from the one above)")

    if args.compare:
        print()
        sample = files[:COMPARE_SAMPLE]
        print(table(compare_parsers(sample, max(3, args.repeat)),
                    ("HTML tree building alone", "CPU per article")))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
