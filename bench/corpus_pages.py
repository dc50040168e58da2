"""Whole saved web pages: everything a browser's "save page" keeps.

A generic news page has a <head> (a title with the site's name after it, og:*
meta, sometimes article:published_time and JSON-LD, a site stylesheet and
scripts), navigation, a header, share buttons, the article (inside <article>
on some sites, only nested <div>s on others), an author box, related links,
comments, a sidebar and a footer, and ends in a large inline script. WeChat
public-account pages and Drupal pages have their own layouts. Pages are 50 to
400 KB, most of it CSS and script, taken from libraries built once per process.
"""

from __future__ import annotations

import json
import random
from functools import lru_cache

from corpus_formats import Piece, _a, _e, html_blocks

_CSS_PROPERTIES = ("margin", "padding", "color", "background", "font-size", "line-height", "border",
                   "display", "width", "max-width", "height", "position", "top", "left", "z-index",
                   "transition", "box-shadow", "border-radius", "text-align", "overflow")
_WORDS = ("header", "nav", "menu", "item", "article", "content", "title", "meta", "share", "footer",
          "sidebar", "related", "comment", "author", "avatar", "btn", "icon", "list", "card", "wrap",
          "container", "main", "hot", "tag", "ad", "banner", "logo", "search", "login", "mobile")


def _css_rule(rng: random.Random) -> str:
    selector = ".".join(rng.sample(_WORDS, rng.randint(1, 3)))
    props = ";".join(f"{p}:{rng.randint(0, 40)}px" if p not in ("color", "background") else
                     f"{p}:#{rng.getrandbits(24):06x}" for p in rng.sample(_CSS_PROPERTIES, rng.randint(2, 7)))
    media = rng.random() < 0.05
    rule = f".{selector}{{{props}}}"
    return f"@media (max-width:{rng.choice((480, 768, 1024))}px){{{rule}}}" if media else rule


def _js_statement(rng: random.Random) -> str:
    name = f"_0x{rng.getrandbits(20):05x}"
    words = rng.sample(_WORDS, 3)
    roll = rng.random()
    if roll < 0.4:
        return (f"function {name}(a,b){{var c=a['{words[0]}']||{{}};for(var d=0;d<b.length;d++)"
                f"{{c[b[d]]=(c[b[d]]||0)+{rng.randint(1, 99)}}}return c}}")
    if roll < 0.7:
        return (f"var {name}={json.dumps({w: rng.getrandbits(30) for w in words})};"
                f"window.{words[1]}_{words[2]}={name};")
    return (f"document.querySelectorAll('.{words[0]}-{words[1]}').forEach(function(e){{e.addEventListener("
            f"'click',function(){{{name}(e,'{words[2]}')}})}});")


@lru_cache(maxsize=1)
def libraries() -> tuple[str, str]:
    """A megabyte of stylesheet and two of script, cut into per-site and per-page pieces."""
    rng = random.Random("gen_corpus-pages")
    css = "\n".join(_css_rule(rng) for _ in range(12_000))
    js = ";\n".join(_js_statement(rng) for _ in range(16_000))
    return css, js


def _slice(text: str, start: int, size: int) -> str:
    """Whole lines of ``text``, at most ``size`` characters, from about ``start``."""
    if size <= 0:
        return ""
    start = text.find("\n", start % max(1, len(text) - size)) + 1
    end = text.rfind("\n", start, start + size)
    return text[start:end] if end > start else ""


def site_assets(site: str) -> tuple[str, str]:
    """The stylesheet and script a site puts in every page: the same on each."""
    rng = random.Random(f"gen_corpus-site|{site}")
    css, js = libraries()
    return _slice(css, rng.randrange(len(css)), rng.randint(6_000, 40_000)), \
        _slice(js, rng.randrange(len(js)), rng.randint(8_000, 60_000))


def _filler_script(rng: random.Random, size: int) -> str:
    _, js = libraries()
    return _slice(js, rng.randrange(len(js)), max(0, size))


BODY = "\x00body\x00"  # where the article goes, once the page around it is in the site's script


