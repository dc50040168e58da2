"""find_files(): which files under the named paths are article candidates, in what order."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from reader.catalog.discover import Discovery, find_files
from reader.parse.load import ArticleError, load_article

ARTICLE = "---\ntitle: 测试文章\n---\n<p>正文</p>\n"


def write(path: Path, text: str = ARTICLE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def rel(found: Discovery, root: Path) -> list[str]:
    return [path.relative_to(root).as_posix() for path in found.files]


def real_files(found: Discovery) -> list[Path]:
    return [path.resolve() for path in found.files]


def assert_each_file_once(found: Discovery) -> None:
    keys = [(info.st_dev, info.st_ino) for info in (path.stat() for path in found.files)]
    assert len(keys) == len(set(keys)), found.files


def problem_reasons(found: Discovery) -> dict[Path, str]:
    return {path: reason for path, reason in found.problems}


# --- Which names count as articles -------------------------------------------


@pytest.mark.parametrize(
    ("name", "is_article"),
    [
        ("a.md", True),
        ("b.markdown", True),
        ("c.txt", True),
        ("d.html", True),
        ("e.htm", True),
        ("F.MD", True),
        ("G.Html", True),
        ("H.TXT", True),
        ("I.MarkDown", True),
        ("j.HTM", True),
        ("报道 一.md", True),
        ("archive.2021.txt", True),
        ("k.jpg", False),
        ("l.pdf", False),
        ("m.json", False),
        ("n.md.bak", False),
        ("o.txt~", False),
        ("md", False),
        ("p.mdx", False),
        ("q.xhtml", False),
        ("README", False),
    ],
)
def test_article_suffixes_in_folders_are_case_insensitive(tmp_path, name, is_article):
    write(tmp_path / "keep.md")
    write(tmp_path / name)
    found = find_files([tmp_path])
    assert (name in rel(found, tmp_path)) is is_article
    assert "keep.md" in rel(found, tmp_path)
    assert found.problems == []


@pytest.mark.parametrize("name", ["notes.rst", "photo.jpg", "README", "data.json", "article.md.bak", "page.md"])
def test_file_named_on_command_line_is_taken_whatever_its_suffix(tmp_path, name):
    path = write(tmp_path / name)
    found = find_files([path])
    assert found.files == [path]
    assert found.problems == []


def test_binary_called_md_is_found_by_name_but_refused_by_content(tmp_path):
    photo = tmp_path / "photo.md"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(32))
    good = write(tmp_path / "story.md")
    found = find_files([tmp_path])
    assert found.files == [photo, good]
    with pytest.raises(ArticleError) as caught:
        load_article(photo)
    assert caught.value.reason and "\n" not in caught.value.reason
    assert load_article(good).title == "测试文章"


# --- Hidden entries ----------------------------------------------------------


def test_hidden_files_and_folders_are_skipped(tmp_path):
    for name in [".hidden.md", "._resource-fork.md", ".git/config.md", ".obsidian/a.md",
                 "sub/.cache/b.md", "sub/.draft.txt", "sub/.deep/er/c.md"]:
        write(tmp_path / name)
    write(tmp_path / "visible.md")
    write(tmp_path / "sub" / "shown.txt")
    write(tmp_path / "sub" / "not.hidden.md")
    found = find_files([tmp_path])
    assert rel(found, tmp_path) == ["visible.md", "sub/not.hidden.md", "sub/shown.txt"]
    assert found.problems == []


def test_symlink_into_a_hidden_folder_under_a_hidden_name_is_skipped(tmp_path):
    write(tmp_path / "elsewhere" / "x.md")
    root = tmp_path / "root"
    write(root / "a.md")
    os.symlink(tmp_path / "elsewhere", root / ".link")
    found = find_files([root])
    assert rel(found, root) == ["a.md"]


# --- Symbolic links ------------------------------------------------------------


def test_symlink_to_parent_folder_terminates_and_lists_each_file_once(tmp_path):
    root = tmp_path / "root"
    write(root / "a.md")
    write(root / "sub" / "b.md")
    os.symlink("..", root / "sub" / "up")
    os.symlink(".", root / "sub" / "self")
    os.symlink(root, root / "sub" / "absolute-root")
    found = find_files([root])
    assert sorted(real_files(found)) == sorted([(root / "a.md").resolve(), (root / "sub" / "b.md").resolve()])
    assert len(found.files) == 2
    assert found.problems == []


def test_symlink_cycle_between_sibling_folders_terminates(tmp_path):
    write(tmp_path / "a" / "one.md")
    write(tmp_path / "b" / "two.md")
    os.symlink("../b", tmp_path / "a" / "to_b")
    os.symlink("../a", tmp_path / "b" / "to_a")
    found = find_files([tmp_path])
    assert sorted(p.name for p in found.files) == ["one.md", "two.md"]
    assert_each_file_once(found)


def test_symlink_to_a_folder_outside_is_followed(tmp_path):
    write(tmp_path / "outside" / "x.md")
    write(tmp_path / "outside" / "deeper" / "y.txt")
    root = tmp_path / "root"
    write(root / "a.md")
    os.symlink(tmp_path / "outside", root / "linked")
    found = find_files([root])
    assert set(rel(found, root)) == {"a.md", "linked/x.md", "linked/deeper/y.txt"}


def test_symlinked_article_file_is_followed(tmp_path):
    write(tmp_path / "outside" / "real.md")
    root = tmp_path / "root"
    root.mkdir()
    os.symlink(tmp_path / "outside" / "real.md", root / "link.md")
    found = find_files([root])
    assert found.files == [root / "link.md"]


def test_file_reached_through_a_symlink_and_directly_is_read_once(tmp_path):
    write(tmp_path / "a.md")
    os.symlink("a.md", tmp_path / "b.md")
    os.symlink(tmp_path / "a.md", tmp_path / "c.md")
    found = find_files([tmp_path])
    assert len(found.files) == 1
    assert found.files[0].resolve() == (tmp_path / "a.md").resolve()


def test_folder_reached_through_a_symlink_and_directly_is_walked_once(tmp_path):
    write(tmp_path / "real" / "x.md")
    write(tmp_path / "real" / "y.md")
    os.symlink("real", tmp_path / "alias")
    found = find_files([tmp_path])
    assert sorted(p.name for p in found.files) == ["x.md", "y.md"]
    assert_each_file_once(found)


def test_hard_links_are_read_once(tmp_path):
    original = write(tmp_path / "a.md")
    os.link(original, tmp_path / "b.md")
    (tmp_path / "sub").mkdir()
    os.link(original, tmp_path / "sub" / "c.md")
    found = find_files([tmp_path])
    assert found.files == [original]


@pytest.mark.parametrize("suffix", [".md", ".markdown", ".TXT", ".html", ".htm"])
def test_dangling_symlink_with_article_suffix_is_a_problem(tmp_path, suffix):
    write(tmp_path / "ok.md")
    dangling = tmp_path / f"gone{suffix}"
    os.symlink(tmp_path / "does-not-exist.md", dangling)
    found = find_files([tmp_path])
    assert found.files == [tmp_path / "ok.md"]
    assert problem_reasons(found) == {dangling: "broken symbolic link"}


def test_dangling_symlink_without_article_suffix_is_not_listed(tmp_path):
    write(tmp_path / "ok.md")
    os.symlink(tmp_path / "nowhere", tmp_path / "gone.jpg")
    os.symlink(tmp_path / "nowhere", tmp_path / "gone-folder")
    found = find_files([tmp_path])
    assert found.files == [tmp_path / "ok.md"]


def test_dangling_symlink_named_on_command_line_is_a_problem(tmp_path):
    dangling = tmp_path / "gone.md"
    os.symlink(tmp_path / "nowhere.md", dangling)
    found = find_files([dangling])
    assert found.files == []
    assert [path for path, _ in found.problems] == [dangling]
    assert found.problems[0][1] in {"broken symbolic link", "no such file or folder"}


def test_self_referencing_symlink_is_a_problem_not_a_crash(tmp_path):
    write(tmp_path / "ok.md")
    os.symlink("loop.md", tmp_path / "loop.md")
    found = find_files([tmp_path])
    assert found.files == [tmp_path / "ok.md"]
    assert [path for path, _ in found.problems] == [tmp_path / "loop.md"]
    assert found.problems[0][1]


# --- Duplicates on the command line -------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["a.md", "a.md"], {"a.md"}),
        (["a.md", "./a.md", "sub/../a.md"], {"a.md"}),
        (["a.md", ".", "a.md"], {"a.md", "sub/b.md"}),
        ([".", "a.md"], {"a.md", "sub/b.md"}),
        ([".", "."], {"a.md", "sub/b.md"}),
        ([".", "sub"], {"a.md", "sub/b.md"}),
        (["sub", "."], {"a.md", "sub/b.md"}),
        (["sub/b.md", "sub", "."], {"a.md", "sub/b.md"}),
        (["alias", "sub"], {"sub/b.md"}),
        (["alias", "."], {"a.md", "sub/b.md"}),
        (["alias/b.md", "sub/b.md"], {"sub/b.md"}),
    ],
)
def test_same_file_named_twice_or_with_its_folder_is_read_once(tmp_path, args, expected):
    write(tmp_path / "a.md")
    write(tmp_path / "sub" / "b.md")
    os.symlink("sub", tmp_path / "alias")
    found = find_files([tmp_path / arg for arg in args])
    assert_each_file_once(found)
    assert len(found.files) == len(expected)
    assert set(real_files(found)) == {(tmp_path / name).resolve() for name in expected}
    assert found.problems == []


def test_file_first_then_its_folder_keeps_the_named_order(tmp_path):
    a = write(tmp_path / "a.md")
    b = write(tmp_path / "b.md")
    found = find_files([b, tmp_path])
    assert found.files == [b, a]


# --- Problems --------------------------------------------------------------------


def test_missing_path_is_a_problem_and_the_rest_is_still_found(tmp_path):
    present = write(tmp_path / "here" / "a.md")
    missing = tmp_path / "not-here"
    missing_file = tmp_path / "here" / "nope.md"
    found = find_files([missing, tmp_path / "here", missing_file])
    assert found.files == [present]
    assert found.problems == [(missing, "no such file or folder"), (missing_file, "no such file or folder")]


def test_file_used_as_a_folder_is_a_problem(tmp_path):
    plain = write(tmp_path / "a.md")
    found = find_files([plain / "child.md"])
    assert found.files == []
    assert [path for path, _ in found.problems] == [plain / "child.md"]


def test_fifo_is_not_a_file_to_read(tmp_path):
    write(tmp_path / "ok.md")
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    found = find_files([tmp_path])
    assert found.files == [tmp_path / "ok.md"]
    named = find_files([fifo])
    assert named.files == []
    assert [path for path, _ in named.problems] == [fifo]


def test_unreadable_folder_is_a_problem_not_a_crash(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not block reads")
    ok = write(tmp_path / "a.md")
    locked = tmp_path / "locked"
    write(locked / "secret.md")
    locked.chmod(0)
    try:
        found = find_files([tmp_path])
    finally:
        locked.chmod(0o755)
    assert found.files == [ok]
    assert [path for path, _ in found.problems] == [locked]
    assert found.problems[0][1]


def test_unreadable_folder_named_directly_is_a_problem(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not block reads")
    locked = tmp_path / "locked"
    write(locked / "secret.md")
    locked.chmod(0)
    try:
        found = find_files([locked])
    finally:
        locked.chmod(0o755)
    assert found.files == []
    assert [path for path, _ in found.problems] == [locked]


# --- Order ---------------------------------------------------------------------


def test_files_within_a_folder_are_in_sorted_order(tmp_path):
    names = ["b.md", "a.md", "c.txt", "10.md", "2.md", "B.md", "中文.md", "Z.html", "a b.md"]
    for name in names:
        write(tmp_path / name)
    found = find_files([tmp_path])
    assert rel(found, tmp_path) == sorted(names)


def test_order_does_not_depend_on_creation_order(tmp_path):
    names = ["x/3.md", "x/1.md", "y/z/9.txt", "y/a.md", "top.md", "x/2.md", "w.html", "y/z/0.md"]
    first, second = tmp_path / "first", tmp_path / "second"
    for name in names:
        write(first / name)
    for name in reversed(names):
        write(second / name)
    listing = rel(find_files([first]), first)
    assert sorted(listing) == sorted(names)
    assert listing == rel(find_files([second]), second)
    assert listing == rel(find_files([first]), first)  # and the same on a second run
    for folder in {str(Path(name).parent) for name in names}:
        inside = [name for name in listing if str(Path(name).parent) == folder]
        assert inside == sorted(inside)


def test_paths_are_taken_in_the_order_named(tmp_path):
    write(tmp_path / "a" / "1.md")
    write(tmp_path / "b" / "1.md")
    single = write(tmp_path / "c.md")
    found = find_files([tmp_path / "b", single, tmp_path / "a"])
    assert found.files == [tmp_path / "b" / "1.md", single, tmp_path / "a" / "1.md"]


# --- Deep trees and odd names ------------------------------------------------------------


def _stack_depth() -> int:
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


def test_deep_tree_does_not_hit_recursion_limits(tmp_path):
    # Not much deeper: pytest's own tmp_path cleanup (shutil.rmtree) recurses on 3.11.
    depth = 300
    folder = tmp_path
    for level in range(depth):
        folder = folder / "d"
        folder.mkdir()
        if level % 50 == 0 or level == depth - 1:
            write(folder / f"level{level}.md")
    expected = {f"level{level}.md" for level in range(depth) if level % 50 == 0 or level == depth - 1}
    limit = sys.getrecursionlimit()
    # Far fewer frames than folders: a recursive walk would fail here.
    sys.setrecursionlimit(_stack_depth() + 100)
    try:
        found = find_files([tmp_path])
    finally:
        sys.setrecursionlimit(limit)
    assert {path.name for path in found.files} == expected
    assert len(found.files) == len(expected)
    assert found.problems == []
    deepest = [path for path in found.files if path.name == f"level{depth - 1}.md"]
    assert len(deepest) == 1 and len(deepest[0].relative_to(tmp_path).parts) == depth + 1


@pytest.mark.parametrize(
    "name",
    [
        "with spaces.md",
        "  leading and trailing  .md",
        "美国副国务卿 谢尔曼.md",
        "line\nbreak.md",
        "tab\there.txt",
        "新\n闻/报道 一.html",
        "folder with spaces/内容.txt",
        "emoji 🙂/a.md",
        "quote'\"s.md",
        "back\\slash.md",
    ],
)
def test_names_with_spaces_cjk_and_newlines(tmp_path, name):
    path = write(tmp_path / name)
    found = find_files([tmp_path])
    assert found.files == [path]
    assert found.problems == []
    assert find_files([path]).files == [path]
    assert load_article(found.files[0]).title == "测试文章"


# --- The walk in two processes ---------------------------------------------------------


def test_the_walk_in_two_processes_finds_what_one_walk_finds(tmp_path, monkeypatch):
    import numpy as np

    forks = []
    real_fork = os.fork
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or real_fork())

    root = tmp_path / "root"
    for number in range(24):
        for name in ("a.md", "b.txt", "c.jpg", ".hidden.md", "deeper/d.html"):
            write(root / f"f{number:02d}" / name)
    os.link(root / "f00" / "a.md", root / "f13" / "hard-linked.md")  # the same file in both halves
    os.symlink(root / "f02", root / "f07" / "link-to-f02")  # a folder reached twice
    os.symlink(root / "missing.md", root / "f09" / "dangling.md")
    write(root / "top.md")
    one, two = find_files([root]), find_files([root], parallel=True)
    assert two.paths == one.paths and two.relative == one.relative and two.roots == one.roots
    assert np.array_equal(two.identity, one.identity)
    assert sorted(map(str, two.problems)) == sorted(map(str, one.problems)) and one.problems
    assert len(one.paths) == 24 * 3 + 1  # hidden skipped, images not articles, each file once
    assert forks == [1]  # it really was two processes


def test_a_small_folder_is_walked_in_one_process(tmp_path, monkeypatch):
    write(tmp_path / "one" / "a.md")
    monkeypatch.setattr(os, "fork", lambda: (_ for _ in ()).throw(AssertionError("forked")))
    assert [p.name for p in find_files([tmp_path], parallel=True).files] == ["a.md"]


def _many_folders(root, count: int = 30) -> None:
    for number in range(count):
        write(root / f"f{number:02d}" / "a.md")
        write(root / f"f{number:02d}" / "deeper" / "b.md")


def test_a_walk_started_ahead_and_finished_later_finds_what_one_walk_finds(tmp_path):
    import time

    from reader.catalog.discover import start_walk

    _many_folders(tmp_path)
    one = find_files([tmp_path])
    walking = start_walk([tmp_path])
    assert walking._child  # a child walks from the start
    time.sleep(0.2)  # the child has most likely taken every block by now
    ahead = walking.finish()
    assert ahead.paths == one.paths and ahead.identity.tolist() == one.identity.tolist()


def test_what_a_killed_child_took_is_walked_by_the_parent(tmp_path):
    import signal

    from reader.catalog.discover import start_walk

    _many_folders(tmp_path)
    one = find_files([tmp_path])
    walking = start_walk([tmp_path])
    os.kill(walking._child, signal.SIGKILL)
    assert walking.finish().paths == one.paths


def test_a_cancelled_walk_leaves_no_child_behind(tmp_path):
    from reader.catalog.discover import start_walk

    _many_folders(tmp_path)
    walking = start_walk([tmp_path])
    child = walking._child
    walking.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(child, 0)  # reaped already


def test_a_walk_cancelled_after_it_finished_ends_nothing_and_closes_nothing(tmp_path):
    """The child is reaped and its descriptors closed by finish(): their numbers may be another's by then."""
    from reader.catalog.discover import start_walk

    _many_folders(tmp_path)
    walking = start_walk([tmp_path])
    assert walking._child  # a forked child shares this walk
    found = walking.finish()
    with open(tmp_path / "opened-after", "w+b") as other:  # likely takes a number the walk's descriptors had
        walking.cancel()
        other.write(b"still open")
        other.seek(0)
        assert other.read() == b"still open"
    assert found.paths == find_files([tmp_path]).paths


