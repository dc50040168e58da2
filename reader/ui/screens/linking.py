"""The open article's url (o) and its links (L): the part of the main screen that opens them.

MainScreen owns one LinkController and binds o and L to it (``BINDINGS``).
Opening a url goes through reader/ui/browser.py in a thread; where no
browser can be shown the url is copied (OSC 52), and the status line (or the
links list's note line) says which.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding

from ...links import article_links
from ...textwidth import truncate
from ..browser import Opened, open_in_browser
from ..clipboard import copy
from ..widgets.status import StatusLine
from .links import LinksScreen

if TYPE_CHECKING:
    from .main import MainScreen

NO_URL = "this article has no url"
NO_LINKS = "this article has no links"

# Short tooltips: the help must still fit 80×24.
BINDINGS = [
    Binding("o", "open_url", "Open url", id="article.open_url", show=False, tooltip="Open the article's url"),
    Binding("L", "show_links", "Links", id="article.links", show=False, tooltip="The article's links"),
]


class LinkController:
    def __init__(self, screen: MainScreen) -> None:
        self.screen = screen

    def _say(self, note: str) -> None:
        """A note in the status line (cut to fit), until the next thing to say there."""
        status = self.screen.query_one(StatusLine)
        status.update(Text(truncate(note, status.content_region.width or self.screen.size.width - 2)))

    def open_article_url(self) -> None:
        """o: the open article's own url."""
        opened = self.screen.opened
        url = opened.url.strip() if opened is not None else ""
        if not url:
            self.screen.app.bell()
            self._say(NO_URL)
            return
        self.open_url(url, self._say)

    def open_url(self, url: str, report: Callable[[str], None]) -> None:
        """Open ``url`` in the browser, or copy it; then ``report`` says which."""
        app = self.screen.app

        def start() -> None:
            opened = open_in_browser(url)
            app.call_from_thread(self._url_done, url, opened, report)

        self.screen.run_worker(start, thread=True, group="browser", exit_on_error=False)

    def _url_done(self, url: str, opened: Opened, report: Callable[[str], None]) -> None:
        if opened.copy:
            copy(self.screen.app, url)
        report(f"{opened.note}: {url}")

    def show_links(self) -> None:
        """L: the open article's links, in a list of their own."""
        opened = self.screen.opened
        links = article_links(opened)
        if not links:
            self.screen.app.bell()
            self._say(NO_LINKS)
            return
        self.screen.app.push_screen(LinksScreen(links, opened.title, self.open_url))
