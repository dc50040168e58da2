"""LiveFolder: a refresh when the folders change, by watching or by polling, and never a crash.

The refresh here only records why it was called (Catalog.refresh itself is
tested in test_catalog_refresh.py); each test waits, with a deadline, for
what it expects, so none asserts how long anything takes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reader.catalog import watch
from reader.catalog.watch import LiveFolder

DEADLINE = 20.0  # seconds: far more than any of this takes


class Recorder:
    def __init__(self, fail: bool = False) -> None:
        self.reasons: list[str] = []
        self.notices: list[str] = []
        self.errors: list[BaseException] = []
        self.fail = fail
        self.called = threading.Event()

    def refresh(self, why: str) -> None:
        self.reasons.append(why)
        self.called.set()
        if self.fail:
            raise RuntimeError("disk on fire")

    def folder(self, paths, **options) -> LiveFolder:
        return LiveFolder(paths, self.refresh, notice=self.notices.append, failed=self.errors.append, **options)

    def wait_for(self, condition, what: str) -> None:
        deadline = time.monotonic() + DEADLINE
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} after {DEADLINE} s: {self.reasons}")
            time.sleep(0.02)


@pytest.fixture
def live(tmp_path):
    folders: list[LiveFolder] = []

    def make(recorder: Recorder, paths=None, **options) -> LiveFolder:
        folder = recorder.folder(paths or [tmp_path], **options)
        folders.append(folder)
        folder.start()
        return folder

    yield make
    for folder in folders:
        folder.stop(wait=5)
        assert not folder.running


def test_watching_a_new_file_refreshes_and_a_hidden_one_does_not(tmp_path, live):
    recorder = Recorder()
    folder = live(recorder)
    recorder.wait_for(lambda: recorder.reasons == ["start"], "first refresh")
    assert folder.mode == "watching" and recorder.notices == []
    (tmp_path / ".draft.md.swp").write_text("x")
    (tmp_path / "photo.jpg").write_bytes(b"x")
    (tmp_path / "sub").mkdir()
    recorder.wait_for(lambda: "change" in recorder.reasons, "refresh for the new folder")
    count = len(recorder.reasons)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "a.md").write_text("x")
    time.sleep(0.5)  # what the watcher would have reported by now, it has not
    assert len(recorder.reasons) == count
    (tmp_path / "sub" / "new.md").write_text("x")
    recorder.wait_for(lambda: len(recorder.reasons) > count, "refresh for the new article")
    assert recorder.reasons[-1] == "change"


def test_which_changes_matter(tmp_path):
    folder = LiveFolder([tmp_path, tmp_path / "named.txt"], lambda why: None)
    (tmp_path / "photo.jpg").write_bytes(b"x")
    (tmp_path / "a.md").write_text("x")
    (tmp_path / "dir.jpg").mkdir()
    matters = folder._matters
    assert matters(str(tmp_path / "a.md")) and matters(str(tmp_path / "sub" / "B.HTML"))
    assert matters(str(tmp_path / "named.txt"))  # named on the command line: whatever it is
    assert matters(str(tmp_path / "dir.jpg"))  # a folder, whatever its name
    assert matters(str(tmp_path / "gone.jpg"))  # gone: it may have been a folder
    assert matters(str(tmp_path))
    assert not matters(str(tmp_path / "photo.jpg"))
    assert not matters(str(tmp_path / ".git" / "index")) and not matters(str(tmp_path / "sub" / ".a.md.swp"))


def test_polling_refreshes_again_and_again(tmp_path, live):
    recorder = Recorder()
    folder = live(recorder, mode="poll", poll_seconds=0.05)
    recorder.wait_for(lambda: recorder.reasons.count("poll") >= 3, "polls")
    assert folder.mode == "polling" and recorder.reasons[0] == "start"


def test_a_request_refreshes_at_once_however_the_folder_is_watched(tmp_path, live):
    for mode in ("watch", "poll", "off"):
        recorder = Recorder()
        folder = live(recorder, mode=mode, poll_seconds=3600)
        if mode != "off":
            recorder.wait_for(lambda: recorder.reasons == ["start"], f"first refresh ({mode})")
        else:
            time.sleep(0.2)
            assert recorder.reasons == []  # off: nothing but requests
        folder.request()
        recorder.wait_for(lambda: "request" in recorder.reasons, f"requested refresh ({mode})")
        folder.request()
        recorder.wait_for(lambda: recorder.reasons.count("request") == 2, f"second request ({mode})")


def fake_child(tmp_path, monkeypatch, *lines: str, wait: bool = True) -> None:
    """The watch's process replaced by one that says ``lines`` (then waits for its end, or exits)."""
    script = tmp_path / "child.py"
    body = "".join(f"print({line!r}, flush=True)\n" for line in lines)
    script.write_text("import sys\n" + body + ("sys.stdin.read()\n" if wait else ""), encoding="utf-8")
    monkeypatch.setattr(watch, "CHILD", script)


