"""`reader show`: one article as text, coloured only on a terminal."""

from __future__ import annotations

import shutil
import sys

from rich.console import Console

from .model import Article
from .render import DEFAULT_STYLES, PLAIN, render_article

_FALLBACK_WIDTH = 80


def print_article(article: Article, width: int | None) -> None:
    terminal = sys.stdout.isatty()
    if width is None:
        width = shutil.get_terminal_size((_FALLBACK_WIDTH, 24)).columns if terminal else _FALLBACK_WIDTH
    # markup/emoji/highlight off: article text is data, shown exactly as written.
    console = Console(width=width, markup=False, emoji=False, highlight=False, soft_wrap=False)
    text = render_article(article, width, DEFAULT_STYLES if console.is_terminal else PLAIN)
    console.print(text, no_wrap=True, crop=False, overflow="ignore")
