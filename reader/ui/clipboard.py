"""Copying a passage with its citation to the clipboard, over SSH and inside tmux.

The terminal's own clipboard is reached with OSC 52, which travels over SSH
like any other output. Textual's ``App.copy_to_clipboard`` writes it plainly;
tmux drops (or keeps to itself) what it does not pass through, so inside tmux
the same sequence is also sent wrapped for tmux's passthrough. The sequence
builders are pure functions; only ``copy`` touches the app.
"""

from __future__ import annotations

import base64
import os

from textual.app import App

from ..parse.dates import format_date
from ..model import Article

__all__ = ["citation", "copy", "osc52", "tmux_passthrough"]


def osc52(text: str) -> str:
    """The OSC 52 sequence that sets the system clipboard to ``text``."""
    return f"\x1b]52;c;{base64.b64encode(text.encode('utf-8')).decode('ascii')}\a"


def tmux_passthrough(sequence: str) -> str:
    """``sequence`` wrapped so tmux hands it to the outer terminal (every ESC doubled)."""
    return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"


def citation(passage: str, article: Article) -> str:
    """The passage, then ``— title, source, date, url`` (empty parts left out)."""
    parts = [
        " ".join(article.title.split()),
        article.source.strip(),
        format_date(article.date, article.date_origin),
        article.url.strip(),
    ]
    return f"{passage}\n— {', '.join(part for part in parts if part)}"


def copy(app: App, text: str) -> None:
    """Put ``text`` on the clipboard: Textual's OSC 52, and tmux's passthrough when inside tmux."""
    app.copy_to_clipboard(text)
    # Only in a real terminal: a headless test run has nothing to pass through.
    driver = app._driver  # Textual has no public way to write a raw sequence
    if os.environ.get("TMUX") and driver is not None and not app.is_headless:
        driver.write(tmux_passthrough(osc52(text)))
