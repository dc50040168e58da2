"""The catalog and its cache: what is read again, what is not, and a cache that never lies.

Every test loads a small folder twice or more through reader.catalog.Catalog
with a cache folder of its own, and counts the files actually parsed (by
wrapping reading.read_one, which every read goes through). A change on disk
must show as it is now; an unchanged file must not be read again.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

import hostile
from conftest import copy_of_the_seeds
from reader.catalog import Catalog
from reader.catalog import reading
from reader.search.engine import search
from reader.store.cache import MANIFEST, VERSION_DIR, describe

FRONT = "---\ntitle: '{title}'\ndate: 2022-01-{day:02d} 08:00\ncategories: [新媒体, 测试社, 国际]\n---\n<p>{body}</p>\n"


def article(title: str, body: str = "正文。", day: int = 1) -> str:
    return FRONT.format(title=title, body=body, day=day)



@pytest.fixture(autouse=True, params=["folders as written", "folders settled"])
def walk_clock(request, monkeypatch):
    """Every test twice: as it comes (folders written a moment ago are listed at every walk), and with
    the walks starting a minute later, so that each walk trusts the folder listing the last one kept
    (catalog.folders) and a change must be told from the folders' own times."""
    if request.param == "folders settled":
        import time
        from types import SimpleNamespace

        from reader.catalog import discover

        real = time.time_ns
        monkeypatch.setattr(discover, "time", SimpleNamespace(time_ns=lambda: real() + 60 * 1_000_000_000))