def test_the_command_line_starts_its_walk_before_importing_numpy(tmp_path):
    """The walk's child forks from a small process, and walks while the rest of reader is imported."""
    import subprocess
    import sys

    _many_folders(tmp_path)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from reader.cli.main import _walk_ahead\n"
        f"walking = _walk_ahead([Path({str(tmp_path)!r})])\n"
        "print('numpy' in sys.modules, type(walking).__name__)\n"
        "print(len(walking.finish().paths))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "Split", "60"]


# --- The walk of a process with threads: in a child it starts -------------------------------


def _messy_tree(root: Path) -> None:
    for number in range(12):
        for name in ("a.md", "b.txt", "c.jpg", ".hidden.md", "deeper/d.html", "空格 name/文章.md"):
            write(root / f"f{number:02d}" / name)
    os.link(root / "f00" / "a.md", root / "f07" / "hard-linked.md")  # the same file twice
    os.symlink(root / "f02", root / "f05" / "link-to-f02")  # a folder reached twice
    os.symlink(root, root / "f03" / "loop")  # a loop
    os.symlink(root / "missing.md", root / "f09" / "dangling.md")
    write(root / "new\nline.md")
    write(root / os.fsdecode(b"latin-1 \xe9t\xe9.md"))  # a name that is not UTF-8
    write(root / "top.md")


