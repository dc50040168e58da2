"""A folder of everything that goes wrong in real archives, next to good copies of the seeds.

`build(folder)` writes it and returns what a reader must make of each file:
GOOD (title expected), PROBLEM (reason expected to contain a word), or
READ (an article with problems recorded, title expected).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reader.model import Article, BlockKind

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

MARKUP = "[bold red]红[/] [link=file:///etc/passwd]点我[/link] [/foo]"
ESCAPES = "前\x1b[31m红\x1b[0m\x1b]52;c;ZXZpbA==\x07\x07\x00\x08\u202e后"


@dataclass(frozen=True)
class Expect:
    kind: str  # "good", "problem", "read"
    title: str = ""  # for good and read
    reason: str = ""  # a word the problem's reason contains


def _front(title: str, body: str = "<p>正文。</p>", extra: str = "") -> str:
    return f"---\ntitle: '{title}'\ndate: 2022-01-10 08:00\n{extra}---\n{body}\n"


def build(folder: Path) -> dict[str, Expect]:
    folder.mkdir(parents=True, exist_ok=True)
    expect: dict[str, Expect] = {}

    def write(name: str, data: bytes | str, outcome: Expect) -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        expect[name] = outcome

    from reader.parse.load import load_article

    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
        expect[seed.name] = Expect("good", load_article(seed).title)

    # Encodings: each must show its real Chinese title.
    text = _front("中文标题：编码测试", "<p>美国副国务卿在日内瓦与俄罗斯副外长会晤。</p>")
    write("enc-utf8-bom.md", b"\xef\xbb\xbf" + text.encode("utf-8"), Expect("good", "中文标题：编码测试"))
    write("enc-utf16le.md", b"\xff\xfe" + text.encode("utf-16-le"), Expect("good", "中文标题：编码测试"))
    write("enc-utf16be.md", b"\xfe\xff" + text.encode("utf-16-be"), Expect("good", "中文标题：编码测试"))
    write("enc-gbk.md", text.encode("gbk"), Expect("good", "中文标题：编码测试"))
    traditional = _front("美國與俄羅斯舉行會談", "<p>美國副國務卿在日內瓦與俄羅斯副外長舉行會談，雙方立場相差甚遠。</p>")
    write("enc-big5.md", traditional.encode("big5"), Expect("good", "美國與俄羅斯舉行會談"))
    write("enc-gb18030.html", "<html><head><meta charset='gb18030'><title>网页标题</title></head><body><p>中文正文内容在这里。</p></body></html>".encode("gb18030"), Expect("good", "网页标题"))
    write("enc-unknown.txt", bytes(range(0x80, 0x100)) * 8, Expect("problem", reason="encoding"))
    # Nearly UTF-8, and UTF-16 without its byte-order mark: read, the problem said.
    long_text = _front("中文标题：编码测试", "<p>" + "美国副国务卿在日内瓦与俄罗斯副外长会晤。" * 60 + "</p>").encode("utf-8")
    write("enc-utf8-cut-short.md", long_text.rstrip(b"\n")[:-5], Expect("read", "中文标题：编码测试", "not valid UTF-8"))
    flipped = bytearray(long_text)
    flipped[len(long_text) // 2] ^= 0x40
    write("enc-utf8-flipped-byte.md", bytes(flipped), Expect("read", "中文标题：编码测试", "not valid UTF-8"))
    write("enc-utf16le-no-bom.md", text.encode("utf-16-le"), Expect("read", "中文标题：编码测试", "UTF-16 text without a byte-order mark"))
    write("enc-utf16be-no-bom.md", text.encode("utf-16-be"), Expect("read", "中文标题：编码测试", "UTF-16 text without a byte-order mark"))

    # Front matter gone wrong: still shown, problem recorded.
    write("fm-malformed.md", "---\ntitle: [unclosed\n  bad: : :\n---\n<p>正文还在。</p>\n", Expect("read", reason="YAML"))
    write("fm-unclosed.md", "---\ntitle: 没有结尾\nauthor: 某人\n<p>正文。</p>\n", Expect("read", "没有结尾", "never closed"))
    write("fm-list.md", "---\n- a\n- b\n---\n<p>正文。</p>\n", Expect("read", reason="list"))
    write("fm-scalar.md", "---\njust a string\n---\n<p>正文。</p>\n", Expect("read", reason="str"))
    write("fm-number-title.md", "---\ntitle: 42\n---\n<p>正文。</p>\n", Expect("good", "42"))
    write("fm-list-title.md", "---\ntitle: [甲, 乙]\n---\n<p>正文。</p>\n", Expect("read", "甲 乙", "list"))
    write("fm-bad-date.md", "---\ntitle: 日期坏了\ndate: 某一天\n---\n<p>正文。</p>\n", Expect("read", "日期坏了", "date"))
    write("fm-python-tag.md", "---\ntitle: !!python/object/apply:os.system ['touch pwned']\n---\n<p>正文。</p>\n", Expect("read", reason="YAML"))
    bomb = "---\na: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi")
    ) + "title: *i\ncategories: *i\n---\n<p>炸弹之后的正文。</p>\n"
    write("fm-alias-bomb.md", bomb, Expect("read", reason="title"))

    # HTML extremes: each renders what it can, quickly.
    write("html-deep.html", "<div>" * 20000 + "<p>深处的段落</p>" + "</div>" * 20000, Expect("good", "深处的段落"))
    write("html-huge-paragraph.html", "<p>" + "很长的段落，" * 500_000 + "</p>", Expect("read", reason="longer"))
    write("html-many-images.html", "".join(f'<p><img src="{i}.jpg" alt="图{i}"></p>' for i in range(3000)), Expect("good", "图0"))
    write("html-cut-off.html", "<html><head><title>截断的页面</title></head><body><p>第一段。</p><p>第二段被截", Expect("good", "截断的页面"))
    write("html-scripts.html", "<html><head><title>脚本</title><script>alert(1)</script><style>p{}</style></head><body><noscript>请启用</noscript><p>正文</p></body></html>", Expect("good", "脚本"))

    # Numbers no parser can hold: digit lookalikes (int("²") fails) and
    # numbers past Python's 4,300-digit limit or a float's range.
    nines = "9" * 4301
    write("num-ol-start.html", '<ol start="²"><li>列表项</li></ol>', Expect("good", "列表项"))
    write("num-li-value.html", '<ol><li value="²">列表项</li></ol>', Expect("good", "列表项"))
    write("num-ol-start-huge.html", f'<ol start="{nines}"><li>列表项</li><li value="{nines}">二</li></ol>', Expect("good", "列表项"))
    write("num-img-width.html", '<p><img width="²" alt="图说">正文</p>', Expect("good", "图说"))
    write("num-img-width-huge.html", f'<p><img height="{nines}" alt="图说">正文</p>', Expect("good", "图说"))
    write("num-rgb-huge.html", f'<p style="color:rgb({nines},0,0)">颜色</p>', Expect("good", "颜色"))
    write("num-toml-date-huge.md", "+++\ntitle = '大日期'\ndate = 1" + "0" * 312 + "\n+++\n<p>正文。</p>\n", Expect("read", "大日期", "date"))
    write("num-yaml-date-huge.md", "---\ntitle: 大日期\ndate: 1" + "0" * 312 + "\nnested: {a: 1}\n---\n<p>正文。</p>\n", Expect("read", "大日期", "date"))
    # Hexadecimal and base-60 integers are exempt from the limit, so YAML and
    # TOML build numbers that str() refuses to write.
    hexadecimal = "0x" + "f" * 4000
    write("num-yaml-hex-title.md", f"---\ntitle: {hexadecimal}\nnested: {{a: 1}}\n---\n<p>十六进制</p>\n", Expect("read", "十六进制", "number"))
    write("num-yaml-sexagesimal.md", "---\ntitle: " + ":".join(["59"] * 3000) + "\nnested: {a: 1}\n---\n<p>六十进制</p>\n", Expect("read", "六十进制", "number"))
    write("num-yaml-hex-key.md", f"---\n? {hexadecimal}\n: x\ntitle: 键\nnested: {{a: 1}}\n---\n<p>正文。</p>\n", Expect("good", "键"))
    write("num-toml-hex-lists.md", f"+++\ntitle = '列表'\ntags = [{hexadecimal}, '标签']\ncategories = [{hexadecimal}]\nauthor = {{name = {hexadecimal}}}\n+++\n<p>正文。</p>\n", Expect("read", "列表", "number"))
    write("num-toml-date-ancient.md", "+++\ntitle = '远古日期'\ndate = 0001-01-01T00:00:00+14:00\n+++\n<p>正文。</p>\n", Expect("read", "远古日期", "0001-01-01"))
    write("num-yaml-date-float.md", "---\ntitle: 浮点日期\ndate: 1.0e+308\nnested: {a: 1}\n---\n<p>正文。</p>\n", Expect("read", "浮点日期", "date"))

    # Markdown nested 10,000 levels deep (markdown-it dropped what was past 20): every word still shown.
    write("md-nested-quotes.md", "---\ntitle: 嵌套引文\n---\n" + ">" * 10_000 + " 深处的字\n", Expect("good", "嵌套引文"))
    write("md-nested-lists.md", "---\ntitle: 嵌套列表\n---\n" + "".join("  " * i + f"- 第{i}项\n" for i in range(300)), Expect("good", "嵌套列表"))

    # Markdown dense with markup that opens and never closes (markdown-it took
    # seconds on it): every word kept. Long ordinary Markdown is Markdown.
    write("md-dense.md", "---\ntitle: 密集\n---\n" + "[链接*强调_ " * 12_000, Expect("good", "密集"))
    prose = "美国副国务卿温迪·谢尔曼星期一上午在日内瓦与俄罗斯副外长会晤，两人共同主持**双边安全**会谈。" * 3
    write("md-long.md", "---\ntitle: 很长的文章\n---\n" + f"{prose}\n\n" * 1000, Expect("good", "很长的文章"))

    # Text that attacks the terminal: shown literally, never interpreted.
    write("attack-markup.md", f"---\ntitle: '{MARKUP}'\nauthor: '{MARKUP}'\n---\n<p>{MARKUP}</p><p><img src='a.jpg' alt='{MARKUP}'></p>\n", Expect("good", MARKUP))
    escaped_title = "前红后"
    write("attack-escapes.md", f"---\ntitle: \"{ESCAPES}\"\nsource: \"{ESCAPES}\"\n---\n<p>{ESCAPES}</p>\n", Expect("good", escaped_title))
    write("attack-escapes-html.html", f"<html><head><title>{ESCAPES}</title></head><body><p>{ESCAPES}</p><p>&#27;[2J&#27;]52;c;eA==&#7;</p></body></html>", Expect("good", escaped_title))
    # U+FFFC stands where an object was (about 1% of one real archive): removed; U+FFFD, which marks replaced bytes, stays.
    write("text-object-replacement.md", _front("图\ufffc说\ufffd", "<p>正文\ufffc里\ufffd</p>"), Expect("good", "图说\ufffd"))
    write("attack-links.md", _front("危险链接", '<p><a href="javascript:alert(1)">点这里</a> <a href="file:///etc/passwd">文件</a></p>'), Expect("good", "危险链接"))

    # Files that are not articles, or not files.
    write("empty.md", b"", Expect("problem", reason="empty"))
    write("blank.txt", "  \n\t\n\u3000\n", Expect("problem", reason="empty"))
    write("photo.md", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, Expect("problem", reason="binary"))
    write("scan.markdown", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(200), Expect("problem", reason="binary"))
    write("folder.md/inside.md", _front("文件夹里的文章"), Expect("good", "文件夹里的文章"))
    write("名字 有空格 和中文.md", _front("奇怪的文件名"), Expect("good", "奇怪的文件名"))
    write("line\nbreak.md", _front("换行的文件名"), Expect("good", "换行的文件名"))
    write(".hidden.md", _front("隐藏文件"), Expect("skipped"))
    write(".hidden-folder/secret.md", _front("隐藏文件夹"), Expect("skipped"))
    os.symlink(folder / "missing-target.md", folder / "dangling.md")
    expect["dangling.md"] = Expect("problem", reason="broken")
    os.symlink(folder, folder / "loop")  # a link back to the top: must not loop
    big = folder / "too-big.md"
    with open(big, "wb") as handle:
        handle.truncate(21 * 1024 * 1024)  # sparse: costs no disk
    expect["too-big.md"] = Expect("problem", reason="20 MB")
    return expect


def snapshot(folder: Path) -> dict[str, tuple]:
    """Every entry under the folder with its content hash, mode and times, links not followed."""
    import hashlib

    state = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            info = path.lstat()
            digest = ""
            if path.is_file() and not path.is_symlink():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            state[str(path.relative_to(folder))] = (digest, info.st_mode, info.st_size, info.st_mtime_ns)
    return state


# -- Stalls ---------------------------------------------------------------------
# Inputs that once took time quadratic in their size (or could): one such file
# froze `reader list`, `show` or the app. Each is made to about ``size`` bytes:
# the tests use ``test_size`` (a linear implementation takes well under a
# second there, the quadratic one many seconds); bench/bench_parse.py
# --hostile times each at a megabyte and more against the 1 s per MB budget.


@dataclass(frozen=True)
class Stall:
    name: str
    suffix: str  # the file's name ends so: it decides the format
    make: Callable[[int], str]
    test_size: int = 200_000
    # What the article must hold (at test_size): nothing is lost on the way.
    expect: Callable[[Article], bool] = lambda article: bool(article.blocks)

    def data(self, size: int | None = None) -> bytes:
        return self.make(self.test_size if size is None else size).encode("utf-8")


def _only(*texts: str) -> Callable[[Article], bool]:
    return lambda article: [block.text for block in article.blocks] == list(texts)


def _times(piece: str, size: int) -> int:
    return max(1, size // len(piece.encode("utf-8")))


STALLS = (
    # Line breaking: a word wider than any line, cut again and again.
    Stall("unbroken word", ".html", lambda n: "<p>" + "a" * n + "</p>", 100_000, lambda a: a.blocks[0].text == "a" * 100_000),
    Stall("unbroken bold word", ".html", lambda n: "<p><b>" + "a" * n + "</b></p>", 100_000, lambda a: len(a.blocks[0].spans) == 1),
    Stall("one line of CJK", ".html", lambda n: "<p>" + "中" * _times("中", n) + "</p>"),
    Stall("one line of CJK, plain text", ".txt", lambda n: "标题\n" + "中文，" * _times("中文，", n)),
    Stall("combining marks on one letter", ".html", lambda n: "<p>a" + "\u0301" * _times("\u0301", n) + "</p>"),
    Stall("combining marks on CJK", ".html", lambda n: "<p>" + "中\u0301\u0302" * _times("中\u0301\u0302", n) + "</p>"),
    Stall("emoji ZWJ sequences", ".html", lambda n: "<p>" + "👩\u200d👩\u200d👧" * _times("👩\u200d👩\u200d👧", n) + "</p>"),
    Stall("very long url", ".html", lambda n: '<p><a href="https://x.cn/' + "a" * n + '">链接</a> ' + "b" * 1000 + "</p>"),
    # Front matter: runs of spaces inside a value, closed or not.
    Stall("spaces in front matter", ".md", lambda n: "---\ntitle: a" + " " * n + "b\n---\nbody\n", 20_000, lambda a: a.title == "a b"),
    Stall("spaces in a front-matter list", ".md", lambda n: "---\ntags:\n- a" + " " * n + "b\n---\nbody\n", 20_000, lambda a: a.tags == ("a b",)),
    Stall("spaces in unclosed front matter", ".md", lambda n: "---\ntitle: a" + " " * n + "b\nbody\n", 20_000, lambda a: a.title == "a b" and a.blocks[0].text == "body"),
    Stall("unclosed front matter of key lines", ".md", lambda n: "---\n" + "key: value\n" * _times("key: value\n", n), expect=lambda a: any("never closed" in p for p in a.problems)),
    # HTML: the flattening regex on a page too deep for libxml2, inline runs.
    Stall("unclosed tags in a deep page", ".html", lambda n: "<div>" * 2100 + "<p>深处</p>" + "<a" * _times("<a", n), 100_000, lambda a: a.title == "深处"),
    Stall("line breaks", ".html", lambda n: "<p>x" + "<br>" * _times("<br>", n) + "y", 2_000_000, lambda a: [b.text for b in a.blocks] == ["y"]),
    Stall("line breaks in bold", ".html", lambda n: "<p><b>x" + "<br>" * _times("<br>", n) + "y</b></p>", 2_000_000, lambda a: [b.text for b in a.blocks] == ["y"]),
    Stall("line breaks between words", ".html", lambda n: "<p>" + "字<br>" * _times("字<br>", n) + "</p>", 200_000, lambda a: a.blocks[0].text.count("字") == 200_000 // 7),
    Stall("tiny inline elements", ".html", lambda n: "<p>" + "<b>x</b>" * _times("<b>x</b>", n) + "</p>", 400_000, lambda a: a.blocks[0].text == "x" * 50_000),
    Stall("tiny spans", ".html", lambda n: "<p>" + "<span>字</span>" * _times("<span>字</span>", n) + "</p>", 400_000, lambda a: a.blocks[0].text == "字" * (400_000 // 16)),
    Stall("alternating styles", ".html", lambda n: "<p>" + "<b>x</b><i>y</i> " * _times("<b>x</b><i>y</i> ", n) + "</p>"),
    Stall("huge attribute", ".html", lambda n: '<h1>标题</h1><p title="' + "a" * n + '">正文</p>', expect=_only("正文")),
    Stall("huge style attribute", ".html", lambda n: '<h1>标题</h1><p style="' + "color :" * _times("color :", n) + '">正文</p>', expect=_only("正文")),
    Stall("huge class attribute", ".html", lambda n: '<h1>标题</h1><p class="' + "advert_" * _times("advert_", n) + '.">广告</p><p>正文</p>', expect=_only("正文")),
    Stall("many list items", ".html", lambda n: "<ol>" + "<li>项</li>" * _times("<li>项</li>", n) + "</ol>", expect=lambda a: a.blocks[-1].ordinal == 200_000 // 12),
    Stall("many table cells", ".html", lambda n: "<table>" + "<tr><td>1</td><td>2</td></tr>" * _times("<tr><td>1</td><td>2</td></tr>", n) + "</table>"),
    Stall("one big data table", ".html", lambda n: ("<table>" + "<tr><td>1</td><td>2</td></tr>" * 999 + "</table>") * _times("<tr><td>1</td><td>2</td></tr>" * 1000, n), expect=lambda a: a.blocks[0].kind is BlockKind.TABLE),
    Stall("many images", ".html", lambda n: "".join(f'<p><img src="{i}.jpg" alt="图{i}"></p>' for i in range(n // 36)), expect=lambda a: len(a.blocks) == 200_000 // 36),
    Stall("many comments", ".html", lambda n: "<h1>标题</h1><p>正文</p>" + "<!--广告开始-->x<!--广告结束-->" * _times("<!--广告开始-->x<!--广告结束-->", n), expect=_only("正文")),
    Stall("many entities", ".html", lambda n: "<p>" + "&#7;字" * _times("&#7;字", n) + "</p>", expect=lambda a: len(a.blocks) == 1 and set(a.blocks[0].text) == {"字"}),
    Stall("many paragraphs", ".html", lambda n: "<p>段落。</p>" * _times("<p>段落。</p>", n)),
    # Markdown bodies: the cmark-gfm parser, then the walk.
    Stall("markdown emphasis", ".md", lambda n: "# 标题\n\n" + "*a " * _times("*a ", n), expect=lambda a: a.blocks[-1].text.endswith("*a")),
    Stall("markdown brackets", ".md", lambda n: "# 标题\n\n" + "[a" * _times("[a", n), expect=lambda a: a.blocks[-1].text.endswith("[a" * 100)),
    Stall("markdown list of words", ".md", lambda n: "# 标题\n\n" + "- 词\n" * _times("- 词\n", n), expect=lambda a: [b.text for b in a.blocks if b.kind.value == "list_item"] == ["词"] * _times("- 词\n", 200_000)),
    Stall("markdown table", ".md", lambda n: "# 标题\n\n|a|b|\n|-|-|\n" + "|1|2|\n" * _times("|1|2|\n", n)),
    Stall("markdown nested quotes", ".md", lambda n: "# 标题\n\n" + ">" * n + " 深处\n", expect=lambda a: "深处" in a.blocks[-1].text),
)