@pytest.fixture
def folder(tmp_path) -> Path:
    top = copy_of_the_seeds(tmp_path / "news")
    (top / "sub").mkdir()
    for number in range(12):
        (top / "sub" / f"a{number:02d}.md").write_text(article(f"第{number}篇", f"北约东扩第{number}段。", number + 1), encoding="utf-8")
    (top / "photo.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))  # skipped: binary
    return top


@pytest.fixture
def cache(tmp_path) -> Path:
    return tmp_path / "cache"


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The paths parsed, in order, since the test began."""
    done: list[str] = []
    real = reading.read_one

    def counting(file):
        done.append(file.path)
        return real(file)

    monkeypatch.setattr(reading, "read_one", counting)
    return done


def load(folder: Path, cache: Path | None, **options):
    catalog = Catalog([folder], cache_base=cache, **options)
    return catalog, catalog.load()


def titles(snapshot) -> list[str]:
    return [snapshot.titles[n] for n in snapshot.newest_first.tolist()]


def paths(snapshot) -> list[str]:
    return sorted(snapshot.path(n) for n in snapshot.live.tolist())


def hit_paths(snapshot, query: str) -> list[str]:
    return sorted(str(hit.article.path) for hit in search(snapshot, query).hits)


def skipped_names(snapshot) -> list[str]:
    return sorted(path.name for path, _reason in snapshot.skipped)


def touch(path: Path, seconds: int = 5) -> None:
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + seconds * 1_000_000_000))


# ---------------------------------------------------------------- warm starts


def test_a_warm_start_reads_nothing_and_gives_the_same_articles(folder, cache, reads):
    _, cold = load(folder, cache)
    assert len(reads) == 18  # 5 seeds, 12 articles, the image
    reads.clear()
    _, warm = load(folder, cache)
    assert reads == []
    assert titles(warm) == titles(cold) and paths(warm) == paths(cold)
    assert [warm.article(n) for n in warm.newest_first.tolist()] == [cold.article(n) for n in cold.newest_first.tolist()]
    assert hit_paths(warm, "北约东扩") == hit_paths(cold, "北约东扩") != []
    assert [h.passage for h in search(warm, "核战争打不应也打不得").hits] == [h.passage for h in search(cold, "核战争打不应也打不得").hits]
    assert skipped_names(warm) == skipped_names(cold) == ["photo.md"]


def test_snapshots_of_the_same_parts_share_tables_computed_after_the_later_one_was_made(folder, cache):
    """A warm start publishes the cache's snapshot, then the last: the sidebar may still be grouping the first."""
    load(folder, cache)
    published = []
    catalog = Catalog([folder], cache_base=cache)
    catalog.load(lambda snapshot, progress: published.append(snapshot))
    first, last = published[0], published[-1]
    assert first is not last and all(a is b for a, b in zip(first.parts, last.parts))
    # Computed on the first only now, when the last already exists: the last has them too.
    assert last.copies is first.copies and last.newest_first is first.newest_first and last.paths is first.paths
    assert last.titles is first.titles and last.local_dates("m") is first.local_dates("m")
    # The problems are the snapshot's own: the walk's (a broken link) are in the last only.
    (folder / "sub" / "gone.md").symlink_to(folder / "nowhere.md")
    published.clear()
    Catalog([folder], cache_base=cache).load(lambda snapshot, progress: published.append(snapshot))
    first, last = published[0], published[-1]
    assert "gone.md" in [path.name for path, _ in last.skipped]
    assert "gone.md" not in [path.name for path, _ in first.skipped]


def test_a_snapshot_of_other_parts_computes_its_own_tables(folder, cache):
    _, before = load(folder, cache)
    order = before.newest_first
    (folder / "sub" / "a99.md").write_text(article("最新一篇", day=28), encoding="utf-8")
    _, after = load(folder, cache)
    assert after.newest_first is not order and after.titles[int(after.newest_first[0])] == "最新一篇"


def test_without_a_cache_nothing_is_written_and_everything_is_read(folder, cache, reads):
    load(folder, None)
    load(folder, None)
    assert len(reads) == 36 and not cache.exists()


def test_the_corpus_is_never_written(folder, cache):
    before = hostile.snapshot(folder)
    load(folder, cache)
    load(folder, cache)
    assert hostile.snapshot(folder) == before


# ---------------------------------------------------------------- each kind of change


def test_an_edited_file_is_read_again_and_shown_as_it_is_now(folder, cache, reads):
    load(folder, cache)
    reads.clear()
    target = folder / "sub" / "a03.md"
    target.write_text(article("改过的标题", "华约解散。", 4), encoding="utf-8")
    touch(target)
    _, warm = load(folder, cache)
    assert reads == [str(target)]
    assert "改过的标题" in titles(warm) and "第3篇" not in titles(warm)
    assert hit_paths(warm, "华约解散") == [str(target)]
    assert str(target) not in hit_paths(warm, "北约东扩")
    _, again = load(folder, cache)
    assert reads == [str(target)] and titles(again) == titles(warm)  # and it was cached


def test_a_touched_file_is_read_again(folder, cache, reads):
    load(folder, cache)
    reads.clear()
    touch(folder / "sub" / "a05.md")
    _, warm = load(folder, cache)
    assert reads == [str(folder / "sub" / "a05.md")] and "第5篇" in titles(warm)


def test_ten_touched_files_are_the_ten_read(folder, cache, reads):
    load(folder, cache)
    reads.clear()
    touched = sorted(folder.glob("sub/a0*.md"))[:10]
    for path in touched:
        touch(path)
    _, warm = load(folder, cache)
    assert sorted(reads) == sorted(str(path) for path in touched)
    assert len(warm) == 17


def test_a_new_file_appears(folder, cache, reads):
    load(folder, cache)
    reads.clear()
    new = folder / "sub" / "deeper" / "new.md"
    new.parent.mkdir()
    new.write_text(article("新来的", "新来的文章谈北约东扩。"), encoding="utf-8")
    _, warm = load(folder, cache)
    assert reads == [str(new)] and "新来的" in titles(warm)
    assert str(new) in hit_paths(warm, "北约东扩")


def test_a_deleted_file_disappears_from_the_list_and_from_search(folder, cache, reads):
    load(folder, cache)
    reads.clear()
    gone = folder / "sub" / "a07.md"
    gone.unlink()
    _, warm = load(folder, cache)
    assert reads == []
    assert "第7篇" not in titles(warm) and str(gone) not in paths(warm)
    assert str(gone) not in hit_paths(warm, "北约东扩") and hit_paths(warm, "\"北约东扩第7段\"") == []
    _, again = load(folder, cache)
    assert "第7篇" not in titles(again) and reads == []


def test_a_renamed_file_is_not_read_again_and_is_found_under_its_new_name(folder, cache, reads):
    load(folder, cache)
    reads.clear()
    old, new = folder / "sub" / "a02.md", folder / "moved" / "renamed.md"
    new.parent.mkdir()
    os.rename(old, new)
    _, warm = load(folder, cache)
    assert reads == []  # same device, inode, size and time: the same file
    assert str(new) in paths(warm) and str(old) not in paths(warm)
    assert hit_paths(warm, "\"北约东扩第2段\"") == [str(new)]
    assert warm.article(warm.number_of(str(new))).title == "第2篇"
    _, again = load(folder, cache)
    assert reads == [] and hit_paths(again, "\"北约东扩第2段\"") == [str(new)]


def test_a_renamed_file_whose_reading_used_its_name_is_read_again(folder, cache, reads):
    plain = folder / "notes.txt"  # plain text: its format comes from the suffix
    plain.write_text("一个标题\n\n正文里有北约东扩。\n", encoding="utf-8")
    load(folder, cache)
    reads.clear()
    renamed = folder / "notes.md"  # now Markdown
    os.rename(plain, renamed)
    _, warm = load(folder, cache)
    assert reads == [str(renamed)] and str(renamed) in paths(warm)


def test_a_replaced_file_is_read_again(folder, cache, reads):
    load(folder, cache)
    reads.clear()
    target = folder / "sub" / "a04.md"
    replacement = folder / "sub" / ".a04.tmp"
    replacement.write_text(article("第4篇", "北约东扩第4段。", 5), encoding="utf-8")
    info = target.stat()
    os.utime(replacement, ns=(info.st_atime_ns, info.st_mtime_ns))  # same size and time: only the inode differs
    os.replace(replacement, target)
    _, warm = load(folder, cache)
    assert reads == [str(target)] and "第4篇" in titles(warm)


def test_skipped_files_are_remembered_and_forgotten_with_their_file(folder, cache, reads):
    load(folder, cache)
    reads.clear()
    _, warm = load(folder, cache)
    assert reads == [] and skipped_names(warm) == ["photo.md"]
    (folder / "photo.md").unlink()
    _, gone = load(folder, cache)
    assert skipped_names(gone) == []
    (folder / "sub" / "a00.md").write_bytes(b"")  # an article becomes an empty file
    _, emptied = load(folder, cache)
    assert skipped_names(emptied) == ["a00.md"] and "第0篇" not in titles(emptied)


def test_changes_between_two_starts_that_overlap_in_one_folder_are_all_seen(folder, cache, reads):
    load(folder, cache)
    (folder / "sub" / "a01.md").unlink()
    (folder / "sub" / "x.md").write_text(article("加一篇"), encoding="utf-8")
    os.rename(folder / "sub" / "a08.md", folder / "sub" / "a08-renamed.md")
    touch(folder / "sub" / "a09.md")
    _, warm = load(folder, cache)
    _, cold = load(folder, None)
    assert titles(warm) == titles(cold) and paths(warm) == paths(cold)
    assert hit_paths(warm, "北约东扩") == hit_paths(cold, "北约东扩")


def test_deleting_most_of_a_part_compacts_it(folder, cache):
    load(folder, cache)
    for path in sorted(folder.glob("sub/*.md"))[:9]:
        path.unlink()
    catalog, warm = load(folder, cache)
    assert all(part.alive is None for part in warm.parts)  # rewritten without the dead
    _, again = load(folder, cache)
    assert titles(again) == titles(warm) and len(again) == 8


# ---------------------------------------------------------------- a cache that cannot be trusted


def _store(cache: Path) -> Path:
    (store,) = [p for p in (cache / VERSION_DIR).iterdir() if ".damaged-" not in p.name]
    return store


def _segments(cache: Path) -> list[Path]:
    return sorted(_store(cache).glob("*.seg"))


def _damaged(cache: Path) -> list[Path]:
    return [p for p in (cache / VERSION_DIR).iterdir() if ".damaged-" in p.name]


@pytest.mark.parametrize(
    "damage",
    [
        "truncate a segment",
        "flip a byte of a segment's header",
        "flip a byte of what list reads",
        "garbage manifest",
        "manifest of another format",
        "manifest of another reader",
        "manifest naming a missing file",
        "empty manifest",
    ],
)
def test_a_damaged_cache_is_set_aside_and_rebuilt_with_one_notice(folder, cache, reads, damage):
    _, cold = load(folder, cache)
    # What the first load saw, read before its files are damaged under it (they are memory-mapped).
    expected_titles, expected_hits = titles(cold), hit_paths(cold, "北约东扩")
    del cold
    store = _store(cache)
    (segment,) = _segments(cache)
    data = bytearray(segment.read_bytes())
    manifest = store / MANIFEST
    if damage == "truncate a segment":
        segment.write_bytes(data[: len(data) // 2])
    elif damage == "flip a byte of a segment's header":
        data[40] ^= 0xFF
        segment.write_bytes(data)
    elif damage == "flip a byte of what list reads":
        data[data.index("第3篇".encode())] ^= 0x01  # a title: checked when the file is opened
        segment.write_bytes(data)
    elif damage == "garbage manifest":
        manifest.write_bytes(b"\x00{not json")
    elif damage == "manifest of another format":
        manifest.write_text(manifest.read_text().replace('"format": 1', '"format": 999'))
    elif damage == "manifest of another reader":
        manifest.write_text(manifest.read_text().replace('"content": "', '"content": "x'))
    elif damage == "manifest naming a missing file":
        segment.unlink()
    elif damage == "empty manifest":
        manifest.write_bytes(b"")
    reads.clear()
    catalog, warm = load(folder, cache)
    foreign = damage == "manifest of another reader"
    assert len(catalog.notices) == 1 and "rebuilt" in catalog.notices[0]
    assert ("another version" in catalog.notices[0]) == foreign
    assert ("removed" if foreign else "set aside") in catalog.notices[0]
    assert len(reads) == 18  # read again, all of it
    assert titles(warm) == expected_titles and hit_paths(warm, "北约东扩") == expected_hits
    assert len(_damaged(cache)) == (0 if foreign else 1)  # damage is kept for a look, out of the way; another version's store is not
    reads.clear()
    catalog, again = load(folder, cache)  # and the rebuilt cache is good
    assert reads == [] and catalog.notices == [] and titles(again) == expected_titles


def test_damage_in_what_only_a_search_reads_is_found_before_it_is_used(folder, cache, reads):
    _, cold = load(folder, cache)
    expected = hit_paths(cold, "北约东扩")
    del cold
    (segment,) = _segments(cache)
    data = bytearray(segment.read_bytes())
    at = data.index("北约东扩第5段".encode("utf-16-le"))  # body text: checked when first read
    data[at] ^= 0x01
    segment.write_bytes(data)
    reads.clear()
    catalog, warm = load(folder, cache)
    assert reads == [] and catalog.notices == []  # opening the cache did not read the bodies
    from reader.store.container import Damaged

    with pytest.raises(Damaged):
        search(warm, "北约东扩")
    rebuilt = catalog.recover(Damaged(segment, "test"))
    assert len(reads) == 18 and "set aside" in catalog.notices[-1]
    assert hit_paths(rebuilt, "北约东扩") == expected


def test_the_check_ahead_of_searches_finds_damage_no_search_has_touched(folder, cache, reads):
    _, cold = load(folder, cache)
    del cold
    (segment,) = _segments(cache)
    data = bytearray(segment.read_bytes())
    data[data.index("北约东扩第5段".encode("utf-16-le"))] ^= 0x01
    segment.write_bytes(data)
    reads.clear()
    catalog, warm = load(folder, cache)
    from reader.store.container import Damaged

    assert reads == [] and catalog.notices == []  # opening the cache did not read the bodies
    with pytest.raises(Damaged):
        warm.verify()


def test_the_check_ahead_of_searches_checks_every_large_array_and_can_stop(folder, cache):
    _, cold = load(folder, cache)
    del cold
    _, warm = load(folder, cache)
    from reader.store.container import Checked

    checked = [array for part in warm.parts for array in part.segment.arrays.values() if isinstance(array, Checked)]
    assert checked and not any(array._all_verified for array in checked if array.nbytes)
    assert warm.verify(lambda: True) is False  # told to stop at once: nothing checked
    assert not any(array._all_verified for array in checked if array.nbytes)
    assert warm.verify() is True
    assert all(array._all_verified for array in checked if array.nbytes)


def test_find_on_the_command_line_recovers_from_damage_found_while_searching(folder, cache, tmp_path):
    env = {**os.environ, "READER_CACHE_DIR": str(cache)}
    run = lambda *args: subprocess.run([sys.executable, "-m", "reader.cli", *args], capture_output=True, text=True, env=env, timeout=60)  # noqa: E731
    first = run("find", str(folder), "北约东扩第5段")
    (segment,) = _segments(cache)
    data = bytearray(segment.read_bytes())
    data[data.index("北约东扩第5段".encode("utf-16-le"))] ^= 0x01
    segment.write_bytes(data)
    second = run("find", str(folder), "北约东扩第5段")
    assert second.returncode == 0 and second.stdout == first.stdout
    notices = [line for line in second.stderr.splitlines() if line.startswith("reader: The cache")]
    assert len(notices) == 1 and "set aside" in notices[0]


def test_a_half_written_segment_is_ignored_and_cleaned_up_later(folder, cache, reads):
    load(folder, cache)
    leftover = _store(cache) / ".s-unfinished.seg.12345.tmp"
    leftover.write_bytes(b"half")
    orphan = _store(cache) / "s-orphan.seg"
    orphan.write_bytes(b"written, never committed")
    old = 10_000
    for path in (leftover, orphan):
        os.utime(path, (path.stat().st_atime - old, path.stat().st_mtime - old))
    reads.clear()
    catalog, warm = load(folder, cache)
    assert reads == [] and catalog.notices == [] and len(warm) == 17
    (folder / "sub" / "a11.md").unlink()  # a change, so the next start commits
    load(folder, cache)
    assert not leftover.exists() and not orphan.exists()


def test_a_cache_folder_that_cannot_be_written_means_reading_without_it(folder, tmp_path, reads):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    catalog, snapshot = load(folder, blocked / "cache")
    assert len(snapshot) == 17 and len(catalog.notices) == 1 and "cannot be used" in catalog.notices[0]
    assert hit_paths(snapshot, "北约东扩") != []


def test_a_full_disk_means_reading_without_the_cache(folder, cache, monkeypatch):
    import errno

    from reader.store import container

    def full(path, chunks, **options):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(container, "atomic_write_chunks", full, raising=False)
    import reader.store.atomic as atomic

    monkeypatch.setattr(atomic, "atomic_write_chunks", full)
    catalog, snapshot = load(folder, cache)
    assert len(snapshot) == 17 and len(catalog.notices) == 1 and "no space left" in catalog.notices[0]


# ---------------------------------------------------------------- two readers at once


def test_two_readers_started_at_once_both_work_and_leave_one_consistent_cache(folder, cache, tmp_path):
    for number in range(300):  # enough that both are still reading when the other commits
        (folder / "bulk" / f"{number // 100}").mkdir(parents=True, exist_ok=True)
        (folder / "bulk" / f"{number // 100}" / f"b{number:03d}.md").write_text(article(f"批量{number}", f"批量正文{number}。"), encoding="utf-8")
    env = {**os.environ, "READER_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "reader.cli", "list", str(folder)]
    both = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    outputs = [process.communicate(timeout=120) for process in both]
    assert [process.returncode for process in both] == [0, 0]
    assert outputs[0][0] == outputs[1][0] and len(outputs[0][0].splitlines()) == 317
    assert all("internal error" not in err for _out, err in outputs)
    third = subprocess.run(command, capture_output=True, text=True, env=env, timeout=60)
    assert third.stdout == outputs[0][0]
    (info,) = [store for store in describe(cache) if not store.damaged]
    assert info.articles == 317


def test_searches_while_the_catalog_loads_never_fail_and_see_whole_batches(tmp_path, monkeypatch):
    """The loader never pauses here: loading and two searching threads run at once."""
    from reader.catalog import catalog as module

    monkeypatch.setattr(module, "FIRST_TASKS", ())
    monkeypatch.setattr(module, "TASK_FILES", 10)
    top = tmp_path / "many"
    top.mkdir()
    for number in range(600):
        (top / f"{number:04d}.md").write_text(article(f"北约东扩{number}", "美俄谈判" * (number % 5 + 1) + "核战争打不赢。"), encoding="utf-8")
    catalog = Catalog([top], cache_base=tmp_path / "cache")
    errors: list[BaseException] = []
    done = threading.Event()

    def load() -> None:
        try:
            catalog.load()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            done.set()

    def search_until_loaded() -> None:
        seen = 0
        try:
            while not done.is_set():
                for query in ("北约东扩", "美俄谈判", "核战争打不应", "北约", "source:测试社"):
                    results = search(catalog.snapshot, query, limit=20)
                    assert results.searched % 10 == 0 and results.searched >= seen  # whole batches only
                    seen = results.searched
                    assert all(hit.article.title.startswith("北约东扩") for hit in results.hits)
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=search_until_loaded) for _ in range(2)] + [threading.Thread(target=load)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors[0]
    assert len(catalog.snapshot) == 600
    assert search(catalog.snapshot, "北约东扩599").hits[0].article.title == "北约东扩599"


# ---------------------------------------------------------------- the first run in a pool


def test_a_big_first_read_in_a_process_pool_gives_what_one_process_gives(folder, cache, monkeypatch):
    from reader.catalog import catalog as module

    monkeypatch.setattr(module, "POOL_MIN_FILES", 1)
    monkeypatch.setattr(module, "FIRST_TASKS", (3,))
    monkeypatch.setattr(module, "TASK_FILES", 4)
    pooled = Catalog([folder], cache_base=cache, workers=2).load()
    alone = Catalog([folder], cache_base=None, workers=1).load()
    assert titles(pooled) == titles(alone) and paths(pooled) == paths(alone)
    assert skipped_names(pooled) == skipped_names(alone)
    assert np.array_equal(pooled.newest_first, alone.newest_first)
    assert [pooled.article(n) for n in pooled.newest_first.tolist()] == [alone.article(n) for n in alone.newest_first.tolist()]


def test_a_cache_made_by_another_reader_is_removed_and_rebuilt(folder, cache, reads, monkeypatch):
    import reader.catalog.versions

    load(folder, cache)
    reads.clear()
    monkeypatch.setattr(reader.catalog.versions, "content_version", lambda: "another-parser")
    catalog, warm = load(folder, cache)
    assert len(reads) == 18 and len(catalog.notices) == 1 and "another version" in catalog.notices[0]
    assert "removed" in catalog.notices[0]
    assert _damaged(cache) == [] and not list((cache / VERSION_DIR).glob("*.outdated-*"))  # nothing left of it
    reads.clear()
    catalog, again = load(folder, cache)
    assert reads == [] and catalog.notices == []


def test_the_content_version_covers_every_module_that_shapes_an_article():
    from reader.catalog.versions import _PACKAGE, content_files

    files = content_files()
    assert all(path.is_file() for path in files)
    covered = {path.relative_to(_PACKAGE).as_posix() for path in files}
    assert {"parse/load.py", "parse/html.py", "parse/formats/frontmatter.py", "parse/pages/content.py", "search/fold.py"} <= covered


def test_an_article_keeps_its_key_when_moved_or_renamed_and_copies_share_it(tmp_path):
    from reader.catalog.snapshot import snapshot_of
    from reader.parse.load import load_article

    body = "---\ntitle: 标题\n---\n<p>同一篇文章的正文。</p><p>第二段。</p>\n"
    (tmp_path / "a").mkdir()
    first = tmp_path / "a" / "one.md"
    first.write_text(body, encoding="utf-8")
    copy = tmp_path / "b.md"
    copy.write_text(body.replace("标题", "另一个标题").replace("。</p><p>", "。 </p>\n<p>"), encoding="utf-8")
    other = tmp_path / "c.md"
    other.write_text(body.replace("第二段", "第三段"), encoding="utf-8")
    linked = tmp_path / "d.md"
    linked.write_text("---\ntitle: x\nurl: https://example.com/a\n---\n<p>正文</p>\n", encoding="utf-8")
    snapshot = snapshot_of([load_article(path) for path in (first, copy, other, linked)])
    keys = [snapshot.key(number) for number in range(4)]
    assert keys[0] == keys[1] and keys[0].startswith("text:")
    assert keys[2] != keys[0]
    assert keys[3] == "url:https://example.com/a"
    assert int(snapshot.text_hash[0]) != 0


def test_parts_keep_the_walks_order_and_an_unchanged_start_is_told_without_the_names_dict(tmp_path, monkeypatch):
    """Small parts are joined with their neighbours only, so the cache holds the files in the walk's order."""
    from reader.catalog import catalog as module
    from reader.catalog.discover import find_files

    top = tmp_path / "many"
    for number in range(31):
        folder = top / f"d{number % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"a{number:02d}.md").write_text(article(f"第{number}篇", f"北约东扩第{number}段。", number % 28 + 1), encoding="utf-8")
    # Parts of 3, 3, 4… and 1 articles (3 passages each): the first two and the last are small.
    monkeypatch.setattr(module, "FIRST_TASKS", (3, 3))
    monkeypatch.setattr(module, "TASK_FILES", 4)
    monkeypatch.setattr(module, "SMALL_PART", 10)
    cache = tmp_path / "cache"
    _, cold = load(top, cache)
    assert [part.segment.article_count for part in cold.parts] == [6, 4, 4, 4, 4, 4, 4, 1]  # neighbours joined
    in_parts = [name for part in cold.parts for name in part.segment.column("relative").tolist()]
    assert in_parts == find_files([top]).relative

    built = []
    monkeypatch.setattr(module, "dict", lambda *args: built.append(1) or dict(*args), raising=False)
    _, warm = load(top, cache)
    assert built == [] and titles(warm) == titles(cold)  # told in order, no dict of names
    touch(top / "d3" / "a10.md")
    _, touched = load(top, cache)
    assert built == [1] and titles(touched) == titles(cold)  # a change: the general comparison
    built.clear()
    _, again = load(top, cache)
    assert built == [] and titles(again) == titles(cold)  # the file read again is held apart: still no dict


def _without_cache(folder: Path) -> list[tuple[str, str]]:
    _, snapshot = load(folder, None)
    return sorted((snapshot.path(n), snapshot.titles[n]) for n in snapshot.live.tolist())


@pytest.mark.parametrize(
    "change",
    ["nothing", "the file held apart edited", "a file in order edited", "the file held apart renamed", "the file held apart deleted",
     "a file added", "two files swapped", "a file held apart swapped with one in order", "the skipped file made an article"],
)
def test_a_cache_holding_a_few_files_apart_from_the_walks_order_still_sees_every_change(folder, cache, monkeypatch, change):
    from reader.catalog import catalog as module

    monkeypatch.setattr(module, "ASIDE_LEAST", 2)  # only the two runs of one file are held apart: the rest compared in order
    load(folder, cache)
    held_apart = folder / "sub" / "a05.md"
    write_edit = lambda path, title: path.write_text(article(title, "改过。", 20), encoding="utf-8")  # noqa: E731
    write_edit(held_apart, "读过两次")
    load(folder, cache)  # read again: its article now stands in a part of its own, after the others
    built = []
    monkeypatch.setattr(module, "dict", lambda *args: built.append(1) or dict(*args), raising=False)
    in_order = folder / "sub" / "a02.md"
    if change == "the file held apart edited":
        write_edit(held_apart, "又改了")
    elif change == "a file in order edited":
        write_edit(in_order, "改了顺序里的")
    elif change == "the file held apart renamed":
        held_apart.rename(folder / "sub" / "a05-renamed.md")
    elif change == "the file held apart deleted":
        held_apart.unlink()
    elif change == "a file added":
        write_edit(folder / "sub" / "a03b.md", "新来的")
    elif change in ("two files swapped", "a file held apart swapped with one in order"):
        one = folder / "sub" / "a01.md"
        other = held_apart if change.startswith("a file held apart") else folder / "sub" / "a07.md"
        one.rename(folder / "swap")
        other.rename(one)
        (folder / "swap").rename(other)
    elif change == "the skipped file made an article":
        write_edit(folder / "photo.md", "不再是图片")
    _, snapshot = load(folder, cache)
    if change == "nothing":
        assert built == []  # told without the dict: one part and the skipped image held apart
    assert sorted((snapshot.path(n), snapshot.titles[n]) for n in snapshot.live.tolist()) == _without_cache(folder)


def test_a_load_stopped_during_a_pooled_first_read_leaves_no_worker_running(tmp_path, monkeypatch):
    """A reader who quits during a first read does not wait for the tasks under way: their workers are ended."""
    import multiprocessing
    import threading

    from reader.catalog import catalog as module

    folder = tmp_path / "many"
    folder.mkdir()
    body = "<p>" + "北约东扩与俄美会谈，" * 200 + "</p>"
    for number in range(600):
        (folder / f"a{number:03d}.md").write_text(f"---\ntitle: 文章{number}\ndate: 2022-01-01\n---\n{body}\n", encoding="utf-8")
    monkeypatch.setattr(module, "POOL_MIN_FILES", 1)
    monkeypatch.setattr(module, "FIRST_TASKS", (50,))
    monkeypatch.setattr(module, "TASK_FILES", 150)
    catalog = Catalog([folder], cache_base=tmp_path / "cache", workers=2)
    published = []

    def publish(snapshot, progress):
        published.append(snapshot.live_count)
        if snapshot.live_count:
            catalog.stop()  # at the first batch read: the next ones are being read by the workers

    done = []
    loading = threading.Thread(target=lambda: done.append(catalog.load(publish)))
    loading.start()
    loading.join(timeout=120)
    assert done, "the load did not return"
    assert multiprocessing.active_children() == []  # ended and reaped before load() returned
    assert published[-1] == 50 and len(done[0]) == 50
    again = Catalog([folder], cache_base=tmp_path / "cache", workers=1).load()  # what was kept is whole
    assert len(again) == 600


def test_a_worker_keeps_the_memory_it_frees_where_the_c_library_is_glibc(monkeypatch):
    import ctypes

    from reader.catalog import catalog as module

    calls: list[tuple[int, int]] = []

    class Glibc:
        def mallopt(self, parameter: int, value: int) -> int:
            calls.append((parameter, value))
            return 1

    monkeypatch.setattr(ctypes, "CDLL", lambda name: Glibc() if name == "libc.so.6" else None)
    module._keep_freed_memory()
    assert dict(calls) == {-1: 512 * 1024 * 1024, -3: 256 * 1024 * 1024, -2: 64 * 1024 * 1024}  # trim, mmap, top pad

    def no_glibc(name):
        raise OSError(f"{name}: cannot open shared object file")

    calls.clear()
    monkeypatch.setattr(ctypes, "CDLL", no_glibc)
    module._keep_freed_memory()  # musl, macOS: nothing changes, nothing fails
    monkeypatch.setattr(ctypes, "CDLL", lambda name: object())  # a libc without mallopt
    module._keep_freed_memory()
    assert calls == []
