"""Article text for gen_corpus: clauses recombined into plausible news prose.

The seeds' sentences are split into clauses at ，；：、 and their names and
numbers turned into slots; with the clause templates of bench/data/clauses.txt
they are filled once per process, with names from bench/data/names.tsv and
words swapped from bench/data/synonyms.txt, into a pool of clause variants. An
article then draws sentences from the pool (opening, middle and end clauses of
one topic) and puts its own main person, country, place and company into them.

Traditional text is converted character by character with bench/data/s2t.tsv
(made by bench/make_s2t.py from OpenCC's data). Pure standard library.
"""

from __future__ import annotations

import html
import random
import re
from bisect import bisect
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / "data"
SEEDS_DIR = BENCH_DIR.parent / "seeds"

POOL_SEED = "gen_corpus-pool-2"  # the pool is the same for every corpus seed
VARIANTS = 120  # filled variants of each clause template that has slots
SENTENCES = {"diplomacy": 40_000}  # sentences assembled per topic; the others:
OTHER_SENTENCES = 16_000
SEED_TOPIC = "diplomacy"
SEED_SHARE = 0.4  # of the articles
PARAGRAPH_SENTENCES = (1, 2, 2, 3, 3, 4)

# The article's own cast stands in the pool as these characters and is put in
# per article with str.replace: two people, three countries, a city abroad, a
# place at home and a company.
MAIN = {"P0": "\x01", "P1": "\x02", "C0": "\x03", "C1": "\x04", "C2": "\x05", "W0": "\x06",
        "L0": "\x07", "M0": "\x08"}
_SLOT = re.compile(r"\{(\w+)\}|\[([^\[\]]*\|[^\[\]]*)\]")
# A number (and what follows it: a day, a month), or a slot already put in.
_NUMBER = re.compile(r"\{\w+\}|(\d+)(?:\.\d+)?(?=([日月年]?))")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_QUOTE_PAIRS = ("“”", "‘’", "《》", "（）", "「」")


def _data_lines(name: str) -> list[str]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


# --------------------------------------------------------------------------
# Simplified to traditional


def load_s2t() -> dict[int, str]:
    table = {}
    for line in _data_lines("s2t.tsv"):
        simplified, traditional = line.split("\t")
        table[ord(simplified)] = traditional
    return table


# --------------------------------------------------------------------------
# What the seeds give


def _plain(fragment: str) -> str:
    """Markup-free, whitespace-collapsed text of an HTML fragment."""
    text = re.sub(r"<[^>]+>", "", fragment)
    text = html.unescape(text).replace("Mitbbs.com", "")
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class SeedText:
    sentences: list[str]
    captions: list[str]
    headings: list[str]
    items: list[str]


