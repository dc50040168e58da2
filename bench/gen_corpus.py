"""Generate a synthetic corpus of saved news articles for benchmarks.

    python bench/gen_corpus.py OUT N [--seed S]

The articles copy the three formats of the files in ``seeds/`` (front matter
with a clean HTML body, RSS dumps, scraped pages full of ad and watermark
noise) and are made of the seeds' own sentences, recombined, so that the
parser sees realistic text, markup and file sizes (about 8 KB on average).

Output is deterministic for a given seed: article ``i`` depends only on
``(seed, i)``. Pure standard library, so it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import html
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"

# Written into every corpus folder; its presence is what allows a later run to
# replace the folder's contents.
MARKER = ".gen_corpus"
GENERATOR_VERSION = 1

# Files and folders this script creates, so that regenerating removes only them.
FILE_NAME_RE = re.compile(r"\d{6}_[0-9a-f]{16}\.txt")
FOLDER_NAME_RE = re.compile(r"\d{4}-\d{2}")

KINDS = ("front-matter", "rss", "noisy")

# Front-matter outlets: (outlet, image host, sections it files under).
OUTLETS = [
    ("观察者网", "i.guancha.cn", ["头条", "首页", "国际"]),
    ("Aljazeera 半岛网", "www.aljazeera.net", ["新闻", "国际"]),
    ("中央社", "imgcdn.cna.com.tw", ["国际", "两岸", "要闻"]),
    ("联合早报", "www.zaobao.com.sg", ["国际", "中国", "即时"]),
    ("BBC 中文", "ichef.bbci.co.uk", ["国际", "中国"]),
    ("澎湃新闻", "imagecloud.thepaper.cn", ["要闻", "国际"]),
    ("财新", "img.caixin.com", ["国际", "经济"]),
]
CHANNELS = ["新媒体", "新媒体", "新媒体", "传统媒体"]

# RSS dumps are identified by the host of their link.
RSS_HOSTS = ["www.voachinese.com", "www.rfa.org", "www.dw.com", "cn.nytimes.com",
             "www.bbc.com", "www.rfi.fr"]

DATE_START = dt.datetime(2019, 1, 1, tzinfo=dt.timezone.utc)
DATE_END = dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc)  # exclusive
DATE_SPAN_S = int((DATE_END - DATE_START).total_seconds())

AD_BLOCK = """
                <!--广告画开始-->
</p><div><table height="280" cellspacing="0" cellpadding="0" width="336" align="left" border="0">
            <tbody><tr><td align="center">

<!-- news_page_336_280 -->
<ins class="adsbygoogle" style="display:inline-block;width:336px;height:280px" data-ad-client="ca-pub-9374326915974877" data-ad-slot="{slot}"></ins>

</td></tr>
        </tbody></table></div>
