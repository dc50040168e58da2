"""Who published an article, when, and where gen_corpus files it.

Outlets come from bench/data/sources.tsv, biggest first within each kind of file,
and a long tail of accounts, blogs and feeds is made from the names in
bench/data/names.tsv; within a kind an outlet is drawn with Zipf-like weights,
so a few outlets have thousands of articles and most a handful. Each outlet
keeps one folder layout, one file-name style and one way of writing dates, as a
real archive's sources do.

File names end in a 16-hex-digit token whose last six digits check the rest of
the name, so that a later run removes only the files an earlier one wrote.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from bisect import bisect
from dataclasses import dataclass, field
from itertools import accumulate

from corpus_text import Names, _data_lines

KINDS = ("fm", "fmrss", "rss", "noisy", "md", "txt", "html", "page")
SHARES = {"fm": 0.40, "fmrss": 0.20, "rss": 0.12, "noisy": 0.04, "md": 0.10, "txt": 0.06, "html": 0.04,
          "page": 0.04}
PAGE_KINDS = {"page": 0.82, "wechat": 0.10, "drupal": 0.08}  # shares within whole pages
TRADITIONAL = 0.26  # of every kind but noisy: a quarter of the corpus
ZIPF = 1.2

# A standard line that closes every article of some outlets.
FOOTERS = {
    "观察者网": "本文系观察者网独家稿件，未经授权，不得转载。",
    "澎湃新闻": "澎湃新闻，未经授权不得转载。",
    "财新": "版权声明：财新网所刊载内容之知识产权为财新传媒及/或相关权利人专属所有或持有。未经许可，禁止进行转载、摘编、复制及建立镜像等任何使用。",
    "中央社": "本網站之文字、圖片及影音，非經授權，不得轉載、公開播送或公開傳輸及利用。",
    "明報": "明報新聞網版權所有，不得轉載。",
    "美国之音": "美国之音中文网版权所有。",
    "大紀元": "大紀元版權所有，任何形式轉載需經本報同意並註明出處。",
    "德国之声": "© 德国之声 版权声明：本文所有内容受到著作权法保护，如无德国之声特别授权，不得擅自使用。",
}
# The line some outlets open with: {R} a reporter, {L} a place, {D} a date.
BYLINES = {
    "观察者网": "【文/观察者网 {R}】", "中央社": "（中央社記者{R}{L}{D}電）", "明報": "【明報專訊】",
    "人民日报": "本报记者 {R}", "新京报": "新京报记者 {R} 编辑 {R}", "自由時報": "〔記者{R}／{L}報導〕",
    "联合早报": "（{L}综合讯）", "端傳媒": "端傳媒記者 {R} 發自{L}",
}

LAYOUTS = ("source/year/month", "source/year-month", "channel/source/year/month", "source",
           "year-month", "source/year")
SMALL_LAYOUTS = ("source", "source", "source/year", "year-month")
NAME_STYLES = ("seq", "date", "title", "dateslug")
DATE_STYLES = ("rfc2822", "rfc2822", "rfc2822", "rfc2822", "iso-offset", "iso-offset", "local", "cn",
               "epoch-ms", "iso-z")
CHANNELS = ("新媒体", "新媒体", "新媒体", "传统媒体")
CHANNELS_T = ("新媒體", "新媒體", "新媒體", "傳統媒體")


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


@dataclass
class Source:
    name: str
    script: str  # "s" or "t"
    kind: str
    host: str
    sections: list[str]
    layout: str = ""
    name_style: str = ""
    date_style: str = ""
    extension: str = ".txt"
    channel: str = "新媒体"
    zone: dt.timezone = dt.timezone(dt.timedelta(hours=8))
    footer: str = ""
    byline: str = ""
    links: bool = False  # writes its url into the front matter
    extra: dict[str, str] = field(default_factory=dict)

    def settle(self, rank: int) -> None:
        """The outlet's habits, fixed by its name: the same in every corpus."""
        h = _hash(f"{self.kind}|{self.name}")
        # Big outlets get any layout, deep ones included; small ones a folder or two.
        self.layout = LAYOUTS[h % len(LAYOUTS)] if rank < 12 else SMALL_LAYOUTS[h % len(SMALL_LAYOUTS)]
        if rank == 0 and self.kind in ("fm", "rss", "fmrss"):
            self.layout = "source"  # the biggest outlets: flat folders of thousands of files
        if rank == 1 and self.kind == "fm":
            self.layout = "channel/source/year/month/day"  # and one as deep as an archive gets
        if self.kind in ("txt", "html"):
            self.layout = ("source", "source/year-month")[h % 2]  # the folder names the source
        self.name_style = NAME_STYLES[(h >> 8) % len(NAME_STYLES)]
        self.date_style = DATE_STYLES[(h >> 16) % len(DATE_STYLES)]
        self.channel = (CHANNELS if self.script == "s" else CHANNELS_T)[(h >> 24) % len(CHANNELS)]
        self.links = (h >> 28) % 3 == 0
        self.extension = {
            "fm": (".txt", ".md")[(h >> 32) % 2], "fmrss": (".txt", ".md")[(h >> 32) % 2],
            "rss": (".txt", ".md")[(h >> 32) % 2], "noisy": ".txt", "md": (".md", ".md", ".markdown")[(h >> 32) % 3],
            "txt": ".txt", "html": (".html", ".htm")[(h >> 32) % 2],
        }.get(self.kind, ".html")
        if self.kind == "rss" or self.host.endswith((".com", ".org", ".fr")) and self.script == "s" and (h >> 36) % 2:
            self.zone = dt.timezone.utc
        if self.kind == "txt" and (h >> 40) % 4 == 0:
            self.extra["crlf"] = "yes"  # clippings saved on Windows
        self.footer = FOOTERS.get(self.name, "")
        self.byline = BYLINES.get(self.name, "")


