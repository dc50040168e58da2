"""A folder of everything that goes wrong in real archives, next to good copies of the seeds.

`build(folder)` writes it and returns what a reader must make of each file:
GOOD (title expected), PROBLEM (reason expected to contain a word), or
READ (an article with problems recorded, title expected).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

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

    from reader.load import load_article

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
    write("num-yaml-date-float.md", "---\ntitle: 浮点日期\ndate: 1.0e+308\nnested: {a: 1}\n---\n<p>正文。</p>\n", Expect("read", "浮点日期", "date"))

    # Text that attacks the terminal: shown literally, never interpreted.
    write("attack-markup.md", f"---\ntitle: '{MARKUP}'\nauthor: '{MARKUP}'\n---\n<p>{MARKUP}</p><p><img src='a.jpg' alt='{MARKUP}'></p>\n", Expect("good", MARKUP))
    escaped_title = "前红后"
    write("attack-escapes.md", f"---\ntitle: \"{ESCAPES}\"\nsource: \"{ESCAPES}\"\n---\n<p>{ESCAPES}</p>\n", Expect("good", escaped_title))
    write("attack-escapes-html.html", f"<html><head><title>{ESCAPES}</title></head><body><p>{ESCAPES}</p><p>&#27;[2J&#27;]52;c;eA==&#7;</p></body></html>", Expect("good", escaped_title))
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
