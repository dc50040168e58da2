"""Folder listings kept between walks (reader.catalog.folders): a walk that trusts one finds what a full walk finds.

Every test compares a walk that uses the kept listing with a walk that lists
every folder (``listing=None``), after the change the test makes. A folder is
kept only when its times are two seconds older than the walk's start; the
``settled`` fixture starts the walks a minute in the future, so that folders
written a moment ago count as settled (except in the tests of that rule).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from reader.catalog import discover, walk_processes
from reader.catalog.discover import WALK_RULES, Discovery, find_files
from reader.catalog.folders import SETTLED_NS, Listed, Listing

FRONT = "---\ntitle: '{title}'\ndate: 2022-01-01 08:00\n---\n<p>{body}</p>\n"


def write(path: Path, title: str = "标题", body: str = "正文。") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FRONT.format(title=title, body=body), encoding="utf-8")
    return path


@pytest.fixture
def settled(monkeypatch):
    """Walks begin a minute from now: every folder written before counts as settled."""
    real = time.time_ns
    monkeypatch.setattr(discover, "time", SimpleNamespace(time_ns=lambda: real() + 60 * 1_000_000_000))


@pytest.fixture
def scans(monkeypatch) -> list[int]:
    """Folders listed (os.scandir calls) in this process since the test began."""
    done: list[int] = []
    real = os.scandir

    def counting(path):
        done.append(1)
        return real(path)

    monkeypatch.setattr(os, "scandir", counting)
    return done


def tree(root: Path) -> Path:
    for number in range(6):
        for name in ("a.md", "b.txt", "c.jpg", ".hidden.md", "deeper/d.html", "空格 name/文章.md"):
            write(root / f"f{number:02d}" / name)
    write(root / "top.md")
    write(root / os.fsdecode(b"latin-1 \xe9t\xe9.md"))  # a name that is not UTF-8
    os.link(root / "f00" / "a.md", root / "f01" / "hard-linked.md")
    write(root / "elsewhere" / "target.md")
    os.symlink(root / "elsewhere", root / "f02" / "link-to-folder")
    os.symlink(root / "elsewhere" / "target.md", root / "f03" / "link-to-file.md")
    os.symlink(root, root / "f04" / "loop")
    (root / "f05" / "folder.md").mkdir()  # a folder with an article's name
    write(root / "f05" / "folder.md" / "inside.md")
    return root


def key(root: Path, below: str) -> str:
    """How a listing names a folder: its root's real path, a slash, its place below the root."""
    return os.path.realpath(root) + "/" + below


def full(root: Path) -> Discovery:
    return find_files([root])


def kept_walk(root: Path, listing: Path, *, parallel: bool = False) -> Discovery:
    """A walk with the listing kept at ``listing``; the listing it leaves is kept there, as the catalog does."""
    found = find_files([root], parallel=parallel, listing=listing)
    if found.listing is not None:
        listing.write_bytes(found.listing.encoded(WALK_RULES))
    return found


def same(one: Discovery, two: Discovery) -> None:
    assert two.relative == one.relative and two.roots == one.roots
    assert two.identity.tolist() == one.identity.tolist()
    assert sorted(map(str, two.problems)) == sorted(map(str, one.problems))


def test_an_unchanged_tree_is_walked_from_the_listing_listing_only_what_it_cannot_trust(tmp_path, settled, scans):
    root = tree(tmp_path / "root")
    listing = tmp_path / "folders"
    first = kept_walk(root, listing)
    same(full(root), first)
    kept = Listing.read(listing, WALK_RULES)
    assert kept is not None and len(kept) > 20
    expected = full(root)
    scans.clear()
    second = kept_walk(root, listing)
    listed = len(scans)
    same(expected, second)
    assert second.listing is None  # nothing new to keep
    assert listed == 0  # every folder is as it was (its links are kept, and stat-ed)