def _tail(kind: str, script: str, names: Names, count: int) -> list[Source]:
    """The long tail of a kind: small outlets, accounts, blogs and feeds."""
    rng = random.Random(f"gen_corpus-sources|{kind}|{script}")
    places = names.chinese("place")
    latin_places = [latin.lower().replace(" ", "").replace("'", "") for _, latin in names.by_kind["place"]]
    surnames, given = names.chinese("surname"), names.chinese("given")
    made: dict[str, Source] = {}
    while len(made) < count:
        i = rng.randrange(len(places))
        place, slug = places[i], latin_places[i]
        person = rng.choice(surnames) + rng.choice(given)
        if kind == "rss":
            host = rng.choice((f"news.{slug}.com", f"www.{slug}daily.com", f"{slug}.blog", f"rss.{slug}.net",
                               f"www.{slug}-times.com", f"feeds.{slug}.org"))
            made[host] = Source(host, script, kind, host, [])
            continue
        if kind == "md":
            name = rng.choice((f"{person}的博客", f"{person}的专栏", f"{person}", f"{slug}.substack.com",
                               f"{person}的自留地", f"{place}笔记"))
        elif kind in ("txt", "html"):
            name = rng.choice((f"{person}的剪报", f"{place}资料", f"{person}", f"{slug}-clips"))
        elif kind == "wechat":
            name = rng.choice((f"{place}发布", f"{place}观察", f"{place}日报", f"{person}说", f"{place}财经",
                               f"{place}头条", f"{person}的读书笔记", f"{place}研究院"))
        elif kind == "drupal":
            latin = names.by_kind["place"][i][1]
            name = rng.choice((f"{place}华人网", f"{place}华人社区", f"{latin} Chinese", f"{place}同乡会"))
        else:
            name = rng.choice((f"{place}日报", f"{place}晚报", f"{place}新闻网", f"{place}发布", f"{place}广播电视台",
                               f"{place}商报", f"{place}都市报", f"{place}在线"))
        host = f"www.{slug}{rng.choice(('news', 'daily', 'online', ''))}.{rng.choice(('com', 'cn', 'net', 'org'))}"
        made[name] = Source(name, script, kind, host, ["要闻", "本地", "国际", "社会"][: rng.randint(1, 4)])
    return list(made.values())