def test_without_watchfiles_it_polls_and_says_so(tmp_path, live, monkeypatch):
    fake_child(tmp_path, monkeypatch, "error ModuleNotFoundError: No module named 'watchfiles'", wait=False)
    recorder = Recorder()
    folder = live(recorder, poll_seconds=0.05)
    recorder.wait_for(lambda: recorder.reasons.count("poll") >= 2, "polls")
    assert folder.mode == "polling" and "install watchfiles" in recorder.notices[0]


@pytest.mark.parametrize("line", [
    'error OSError: OS file watch limit reached. about ["/x/y"] (Error { kind: MaxFilesWatch, paths: ["/x/y"] })',
    "error WatchfilesRustInternalError: Error creating recommended watcher: Too many open files (os error 24)",
])
def test_a_watch_that_cannot_be_set_up_falls_back_to_polling(tmp_path, live, monkeypatch, line):
    fake_child(tmp_path, monkeypatch, line, wait=False)
    recorder = Recorder()
    folder = live(recorder, poll_seconds=0.05)
    recorder.wait_for(lambda: recorder.reasons.count("poll") >= 2, "polls")
    assert folder.mode == "polling" and len(recorder.notices) == 1
    notice = recorder.notices[0]
    assert notice.startswith("The folders cannot be watched (") and "about [" not in notice and "os error" not in notice
    assert ("max_user_watches" in notice) == ("watch limit" in line)
    assert "Error" not in notice and ("error creating recommended watcher: too many" in notice.lower()) != ("watch limit" in line)


def test_a_watch_that_fails_later_falls_back_to_polling(tmp_path, live, monkeypatch):
    change = json.dumps([[1, str(tmp_path / "a.md")]])
    fake_child(tmp_path, monkeypatch, "ready", change, "error WatchfilesRustInternalError: error in underlying watcher: OS file watch limit reached", wait=False)
    recorder = Recorder()
    folder = live(recorder, poll_seconds=0.05)
    recorder.wait_for(lambda: recorder.reasons.count("poll") >= 2, "polls after the failure")
    assert recorder.reasons[:2] == ["start", "change"] and folder.mode == "polling"
    assert "the limit on inotify watches is reached" in recorder.notices[0]


def test_a_watch_whose_process_dies_falls_back_to_polling(tmp_path, live, monkeypatch):
    fake_child(tmp_path, monkeypatch, "ready", wait=False)  # and then it is gone
    recorder = Recorder()
    folder = live(recorder, poll_seconds=0.05)
    recorder.wait_for(lambda: recorder.reasons.count("poll") >= 2, "polls after the watch ended")
    assert folder.mode == "polling" and "the watch ended" in recorder.notices[0]


def test_the_watch_runs_in_a_process_of_its_own_and_ends_with_the_folder(tmp_path, live):
    recorder = Recorder()
    folder = live(recorder)
    recorder.wait_for(lambda: recorder.reasons == ["start"], "first refresh")
    watcher = folder._watcher
    assert watcher is not None and watcher._process.pid != os.getpid() and watcher._process.poll() is None
    folder.stop(wait=5)
    assert watcher._process.poll() is not None  # ended, not left behind