def read_seeds(seeds_dir: Path = SEEDS_DIR) -> SeedText:
    sentences: list[str] = []
    captions: list[str] = []
    headings: list[str] = []
    items: list[str] = []
    for path in sorted(seeds_dir.glob("*.txt")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        for m in re.finditer(r'<span style="color:#666666;">(.*?)</span>|<small[^>]*>(.*?)</small>', body, re.S):
            captions.append(_plain(m.group(1) or m.group(2)))
        for m in re.finditer(r"<strong>(.*?)</strong>|<h3>(.*?)</h3>", body, re.S):
            headings.append(_plain(m.group(1) or m.group(2)))
        for m in re.finditer(r"<li>(.*?)</li>", body, re.S):
            items.append(_plain(m.group(1)))
        # The noisy seed closes its paragraphs loosely: cut at the next block.
        for m in re.finditer(r"<p[^>]*>(.*?)(?=<p[ >]|</p>|<div|</span>|<img)", body, re.S):
            text = _plain(m.group(1))
            if not _CJK.search(text) or "本文系" in text or text in captions:
                continue
            sentences.extend(re.findall(r"[^。！？]+[。！？]+[”’」]?", text))
    headings = [h.rstrip("，") for h in dict.fromkeys(headings)
                if _CJK.search(h) and "本文系" not in h and "【" not in h]
    return SeedText([s for s in sentences if len(s) >= 6], [c for c in captions if c], headings, items)


def balanced(text: str) -> str:
    """The text without the quote marks and brackets it does not close."""
    for pair in _QUOTE_PAIRS:
        if text.count(pair[0]) != text.count(pair[1]) or text.find(pair[1]) < text.find(pair[0]):
            text = text.replace(pair[0], "").replace(pair[1], "")
    return text


def split_clauses(sentence: str) -> list[str]:
    """A sentence's clauses, cut at ，；：、; pieces under 6 characters join the next."""
    sentence = re.sub(r"【[^】]*】", "", sentence).strip()
    sentence = re.sub(r"[。！？…”’」.]+$", "", sentence)
    pieces = re.split(r"(?<=[，；：、])", sentence)
    clauses: list[str] = []
    carry = ""
    for piece in pieces:
        carry += piece
        if len(carry) >= 6:
            clauses.append(carry)
            carry = ""
    if carry:
        if clauses:
            clauses[-1] += carry
        else:
            clauses.append(carry)
    return [balanced(c.rstrip("，；：、 ")) for c in clauses if _CJK.search(c)]


# --------------------------------------------------------------------------
# Names


@dataclass
class Names:
    by_kind: dict[str, list[tuple[str, str]]]  # kind -> [(chinese, latin)]

    def chinese(self, kind: str) -> list[str]:
        return [name for name, _ in self.by_kind[kind]]


def load_names() -> Names:
    by_kind: dict[str, list[tuple[str, str]]] = {}
    for line in _data_lines("names.tsv"):
        kind, name, *latin = line.split("\t")
        by_kind.setdefault(kind, []).append((name, latin[0] if latin else ""))
    return Names(by_kind)


# Seed spellings that names.tsv does not list, and the slot each becomes; the
# seeds' two sides become the article's cast, so that its text keeps who is who.
_SEED_ALIASES = {
    "P": ["马克·米利", "扎鲁兹尼"],
    "F": ["“今日俄罗斯”", "俄塔社", "俄罗斯卫星社", "美国有线电视新闻网CNN"],
    "C0": ["美国"], "C1": ["俄罗斯"], "C2": ["乌克兰"], "W0": ["日内瓦"],
    "P0": ["拜登", "布林肯", "安东尼·布林肯", "舍曼", "谢尔曼", "温迪·谢尔曼"],
    "P1": ["普京", "拉夫罗夫", "里亚布科夫", "谢尔盖·里亚布科夫", "谢尔盖· 里亚布科夫"],
}
_SLOT_OF_KIND = {"country": "C", "city": "W", "person": "P", "media": "F"}


def slot_pattern(names: Names) -> tuple[re.Pattern, dict[str, str]]:
    """One regex for every name a seed clause may hold, and the slot of each."""
    slot_of: dict[str, str] = {}
    for kind, slot in _SLOT_OF_KIND.items():
        for name in names.chinese(kind):
            slot_of[name] = slot
    for slot, aliases in _SEED_ALIASES.items():
        for alias in aliases:
            slot_of[alias] = slot  # after names.tsv: the seeds' cast wins
    # Organisations stay: 北约 is what the seeds are about. Longest names first,
    # so that 美国国务院 is not read as 美国.
    for name in names.chinese("org") + names.chinese("company"):
        slot_of.setdefault(name, "")
    alternatives = sorted(slot_of, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, alternatives))), slot_of


def _number_slot(match: re.Match) -> str:
    if match.group(1) is None:
        return match.group(0)  # a slot
    unit = match.group(2)
    if unit == "日" or unit == "月":
        return "{day}" if unit == "日" else "{month}"
    return "{n%d}" % len(match.group(1))


def templates_from_seeds(seeds: SeedText, names: Names) -> list[tuple[str, str, str]]:
    """(topic, position, template) for every clause of the seeds."""
    pattern, slot_of = slot_pattern(names)

    def slot(match: re.Match) -> str:
        kind = slot_of[match.group(0)]
        return "{%s}" % kind if kind else match.group(0)

    out = []
    for sentence in seeds.sentences:
        clauses = split_clauses(sentence)
        for index, clause in enumerate(clauses):
            clause = re.sub(r"（[A-Za-z][A-Za-z .,'-]*）", "", clause)  # Latin is added back per name
            clause = pattern.sub(slot, clause)
            clause = _NUMBER.sub(_number_slot, clause)
            position = "e" if index == len(clauses) - 1 else ("o" if index == 0 else "m")
            out.append((SEED_TOPIC, position, clause))
    return out


