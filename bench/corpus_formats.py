"""One article as the bytes of a file, in each of the simple formats.

An article arrives as a Piece: its metadata and a list of blocks whose text is
final (cast in, script converted). Each renderer writes one kind of file a
real archive holds: front matter with an HTML body (the seeds' format), front
matter whose body is an RSS dump, an RSS dump, a scraped forum page full of ads
and watermarks, Markdown, plain text, and a saved HTML body without <head>.
Whole saved pages are in corpus_pages.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from html import escape

from corpus_sources import Source, rfc2822


@dataclass
class Piece:
    kind: str  # corpus_sources.KINDS, or "wechat" / "drupal" for those pages
    source: Source
    date: dt.datetime  # when it was published
    date_text: str | None  # as the metadata writes it; None: the file states no date
    title: str
    url: str
    author: str
    section: str
    blocks: list[tuple]  # ("p", text) ("h", text) ("img", url, caption) ("ul", [items])
    #                      ("quote", text) ("a", before, anchor, url, after) ("en", text)
    image: str  # the lead image's url
    tags: list[str] = field(default_factory=list)


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


def _e(text: str) -> str:
    return escape(text, quote=False)


def _a(text: str) -> str:
    return escape(text, quote=True)


def _yaml_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _walk(blocks: list[tuple], writers: dict) -> list[str]:
    """Each block as its format writes it: ``writers`` maps a block's tag to a function of the block."""
    return [writers[block[0]](block) for block in blocks if block[0] in writers]


def _link(block: tuple, link) -> str:
    """A paragraph with a link in it, the link written by ``link(anchor, url)``."""
    _, before, anchor, url, after = block
    return f"{before}{link(anchor, url)}{after}"


def _html_link(block: tuple) -> str:
    _, before, anchor, url, after = block
    return f'{_e(before)}<a href="{_a(url)}">{_e(anchor)}</a>{_e(after)}'


def html_blocks(blocks: list[tuple], rng: random.Random, loose: bool = False) -> str:
    """The blocks as a clean HTML body: <p>, <h3>, <figure> or centred images, <ul>, <blockquote>."""
    p = (lambda s: f"<p>\n{s}\n</p>\n") if loose else (lambda s: f"<p>{s}</p>\n")

    def image(block: tuple) -> str:
        _, url, caption = block
        if figures:
            return f'<figure><img src="{_a(url)}" alt="{_a(caption)}"><figcaption>{_e(caption)}</figcaption></figure>\n'
        return (f'<p align="center">\n<img src="{_a(url)}" title="点击查看大图" class="bigimg" width="530" '
                f'referrerpolicy="no-referrer"> \n</p>\n<p align="center">\n<span style="color:#666666;">{_e(caption)}'
                "</span> \n</p>\n")
    figures = rng.random() < 0.5
    return "".join(_walk(blocks, {
        "p": lambda b: p(_e(b[1])),
        "en": lambda b: f'<p lang="en">{_e(b[1])}</p>\n',
        "h": lambda b: p(f"<strong>{_e(b[1])}</strong> ") if loose else f"<h3>{_e(b[1])}</h3>\n",
        "a": lambda b: p(_html_link(b)),
        "img": image,
        "ul": lambda b: "<ul>\n" + "".join(f"<li>{_e(item)}</li>\n" for item in b[1]) + "</ul>\n",
        "quote": lambda b: f"<blockquote><p>{_e(b[1])}</p></blockquote>\n",
    }))


def _front_matter(a: Piece, rng: random.Random) -> str:
    s = a.source
    lines = ["", "---", f"title: {_yaml_quoted(a.title)}", "categories: ", f" - {s.channel}", f" - {s.name}",
             f" - {a.section}", f"headimg: '{a.image}'", f"author: {s.name}", "comments: false"]
    if a.date_text is not None:
        lines.append(f"date: {a.date_text}")
    if s.links:
        lines.append(f"link: {a.url}")
    if a.tags:
        lines.append("tags: [" + ", ".join(a.tags) + "]")
    lines += [f"thumbnail: '{a.image}'", "---", "", ""]
    return "\n".join(lines)


def render_fm(a: Piece, rng: random.Random) -> str:
    loose = rng.random() < 0.6  # guancha style: tags on their own lines
    return f"{_front_matter(a, rng)}<div>   \n{html_blocks(a.blocks, rng, loose)}  \n</div>\n            \n"


def _rss_body(a: Piece, rng: random.Random) -> str:
    def image(block: tuple) -> str:
        _, url, caption = block
        proxied = f"https://images.weserv.nl?url={url.split('://', 1)[-1]}"
        if rng.random() < 0.5:  # both image styles of the seed
            shown = f'<img src="{_a(proxied)}" width="100%">'
        else:
            shown = f'<div ><img  src="{_a(proxied)}" alt="{_a(caption)}" border="0"/>'
        return f'{shown}<div><small style="color: #999;">{_e(caption)}</small></div>'
    paragraph = lambda b: f"<p>{_e(b[1])}</p>"  # noqa: E731
    return f"<div><i>{rfc2822(a.date)}</i></div>" + "".join(_walk(a.blocks, {
        "p": paragraph, "en": paragraph, "h": lambda b: f"<p><strong>{_e(b[1])}</strong></p>",
        "a": lambda b: f"<p>{_html_link(b)}</p>",
        "img": image, "ul": lambda b: "<ul>" + "".join(f"<li>{_e(item)}</li>" for item in b[1]) + "</ul>",
        "quote": lambda b: f"<blockquote>{_e(b[1])}</blockquote>",
    })) + "\n"