@pytest.mark.parametrize("parallel", [False, True])
@pytest.mark.parametrize(
    "change",
    [
        "a file edited in place", "a file's time touched", "a file added", "a file deleted", "a file renamed",
        "a file moved to another folder", "a file replaced by another", "a folder added", "a folder removed",
        "a folder renamed", "a linked folder pointed elsewhere", "a linked file's target became a folder",
        "a linked folder's target became a file", "a hidden file added", "a file that is no article added",
    ],
)
def test_every_change_since_the_listing_was_kept_is_seen(tmp_path, settled, change, parallel):
    root = tree(tmp_path / "root")
    listing = tmp_path / "folders"
    kept_walk(root, listing)
    kept_walk(root, listing)  # the listing in use, and nothing changed
    target = root / "elsewhere" / "target.md"
    if change == "a file edited in place":
        with open(root / "f01" / "a.md", "a", encoding="utf-8") as file:
            file.write("<p>加一段。</p>\n")
    elif change == "a file's time touched":
        info = (root / "f01" / "a.md").stat()
        os.utime(root / "f01" / "a.md", ns=(info.st_atime_ns, info.st_mtime_ns + 5_000_000_000))
    elif change == "a file added":
        write(root / "f01" / "deeper" / "new.md")
    elif change == "a file deleted":
        (root / "f01" / "deeper" / "d.html").unlink()
    elif change == "a file renamed":
        (root / "f01" / "a.md").rename(root / "f01" / "z.md")
    elif change == "a file moved to another folder":
        (root / "f01" / "a.md").rename(root / "f02" / "deeper" / "moved.md")
    elif change == "a file replaced by another":
        write(tmp_path / "other.md", "另一篇").rename(root / "f01" / "a.md")
    elif change == "a folder added":
        write(root / "f01" / "deeper" / "new folder" / "x.md")
    elif change == "a folder removed":
        for file in (root / "f01" / "deeper").iterdir():
            file.unlink()
        (root / "f01" / "deeper").rmdir()
    elif change == "a folder renamed":
        (root / "f01" / "deeper").rename(root / "f01" / "renamed")
    elif change == "a linked folder pointed elsewhere":
        (root / "f02" / "link-to-folder").unlink()
        (root / "f02" / "link-to-folder").symlink_to(root / "f00")
    elif change == "a linked file's target became a folder":
        target.unlink()
        write(target / "now-a-folder.md")  # f03 itself has not changed: its link is kept, and stat-ed
    elif change == "a linked folder's target became a file":
        for file in (root / "elsewhere").iterdir():
            if file.is_dir():
                continue
            file.unlink()
        (root / "elsewhere").rmdir()
        write(root / "elsewhere")  # f02's link now names a file (not an article: its name has no suffix)
    elif change == "a hidden file added":
        write(root / "f01" / ".another.md")
    elif change == "a file that is no article added":
        write(root / "f01" / "picture.png")
    after = kept_walk(root, listing, parallel=parallel)
    same(full(root), after)
    same(full(root), kept_walk(root, listing, parallel=parallel))  # and the listing it left is right too


def test_a_folder_written_a_moment_ago_is_not_kept(tmp_path):
    root = tmp_path / "root"
    write(root / "a" / "x.md")
    found = find_files([root], listing=tmp_path / "folders")
    assert found.listing is None  # nothing settled: nothing to keep


def test_a_folder_is_kept_once_its_times_are_two_seconds_old(tmp_path, monkeypatch):
    root = tmp_path / "root"
    write(root / "a" / "x.md")
    info = (root / "a").stat()
    newest = max(info.st_mtime_ns, info.st_ctime_ns)  # "a" changed last (x.md), after the top folder
    at = [newest + SETTLED_NS]  # not more than two seconds after: not settled
    monkeypatch.setattr(discover, "time", SimpleNamespace(time_ns=lambda: at[0]))
    early = find_files([root], listing=tmp_path / "folders").listing
    assert early is None or key(root, "a") not in early.folders()
    at[0] = newest + SETTLED_NS + 1
    kept = find_files([root], listing=tmp_path / "folders").listing
    assert kept is not None and set(kept.folders()) == {key(root, ""), key(root, "a")}