# --------------------------------------------------------------------------
# The pool of filled clauses


def _number(rng: random.Random, digits: int) -> str:
    if digits == 4:
        return str(rng.randint(2000, 2025))
    if digits <= 1:
        return str(rng.randint(2, 9))
    return str(rng.randint(10 ** (digits - 1), 10 ** digits - 1))


class Filler:
    """Fills a template's slots: random names and numbers, or the article's own."""

    def __init__(self, names: Names, rng: random.Random) -> None:
        self.rng = rng
        self.names = names
        self.given = names.chinese("given")
        self.surnames = names.chinese("surname")

    def person_cn(self) -> str:
        return self.rng.choice(self.surnames) + self.rng.choice(self.given)

    def value(self, key: str) -> str:
        rng = self.rng
        if key in MAIN:
            return MAIN[key]
        if key == "P":
            name, latin = rng.choice(self.names.by_kind["person"])
            return f"{name}（{latin}）" if latin and rng.random() < 0.15 else name
        simple = {"C": "country", "W": "city", "L": "place", "O": "org", "M": "company", "F": "media"}
        if key in simple:
            return rng.choice(self.names.by_kind[simple[key]])[0]
        if key == "R":
            return self.person_cn()
        if key == "N":
            return str(rng.choice((rng.randint(2, 12), rng.randint(2, 99), rng.randint(10, 999))))
        if key == "S":
            return str(rng.randint(2, 12))
        if key == "X":
            return f"{rng.randint(2, 8)}.{rng.randint(0, 9)}"
        if key == "A":
            return str(rng.randint(19, 78))
        if key == "day":
            return str(rng.randint(1, 28))
        if key == "month":
            return str(rng.randint(1, 12))
        if key == "K":
            unit = rng.choice(("万元", "亿元", "亿美元", "万美元", "亿港元", "亿新台币", "万欧元"))
            return f"{rng.randint(1, 999)}{'.' + str(rng.randint(1, 9)) if rng.random() < 0.4 else ''}{unit}"
        if key == "Q":
            return f"{rng.randint(0, 60)}.{rng.randint(0, 9)}%" if rng.random() < 0.8 else f"{rng.randint(1, 9)}个百分点"
        if key == "D":
            return f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日" if rng.random() < 0.7 else f"{rng.randint(1, 28)}日"
        if key == "H":
            return rng.choice(("当地时间", "北京时间", "", "")) + f"{rng.randint(1, 28)}日" + rng.choice(("上午", "下午", "晚间", "凌晨"))
        if key == "Y":
            return f"{rng.randint(2008, 2026)}年"
        if key.startswith("n"):
            return _number(rng, int(key[1:]))
        raise KeyError(key)

    def fill(self, template: str) -> str:
        def one(match: re.Match) -> str:
            if match.group(1):
                return self.value(match.group(1))
            return self.fill(self.rng.choice(match.group(2).split("|")))  # may hold slots
        return _SLOT.sub(one, template)


def _swapper(rng: random.Random):
    groups = [line.split() for line in _data_lines("synonyms.txt")]
    group_of = {word: group for group in groups for word in group}
    pattern = re.compile("|".join(map(re.escape, sorted(group_of, key=len, reverse=True))))

    def swap(text: str) -> str:
        return pattern.sub(lambda m: rng.choice(group_of[m.group(0)]) if rng.random() < 0.6 else m.group(0), text)
    return swap


@dataclass
class Pool:
    clauses: dict[str, dict[str, list[str]]]  # topic -> position -> filled clauses
    sentences: dict[str, list[str]]  # topic -> sentences made of its clauses
    mean_length: dict[str, float]  # topic -> characters per sentence
    topics: list[str]
    captions: list[str]
    headings: dict[str, list[str]]  # topic -> short lines for subheadings and list items
    english: list[str]
    filler: Filler
    s2t: dict[int, str]
    topic_weights: list[float]  # cumulative, by topic: the seeds' topic first, the rest by templates