<!--广告画结束-->
"""
WATERMARK = '<font color="#F8F8F8">Mitbbs.com</font><br>'


# --------------------------------------------------------------------------
# Text pool taken from the seeds


@dataclass
class Pool:
    sentences: list[str]
    captions: list[str]
    headings: list[str]
    items: list[str]


def _plain(fragment: str) -> str:
    """Markup-free, whitespace-collapsed text of an HTML fragment."""
    text = re.sub(r"<[^>]+>", "", fragment)
    text = html.unescape(text).replace("Mitbbs.com", "")
    return re.sub(r"\s+", " ", text).strip()


def _has_cjk(text: str) -> bool:
    return re.search(r"[\u4e00-\u9fff]", text) is not None


def load_pool(seeds_dir: Path = SEEDS_DIR) -> Pool:
    sentences: list[str] = []
    captions: list[str] = []
    headings: list[str] = []
    items: list[str] = []
    for path in sorted(seeds_dir.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        body = raw.split("\n---\n", 1)[-1]
        for m in re.finditer(r'<span style="color:#666666;">(.*?)</span>|<small[^>]*>(.*?)</small>', body, re.S):
            captions.append(_plain(m.group(1) or m.group(2)))
        for m in re.finditer(r"<strong>(.*?)</strong>|<h3>(.*?)</h3>", body, re.S):
            headings.append(_plain(m.group(1) or m.group(2)))
        for m in re.finditer(r"<li>(.*?)</li>", body, re.S):
            items.append(_plain(m.group(1)))
        # Paragraph texts; the noisy seed closes its paragraphs loosely, so
        # cut at the next tag that starts a new block instead of at </p>.
        for m in re.finditer(r"<p[^>]*>(.*?)(?=<p[ >]|</p>|<div|</span>|<img)", body, re.S):
            text = _plain(m.group(1))
            if not _has_cjk(text) or "本文系" in text or text in captions:
                continue
            # A sentence ends at 。！？ plus any closing quote after it; a
            # trailing piece without one is a fragment (the noisy seed's
            # subheadings), kept apart so paragraphs never run into it.
            sentences.extend(re.findall(r"[^。！？]+[。！？]+[”’」]?", text))
            tail = re.sub(r"^.*[。！？][”’」]?", "", text)
            if len(tail) >= 4 and _has_cjk(tail):
                headings.append(tail)
    headings = list(dict.fromkeys(h.rstrip("，") for h in headings
                                  if _has_cjk(h) and "本文系" not in h and "【" not in h))
    sentences = [s for s in sentences if len(s) >= 6 and _has_cjk(s)]
    return Pool(sentences=sentences, captions=[c for c in captions if c],
                headings=headings, items=items)


# --------------------------------------------------------------------------
# One article


@dataclass
class Article:
    kind: str
    source: str
    date: dt.datetime
    title: str
    paragraphs: list[str]
    images: list[tuple[int, str, str]]  # (after paragraph index, url, caption)
    heading: tuple[int, str] | None  # (before paragraph index, text)
    items: tuple[int, list[str]] | None  # (after paragraph index, list items)


def _title(rng: random.Random, pool: Pool) -> str:
    """A headline: the leading clauses of a random sentence, 8-30 characters."""
    sentence = rng.choice(pool.sentences).rstrip("。！？”」 ")
    limit = rng.randint(14, 30)
    title = ""
    for clause in re.findall(r"[^，；：]+[，；：]?", sentence):
        if len(title) >= 8 and len(title) + len(clause) > limit:
            break
        title += clause
    return title[:30].rstrip("，；：、").replace("[", "【").replace("]", "】")


def _paragraph(rng: random.Random, pool: Pool) -> str:
    return "".join(rng.choice(pool.sentences) for _ in range(rng.choice((1, 2, 2, 2, 3, 3, 4))))


def _image_url(rng: random.Random, host: str, date: dt.datetime) -> str:
    stamp = date.strftime("%Y/%m/%d")
    return f"https://{host}/news/{stamp}/{date:%Y%m%d}{rng.getrandbits(40):012x}.jpg"


def make_article(seed: int, index: int, pool: Pool) -> Article:
    rng = random.Random(f"{seed}:{index}")  # str seeds hash the same on every run
    kind = KINDS[index % len(KINDS)]  # equal shares, independent of the rng
    date = DATE_START + dt.timedelta(seconds=rng.randrange(DATE_SPAN_S))
    if kind == "rss":
        source, image_host = rng.choice(RSS_HOSTS), "images.weserv.nl"
    elif kind == "noisy":
        source, image_host = "未名新闻", "www.mitbbs.com"
    else:
        source, image_host, _ = rng.choice(OUTLETS)
    paragraphs = [_paragraph(rng, pool) for _ in range(rng.randint(8, 25))]
    n = len(paragraphs)
    images = sorted((rng.randrange(n), _image_url(rng, image_host, date), rng.choice(pool.captions))
                    for _ in range(rng.randint(0, 4)))
    heading = (rng.randrange(1, n), rng.choice(pool.headings)) if rng.random() < 0.4 else None
    items = None
    if rng.random() < 0.25:
        items = (rng.randrange(n), [rng.choice(pool.items + pool.sentences[:40])
                                    for _ in range(rng.randint(2, 5))])
    return Article(kind, source, date, _title(rng, pool), paragraphs, images, heading, items)


# --------------------------------------------------------------------------
# Rendering, one function per seed format


def _rfc2822(date: dt.datetime) -> str:
    return email.utils.format_datetime(date, usegmt=True)


def _front_matter(a: Article, rng: random.Random, outlet: str, section: str) -> str:
    headimg = a.images[0][1] if a.images else f"https://picsum.photos/400/300?random={rng.randrange(10000)}"
    title = a.title.replace("'", "''")  # YAML single-quoted scalar
    return (f"\n---\ntitle: '{title}'\ncategories: \n - {rng.choice(CHANNELS)}\n - {outlet}\n - {section}\n"
            f"headimg: '{headimg}'\nauthor: {outlet}\ncomments: false\ndate: {_rfc2822(a.date)}\n"
            f"thumbnail: '{headimg}'\n---\n\n")


def render_front_matter(a: Article, rng: random.Random) -> str:
    outlet, host, sections = next(o for o in OUTLETS if o[0] == a.source)
    loose = rng.random() < 0.6  # guancha style: tags on their own lines
    p = (lambda s: f"<p>\n{s}\n</p>\n") if loose else (lambda s: f"<p>{s}</p>\n")
    out = [_front_matter(a, rng, outlet, rng.choice(sections)), "<div>   \n"]
    for i, text in enumerate(a.paragraphs):
        if a.heading and a.heading[0] == i:
            out.append(p(f"<strong>{a.heading[1]}</strong> ") if loose else f"<h3>{a.heading[1]}</h3>\n")
        if i == 1 and rng.random() < 0.3:
            text = f'{text[:10]}<a href="https://{host}/{rng.getrandbits(32):x}.html">{text[10:20]}</a>{text[20:]}'
        out.append(p(text))
        for where, url, caption in a.images:
            if where == i:
                out.append(f'<p align="center">\n<img src="{url}" title="点击查看大图" class="bigimg" '
                           f'width="530" referrerpolicy="no-referrer"> \n</p>\n'
                           f'<p align="center">\n<span style="color:#666666;">{caption}</span> \n</p>\n')
        if a.items and a.items[0] == i:
            out.append("<ul>\n" + "".join(f"<li>{t}</li>\n" for t in a.items[1]) + "</ul>\n")
    if outlet == "观察者网":
        out.append(p("<strong>本文系观察者网独家稿件，未经授权，不得转载。</strong> "))
    out.append("  \n</div>\n            \n")
    return "".join(out)


def render_rss(a: Article, rng: random.Random) -> str:
    fetched_ms = int(a.date.timestamp() * 1000) + rng.randrange(3 * 3600 * 1000)
    slug = f"{a.date:%Y%m%d}/{rng.randrange(10**7)}.html"
    out = [f"<!--{fetched_ms}-->\n[{a.title}](https://{a.source}/a/{slug})\n------\n\n",
           f"<div><i>{_rfc2822(a.date)}</i></div>"]
    for i, text in enumerate(a.paragraphs):
        if a.heading and a.heading[0] == i:
            out.append(f"<p><strong>{a.heading[1]}</strong></p>")
        out.append(f"<p>{text}</p>")
        for where, url, caption in a.images:
            if where == i:
                # Both image styles of the seed: bare, or with the caption as alt text too.
                if rng.random() < 0.5:
                    out.append(f'<img src="{url}" width="100%">')
                else:
                    out.append(f'<div ><img  src="{url}" alt="{caption}" border="0"/>')
                out.append(f'<div><small style="color: #999;">{caption}</small></div>')
        if a.items and a.items[0] == i:
            out.append("<ul>" + "".join(f"<li>{t}</li>" for t in a.items[1]) + "</ul>")
    out.append("\n")
    return "".join(out)


def render_noisy(a: Article, rng: random.Random) -> str:
    indent = '<p style="text-indent:2em">'
    span = '<span class="black_14p">'
    out = [_front_matter(a, rng, a.source, "分类"), "<div>   \n\n                \n                \n        ",
           span, indent, AD_BLOCK.format(slot=rng.randrange(10**10)), "\n            "]
    for i, text in enumerate(a.paragraphs):
        if a.heading and a.heading[0] == i:
            out.append(f"{indent}{a.heading[1]}{WATERMARK}</p><br>")  # headings are plain short paragraphs here
        # The first paragraph sits right after the ad block, in the <p> opened before it.
        out.append(f"{text}{WATERMARK}<p></p><br>" if i == 0 else f"{indent}{text}{WATERMARK}</p><br>")
        if a.items and a.items[0] == i:
            out.append("".join(f"{indent}{t}{WATERMARK}</p><br>" for t in a.items[1]))
        for where, url, _caption in a.images:
            if where == i:  # images come without captions, between empty paragraphs
                out.append(f'{indent}</p></span><img src="{url}" referrerpolicy="no-referrer">{span}{indent}</p><br>')
        if rng.random() < 0.1:
            out.append(f"{indent}</p><br><p></p><br>")
    out.append("\n            </p></span>\n                \n            \n          \n</div>\n            \n")
    return "".join(out)


RENDERERS = {"front-matter": render_front_matter, "rss": render_rss, "noisy": render_noisy}


# --------------------------------------------------------------------------
# Corpus


def _prepare(out: Path) -> None:
    """Create ``out``, or empty it if it holds an earlier corpus; refuse otherwise."""
    if out.exists() and not out.is_dir():
        raise SystemExit(f"gen_corpus: {out} exists and is not a folder")
    out.mkdir(parents=True, exist_ok=True)
    if not any(out.iterdir()):
        return
    if not (out / MARKER).is_file():
        raise SystemExit(f"gen_corpus: {out} is not empty and has no {MARKER} marker; "
                         "refusing to write into it")
    # Remove only what an earlier run wrote, so stray user files survive.
    for folder in out.iterdir():
        if folder.is_dir() and FOLDER_NAME_RE.fullmatch(folder.name):
            for f in folder.iterdir():
                if f.is_file() and FILE_NAME_RE.fullmatch(f.name):
                    f.unlink()
            if not any(folder.iterdir()):
                folder.rmdir()


def generate(out: Path, n: int, seed: int = 0) -> tuple[int, int]:
    """Write ``n`` articles into ``out``; return (files, total bytes)."""
    out = Path(out)
    _prepare(out)
    pool = load_pool()
    if not pool.sentences:
        raise SystemExit(f"gen_corpus: no sentences found in {SEEDS_DIR}")
    total = 0
    made: set[str] = set()
    for i in range(n):
        article = make_article(seed, i, pool)
        rng = random.Random(f"{seed}:{i}:render")
        text = RENDERERS[article.kind](article, rng)
        # One folder per month: ~200 files each for 10,000 articles.
        folder = f"{article.date:%Y-%m}"
        if folder not in made:
            (out / folder).mkdir(exist_ok=True)
            made.add(folder)
        data = text.encode("utf-8")
        (out / folder / f"{i:06d}_{rng.getrandbits(64):016x}.txt").write_bytes(data)
        total += len(data)
    (out / MARKER).write_text(f"version={GENERATOR_VERSION}\nn={n}\nseed={seed}\n", encoding="utf-8")
    return n, total


def read_marker(out: Path) -> dict[str, str]:
    """The settings an earlier run recorded in ``out``; empty if none."""
    try:
        lines = (Path(out) / MARKER).read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    return dict(line.split("=", 1) for line in lines if "=" in line)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write into (created if missing)")
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    args = parser.parse_args(argv)
    if args.n < 0:
        parser.error("N must be >= 0")
    start = time.perf_counter()
    files, total = generate(args.out, args.n, args.seed)
    seconds = time.perf_counter() - start
    print(f"gen_corpus: {files} files, {total / 1e6:.1f} MB, {seconds:.1f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
