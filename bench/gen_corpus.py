"""Generate a synthetic archive of saved news articles for benchmarks.

    python bench/gen_corpus.py OUT N [--seed S] [--workers W]

The corpus has the variety of a real archive: front-matter files with HTML or
RSS-dump bodies, RSS dumps, scraped forum pages, Markdown, plain text, saved
bodies and whole saved pages (WeChat and Drupal ones among them); sizes from
1 KB to 60 KB with a long tail, and pages of 50-400 KB; a quarter of it in
traditional characters, some articles mixing scripts; over a thousand sources
with a realistic skew; dates from 2008 to 2026 in several formats, or none;
articles saved twice, reposted by another outlet, and outlets' standard
footers; folders by source and date, some deep, some flat. The text is the
seeds' clauses and the templates of bench/data/ recombined (corpus_text).

Output is deterministic: article ``i`` depends only on ``(seed, i)`` (files,
bytes and modification times). Pure standard library, so it runs before
anything is installed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import re
import sys
import time
from bisect import bisect
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the corpus_* modules next to this file

import corpus_sources as cs  # noqa: E402
from corpus_formats import RENDERERS, Piece  # noqa: E402
from corpus_pages import PAGE_RENDERERS  # noqa: E402
from corpus_text import MAIN, Pool, Writer, build_pool  # noqa: E402

# Written into every corpus folder; its presence is what allows a later run to
# replace the folder's contents.
MARKER = ".gen_corpus"
GENERATOR_VERSION = 2

COPY_SHARE = 0.02  # saved twice: the same bytes in another folder
REPOST_SHARE = 0.01  # the same body from another outlet
NO_DATE_SHARE = 0.03  # of the kinds that state dates: metadata without one
MIXED_SHARE = {"t": 0.15, "s": 0.03}  # articles quoting a source in the other script
TEXT_SIZE = (6_500, 0.6, 1_000, 60_000)  # file bytes: median, log sigma, floor, ceiling
PAGE_SIZE = (90_000, 0.5, 50_000, 400_000)
PAGE_TEXT_SIZE = (4_500, 0.5, 1_500, 20_000)
# Markup bytes around the text of each kind, and bytes per character of text with its markup.
OVERHEAD = {"fm": (520, 3.15), "fmrss": (560, 3.12), "rss": (200, 3.1), "noisy": (1100, 3.45), "md": (260, 3.03),
            "txt": (60, 3.0), "html": (120, 3.12)}
TOPIC_TAGS = {"diplomacy": "外交", "economy": "经济", "technology": "科技", "society": "社会", "weather": "天气",
              "health": "健康", "sports": "体育", "culture": "文化", "law": "法治", "environment": "环境",
              "education": "教育", "transport": "交通", "politics": "政治", "military": "军事"}

_KIND_WEIGHTS = list(accumulate(cs.SHARES[k] for k in cs.KINDS))
_PAGE_KINDS = list(cs.PAGE_KINDS)
_PAGE_WEIGHTS = list(accumulate(cs.PAGE_KINDS.values()))

# What version 1 wrote, so that regenerating over an old corpus still cleans it.
_V1_FILE = re.compile(r"\d{6}_[0-9a-f]{16}\.txt")
_V1_FOLDER = re.compile(r"\d{4}-\d{2}")


@dataclass
class Context:
    pool: Pool
    sources: cs.Sources


@lru_cache(maxsize=1)
def context() -> Context:
    pool = build_pool()
    return Context(pool, cs.Sources(pool.filler.names, pool.s2t))


@dataclass
class Made:
    """One file of the corpus and what a reader should find in it."""

    index: int
    path: str  # relative, '/' separators
    data: bytes
    mtime: int
    kind: str  # corpus_sources.KINDS, "wechat" or "drupal"
    role: str  # "article", "copy" or "repost"
    script: str  # "s" or "t"
    mixed: bool
    title: str
    source: str  # as a reader should name it, "" where only the folder says
    outlet: str  # who published it
    date: dt.datetime | None  # as a reader should read it; None: the file's mtime


# --------------------------------------------------------------------------
# One article


def _lognormal(rng: random.Random, median: float, sigma: float, low: int, high: int) -> int:
    return int(min(high, max(low, median * math.exp(rng.gauss(0, sigma)))))


def _role(seed: int, index: int) -> tuple[str, int]:
    rng = random.Random(f"{seed}:{index}:role")
    roll = rng.random()
    if index > 0 and roll < COPY_SHARE + REPOST_SHARE:
        return ("copy" if roll < COPY_SHARE else "repost"), rng.randrange(index)
    return "article", index


def _url(source: cs.Source, date: dt.datetime, rng: random.Random) -> str:
    if not source.host:
        return ""
    local = date.astimezone(source.zone)
    ident = rng.randrange(10**6, 10**8)
    pattern = cs._hash(source.name) % 4
    path = (f"news/{local:%Y_%m_%d}_{ident}.shtml", f"a/{local:%Y%m%d}/{ident}.html",
            f"{local:%Y/%m/%d}/article-{ident:x}", f"article/{ident}")[pattern]
    return f"https://{source.host}/{path}"


def _blocks(writer: Writer, rng: random.Random, source: cs.Source, script: str, chars: int,
            date: dt.datetime, mixed: bool) -> list[tuple]:
    """The body: paragraphs with headings, images, a list, a quote, links, English, a footer."""
    trad = script == "t"
    paragraphs = writer.paragraphs(chars)
    n = len(paragraphs)
    raw: list[tuple] = []  # texts still to finish; ("final", text) ones are done
    if source.byline and rng.random() < 0.7:
        person = writer.person
        raw.append(("p", source.byline.replace("{R}", person(), 1).replace("{R}", person())
                    .replace("{L}", MAIN["L0"]).replace("{D}", f"{date.day}日")))
    image_host = "img." + (source.host.removeprefix("www.") or "example.com")
    images = {rng.randrange(n) for _ in range(min(6, rng.randint(0, 1 + n // 6)))}
    heading_every = rng.choice((0, 0, 0, 5, 7, 9))
    item_at = rng.randrange(n) if rng.random() < 0.2 else -1
    quote_at = rng.randrange(n) if rng.random() < 0.1 else -1
    link_at = rng.randrange(n) if rng.random() < 0.25 else -1
    english_at = rng.randrange(n) if rng.random() < 0.08 else -1
    mixed_at = rng.randrange(n) if mixed else -1
    for i, text in enumerate(paragraphs):
        if heading_every and i and i % heading_every == 0:
            raw.append(("h", writer.heading()))
        if i == link_at and len(text) > 30:
            raw.append(("a", text, f"https://{source.host or 'www.example.com'}/{rng.getrandbits(32):x}.html"))
        elif i == mixed_at:  # a quote in the other script
            quoted = writer.cast.put_in(writer.sentence() + writer.sentence())
            if trad:
                lead = f"{rng.choice(('新华社', '人民日报', '央视新闻'))}报道称："
                raw.append(("final", writer.finish(lead, True) + f"“{quoted}”"))
            else:
                raw.append(("final", f"據{rng.choice(('中央社', '自由時報', '明報'))}報導：“{quoted.translate(writer.pool.s2t)}”"))
        else:
            raw.append(("quote" if i == quote_at else "p", text))
        if i in images:
            raw.append(("img", f"https://{image_host}/{date:%Y/%m/%d}/{rng.getrandbits(48):012x}.jpg", writer.caption()))
        if i == item_at:
            raw.append(("ul", [writer.heading() for _ in range(rng.randint(2, 5))]))
        if i == english_at:
            raw.append(("en", writer.english()))
    if rng.random() < 0.05:
        raw.append(("p", f"详情请见：{_url(source, date, rng) or 'https://www.example.com/'}"))
    if source.footer:
        raw.append(("final", source.footer))
    return _finished(raw, writer, trad)


def _finished(raw: list[tuple], writer: Writer, trad: bool) -> list[tuple]:
    """The blocks with the cast put in and the script converted, all in one pass over the text."""
    texts: list[str] = []
    for block in raw:
        if block[0] in ("p", "h", "quote", "a"):
            texts.append(block[1])
        elif block[0] == "img":
            texts.append(block[2])
        elif block[0] == "ul":
            texts.extend(block[1])
    done = iter(writer.finish("\x1f".join(texts), trad).split("\x1f"))
    out: list[tuple] = []
    for block in raw:
        kind = block[0]
        if kind in ("p", "h", "quote"):
            out.append((kind, next(done)))
        elif kind == "a":
            whole = next(done)
            out.append(("a", whole[:10], whole[10:20], block[2], whole[20:]))
        elif kind == "img":
            out.append(("img", block[1], next(done)))
        elif kind == "ul":
            out.append(("ul", [next(done) for _ in block[1]]))
        else:
            out.append(("p", block[1]) if kind == "final" else block)
    return out


def make_piece(seed: int, index: int) -> tuple[Piece, str, bool, int]:
    """Article ``index`` as written first: the piece, its script, whether it mixes scripts, its size."""
    ctx = context()
    rng = random.Random(f"{seed}:{index}")
    kind = cs.KINDS[bisect(_KIND_WEIGHTS, rng.random() * _KIND_WEIGHTS[-1])]
    if kind == "page":
        kind = _PAGE_KINDS[bisect(_PAGE_WEIGHTS, rng.random() * _PAGE_WEIGHTS[-1])]
    script = "t" if kind != "noisy" and rng.random() < cs.TRADITIONAL else "s"
    source = ctx.sources.pick(kind, script, rng)
    date = cs.draw_date(rng)
    writer = Writer(ctx.pool, rng)
    if kind in PAGE_RENDERERS:
        size = _lognormal(rng, *PAGE_SIZE)
        chars = _lognormal(rng, *PAGE_TEXT_SIZE) // 3
    else:
        size = _lognormal(rng, *TEXT_SIZE)
        base, per_char = OVERHEAD[kind]
        chars = max(120, int((size - base) / per_char))
    mixed = rng.random() < MIXED_SHARE[script]
    blocks = _blocks(writer, rng, source, script, chars, date, mixed)
    title = writer.finish(writer.title(), script == "t")
    date_text = None
    if kind in ("fm", "fmrss", "noisy", "md") and rng.random() >= NO_DATE_SHARE:
        date_text = cs.format_date(date, source.date_style, source.zone)[0]
    elif kind in PAGE_RENDERERS and kind != "drupal" and rng.random() < 0.6:
        date_text = date.astimezone(source.zone).isoformat()
    tags = [TOPIC_TAGS[writer.topic], writer.cast.values[MAIN["C0"]], writer.cast.values[MAIN["L0"]]]
    tags = [t.translate(ctx.pool.s2t) if script == "t" else t for t in tags[: rng.randint(0, 3)]]
    author = source.name if kind in ("fm", "fmrss", "noisy") else writer.person()
    image = next((b[1] for b in blocks if b[0] == "img"), f"https://picsum.photos/400/300?random={rng.randrange(10000)}")
    piece = Piece(kind, source, date, date_text, title, _url(source, date, rng), author,
                  rng.choice(source.sections or ["新闻"]), blocks, image, tags)
    return piece, script, mixed, size


def _render(piece: Piece, size: int, seed: int, index: int) -> bytes:
    rng = random.Random(f"{seed}:{index}:render")
    if piece.kind in PAGE_RENDERERS:
        ctx = context()
        writer = Writer(ctx.pool, rng)
        extras = {"site_name": rng.random() < 0.8, "json_ld": rng.random() < 0.5, "article_tag": rng.random() < 0.5,
                  "state": rng.random() < 0.3, "icp": f"京ICP备{rng.randrange(10**7, 10**8)}号",
                  "titles": [Writer(ctx.pool, rng).title() for _ in range(rng.randint(8, 20))],
                  "names": [writer.person() for _ in range(12)],
                  "s2t": ctx.pool.s2t if piece.source.script == "t" else None}
        text = PAGE_RENDERERS[piece.kind](piece, rng, size, extras)
    else:
        text = RENDERERS[piece.kind](piece, rng)
    return text.encode("utf-8")


def _expected(piece: Piece) -> tuple[str, dt.datetime | None]:
    """The source and date a reader should take from the file (None: from the file's mtime)."""
    s, kind = piece.source, piece.kind
    stated = cs.format_date(piece.date, s.date_style, s.zone)[1].replace(microsecond=0) if piece.date_text else None
    rss_date = piece.date.astimezone(dt.timezone.utc).replace(microsecond=0)
    if kind in ("fm", "noisy", "md"):
        return s.name, stated
    if kind == "fmrss":
        return s.name, stated or rss_date
    if kind == "rss":
        return s.host.removeprefix("www."), rss_date
    return "", None


def build(seed: int, index: int) -> Made:
    """Article ``index`` of the corpus made with ``seed``: its path, bytes and expected metadata."""
    role, other = _role(seed, index)
    rng = random.Random(f"{seed}:{index}:file")
    if role == "copy":
        original = build(seed, other)
        folder = cs.copy_folder(original.date or dt.datetime.fromtimestamp(original.mtime, dt.timezone.utc), rng)
        extension = original.path[original.path.rindex("."):]
        name = cs.file_name(cs.visible_name(rng.choice(cs.NAME_STYLES), dt.datetime.fromtimestamp(
            original.mtime, dt.timezone.utc), index, original.title), index, rng, extension)
        mtime = original.mtime + rng.randint(3600, 400 * 86400)
        return Made(index, f"{folder}/{name}", original.data, mtime, original.kind, "copy", original.script,
                    original.mixed, original.title, original.source, original.outlet, original.date)
    piece, script, mixed, size = make_piece(seed, other)
    if role == "repost":
        piece = _repost(piece, script, rng)
    data = _render(piece, size, seed, index)
    source, date = _expected(piece)
    folder = cs.folder_of(piece.source, piece.date)
    local = piece.date.astimezone(piece.source.zone)
    name = cs.file_name(cs.visible_name(piece.source.name_style, local, index, piece.title), index, rng,
                        piece.source.extension)
    mtime = int(piece.date.timestamp()) + rng.randint(60, 3 * 86400)
    return Made(index, f"{folder}/{name}", data, mtime, piece.kind, role, script, mixed, piece.title, source,
                piece.source.name, date)


def _repost(piece: Piece, script: str, rng: random.Random) -> Piece:
    """The same body under another outlet's name, title, url and a later date."""
    ctx = context()
    kind = piece.kind if piece.kind in RENDERERS else "fm"
    source = piece.source
    while source.name == piece.source.name:
        source = ctx.sources.pick(kind, script, rng)
    writer = Writer(ctx.pool, rng)
    title = piece.title if rng.random() < 0.3 else writer.finish(writer.title(), script == "t")
    date = piece.date + dt.timedelta(seconds=rng.randint(600, 3 * 86400))
    date_text = cs.format_date(date, source.date_style, source.zone)[0] if piece.date_text else None
    return Piece(kind, source, date, date_text, title, _url(source, date, rng), piece.author,
                 rng.choice(source.sections or ["新闻"]), piece.blocks, piece.image, piece.tags)


# --------------------------------------------------------------------------
# Corpus


def _marker_fields(out: Path) -> dict[str, str]:
    try:
        lines = (Path(out) / MARKER).read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    return dict(line.split("=", 1) for line in lines if "=" in line)


def read_marker(out: Path) -> dict[str, str]:
    """The settings an earlier run of this generator version recorded in ``out``.

    Empty if there is none, if it was interrupted (no ``n``) or if an older
    version wrote it, so that the benchmarks regenerate a stale corpus.
    """
    fields = _marker_fields(out)
    if fields.get("version") != str(GENERATOR_VERSION) or "n" not in fields:
        return {}
    return fields


def _is_ours(folder: Path, name: str, version: str) -> bool:
    if cs.is_generated_name(name):
        return True
    return version == "1" and _V1_FOLDER.fullmatch(folder.name) is not None and _V1_FILE.fullmatch(name) is not None


def _prepare(out: Path) -> None:
    """Create ``out``, or empty it of an earlier corpus; refuse a folder the generator did not make."""
    if out.exists() and not out.is_dir():
        raise SystemExit(f"gen_corpus: {out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    if not any(out.iterdir()):
        return
    if not (out / MARKER).is_file():
        raise SystemExit(f"gen_corpus: {out} is not empty and has no {MARKER} marker; "
                         "refusing to write into it")
    version = _marker_fields(out).get("version", "1")
    # Remove only files whose names the generator makes (they carry a checked
    # token), then the folders that removing them left empty: stray files and
    # the folders holding them survive, and so do folders that were empty.
    emptied: set[str] = set()
    for folder, subfolders, files in os.walk(out, topdown=False):
        here = Path(folder)
        for name in files:
            path = here / name
            if _is_ours(here, name, version) and not path.is_symlink():
                path.unlink()
                emptied.add(folder)
        if here != out and (folder in emptied or any(str(here / sub) in emptied for sub in subfolders)):
            try:
                here.rmdir()
                emptied.add(folder)
            except OSError:
                emptied.discard(folder)  # something else lives here


def _write_marker(out: Path, n: int | None, seed: int) -> None:
    fields = {"version": GENERATOR_VERSION, "seed": seed, "kinds": ",".join(f"{k}:{v}" for k, v in cs.SHARES.items()),
              "pages": ",".join(f"{k}:{v}" for k, v in cs.PAGE_KINDS.items()), "traditional": cs.TRADITIONAL,
              "copies": COPY_SHARE, "reposts": REPOST_SHARE, "no_date": NO_DATE_SHARE,
              "years": f"{cs.FIRST_YEAR}-{cs.LAST_DAY.year}", "text_size": ",".join(map(str, TEXT_SIZE)),
              "page_size": ",".join(map(str, PAGE_SIZE))}
    if n is not None:
        fields["n"] = n
    (out / MARKER).write_text("".join(f"{k}={v}\n" for k, v in fields.items()), encoding="utf-8")


def _write_range(args: tuple[str, int, int, int]) -> list[tuple]:
    """Write articles start..stop-1; one row of figures per file."""
    out, seed, start, stop = args
    made_folders: set[str] = set()
    rows = []
    for index in range(start, stop):
        made = build(seed, index)
        folder, _, _ = made.path.rpartition("/")
        if folder not in made_folders:
            os.makedirs(os.path.join(out, folder), exist_ok=True)
            made_folders.add(folder)
        path = os.path.join(out, made.path)
        with open(path, "wb") as handle:
            handle.write(made.data)
        os.utime(path, (made.mtime, made.mtime))
        rows.append((len(made.data), made.kind, made.role, made.script, made.mixed, made.outlet, made.date is None))
    return rows


def generate(out: Path, n: int, seed: int = 0, workers: int | None = None) -> tuple[int, int]:
    """Write ``n`` articles into ``out``; return (files, total bytes)."""
    rows = generate_with_stats(out, n, seed, workers)
    return len(rows), sum(row[0] for row in rows)


def generate_with_stats(out: Path, n: int, seed: int = 0, workers: int | None = None) -> list[tuple]:
    out = Path(out)
    _prepare(out)
    _write_marker(out, None, seed)  # an interrupted run leaves a marker without n: cleaned next time
    context()  # built before the workers fork, so they share it
    workers = workers or (os.cpu_count() or 1)
    step = 500
    ranges = [(str(out), seed, start, min(n, start + step)) for start in range(0, n, step)]
    if workers <= 1 or n <= 2 * step:
        rows = [row for r in ranges for row in _write_range(r)]
    else:
        import multiprocessing

        with multiprocessing.get_context("fork" if sys.platform == "linux" else None).Pool(workers) as pool:
            rows = [row for chunk in pool.imap(_write_range, ranges) for row in chunk]
    _write_marker(out, n, seed)
    return rows


def summary(rows: list[tuple]) -> str:
    """Files, sizes and the shares of each kind, as the CLI prints them."""
    count = len(rows) or 1
    sizes = sorted(row[0] for row in rows)
    pct = lambda p: sizes[min(len(sizes) - 1, int(p / 100 * len(sizes)))] / 1000 if sizes else 0  # noqa: E731
    kinds = Counter(row[1] for row in rows)
    roles = Counter(row[2] for row in rows)
    sources = Counter(row[5] for row in rows)
    pages = [row[0] for row in rows if row[1] in PAGE_RENDERERS]
    texts = [row[0] for row in rows if row[1] not in PAGE_RENDERERS]
    lines = [
        f"sizes KB: p10 {pct(10):.1f}, p25 {pct(25):.1f}, p50 {pct(50):.1f}, p75 {pct(75):.1f}, p90 {pct(90):.1f}, "
        f"p95 {pct(95):.1f}, p99 {pct(99):.1f}, max {pct(100):.1f}",
        f"mean KB: articles {sum(texts) / max(1, len(texts)) / 1000:.1f}, whole pages "
        f"{sum(pages) / max(1, len(pages)) / 1000:.1f}",
        "kinds: " + ", ".join(f"{k} {v / count:.1%}" for k, v in kinds.most_common()),
        f"traditional {sum(r[3] == 't' for r in rows) / count:.1%}, mixed scripts {sum(r[4] for r in rows) / count:.1%}, "
        f"whole pages {len(pages) / count:.1%}, copies {roles['copy'] / count:.1%}, reposts {roles['repost'] / count:.1%}, "
        f"no stated date {sum(r[6] for r in rows) / count:.1%}",
        f"sources: {len(sources)}; biggest " + ", ".join(f"{k} {v}" for k, v in sources.most_common(5))
        + f"; {sum(1 for v in sources.values() if v <= 5)} with 5 or fewer",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write into (created if missing)")
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--workers", type=int, default=0, help="processes (default: one per CPU)")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be >= 0")
    start = time.perf_counter()
    rows = generate_with_stats(args.out, args.n, args.seed, args.workers or None)
    seconds = time.perf_counter() - start
    total = sum(row[0] for row in rows)
    print(f"gen_corpus: {len(rows)} files, {total / 1e6:.1f} MB, {seconds:.1f} s -> {args.out}")
    print(summary(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
