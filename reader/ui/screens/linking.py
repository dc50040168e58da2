"""The open article's url (o) and its links (L): the part of the main screen that opens them.

MainScreen inherits it. Opening a url goes through reader/ui/browser.py in a
thread; where no browser can be shown the url is copied (OSC 52), and the
status line (or the links list's note line) says which.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen

from ...links import article_links
from ...textwidth import truncate
from ..browser import Opened, open_in_browser
from ..clipboard import copy
from ..widgets.status import StatusLine
from .links import LinksScreen

NO_URL = "this article has no url"
NO_LINKS = "this article has no links"


class LinkingScreen(Screen):
    # Short tooltips: the help must still fit 80×24.
    BINDINGS = [
        Binding("o", "open_url", "Open url", id="article.open_url", show=False, tooltip="Open the article's url"),
        Binding("L", "show_links", "Links", id="article.links", show=False, tooltip="The article's links"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("open_url", "show_links"):
            return self.opened is not None
        return super().check_action(action, parameters)

    def _say(self, note: str) -> None:
        """A note in the status line (cut to fit), until the next thing to say there."""
        status = self.query_one(StatusLine)
        status.update(Text(truncate(note, status.content_region.width or self.size.width - 2)))

    def action_open_url(self) -> None:
        url = self.opened.url.strip() if self.opened is not None else ""
        if not url:
            self.app.bell()
            self._say(NO_URL)
            return
        self.open_url(url, self._say)

    def open_url(self, url: str, report: Callable[[str], None]) -> None:
        """Open ``url`` in the browser, or copy it; then ``report`` says which."""

        def start() -> None:
            opened = open_in_browser(url)
            self.app.call_from_thread(self._url_done, url, opened, report)

        self.run_worker(start, thread=True, group="browser", exit_on_error=False)

    def _url_done(self, url: str, opened: Opened, report: Callable[[str], None]) -> None:
        if opened.copy:
            copy(self.app, url)
        report(f"{opened.note}: {url}")

    def action_show_links(self) -> None:
        links = article_links(self.opened)
        if not links:
            self.app.bell()
            self._say(NO_LINKS)
            return
        self.app.push_screen(LinksScreen(links, self.opened.title, self.open_url))
