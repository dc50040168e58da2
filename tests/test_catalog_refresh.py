"""Catalog.refresh: the folders walked again while the reader runs, and only what changed read.

Each test loads the folder once, changes it on disk, and refreshes: the new
snapshot must show the folder as it is now, the parts nobody touched must be
the very objects of the old snapshot, and a refresh that finds nothing must
publish nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

from reader.catalog import Catalog
from reader.catalog.snapshot import Snapshot
from test_catalog import article, cache, folder, hit_paths, paths, reads, skipped_names, titles, touch, walk_clock  # noqa: F401 (fixtures)


def loaded(folder: Path, cache: Path | None) -> tuple[Catalog, Snapshot, list]:
    catalog = Catalog([folder], cache_base=cache)
    published: list = []
    snapshot = catalog.load(lambda snapshot, progress: published.append((snapshot, progress)))
    return catalog, snapshot, published


def refreshed(catalog: Catalog) -> tuple[Snapshot | None, list]:
    published: list = []
    snapshot = catalog.refresh(lambda snapshot, progress: published.append((snapshot, progress)))
    return snapshot, published


def test_a_refresh_that_finds_nothing_publishes_nothing(folder, cache, reads):
    catalog, before, _ = loaded(folder, cache)
    reads.clear()
    snapshot, published = refreshed(catalog)
    assert snapshot is None and published == [] and reads == []
    assert catalog.snapshot is before
    touch(folder / "sub" / "a03.md", 0)  # the same mtime written again: still nothing
    assert refreshed(catalog) == (None, [])


def test_an_added_file_appears_and_the_other_parts_are_reused(folder, cache, reads):
    catalog, before, _ = loaded(folder, cache)
    reads.clear()
    added = folder / "sub" / "new.md"
    added.write_text(article("新来的一篇", "华约解散。", 20), encoding="utf-8")
    snapshot, published = refreshed(catalog)
    assert reads == [str(added)]
    assert "新来的一篇" in titles(snapshot) and len(titles(snapshot)) == len(titles(before)) + 1
    assert hit_paths(snapshot, "华约解散") == [str(added)]
    assert all(any(part is old for old in before.parts) for part in snapshot.parts[:-1])
    # One file: published once, finished (no half-way snapshot to flicker through).
    assert [progress.finished for _, progress in published] == [True] and published[0][0] is snapshot


def test_a_changed_file_shows_its_new_version_under_the_same_path(folder, cache, reads):
    catalog, before, _ = loaded(folder, cache)
    reads.clear()
    target = folder / "sub" / "a03.md"
    target.write_text(article("改过的标题", "华约解散。", 4), encoding="utf-8")
    touch(target)
    snapshot, _ = refreshed(catalog)
    assert reads == [str(target)]
    assert "改过的标题" in titles(snapshot) and "第3篇" not in titles(snapshot)
    number = snapshot.number_of(target)
    assert number is not None and snapshot.article(number).title == "改过的标题"
    assert str(target) not in hit_paths(snapshot, "北约东扩第3段") and hit_paths(snapshot, "华约解散") == [str(target)]
    assert paths(snapshot) == paths(before)
    # The old snapshot is untouched: whoever still holds it reads the old version.
    assert before.article(before.number_of(target)).title == "第3篇"


def test_a_deleted_file_disappears_from_the_list_and_the_index(folder, cache, reads):
    catalog, before, _ = loaded(folder, cache)
    reads.clear()
    gone = folder / "sub" / "a05.md"
    gone.unlink()
    snapshot, published = refreshed(catalog)
    assert reads == [] and len(published) == 1
    assert str(gone) not in paths(snapshot) and "第5篇" not in titles(snapshot)
    assert snapshot.number_of(gone) is None
    assert str(gone) not in hit_paths(snapshot, "北约东扩第5段")
    assert paths(snapshot) == sorted(set(paths(before)) - {str(gone)})
    # Marked dead in the part that held it, not rewritten: the segment is the same.
    assert {id(part.segment) for part in snapshot.parts} <= {id(part.segment) for part in before.parts}


def test_a_renamed_file_is_listed_under_its_new_name_without_being_read(folder, cache, reads):
    catalog, before, _ = loaded(folder, cache)
    reads.clear()
    old, new = folder / "sub" / "a07.md", folder / "sub" / "renamed.md"
    os.rename(old, new)
    snapshot, _ = refreshed(catalog)
    assert reads == []
    assert str(new) in paths(snapshot) and str(old) not in paths(snapshot)
    assert snapshot.article(snapshot.number_of(new)).title == "第7篇"
    assert titles(snapshot).count("第7篇") == 1 and sorted(titles(snapshot)) == sorted(titles(before))
    assert hit_paths(snapshot, "\"北约东扩第7段\"") == [str(new)]


def test_several_refreshes_in_a_row_and_a_restart_agree(folder, cache, reads):
    catalog, _, _ = loaded(folder, cache)
    (folder / "sub" / "a01.md").unlink()
    refreshed(catalog)
    (folder / "sub" / "b.md").write_text(article("第二次", "第二次的正文。", 9), encoding="utf-8")
    refreshed(catalog)
    target = folder / "sub" / "a02.md"
    target.write_text(article("第三次", "第三次的正文。", 3), encoding="utf-8")
    touch(target)
    final, _ = refreshed(catalog)
    assert refreshed(catalog) == (None, [])
    reads.clear()
    restarted = Catalog([folder], cache_base=cache).load()  # from the cache the refreshes wrote
    assert titles(restarted) == titles(final) and paths(restarted) == paths(final)
    assert "第1篇" not in titles(final) and {"第二次", "第三次"} <= set(titles(final))
    assert hit_paths(restarted, '"第三次的正文"') == [str(target)] and reads == []


def test_skipped_files_come_and_go_too(folder, cache):
    catalog, before, _ = loaded(folder, cache)
    (folder / "photo.md").unlink()
    (folder / "empty.md").write_text("  \n", encoding="utf-8")
    snapshot, _ = refreshed(catalog)
    assert skipped_names(before) == ["photo.md"] and skipped_names(snapshot) == ["empty.md"]
    os.symlink(folder / "nowhere.md", folder / "broken.md")  # a problem of the walk alone
    snapshot, published = refreshed(catalog)
    assert snapshot is not None and "broken.md" in skipped_names(snapshot) and len(published) == 1


def test_without_a_cache_a_refresh_still_reads_only_what_changed(folder, reads):
    catalog, _, _ = loaded(folder, None)
    reads.clear()
    (folder / "sub" / "c.md").write_text(article("无缓存", "无缓存的正文。", 9), encoding="utf-8")
    snapshot, _ = refreshed(catalog)
    assert reads == [str(folder / "sub" / "c.md")] and "无缓存" in titles(snapshot)


def test_a_refresh_before_any_load_is_the_first_load(folder, cache):
    catalog = Catalog([folder], cache_base=cache)
    snapshot, published = refreshed(catalog)
    assert snapshot is not None and published[-1][1].finished and "第3篇" in titles(snapshot)


def test_changed_files_are_read_before_new_ones(folder, cache, reads, monkeypatch):
    """So that an article that changed is missing from as few published snapshots as can be."""
    from reader.catalog import catalog as module

    catalog, _, _ = loaded(folder, cache)
    reads.clear()
    for name in ("0.md", "1.md"):
        (folder / name).write_text(article(f"新{name}"), encoding="utf-8")  # new, and first in the walk
    target = folder / "sub" / "a11.md"
    target.write_text(article("改过的", "改过的正文。", 12), encoding="utf-8")
    touch(target)
    monkeypatch.setattr(module, "FIRST_TASKS", ())
    monkeypatch.setattr(module, "TASK_FILES", 1)
    refreshed(catalog)
    assert reads == [str(target), str(folder / "0.md"), str(folder / "1.md")]


def test_a_number_kept_from_an_older_snapshot_is_checked_before_use(folder, cache):
    catalog, before, _ = loaded(folder, cache)
    target = folder / "sub" / "a04.md"
    old_number = before.number_of(target)
    target.write_text(article("新版本", "新版本的正文。", 5), encoding="utf-8")
    touch(target)
    snapshot, _ = refreshed(catalog)
    number = snapshot.locate(old_number, target)
    assert number != old_number and snapshot.article(number).title == "新版本"
    assert snapshot.article(old_number).title == "第4篇"  # the old number is the dead old version
    other = before.number_of(folder / "sub" / "a05.md")
    assert snapshot.locate(other, folder / "sub" / "a05.md") == other  # untouched: the same number
    assert snapshot.same_entry(other, before, other) and not snapshot.same_entry(number, before, old_number)
    (folder / "sub" / "a05.md").unlink()
    assert refreshed(catalog)[0].locate(other, folder / "sub" / "a05.md") is None


def test_an_article_is_followed_across_a_rename(folder, cache):
    catalog, before, _ = loaded(folder, cache)
    old, new = folder / "sub" / "a08.md", folder / "sub" / "moved.md"
    number = before.number_of(old)
    os.rename(old, new)
    snapshot, _ = refreshed(catalog)
    assert snapshot.follow(number, before) == snapshot.number_of(new) is not None
    (folder / "sub" / "a09.md").unlink()
    again, _ = refreshed(catalog)
    assert again.follow(before.number_of(folder / "sub" / "a09.md"), before) is None  # gone is gone