def test_a_folder_dated_in_the_future_is_never_kept(tmp_path, settled):
    root = tmp_path / "root"
    write(root / "a" / "x.md")
    future = time.time_ns() + 3600 * 1_000_000_000
    os.utime(root / "a", ns=(future, future))
    kept = find_files([root], listing=tmp_path / "folders").listing
    assert kept is not None and key(root, "a") not in kept.folders() and key(root, "") in kept.folders()


def test_a_folder_with_a_link_the_walk_does_not_keep_or_a_problem_is_listed_every_time(tmp_path, settled):
    root = tmp_path / "root"
    write(root / "plain" / "x.md")
    write(root / "odd" / "x.md")
    os.symlink(tmp_path / "nowhere", root / "odd" / "broken")  # could become a folder without "odd" changing
    write(root / "bad" / "x.md")
    os.symlink(tmp_path / "nowhere.md", root / "bad" / "dangling.md")  # a problem: reported at every walk
    kept = find_files([root], listing=tmp_path / "folders").listing
    assert kept is not None
    assert key(root, "plain") in kept.folders()
    assert key(root, "odd") not in kept.folders() and key(root, "bad") not in kept.folders()


def test_the_listing_file_keeps_every_name_and_refuses_what_does_not_add_up(tmp_path):
    odd = os.fsdecode(b"latin-1 \xe9t\xe9.md")
    listing = Listing({
        "/a": Listed((1, 2, 3, 4), ("x.md", odd, "空格 name.md"), ("sub", "new\nline")),
        "/a/sub": Listed((1, 5, 6, 7), (), ()),
    })
    data = listing.encoded(WALK_RULES)
    back = Listing.decoded(data, WALK_RULES)
    assert back is not None and back.folders() == ["/a", "/a/sub"]
    assert back.get("/a") == listing.get("/a") and back.get("/a/sub") == listing.get("/a/sub") and back.get("/b") is None
    assert Listing.decoded(Listing().encoded(WALK_RULES), WALK_RULES).folders() == []
    assert Listing.decoded(data, WALK_RULES + " .xml") is None  # made under other rules
    assert Listing.decoded(data[:-1], WALK_RULES) is None
    assert Listing.decoded(b"RDRLST01" + data[8:], WALK_RULES) is None  # the first format
    assert Listing.decoded(b"RDRLST99" + data[8:], WALK_RULES) is None
    for at in (*range(8, 32), len(data) // 2, len(data) - 1):  # every byte of the header, and the body
        damaged = bytearray(data)
        damaged[at] ^= 0x01
        assert Listing.decoded(bytes(damaged), WALK_RULES) is None
    assert Listing.decoded(b"", WALK_RULES) is None
    assert Listing.read(tmp_path / "none", WALK_RULES) is None
    (tmp_path / "folder").mkdir()
    assert Listing.read(tmp_path / "folder", WALK_RULES) is None


def test_a_damaged_listing_file_means_listing_every_folder(tmp_path, settled, scans):
    root = tree(tmp_path / "root")
    listing = tmp_path / "folders"
    kept_walk(root, listing)
    data = bytearray(listing.read_bytes())
    data[len(data) // 2] ^= 0x01
    listing.write_bytes(data)
    expected = full(root)
    scans.clear()
    found = kept_walk(root, listing)
    assert len(scans) > 20 and found.listing is not None  # listed again, and a good listing kept
    same(expected, found)


def test_the_app_and_commands_keep_the_listing_in_the_cache_and_a_later_start_sees_every_change(tmp_path):
    """End to end, with real times: folders settle for two seconds before the listing trusts them."""
    root = tmp_path / "news"
    for number in range(20):
        write(root / f"2022-{number % 4 + 1:02d}" / f"a{number:02d}.md", f"文章{number}", f"北约第{number}段。")
    env = {**os.environ, "READER_CACHE_DIR": str(tmp_path / "cache")}

    def find(query: str) -> list[str]:
        done = subprocess.run([sys.executable, "-m", "reader.cli", "find", str(root), query, "--limit", "0"],
                              capture_output=True, text=True, env=env, timeout=60)
        assert "internal error" not in done.stderr
        return sorted(line.strip() for line in done.stdout.splitlines() if line.strip().startswith(str(root)))

    time.sleep(SETTLED_NS / 1e9 + 0.2)
    assert len(find("北约")) == 20
    (listing,) = (tmp_path / "cache").glob("v1/*/folders")
    assert len(Listing.read(listing, WALK_RULES)) == 5  # the top and its four folders
    with open(root / "2022-01" / "a00.md", "a", encoding="utf-8") as file:
        file.write("<p>核战争打不得。</p>\n")  # in place: its folder's times stay as they were
    write(root / "2022-02" / "new.md", "新文章", "核战争的新段落。")
    (root / "2022-03" / "a02.md").unlink()
    assert find("核战争") == [str(root / "2022-01" / "a00.md"), str(root / "2022-02" / "new.md")]
    assert len(find("北约")) == 19


def test_a_folder_whose_times_were_set_back_is_not_kept_until_its_change_time_has_settled(tmp_path):
    root = tmp_path / "root"
    write(root / "a" / "x.md")
    past = time.time_ns() - 3600 * 1_000_000_000
    for folder in (root, root / "a"):
        os.utime(folder, ns=(past, past))  # mtime an hour ago; ctime is now, and nothing can set it back
    assert find_files([root], listing=tmp_path / "folders").listing is None


def test_a_change_hidden_by_setting_a_folders_time_back_is_seen(tmp_path, settled):
    root = tree(tmp_path / "root")
    listing = tmp_path / "folders"
    kept_walk(root, listing)
    folder = root / "f01"
    before = folder.stat()
    write(folder / "slipped-in.md")
    os.utime(folder, ns=(before.st_atime_ns, before.st_mtime_ns))  # as rsync -t or tar would leave it
    assert folder.stat().st_mtime_ns == before.st_mtime_ns
    after = kept_walk(root, listing)
    same(full(root), after)
    assert "f01/slipped-in.md" in after.relative


def test_a_walk_in_a_process_of_its_own_uses_and_leaves_the_listing_as_a_walk_here_does(tmp_path, settled):
    """The app walks in a child process (walk_processes.Spawned): it reads the listing and sends back the one to keep."""
    root = tree(tmp_path / "root")
    listing = tmp_path / "folders"
    here = find_files([root], listing=listing)
    # The child's clock is its own (no fixture there): folders written a moment ago are not settled for it.
    spawned = walk_processes.Spawned([root], listing).finish()
    same(here, spawned)
    assert spawned.listing is None
    listing.write_bytes(here.listing.encoded(WALK_RULES))
    write(root / "f01" / "new.md")
    spawned = walk_processes.Spawned([root], listing).finish()
    same(full(root), spawned)
    assert "f01/new.md" in spawned.relative
    assert spawned.listing is not None and key(root, "f01") not in spawned.listing.folders()  # changed a moment ago
    assert key(root, "f02") in spawned.listing.folders()  # still as the listing had it


def test_the_listing_serves_the_folder_however_it_is_named(tmp_path, settled, scans, monkeypatch):
    root = tree(tmp_path / "root")
    listing = tmp_path / "folders"
    kept_walk(root, listing)
    (tmp_path / "via-a-link").symlink_to(root)
    monkeypatch.chdir(tmp_path)
    for spelled in (Path("root"), tmp_path / "via-a-link", Path("./root/../root")):
        expected = full(spelled)
        scans.clear()
        found = kept_walk(spelled, listing)
        assert len(scans) == 0 and found.listing is None, spelled
        same(expected, found)