TAIL_SIZES = {("fm", "s"): 260, ("fm", "t"): 90, ("fmrss", "s"): 40, ("fmrss", "t"): 20, ("rss", "s"): 120,
              ("rss", "t"): 40, ("noisy", "s"): 6, ("md", "s"): 90, ("md", "t"): 35, ("txt", "s"): 20,
              ("txt", "t"): 8, ("html", "s"): 25, ("html", "t"): 10, ("page", "s"): 70, ("page", "t"): 30,
              ("wechat", "s"): 130, ("wechat", "t"): 10, ("drupal", "s"): 8, ("drupal", "t"): 3}


class Sources:
    """Every outlet, grouped by (kind, script), with cumulative Zipf weights."""

    def __init__(self, names: Names, to_traditional: dict[int, str]) -> None:
        groups: dict[tuple[str, str], list[Source]] = {}
        for line in _data_lines("sources.tsv"):
            name, script, kinds, host, sections = (line.split("\t") + [""] * 5)[:5]
            for kind in kinds.split(","):
                groups.setdefault((kind, script), []).append(
                    Source(name, script, kind, host, [s for s in sections.split(",") if s]))
        for (kind, script), count in TAIL_SIZES.items():
            tail = _tail(kind, script, names, count)
            if script == "t":
                for source in tail:
                    source.name = source.name.translate(to_traditional)
                    source.sections = [s.translate(to_traditional) for s in source.sections]
            known = {s.name for s in groups.get((kind, script), [])}
            groups.setdefault((kind, script), []).extend(s for s in tail if s.name not in known)
        self.groups = groups
        self.weights: dict[tuple[str, str], list[float]] = {}
        for key, members in groups.items():
            for rank, source in enumerate(members):
                source.settle(rank)
                if key[0] == "wechat":
                    source.host = "mp.weixin.qq.com"
            self.weights[key] = list(accumulate(1 / (rank + 2) ** ZIPF for rank in range(len(members))))

    def pick(self, kind: str, script: str, rng: random.Random) -> Source:
        key = (kind, script) if (kind, script) in self.groups else (kind, "s")
        cumulative = self.weights[key]
        return self.groups[key][bisect(cumulative, rng.random() * cumulative[-1])]

    def count(self) -> int:
        return len({source.name for members in self.groups.values() for source in members})


# --------------------------------------------------------------------------
# Dates

FIRST_YEAR, LAST_DAY = 2008, dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc)
_YEARS = list(range(FIRST_YEAR, LAST_DAY.year + 1))
_YEAR_WEIGHTS = list(accumulate(1.22 ** (year - FIRST_YEAR) for year in _YEARS))


def draw_date(rng: random.Random) -> dt.datetime:
    """A publication time: 2008 to 2026, more of them in recent years."""
    year = _YEARS[bisect(_YEAR_WEIGHTS, rng.random() * _YEAR_WEIGHTS[-1])]
    start = dt.datetime(year, 1, 1, tzinfo=dt.timezone.utc)
    end = min(dt.datetime(year + 1, 1, 1, tzinfo=dt.timezone.utc), LAST_DAY)
    return start + dt.timedelta(seconds=rng.randrange(int((end - start).total_seconds())))


def _rfc2822(date: dt.datetime) -> str:
    days = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    utc = date.astimezone(dt.timezone.utc)
    return f"{days[utc.weekday()]}, {utc.day:02d} {months[utc.month - 1]} {utc.year} {utc:%H:%M:%S} GMT"