def _same(one: Discovery, two: Discovery) -> None:
    assert two.paths == one.paths and two.relative == one.relative and two.roots == one.roots
    assert two.identity.tolist() == one.identity.tolist() and two.spellings == one.spellings
    assert sorted(map(str, two.problems)) == sorted(map(str, one.problems))


def test_a_process_with_threads_walks_in_a_child_and_finds_what_one_walk_finds(tmp_path, monkeypatch):
    import threading

    from reader.catalog import discover, walk_processes

    root = tmp_path / "root"
    _messy_tree(root)
    named = root / "f01" / "a.md"
    paths = [root, named, tmp_path / "nothing here"]  # a folder, a file named twice over, a missing path
    one = find_files(paths)
    assert one.problems and len(one.paths) == 12 * 4 + 3  # each file once, the named one where it came first
    spawned = []
    real = walk_processes.Spawned.__init__
    monkeypatch.setattr(walk_processes.Spawned, "__init__", lambda self, p, *more: spawned.append(1) or real(self, p, *more))
    monkeypatch.setattr(os, "fork", lambda: (_ for _ in ()).throw(AssertionError("forked")))
    release = threading.Event()
    other = threading.Thread(target=release.wait)  # the app's interface, say
    other.start()
    try:
        walking = discover.start_walk(paths, parallel=True)
        assert isinstance(walking, walk_processes.Spawned) and walking._process is not None
        _same(one, walking.finish())
        _same(find_files([root], parallel=True), find_files([root]))
    finally:
        release.set()
        other.join()
    assert spawned == [1, 1]