def build_pool(seeds_dir: Path = SEEDS_DIR) -> Pool:
    rng = random.Random(POOL_SEED)
    names = load_names()
    seeds = read_seeds(seeds_dir)
    filler = Filler(names, rng)
    swap = _swapper(rng)
    templates = templates_from_seeds(seeds, names)
    templates += [tuple(line.split("\t")) for line in _data_lines("clauses.txt")]
    clauses: dict[str, dict[str, list[str]]] = {}
    for topic, position, template in templates:
        variable = "{" in template or "[" in template
        bucket = clauses.setdefault(topic, {"o": [], "m": [], "e": []})[position]
        for _ in range(VARIANTS if variable or topic == SEED_TOPIC else 3):
            text = filler.fill(template)
            bucket.append(swap(text))
    captions = list(seeds.captions)
    for _ in range(4000):
        captions.append(filler.fill(rng.choice(_CAPTIONS)))
    headings = {topic: [c for c in clauses[topic]["e"] + clauses[topic]["m"] if 6 <= len(c) <= 18]
                for topic in clauses}
    headings[SEED_TOPIC] += seeds.headings
    latin = LatinFiller(names, rng)
    english = [latin.fill(line) for line in _data_lines("english.txt") for _ in range(30)]
    sentences = {}
    for topic in sorted(clauses):
        sentences[topic] = [_sentence(clauses, topic, rng, filler) for _ in range(SENTENCES.get(topic, OTHER_SENTENCES))]
    mean_length = {topic: sum(map(len, made)) / len(made) for topic, made in sentences.items()}
    topics = sorted(clauses)
    # The seeds' topic is the most varied (hundreds of clauses), so it gets the
    # most articles; the others share the rest by how many templates they have.
    per_topic = Counter(topic for topic, _, _ in templates if topic != SEED_TOPIC)
    weights = [SEED_SHARE if t == SEED_TOPIC else (1 - SEED_SHARE) * per_topic[t] / sum(per_topic.values())
               for t in topics]
    return Pool(clauses, sentences, mean_length, topics, captions, headings, english, Filler(names, rng),
                load_s2t(), list(accumulate(weights)))


def _sentence(clauses: dict[str, dict[str, list[str]]], topic: str, rng: random.Random, filler: Filler) -> str:
    """An opening clause (mostly), up to two middle ones and an end; sometimes a quote."""
    parts = clauses[topic]
    chosen = [rng.choice(parts["o"])] if parts["o"] and rng.random() < 0.7 else []
    chosen += rng.sample(parts["m"], k=rng.choice((0, 1, 1, 2))) if parts["m"] else []
    # An end clause closes most sentences; a middle one may too.
    chosen.append(rng.choice(parts["e"] if not chosen or rng.random() < 0.6 else parts["m"]))
    text = "，".join(chosen) if rng.random() < 0.9 else "；".join(chosen)
    roll = rng.random()
    if roll < 0.06:
        return f"{filler.person_cn()}{rng.choice(('表示', '指出', '告诉记者', '说'))}：“{text}。”"
    if roll < 0.09:
        return f"“{text}，”{rng.choice(('他', '她', MAIN['P0']))}说。"
    return text + ("。" if roll < 0.98 else rng.choice("！？"))


_CAPTIONS = (
    "图为{L}街头（{D}）", "{R}摄", "资料图片：{P}在{W}出席活动", "{W}的一处[港口|工地|市场|车站]（{F}）",
    "{D}，{R}在{L}接受采访", "[示意图|资料图]（图源：{F}）", "{M}位于{L}的[总部|工厂|门店]",
    "{P}（左）与{P}（右）[握手|会面]", "[救援人员|志愿者|民警]在{L}现场工作（{R}摄）", "{Y}{D}，{W}街头的民众",
)


class LatinFiller:
    """Fills the English templates, with the Latin spelling of each name."""

    _KINDS = {"C": "country", "W": "city", "P": "person", "O": "org", "M": "company"}

    def __init__(self, names: Names, rng: random.Random) -> None:
        self.rng = rng
        self.latin = {slot: [latin for _, latin in names.by_kind[kind] if latin] for slot, kind in self._KINDS.items()}

    def fill(self, template: str) -> str:
        rng = self.rng

        def one(match: re.Match) -> str:
            key = match.group(1)
            if key in self.latin:
                return rng.choice(self.latin[key])
            return {"N": str(rng.randint(12, 4000)), "S": str(rng.randint(2, 12)),
                    "Y": str(rng.randint(2008, 2026))}[key]
        return _SLOT.sub(one, template)


