"""Opening a url in the browser, or copying it where no browser can open.

The standard library's ``webbrowser`` chooses the browser. Where it cannot
show one to the reader, the url goes to the clipboard instead (OSC 52, which
travels over SSH): over SSH (``SSH_CONNECTION`` or ``SSH_TTY`` set), where no
browser is found, where the only ones are text browsers (which would take
over the terminal reader is drawing on), or where starting it fails. Every
outcome is one line for the status line.

Choosing and starting a browser can take a while (``webbrowser`` asks
``xdg-settings`` the first time; a remote call to a running Firefox waits up
to 5 s), so ``open_in_browser`` runs in a thread; copying and saying so are
done by the caller on the app's own thread.
"""

from __future__ import annotations

import os
import subprocess
import webbrowser
from collections.abc import Mapping
from dataclasses import dataclass

from ..links import safe_link

__all__ = ["Opened", "over_ssh", "open_in_browser", "TEXT_BROWSERS"]

# Browsers that draw in the terminal they are started from.
TEXT_BROWSERS = frozenset({"lynx", "w3m", "links", "links2", "elinks", "www-browser", "browsh", "carbonyl"})
_COPIED = "copied (OSC 52)"


@dataclass(frozen=True)
class Opened:
    """What became of a url: opened, or to be copied (``copy``), and the words that say so."""

    note: str
    copy: bool = False


def over_ssh(environ: Mapping[str, str] = os.environ) -> bool:
    return bool(environ.get("SSH_CONNECTION") or environ.get("SSH_TTY"))


def _in_terminal(browser: webbrowser.BaseBrowser) -> bool:
    """Whether the browser would draw in this terminal (lynx, w3m, elinks…)."""
    elinks = getattr(webbrowser, "Elinks", None)
    if elinks is not None and isinstance(browser, elinks):
        return True
    name = getattr(browser, "basename", None) or os.path.basename(getattr(browser, "name", "") or "")
    return name in TEXT_BROWSERS


def _start(browser: webbrowser.BaseBrowser, url: str) -> bool:
    if isinstance(browser, webbrowser.GenericBrowser):
        # A plain command (xdg-open, $BROWSER): started here rather than by
        # webbrowser, so that what it prints does not land on reader's screen
        # and a browser that stays in the foreground does not hold this thread.
        command = [browser.name, *(argument.replace("%s", url) for argument in browser.args)]
        try:
            subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                close_fds=True, start_new_session=True,
            )
        except OSError:
            return False
        return True
    return bool(browser.open(url))


def open_in_browser(url: str, environ: Mapping[str, str] = os.environ) -> Opened:
    """Open ``url`` in the browser if one can be shown here; else say it is to be copied, and why."""
    link = safe_link(url)
    if link is None:
        return Opened(f"{_COPIED}, not a web address", copy=True)
    if over_ssh(environ):
        return Opened(f"{_COPIED}, no browser over SSH", copy=True)
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return Opened(f"{_COPIED}, no browser found", copy=True)
    if _in_terminal(browser):
        return Opened(f"{_COPIED}, only a text browser here", copy=True)
    if not _start(browser, link):
        return Opened(f"{_COPIED}, the browser did not start", copy=True)
    return Opened("opened in the browser")