def _finish(page: str, body: str, rng: random.Random, target: int, extras: dict) -> str:
    """The page in the site's script, with the article in it and a script that brings it to ``target`` bytes."""
    if extras.get("s2t"):
        page = page.translate(extras["s2t"])  # the article's text is final already: it may quote the other script
    page = page.replace(BODY, body)
    filler = _filler_script(rng, target - len(page.encode("utf-8")) - 40)
    return f"{page}<script>\n{filler}\n</script>\n</body>\n</html>\n"


def _nav(rng: random.Random, host: str) -> str:
    sections = ("首页", "新闻", "国际", "中国", "财经", "科技", "体育", "娱乐", "文化", "评论", "视频", "图片",
                "专题", "军事", "健康", "教育", "汽车", "房产", "旅游", "读书", "历史", "数据", "直播", "English")
    items = rng.sample(sections, rng.randint(10, len(sections)))
    links = "".join(f'<li class="nav-item"><a href="https://{host}/{i}/">{name}</a></li>' for i, name in enumerate(items))
    return f'<nav class="main-nav"><ul class="nav-list">{links}</ul></nav>'


def _comments(rng: random.Random, texts: list[str], names: list[str]) -> str:
    out = []
    for n in range(rng.randint(0, 40)):
        text = rng.choice(texts)[: rng.randint(8, 80)]
        out.append(f'<div class="comment" id="comment-{rng.getrandbits(24)}"><div class="comment-meta">'
                   f'<span class="user">{_e(rng.choice(names))}</span><span class="time">{rng.randint(1, 59)}分钟前</span>'
                   f'</div><p class="comment-text">{_e(text)}</p><div class="comment-actions"><a class="reply">回复</a>'
                   f'<a class="like">赞({rng.randint(0, 999)})</a></div></div>\n')
    return f'<div id="comments" class="comments"><h3>评论（{len(out)}）</h3>\n{"".join(out)}</div>\n'


def _related(rng: random.Random, host: str, titles: list[str]) -> str:
    links = "".join(f'<li><a href="https://{host}/a/{rng.getrandbits(32)}.html">{_e(t)}</a></li>' for t in titles)
    return f'<div class="related"><h3>相关阅读</h3><ul>{links}</ul></div>\n'