def test_a_failing_refresh_is_reported_and_the_folder_stays_live(tmp_path, live):
    recorder = Recorder(fail=True)
    live(recorder, mode="poll", poll_seconds=0.05)
    recorder.wait_for(lambda: len(recorder.errors) >= 3, "failures")
    assert all(str(error) == "disk on fire" for error in recorder.errors)


def test_a_file_named_on_the_command_line_is_watched_across_an_editors_save(tmp_path, live):
    named = tmp_path / "one.txt"
    named.write_text("first")
    recorder = Recorder()
    live(recorder, [named])
    recorder.wait_for(lambda: recorder.reasons == ["start"], "first refresh")
    saved = tmp_path / "one.txt.new"
    saved.write_text("second")
    os.replace(saved, named)  # a new file under the old name, as editors save
    recorder.wait_for(lambda: "change" in recorder.reasons, "refresh for the save")
    count = len(recorder.reasons)
    time.sleep(0.3)
    named.write_text("third")  # the new file is watched too
    recorder.wait_for(lambda: len(recorder.reasons) > count, "refresh for the next write")


def test_live_mode_comes_from_the_environment(monkeypatch):
    for value, mode in (("off", "off"), ("POLL", "poll"), ("", "watch"), ("nonsense", "watch")):
        monkeypatch.setenv("READER_LIVE", value)
        assert watch.live_mode() == mode


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare")
def test_the_real_watch_limit_falls_back_to_polling(tmp_path):
    """In a user namespace of its own with room for 3 inotify watches, a folder of 10 folders is polled."""
    for number in range(10):
        (tmp_path / f"d{number}").mkdir()
    script = (
        "import sys, threading\n"
        "from reader.catalog.watch import LiveFolder\n"
        "done = threading.Event(); notices = []\n"
        "folder = LiveFolder([sys.argv[1]], lambda why: why == 'poll' and done.set(), notice=notices.append, poll_seconds=0.05)\n"
        "folder.start(); done.wait(20); folder.stop(wait=5)\n"
        "print(folder.mode, done.is_set(), notices)\n"
    )
    limit = "echo 3 > /proc/sys/user/max_inotify_watches"
    probe = subprocess.run(["unshare", "-Ur", "sh", "-c", limit], capture_output=True)
    if probe.returncode:
        pytest.skip("no user namespaces here")
    command = f'{limit} && exec "$0" -c "$1" "$2"'
    result = subprocess.run(["unshare", "-Ur", "sh", "-c", command, sys.executable, script, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("polling True ['The folders cannot be watched (the limit on inotify watches is reached")


def test_costly_refreshes_are_spaced_out(tmp_path, live, monkeypatch):
    """Each refresh said to cost 0.05 s of CPU: polls at least 10 × that apart, however short poll_seconds."""
    monkeypatch.setattr(watch, "POLL_SHARE", 10)
    spent = iter(range(10**6))
    recorder = Recorder()
    folder = recorder.folder([tmp_path], mode="poll", poll_seconds=0.001, cost=lambda: next(spent) * 0.05)
    began = time.monotonic()
    folder.start()
    time.sleep(1.2)
    folder.stop(wait=5)
    elapsed = time.monotonic() - began
    assert 2 <= len(recorder.reasons) <= 1 + elapsed / 0.5


def test_what_a_refresh_costs_counts_the_child_that_walked():
    """A refresh's walk runs in a child (walk_processes.Spawned): its CPU is the refresh's, for the spacing above."""
    before_thread, before = time.thread_time(), watch.refresh_cost()
    subprocess.run([sys.executable, "-c", "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"], check=True)
    spent, own = watch.refresh_cost() - before, time.thread_time() - before_thread
    assert spent >= 0.25 and own < 0.1
