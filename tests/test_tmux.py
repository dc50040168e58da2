"""The real program in a real terminal: `reader seeds/` inside tmux at 80×24.

Pilot tests drive the app in-process; this one starts the installed `reader`
command, types at it through tmux and reads the screen back as text. It proves
the entry point starts, loads the seeds, answers keys and quits cleanly.

The polls have generous deadlines; they bound a hang, they time nothing.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
READER = Path(sys.executable).parent / "reader"

TITLE = "美俄谈了7个半小时，_有用_但没啥进展"  # seed 000
CAPTION = "▣ 参与会谈的美国常务副国务卿舍曼"  # its first caption, as the line starts
DEADLINE = 30.0  # seconds, for any one thing to appear on the screen

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Tmux:
    """One detached tmux session on a private server (-L), so nothing else is touched."""

    def __init__(self, tmp_path: Path) -> None:
        self.socket = f"reader-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.session = self.socket
        # No user tmux.conf; no status bar, so the pane is the whole 80×24;
        # a dead pane stays, so a crash leaves its last screen to report.
        self.conf = tmp_path / "tmux.conf"
        self.conf.write_text("set -g status off\nset -g remain-on-exit on\n")

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", str(self.conf), *args],
            capture_output=True, text=True, check=check, timeout=DEADLINE,
        )

    def start(self, command: str, width: int, height: int) -> None:
        self.run("new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height), command)

    def send(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.session, *keys)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session).stdout

    def show(self, fmt: str) -> str:
        return self.run("display-message", "-p", "-t", self.session, fmt).stdout.strip()

    def kill(self) -> None:
        self.run("kill-server", check=False)
        # tmux leaves the socket file of a private server behind; remove ours.
        socket = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}" / self.socket
        socket.unlink(missing_ok=True)

    def wait_for(self, condition: Callable[[str], bool], what: str) -> str:
        """Poll the screen until ``condition(screen)``; fail with the last screen after the deadline."""
        end = time.monotonic() + DEADLINE
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            if condition(screen):
                return screen
            if self.show("#{pane_dead}") == "1":
                pytest.fail(f"reader ended while waiting for {what}:\n{screen}")
            time.sleep(0.1)
        pytest.fail(f"no {what} after {DEADLINE:.0f} s; the screen was:\n{screen}")

    def wait_for_change(self, before: str, what: str) -> str:
        """The screen once it differs from ``before`` and has stopped changing.

        A capture can catch a frame half drawn; taking the first different
        screen could miss a line that the finished frame shows.
        """
        screen = self.wait_for(lambda s: s != before, what)
        end = time.monotonic() + DEADLINE
        while time.monotonic() < end:
            time.sleep(0.2)
            again = self.screen()
            if again == screen:
                return screen
            screen = again
        pytest.fail(f"the screen never settled after {what}; the last one was:\n{screen}")


@pytest.fixture
def tmux(tmp_path):
    session = Tmux(tmp_path)
    try:
        yield session
    finally:
        session.kill()


def test_reader_in_tmux_opens_an_article_pages_to_a_caption_and_quits(tmux, tmp_path):
    assert READER.exists(), f"no reader entry point next to {sys.executable}"
    # Fresh config and state dirs: the user's saved theme is neither read nor overwritten.
    env = {"XDG_CONFIG_HOME": tmp_path / "config", "XDG_STATE_HOME": tmp_path / "state", "XDG_CACHE_HOME": tmp_path / "cache"}
    reader = shlex.join(
        ["env", "-u", "READER_THEME", *(f"{name}={value}" for name, value in env.items()), str(READER), str(SEEDS)]
    )
    # tmux (3.3a at least) does not always reap a dead pane's process, so
    # #{pane_dead_status} can stay empty: a shell around reader records its exit status.
    status_file = tmp_path / "exit-status"
    command = shlex.join(["sh", "-c", f"{reader}; echo $? > {shlex.quote(str(status_file))}"])
    tmux.start(command, 80, 24)
    assert tmux.show("#{pane_width}x#{pane_height}") == "80x24"

    # Not "5 articles so far…", the progress line: the summary after loading.
    screen = tmux.wait_for(lambda s: "5 articles · " in s, "status line with '5 articles · …'")
    assert "5 articles · 4 sources · 0 skipped · loaded in" in screen, screen
    assert TITLE not in screen  # the newest article (002) is open, not 000

    # The cursor starts on 002 under 观察者网; the next article down is 000.
    tmux.send("j")
    tmux.send("Enter")
    # In the article pane, right of the sidebar's edge ▕ (the status line shows the cursor's title too).
    screen = tmux.wait_for(lambda s: any(TITLE in line.partition("▕")[2] for line in s.splitlines()), "title of seed 000 in the article header")
    assert CAPTION not in screen  # the caption is below the first page

    for _ in range(10):
        before = screen
        tmux.send("Space")
        screen = tmux.wait_for_change(before, "page down")
        if CAPTION in screen:
            break
    else:
        pytest.fail(f"no caption after 10 pages; the screen was:\n{screen}")
    # The caption begins its line of the article pane (right of the sidebar's edge ▕).
    article_lines = [line.partition("▕")[2].strip() for line in screen.splitlines()]
    assert any(line.startswith(CAPTION) for line in article_lines), screen

    tmux.send("q")  # back to the sidebar …
    tmux.wait_for(lambda s: "q Quit" in s, "the sidebar's footer, with q Quit")
    tmux.send("q")  # … and from there, quit
    end = time.monotonic() + DEADLINE
    while not (status_file.exists() and status_file.read_text().endswith("\n")):
        if time.monotonic() > end:
            pytest.fail(f"reader still running {DEADLINE:.0f} s after q:\n{tmux.screen()}")
        time.sleep(0.1)
    assert status_file.read_text().strip() == "0", f"reader exited with status {status_file.read_text().strip()}"
    while tmux.show("#{pane_dead}") != "1":  # and with it the session's only program
        if time.monotonic() > end:
            pytest.fail(f"the pane is still alive {DEADLINE:.0f} s after q:\n{tmux.screen()}")
        time.sleep(0.1)