def format_date(date: dt.datetime, style: str, zone: dt.timezone) -> tuple[str, dt.datetime]:
    """The date as the style writes it, and the time a reader should get back from it.

    Times without an offset read as UTC, and a date alone as midnight UTC.
    """
    local = date.astimezone(zone)
    if style == "iso-offset":
        return local.isoformat(), local
    if style == "iso-z":
        utc = date.astimezone(dt.timezone.utc)
        return utc.strftime("%Y-%m-%dT%H:%M:%SZ"), utc
    if style == "local":
        return local.strftime("%Y-%m-%d %H:%M:%S"), local.replace(tzinfo=dt.timezone.utc)
    if style == "cn":
        return f"{local.year}年{local.month}月{local.day}日", dt.datetime(local.year, local.month, local.day,
                                                                     tzinfo=dt.timezone.utc)
    if style == "epoch-ms":
        return str(int(date.timestamp()) * 1000), date.astimezone(dt.timezone.utc)
    return _rfc2822(date), date.astimezone(dt.timezone.utc)


rfc2822 = _rfc2822


# --------------------------------------------------------------------------
# Where the file goes

_TOKEN = re.compile(r"(?P<visible>.*)[_-](?P<token>[0-9a-f]{16})(?P<ext>\.(?:txt|md|markdown|html|htm))")
_UNSAFE = re.compile(r"[\\/:*?\"<>|\s\x00-\x1f\u3000“”‘’「」《》，。！？、；：（）【】…·]+")


def _check(visible: str, serial: str, extension: str) -> str:
    return hashlib.blake2b(f"gen_corpus|{visible}|{serial}|{extension}".encode("utf-8"), digest_size=3).hexdigest()


def file_name(visible: str, index: int, rng: random.Random, extension: str, separator: str = "_") -> str:
    """``visible`` then a token: six digits of the index, four random, six that check the rest."""
    serial = f"{index & 0xFFFFFF:06x}{rng.getrandbits(16):04x}"
    return f"{visible}{separator}{serial}{_check(visible, serial, extension)}{extension}"


def is_generated_name(name: str) -> bool:
    match = _TOKEN.fullmatch(name)
    if match is None:
        return False
    token = match.group("token")
    return _check(match.group("visible"), token[:10], match.group("ext")) == token[10:]


def safe_folder(name: str) -> str:
    name = _UNSAFE.sub(" ", name).strip(" .") or "unknown"
    return name[:60]


def folder_of(source: Source, date: dt.datetime) -> str:
    """The folder an outlet files an article of that date in, with '/' separators."""
    local = date.astimezone(source.zone)
    name = safe_folder(source.name)
    return {
        "source/year/month": f"{name}/{local:%Y}/{local:%m}",
        "source/year-month": f"{name}/{local:%Y-%m}",
        "channel/source/year/month": f"{source.channel}/{name}/{local:%Y/%m}",
        "channel/source/year/month/day": f"{source.channel}/{name}/{local:%Y/%m/%d}",
        "source": name,
        "year-month": f"{local:%Y-%m}",
        "source/year": f"{name}/{local:%Y}",
    }[source.layout]


def visible_name(style: str, local: dt.datetime, index: int, title: str) -> str:
    if style == "seq":
        return f"{index:06d}"
    if style == "date":
        return f"{local:%Y%m%d}"
    if style == "title":
        return _UNSAFE.sub("_", title).strip("_.")[:24] or f"{local:%Y%m%d}"
    return f"{local:%Y-%m-%d}"


COPY_FOLDERS = ("收藏/{year}", "inbox", "backup-{date}", "未分类", "待读/{year}-{month}", "saved pages")


def copy_folder(date: dt.datetime, rng: random.Random) -> str:
    saved = date + dt.timedelta(days=rng.randint(0, 400))
    return rng.choice(COPY_FOLDERS).format(year=f"{saved:%Y}", month=f"{saved:%m}", date=f"{saved:%Y%m%d}")