def _rss_header(a: Piece, rng: random.Random) -> str:
    fetched_ms = int(a.date.timestamp() * 1000) + rng.randrange(3 * 3600 * 1000)
    title = a.title.replace("[", "【").replace("]", "】")
    return f"<!--{fetched_ms}-->\n[{title}]({a.url})\n------\n\n"


def render_rss(a: Piece, rng: random.Random) -> str:
    return _rss_header(a, rng) + _rss_body(a, rng)


def render_fmrss(a: Piece, rng: random.Random) -> str:
    return _front_matter(a, rng) + _rss_header(a, rng) + _rss_body(a, rng)


def render_noisy(a: Piece, rng: random.Random) -> str:
    indent = '<p style="text-indent:2em">'
    span = '<span class="black_14p">'
    out = [_front_matter(a, rng), "<div>   \n\n                \n                \n        ",
           span, indent, AD_BLOCK.format(slot=rng.randrange(10**10)), "\n            "]
    first = True
    for block in a.blocks:
        tag = block[0]
        if tag in ("p", "en", "h", "quote"):
            text = _e(block[1])
            # The first paragraph sits right after the ad block, in the <p> opened before it.
            out.append(f"{text}{WATERMARK}<p></p><br>" if first else f"{indent}{text}{WATERMARK}</p><br>")
            first = False
        elif tag == "a":
            out.append(f'{indent}{_html_link(block)}{WATERMARK}</p><br>')
        elif tag == "ul":
            out.append("".join(f"{indent}{_e(item)}{WATERMARK}</p><br>" for item in block[1]))
        elif tag == "img":  # images come without captions, between empty paragraphs
            out.append(f'{indent}</p></span><img src="{_a(block[1])}" referrerpolicy="no-referrer">{span}{indent}</p><br>')
        if rng.random() < 0.1:
            out.append(f"{indent}</p><br><p></p><br>")
    out.append("\n            </p></span>\n                \n            \n          \n</div>\n            \n")
    return "".join(out)


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def render_md(a: Piece, rng: random.Random) -> str:
    s = a.source
    if rng.random() < 0.25:  # Hugo's TOML front matter
        head = ["+++", f"title = {_toml_string(a.title)}"]
        if a.date_text is not None:
            iso = s.date_style in ("iso-offset", "iso-z")
            head.append(f"date = {a.date_text if iso else _toml_string(a.date_text)}")
        head += [f"source = {_toml_string(s.name)}", "tags = [" + ", ".join(map(_toml_string, a.tags)) + "]", "+++"]
    else:
        head = ["---", f"title: {_yaml_quoted(a.title)}"]
        if a.date_text is not None:
            head.append(f"date: {a.date_text}")
        head += [f"source: {s.name}", f"url: {a.url}"]
        if a.tags:
            head.append("tags: [" + ", ".join(a.tags) + "]")
        head.append("---")
    out = ["\n".join(head)]
    if rng.random() < 0.4:
        out.append(f"# {a.title}")
    text = lambda b: b[1]  # noqa: E731
    out += _walk(a.blocks, {
        "p": text, "en": text, "h": lambda b: f"## {b[1]}", "a": lambda b: _link(b, lambda t, u: f"[{t}]({u})"),
        "img": lambda b: f"![{b[2]}]({b[1]})", "ul": lambda b: "\n".join(f"- {item}" for item in b[1]),
        "quote": lambda b: f"> {b[1]}",
    })
    return "\n\n".join(out) + "\n"


def render_txt(a: Piece, rng: random.Random) -> str:
    text = lambda b: b[1]  # noqa: E731
    out = [a.title] + _walk(a.blocks, {
        "p": text, "en": text, "h": text, "quote": text, "a": lambda b: _link(b, lambda t, u: f"{t}（{u}）"),
        "img": lambda b: f"（图：{b[2]}）", "ul": lambda b: "\n".join(f"· {item}" for item in b[1]),
    })
    out.append(f"来源：{a.source.name}" + (f"\n原文：{a.url}" if a.url else ""))
    text = "\n\n".join(out) + "\n"
    return text.replace("\n", "\r\n") if a.source.extra.get("crlf") else text


def render_html(a: Piece, rng: random.Random) -> str:
    out = []
    if rng.random() < 0.3:  # a date line first, as some savers write it
        out.append(f'<div class="time">{a.date.astimezone(a.source.zone):%Y-%m-%d %H:%M}</div>\n')
    body = f"<h1>{_e(a.title)}</h1>\n{html_blocks(a.blocks, rng)}"
    out.append(f"<article>\n{body}</article>\n" if rng.random() < 0.5 else body)
    return "".join(out)


RENDERERS = {"fm": render_fm, "fmrss": render_fmrss, "rss": render_rss, "noisy": render_noisy,
             "md": render_md, "txt": render_txt, "html": render_html}