# --------------------------------------------------------------------------
# One article's text


class Cast:
    """The article's own people, countries, city, place and company (see MAIN)."""

    def __init__(self, names: Names, rng: random.Random) -> None:
        by_kind = names.by_kind
        self.people = rng.sample(by_kind["person"], 2)
        countries = rng.sample(by_kind["country"], 3)
        self.values = {
            MAIN["C0"]: countries[0][0], MAIN["C1"]: countries[1][0], MAIN["C2"]: countries[2][0],
            MAIN["W0"]: rng.choice(by_kind["city"])[0], MAIN["L0"]: rng.choice(by_kind["place"])[0],
            MAIN["M0"]: rng.choice(by_kind["company"])[0],
        }

    @property
    def person(self) -> str:
        return self.people[0][0]

    def put_in(self, text: str) -> str:
        for key, (name, latin) in zip(("P0", "P1"), self.people):
            mark = MAIN[key]
            if mark in text:  # the Latin spelling once, at the first mention
                first = f"{name}（{latin}）" if latin else name
                text = text.replace(mark, first, 1).replace(mark, name)
        for mark, name in self.values.items():
            text = text.replace(mark, name)
        return text


class Writer:
    """Sentences, paragraphs and titles for one article, drawn with its own rng."""

    def __init__(self, pool: Pool, rng: random.Random, topic: str | None = None) -> None:
        self.pool = pool
        self.rng = rng
        weights = pool.topic_weights
        self.topic = topic or pool.topics[bisect(weights, rng.random() * weights[-1])]
        self.cast = Cast(pool.filler.names, rng)

    def sentence(self) -> str:
        return self.rng.choice(self.pool.sentences[self.topic])

    def paragraphs(self, characters: int) -> list[str]:
        """Paragraphs of one to four sentences, about ``characters`` characters in all."""
        rng = self.rng
        pool = self.pool
        count = max(1, round(characters / pool.mean_length[self.topic]))
        chosen = rng.choices(pool.sentences[self.topic], k=count)
        if self.topic != SEED_TOPIC:  # a sentence in ten on the news of the day
            for _ in range(count // 10):
                chosen[int(rng.random() * count)] = rng.choice(pool.sentences[SEED_TOPIC])
        out = []
        start = 0
        sizes = PARAGRAPH_SENTENCES
        while start < count:
            size = sizes[int(rng.random() * len(sizes))]
            out.append("".join(chosen[start:start + size]))
            start += size
        return out

    def title(self) -> str:
        rng = self.rng
        parts = self.pool.clauses[self.topic]
        clause = rng.choice(parts["e"] if rng.random() < 0.5 else parts["m"] or parts["e"])
        while len(clause) < 8:
            clause = rng.choice(parts["m"] or parts["e"]) + "，" + clause
        clause = re.sub(r"（[A-Za-z][^）]*）", "", clause)  # no Latin in titles, nor cut in the middle of it
        clause = re.sub(r"^(?:而|但|并|也|还|且|以及|包括|其中|同时)", "", clause[:34]).rstrip("，；：、 ")
        roll = rng.random()
        if roll < 0.15:
            clause = f"{MAIN['L0']}：{clause}"
        elif roll < 0.25:
            clause = f"{MAIN['P0']}：“{clause}”"
        elif roll < 0.32:
            clause = rng.choice(("快讯｜", "独家｜", "深度｜", "视频｜", "【观察】", "【国际】")) + clause
        title = balanced(clause).replace("[", "【").replace("]", "】")
        return self.cast.put_in(title.replace(MAIN["P0"], self.cast.person))

    def person(self) -> str:
        """A Chinese name: a reporter, an author, a commenter."""
        filler = self.pool.filler
        return self.rng.choice(filler.surnames) + self.rng.choice(filler.given)

    def caption(self) -> str:
        return self.rng.choice(self.pool.captions)

    def heading(self) -> str:
        return self.rng.choice(self.pool.headings[self.topic])

    def english(self) -> str:
        return " ".join(self.rng.choices(self.pool.english, k=self.rng.randint(1, 3)))

    def finish(self, text: str, traditional: bool) -> str:
        """Put the cast in; convert to traditional characters if asked."""
        text = self.cast.put_in(text)
        return text.translate(self.pool.s2t) if traditional else text