def test_a_child_that_fails_leaves_the_walk_to_this_process(tmp_path, monkeypatch):
    from reader.catalog import walk_processes

    _messy_tree(tmp_path)
    one = find_files([tmp_path])
    monkeypatch.setattr(walk_processes, "WALK_CHILD", tmp_path / "no such script.py")  # the child exits 2
    walking = walk_processes.Spawned([tmp_path])
    assert walking._process is not None
    _same(one, walking.finish())
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no python"))  # it cannot even start
    walking = walk_processes.Spawned([tmp_path])
    assert walking._process is None
    _same(one, walking.finish())


def test_a_short_answer_from_the_child_is_not_taken(tmp_path):
    from reader.catalog import discover, walk_processes

    _messy_tree(tmp_path)
    walk = discover._walked([tmp_path])
    whole = walk_processes.packed(walk)
    assert len(walk_processes.unpacked(whole)[0].relative) == len(walk.relative)
    walk.numbers = walk.numbers[:-4]  # one file's numbers missing
    with pytest.raises(ValueError):
        walk_processes.unpacked(walk_processes.packed(walk))


def test_a_cancelled_child_walk_leaves_no_process_behind(tmp_path):
    from reader.catalog import walk_processes

    _many_folders(tmp_path)
    walking = walk_processes.Spawned([tmp_path])
    process = walking._process
    walking.cancel()
    assert process.returncode is not None  # killed and reaped
    walking.cancel()  # twice is harmless