def render_page(a: Piece, rng: random.Random, target: int, extras: dict) -> str:
    """A generic news site's saved page of about ``target`` bytes."""
    s = a.source
    site = s.name
    css, js = site_assets(site)
    separator = rng.choice((" - ", " | ", "_", " - "))
    texts = [b[1] for b in a.blocks if b[0] == "p"] or [a.title]
    head = ['<!DOCTYPE html>\n<html lang="zh">\n<head>\n<meta charset="utf-8">\n',
            f"<title>{_e(a.title)}{separator}{_e(site)}</title>\n",
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f'<meta name="description" content="{_a(texts[0][:80])}">\n',
            f'<meta property="og:type" content="article">\n<meta property="og:title" content="{_a(a.title)}">\n',
            f'<meta property="og:url" content="{_a(a.url)}">\n<meta property="og:image" content="{_a(a.image)}">\n',
            f'<link rel="canonical" href="{_a(a.url)}">\n']
    if extras["site_name"]:
        head.append(f'<meta property="og:site_name" content="{_a(site)}">\n')
    if a.date_text is not None:
        head.append(f'<meta property="article:published_time" content="{a.date_text}">\n')
    head.append(f'<link rel="stylesheet" href="https://{s.host}/static/css/main.{rng.getrandbits(32):08x}.css">\n')
    head.append(f"<style>\n{css}\n</style>\n<script>\n{js}\n</script>\n")
    if extras["json_ld"]:
        ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
              "datePublished": a.date.isoformat(), "author": {"@type": "Person", "name": a.author},
              "publisher": {"@type": "Organization", "name": site}, "image": [a.image]}
        head.append(f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>\n')
    head.append("</head>\n")
    body = [f'<body class="article-page">\n<div class="top-bar"><a href="https://{s.host}/login">登录</a> '
            f'<a href="https://{s.host}/register">注册</a> <a href="https://{s.host}/app">下载APP</a></div>\n',
            f'<header class="site-header"><div class="logo"><a href="https://{s.host}/">{_e(site)}</a></div>'
            f"{_nav(rng, s.host)}</header>\n",
            f'<div class="breadcrumb"><a href="https://{s.host}/">首页</a> &gt; <a href="https://{s.host}/news/">'
            f"{_e(a.section)}</a> &gt; 正文</div>\n",
            '<div class="container"><div class="main-column">\n']
    inner = [f'<h1 class="article-title">{_e(a.title)}</h1>\n',
             f'<div class="article-meta"><span class="author">{_e(a.author)}</span> '
             f'<span class="time">{a.date.astimezone(s.zone):%Y-%m-%d %H:%M}</span> '
             f'<span class="source">来源：{_e(site)}</span></div>\n',
             '<div class="share-bar">分享到：<a class="share-weibo">微博</a><a class="share-wechat">微信</a>'
             '<a class="share-facebook">Facebook</a><a class="share-twitter">Twitter</a><a class="share-line">LINE</a></div>\n',
             f'<div class="article-content">\n{BODY}</div>\n',
             f'<div class="author-box"><img class="avatar" src="https://{s.host}/avatar/{rng.getrandbits(24)}.png" alt="">'
             f'<div class="author-name">{_e(a.author)}</div><p class="author-bio">{_e(rng.choice(texts)[:60])}</p></div>\n',
             '<div class="tags">标签：' + "".join(f'<a href="https://{s.host}/tag/{_a(t)}">{_e(t)}</a>' for t in a.tags) + "</div>\n"]
    if extras["article_tag"]:
        body.append('<article class="article">\n' + "".join(inner) + "</article>\n")
    else:
        body.append('<div class="content-wrap"><div class="post"><div class="post-inner">\n' + "".join(inner)
                    + "</div></div></div>\n")
    body.append(_related(rng, s.host, extras["titles"]))
    body.append(_comments(rng, texts, extras["names"]))
    body.append('</div>\n<aside class="sidebar"><div class="hot"><h3>热门文章</h3><ol>'
                + "".join(f"<li>{_e(t)}</li>" for t in extras["titles"][:10])
                + '</ol></div><div class="ad ad-sidebar"><ins class="adsbygoogle"></ins></div></aside>\n</div>\n')
    body.append(f'<footer class="site-footer"><ul class="footer-links"><li>关于我们</li><li>联系我们</li><li>广告服务</li>'
                f"<li>隐私政策</li><li>加入我们</li></ul><p>Copyright © 2008-{a.date.year} {_e(site)} 版权所有</p>"
                f"<p>{extras['icp']}</p></footer>\n")
    if extras["state"]:  # the page's app state: the article once more, as JSON
        state = {"article": {"title": a.title, "paragraphs": texts, "url": a.url}}
        body.append(f"<script>window.__INITIAL_STATE__={json.dumps(state, ensure_ascii=False)};</script>\n")
    return _finish("".join(head) + "".join(body), html_blocks(a.blocks, rng), rng, target, extras)


def render_wechat(a: Piece, rng: random.Random, target: int, extras: dict) -> str:
    """A WeChat public-account article as mp.weixin.qq.com serves it."""
    nickname = a.source.name
    ct = int(a.date.timestamp())
    biz = f"Mz{rng.getrandbits(48):012X}"[:16]
    url = f"https://mp.weixin.qq.com/s/{rng.getrandbits(96):024x}"
    description = (a.blocks[0][1] if a.blocks and a.blocks[0][0] == "p" else a.title)[:54]
    css, js = site_assets("mp.weixin.qq.com")
    out = []
    if rng.random() < 0.5:
        saved = {"nickname": nickname, "created_at": f"{a.date.astimezone(a.source.zone):%Y-%m-%d %H:%M:%S}", "url": url}
        out.append(f"<!-- {json.dumps(saved, ensure_ascii=False)} -->\n")
    out.append('<!DOCTYPE html>\n<html class="">\n<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
               '<meta name="viewport" content="width=device-width,initial-scale=1.0,maximum-scale=1.0,user-scalable=0,viewport-fit=cover">\n'
               f'<meta property="og:title" content="{_a(a.title)}" />\n<meta property="og:url" content="{url}" />\n'
               f'<meta property="og:image" content="https://mmbiz.qpic.cn/mmbiz_jpg/{rng.getrandbits(64):016x}/0?wx_fmt=jpeg" />\n'
               f'<meta property="og:description" content="{_a(description)}" />\n'
               '<meta property="og:site_name" content="Weixin Official Accounts Platform" />\n'
               f'<meta property="og:type" content="article" />\n<meta property="og:article:author" content="{_a(a.author)}" />\n'
               f"<title>{_e(a.title)}</title>\n<style>\n{css}\n</style>\n</head>\n")
    paragraphs = []
    for block in a.blocks:
        if block[0] in ("p", "en", "quote"):
            paragraphs.append(f'<p style="margin-bottom: 16px;line-height: 1.75em;"><span style="font-size: 15px;'
                              f'letter-spacing: 1px;">{_e(block[1])}</span></p>')
        elif block[0] == "h":
            paragraphs.append(f'<h2 style="font-size: 17px;"><strong>{_e(block[1])}</strong></h2>')
        elif block[0] == "img":
            paragraphs.append(f'<p style="text-align: center;"><img class="rich_pages wxw-img" data-src="{_a(block[1])}" '
                              f'data-ratio="0.66" data-w="1080"></p><p style="text-align: center;"><span style="color: '
                              f'rgb(136, 136, 136);font-size: 12px;">{_e(block[2])}</span></p>')
    hidden = ' style="visibility: hidden;"' if rng.random() < 0.5 else ""
    out.append(f'<body id="activity-detail" class="zh_CN wx_wap_page">\n<div id="js_article" class="rich_media">\n'
               '<div class="rich_media_inner"><div id="page-content" class="rich_media_area_primary">\n'
               f'<div id="img-content" class="rich_media_wrp">\n<h1 class="rich_media_title " id="activity-name">\n{_e(a.title)}\n</h1>\n'
               f'<div id="meta_content" class="rich_media_meta_list"><span class="rich_media_meta rich_media_meta_text">{_e(a.author)}</span>\n'
               f'<span class="rich_media_meta rich_media_meta_nickname" id="profileBt"><a href="javascript:void(0);" id="js_name">{_e(nickname)}</a></span>\n'
               '<em id="publish_time" class="rich_media_meta rich_media_meta_text"></em></div>\n'
               f'<div class="rich_media_content js_underline_content" id="js_content"{hidden}>\n<section>{BODY}</section>\n</div>\n'
               f'<div class="rich_media_tool" id="js_toobar3">阅读 <span id="readNum3">{rng.randint(100, 100000)}</span></div>\n</div>\n'
               '<div id="js_pc_qr_code" class="qr_code_pc_outer"><div class="profile_inner">'
               f'<strong class="profile_nickname">{_e(nickname)}</strong>'
               f'<p class="profile_meta"><label class="profile_meta_label">微信号</label><span class="profile_meta_value">gh_{rng.getrandbits(48):012x}</span></p>'
               f'<p class="profile_meta"><label class="profile_meta_label">功能介绍</label><span class="profile_meta_value">{_e(description)}</span></p>'
               "</div></div>\n</div></div></div>\n")
    out.append(f'<script>\nvar nickname = "{nickname}";\nvar ct = "{ct}";\nvar publish_time = "{a.date.astimezone(a.source.zone):%Y-%m-%d}" || "";\n'
               f'var msg_title = \'{a.title}\'.html(false);\nvar biz = "{biz}";\nvar user_name = "gh_{rng.getrandbits(48):012x}";\n'
               f"{js}\n</script>\n")
    return _finish("".join(out), "".join(paragraphs), rng, target, extras)


_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


def render_drupal(a: Piece, rng: random.Random, target: int, extras: dict) -> str:
    """A Drupal 7 site's node page: submitted-by line, image file name as text, the title twice."""
    s = a.source
    nid = rng.randint(100, 99999)
    local = a.date.astimezone(s.zone)
    image = f"IMG_{local:%Y%m%d_%H%M%S}.jpg"
    css, js = site_assets(s.name)
    submitted = f"{a.author} 在 {_WEEKDAYS[local.weekday()]}, {local:%m/%d/%Y - %H:%M} 提交"
    out = ['<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML+RDFa 1.0//EN"\n  "http://www.w3.org/MarkUp/DTD/xhtml-rdfa-1.dtd">\n'
           '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="zh-hans" version="XHTML+RDFa 1.0" dir="ltr">\n'
           '<head profile="http://www.w3.org/1999/xhtml/vocab">\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n'
           f'<meta name="generator" content="Drupal 7 (http://drupal.org)" />\n<link rel="canonical" href="/node/{nid}" />\n'
           f"<title>{_e(a.title)} | {_e(s.name)}</title>\n"
           f'<style type="text/css" media="all">\n@import url("https://{s.host}/modules/system/system.base.css?o7ohd1");\n{css}\n</style>\n'
           f'<script type="text/javascript" src="https://{s.host}/misc/jquery.js?v=1.4.4"></script>\n'
           f'<script type="text/javascript">\njQuery.extend(Drupal.settings, {{"basePath":"\\/","pathPrefix":"","ajaxPageState":{{"theme":"bartik"}}}});\n{js}\n</script>\n'
           f'</head>\n<body class="html not-front not-logged-in one-sidebar sidebar-first page-node page-node-{nid} node-type-article">\n'
           '<div id="skip-link"><a href="#main-content" class="element-invisible element-focusable">跳转到主要内容</a></div>\n'
           f'<div id="page-wrapper"><div id="page">\n<div id="header"><div class="section clearfix"><a href="/" title="首页" rel="home" id="logo">'
           f'<img src="https://{s.host}/sites/default/files/logo.png" alt="首页" /></a><div id="name-and-slogan"><div id="site-name">'
           f'<strong><a href="/" title="首页" rel="home"><span>{_e(s.name)}</span></a></strong></div></div></div></div>\n'
           '<div id="navigation"><div class="section"><ul id="main-menu" class="links inline clearfix">'
           '<li class="menu-218 first"><a href="/">首页</a></li><li class="menu-312"><a href="/news">新闻</a></li>'
           '<li class="menu-313"><a href="/forum">论坛</a></li><li class="menu-314 last"><a href="/events">活动</a></li></ul></div></div>\n'
           '<div id="main-wrapper"><div id="main" class="clearfix"><div id="content" class="column"><div class="section">\n'
           f'<a id="main-content"></a>\n<h1 class="title" id="page-title">{_e(a.title)}</h1>\n'
           f'<div class="region region-content"><div id="block-system-main" class="block block-system"><div class="content">\n'
           f'<div id="node-{nid}" class="node node-article node-promoted clearfix" about="/node/{nid}" typeof="sioc:Item foaf:Document">\n'
           f'<h2><a href="/node/{nid}">{_e(a.title)}</a></h2>\n'
           f'<div class="meta submitted"><span property="dc:date dc:created" content="{local.isoformat()}" datatype="xsd:dateTime">'
           f"{_e(submitted)}</span></div>\n"
           '<div class="content clearfix">\n<div class="field field-name-field-image field-type-image field-label-hidden">'
           f'<div class="field-items"><div class="field-item even"><img typeof="foaf:Image" src="https://{s.host}/sites/default/files/'
           f'styles/large/public/field/image/{image}" width="480" height="360" alt="" /></div></div></div>\n'
           '<div class="field field-name-body field-type-text-with-summary field-label-hidden"><div class="field-items">'
           f'<div class="field-item even" property="content:encoded">{BODY}<p>{image}</p></div></div></div>\n'
           '</div>\n<div class="link-wrapper"><ul class="links inline"><li class="comment-add first last">'
           f'<a href="/comment/reply/{nid}#comment-form" title="发表评论">添加新评论</a></li></ul></div>\n</div>\n'
           "</div></div></div>\n</div></div>\n"
           '<div id="sidebar-first" class="column sidebar"><div class="section"><h2>最新内容</h2><ul>'
           + "".join(f"<li>{_e(t)}</li>" for t in extras["titles"][:8])
           + '</ul></div></div>\n</div></div>\n<div id="footer"><div class="section">Powered by <a href="https://www.drupal.org">Drupal</a></div></div>\n'
           "</div></div>\n"]
    return _finish("".join(out), html_blocks(a.blocks, rng), rng, target, extras)


PAGE_RENDERERS = {"page": render_page, "wechat": render_wechat, "drupal": render_drupal}
