"""`reader show`: one article as text, styled only on a terminal.

On a terminal the title is bold, captions dim and italic, links underlined and
clickable (OSC 8 hyperlinks). Under NO_COLOR nothing but the attributes is
sent: no colour and no hyperlink. In a pipe the text is plain.

A url is never broken across lines, on a terminal or in a pipe: one wider
than the line stands alone on a line of its own, so that it can be copied
(a terminal wraps it itself, and copies it back as one line).
"""

from __future__ import annotations

import shutil
import sys

from rich.console import Console
from rich.style import Style
from rich.text import Span, Text

from ..model import Article
from ..render import DEFAULT_STYLES, PLAIN, render_article
from ..store.settings import wants_no_color

_FALLBACK_WIDTH = 80


def print_article(article: Article, width: int | None) -> None:
    terminal = sys.stdout.isatty()
    if width is None:
        width = shutil.get_terminal_size((_FALLBACK_WIDTH, 24)).columns if terminal else _FALLBACK_WIDTH
    no_color = wants_no_color()
    # markup/emoji/highlight off: article text is data, shown exactly as written.
    console = Console(width=width, markup=False, emoji=False, highlight=False, soft_wrap=False, no_color=no_color)
    text = render_article(article, width, DEFAULT_STYLES if console.is_terminal else PLAIN, whole_urls=True)
    if no_color:
        text = without_links(text)
    console.print(text, no_wrap=True, crop=False, overflow="ignore")


def without_links(text: Text) -> Text:
    """``text`` with the same styles less their hyperlinks (Rich's no_color keeps links)."""
    bare = text.copy()
    bare.spans = [Span(span.start, span.end, _unlinked(span.style)) for span in text.spans]
    return bare


def _unlinked(style: str | Style) -> str | Style:
    # render.py makes links as Style(link=url); style names never hold one.
    return style.clear_meta_and_links() if isinstance(style, Style) and style.link else style
