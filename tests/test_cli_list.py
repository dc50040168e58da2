"""`reader list` and `reader find` in scripts: the path as the last tab-separated column, copies listed
once, times in the user's zone. Real processes, real files, real pipelines."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS, seed_path
from test_cli import environment, run

READER_BIN = Path(sys.executable).with_name("reader")
VOA_TITLE = "美俄今日举行化解乌克兰危机会谈，双方“鸡同鸭讲”立场相差甚远"  # seed 001


def shell(command: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True, cwd=cwd,
        env={**environment(), "PATH": f"{READER_BIN.parent}:/usr/bin:/bin", **env}, timeout=120,
    )


@pytest.fixture
def archive(tmp_path) -> Path:
    """The seeds in two folders: seed 001 saved twice (same bytes, another name), the rest once."""
    for seed in sorted(SEEDS.glob("*.txt")):
        (tmp_path / "news").mkdir(exist_ok=True)
        shutil.copy(seed, tmp_path / "news" / seed.name)
    (tmp_path / "old-backup").mkdir()
    shutil.copy(seed_path("001"), tmp_path / "old-backup" / "voa.txt")
    return tmp_path


# --- the path, last, after a tab ---------------------------------------------------------------


def test_in_a_pipe_each_row_ends_with_a_tab_and_the_path():
    rows = run("list", str(SEEDS)).stdout.splitlines()
    assert len(rows) == 5
    paths = [row.split("\t")[-1] for row in rows]
    assert all(row.count("\t") == 1 for row in rows)
    assert sorted(Path(path).name for path in paths) == sorted(path.name for path in SEEDS.glob("*.txt"))
    assert all(Path(path).is_file() for path in paths)
    titles = [json.loads(line)["title"] for line in run("list", str(SEEDS), "--json").stdout.splitlines()]
    assert all(row.split("\t")[0].endswith(title) for row, title in zip(rows, titles))


def test_a_list_composes_with_cut_awk_and_xargs(archive):
    # A filter picks a row (as fzf would), cut or awk takes the path, xargs shows it.
    for take in ("cut -f2", "awk -F'\\t' '{print $NF}'"):
        done = shell(f"reader list . | grep -F '{VOA_TITLE}' | {take} | xargs reader show --width 60", archive)
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[0] == VOA_TITLE
        assert "美国副国务卿温迪·谢尔曼" in done.stdout


def test_a_path_with_spaces_composes_with_xargs_d(tmp_path):
    (tmp_path / "my news").mkdir()
    shutil.copy(seed_path("002"), tmp_path / "my news" / "a file.txt")
    done = shell("reader list . | head -n 1 | cut -f2 | xargs -d '\\n' reader show", tmp_path)
    assert done.returncode == 0, done.stderr
    assert "书面回复" in done.stdout.splitlines()[0]


def test_a_path_that_is_not_printable_stays_on_its_row(tmp_path):
    shutil.copy(seed_path("002"), tmp_path / "a\tb\nc.txt")
    (row,) = run("list", str(tmp_path)).stdout.splitlines()
    date_source_title, path = row.split("\t")
    assert path.endswith("a\\tb\\nc.txt")


def test_json_keys_stay_and_missing_url_and_date_are_both_null(tmp_path):
    (tmp_path / "plain.md").write_text("---\ntitle: 无日期无链接\n---\n<p>正文。</p>\n", encoding="utf-8")
    shutil.copy(seed_path("001"), tmp_path)
    records = {record["title"]: record for record in map(json.loads, run("list", str(tmp_path), "--json").stdout.splitlines())}
    plain, voa = records["无日期无链接"], records[VOA_TITLE]
    assert list(plain) == ["path", "title", "source", "date", "author", "url", "format", "copies"]
    assert plain["url"] is None and plain["date"] is not None  # undated: the file's time, as before
    assert voa["url"].startswith("https://www.voachinese.com/")


# --- copies ------------------------------------------------------------------------------------


def test_list_prints_one_row_for_an_article_saved_twice(archive):
    rows = run("list", str(archive)).stdout.splitlines()
    assert len(rows) == 5
    (voa,) = [row for row in rows if VOA_TITLE in row]
    text, path = voa.split("\t")
    assert text.endswith(VOA_TITLE + "  ×2")
    assert path == str(archive / "news" / seed_path("001").name)  # the same date and title: the first path
    records = [json.loads(line) for line in run("list", str(archive), "--json").stdout.splitlines()]
    assert len(records) == 5
    (voa_record,) = [record for record in records if record["title"] == VOA_TITLE]
    assert voa_record["path"] == path and voa_record["copies"] == [str(archive / "old-backup" / "voa.txt")]
    assert all(record["copies"] == [] for record in records if record is not voa_record)


def test_find_prints_one_hit_for_an_article_saved_twice_and_where_else_it_is(archive):
    done = run("find", str(archive), "谢尔曼")
    assert done.returncode == 0, done.stderr
    blocks = done.stdout.split("\n\n")
    (voa,) = [block for block in blocks if VOA_TITLE in block]
    lines = voa.splitlines()
    assert lines[2] == "  " + str(archive / "news" / seed_path("001").name)
    assert lines[3] == "  also in: " + str(archive / "old-backup" / "voa.txt")
    hits = [json.loads(line) for line in run("find", str(archive), "谢尔曼", "--json").stdout.splitlines()]
    assert len(hits) == len(blocks)
    (voa_hit,) = [hit for hit in hits if hit["title"] == VOA_TITLE]
    assert voa_hit["copies"] == [str(archive / "old-backup" / "voa.txt")]


@pytest.mark.parametrize("long_source", ["中央社新聞網國際要聞編輯部即時報導", "A Very Long Source Name For Its Column"])
def test_list_and_find_give_the_source_column_one_width_capped_at_twenty_cells(tmp_path, long_source):
    for name, source, date in (("a.md", long_source, "2022-01-02"), ("b.md", "观察者网", "2022-01-01")):
        (tmp_path / name).write_text(f"---\ntitle: 北约{name}\nsource: {source}\ndate: {date}\n---\n<p>北约东扩的消息</p>\n", encoding="utf-8")
    rows = [row.split("\t")[0] for row in run("list", str(tmp_path)).stdout.splitlines()]
    headings = [block.splitlines()[0] for block in run("find", str(tmp_path), "北约东扩").stdout.split("\n\n")]
    assert headings == rows and len(rows) == 2
    from reader.textwidth import cell_width

    assert {cell_width(row[18:row.index("北约")]) for row in rows} == {20 + 2}  # the column, then two spaces


# --- the user's time zone ----------------------------------------------------------------------


@pytest.mark.parametrize(("zone", "first", "voa"), [
    ("UTC", "2022-01-23 17:09", "2022-01-10 16:06"),
    ("Asia/Shanghai", "2022-01-24 01:09", "2022-01-11 00:06"),
    ("America/New_York", "2022-01-23 12:09", "2022-01-10 11:06"),
])
def test_list_shows_local_times_and_json_keeps_the_offset_as_written(zone, first, voa):
    env = {**environment(), "TZ": zone}
    rows = subprocess.run([sys.executable, "-m", "reader.cli", "list", str(SEEDS)], capture_output=True, text=True, env=env, timeout=60).stdout.splitlines()
    assert rows[0].startswith(first)
    (voa_row,) = [row for row in rows if VOA_TITLE in row]
    assert voa_row.startswith(voa)
    records = subprocess.run([sys.executable, "-m", "reader.cli", "list", str(SEEDS), "--json"], capture_output=True, text=True, env=env, timeout=60).stdout
    assert json.loads(records.splitlines()[0])["date"] == "2022-01-23T17:09:23+00:00"  # as the article states it


@pytest.mark.parametrize(("zone", "day", "found"), [
    ("UTC", "2022-01-10", True), ("UTC", "2022-01-11", False),
    ("Asia/Shanghai", "2022-01-10", False), ("Asia/Shanghai", "2022-01-11", True),  # 16:06 GMT is past midnight there
])
def test_date_filters_use_local_dates(zone, day, found):
    env = {**environment(), "TZ": zone}
    done = subprocess.run([sys.executable, "-m", "reader.cli", "find", str(SEEDS), f"date:{day} 谢尔曼", "--json"],
                          capture_output=True, text=True, env=env, timeout=60)
    titles = [json.loads(line)["title"] for line in done.stdout.splitlines()]
    assert (VOA_TITLE in titles) is found


def test_show_gives_the_local_time_and_find_too():
    env = {**environment(), "TZ": "Asia/Shanghai"}
    shown = subprocess.run([sys.executable, "-m", "reader.cli", "show", str(seed_path("000"))], capture_output=True, text=True, env=env, timeout=60)
    assert shown.stdout.splitlines()[1] == "观察者网 · 2022-01-11 18:55"
    found = subprocess.run([sys.executable, "-m", "reader.cli", "find", str(SEEDS), "核战争打不赢"], capture_output=True, text=True, env=env, timeout=60)
    assert found.stdout.startswith("2022-01-11 18:55 ")
