"""The command line, run as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS, seed_path

READER = [sys.executable, "-m", "reader.cli"]
def environment() -> dict[str, str]:
    # Read when a command runs, not when this module is imported: each test has XDG folders of its own (conftest).
    return {**os.environ, "NO_COLOR": "", "COLUMNS": "100"}


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*READER, *args], capture_output=True, text=True, cwd=cwd, env=environment(), timeout=60)


def test_list_seeds_prints_five_rows_newest_first():
    done = run("list", str(SEEDS))
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    rows = done.stdout.splitlines()
    sources = [row[18:].split("  ")[0].strip() for row in rows]
    assert sources == ["观察者网", "观察者网", "Aljazeera 半岛网", "voachinese.com", "未名新闻"]
    dates = [row[:16] for row in rows]
    assert dates == sorted(dates, reverse=True)
    assert dates[0] == "2022-01-23 17:09"


def test_list_columns_align_by_display_width():
    from reader.textwidth import cell_width

    rows = run("list", str(SEEDS)).stdout.splitlines()
    titles = [json.loads(line)["title"] for line in run("list", str(SEEDS), "--json").stdout.splitlines()]
    # The title starts at the same screen column on every row, CJK sources included.
    columns = {cell_width(row[: row.index(title)]) for row, title in zip(rows, titles)}
    assert len(columns) == 1


def test_list_json_lines():
    done = run("list", str(SEEDS), "--json")
    assert done.returncode == 0
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(records) == 5
    for record in records:
        assert set(record) == {"path", "title", "source", "date", "author", "url", "format", "copies"}
        assert record["copies"] == []
    voa = next(record for record in records if record["source"] == "voachinese.com")
    assert voa["date"] == "2022-01-10T16:06:38+00:00"
    assert voa["format"] == "rss"
    assert voa["url"].startswith("https://www.voachinese.com/")
    assert Path(voa["path"]).name.startswith("001_")


def test_show_seed_000_has_four_captions_in_place():
    done = run("show", str(seed_path("000")), "--width", "60")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "美俄谈了7个半小时，_有用_但没啥进展"
    assert lines[1] == "观察者网 · 2022-01-11 10:55"  # local time (the tests run in UTC)
    caption_lines = [line for line in lines if line.startswith("▣ ")]
    assert len(caption_lines) == 4
    assert caption_lines[0].startswith("▣ 参与会谈的美国常务副国务卿舍曼")
    assert "\x1b" not in done.stdout  # not a terminal: no colour
    assert all(len(line) <= 60 for line in lines)


def test_show_seed_004_has_no_watermark_and_no_ad():
    out = run("show", str(seed_path("004"))).stdout
    assert "当地时间6月16日" in out
    for noise in ("Mitbbs", "adsbygoogle", "广告", "news_page"):
        assert noise not in out


def test_show_seed_001_has_no_date_line_in_body():
    lines = run("show", str(seed_path("001"))).stdout.splitlines()
    body = "\n".join(lines[3:])
    assert "Mon, 10 Jan 2022" not in body
    assert "voachinese.com · 2022-01-10 16:06 ·" in lines[2] or "voachinese.com · 2022-01-10 16:06 ·" in lines[1]


def test_show_wraps_cjk_text_to_fill_lines():
    lines = run("show", str(seed_path("001")), "--width", "50").stdout.splitlines()
    from reader.textwidth import cell_width

    body = [line for line in lines[3:] if line and not line.startswith(("▣", " "))]
    # Full lines of Chinese fill at least 48 of 50 cells; only a paragraph's last line is short.
    assert sum(cell_width(line) >= 48 for line in body) > len(body) // 2


def test_bad_file_is_one_line_on_stderr_and_skipped(tmp_path):
    (tmp_path / "good.md").write_text("---\ntitle: 好文章\ndate: 2022-01-01\n---\n正文。\n", encoding="utf-8")
    (tmp_path / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "empty.txt").write_bytes(b"")
    done = run("list", str(tmp_path))
    assert done.returncode == 0
    assert "好文章" in done.stdout
    errors = done.stderr.splitlines()
    assert sorted(errors) == sorted([f"{tmp_path / 'empty.txt'}: empty file", f"{tmp_path / 'image.md'}: binary file, not text"])
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "args, code",
    [
        (["list", "/nonexistent/folder"], 2),
        (["show", "/nonexistent/file.md"], 2),
        (["show", str(SEEDS)], 2),
        (["list"], 2),
        (["show", str(SEEDS / "000_5ebfe7b192dec475.txt"), "--width", "abc"], 2),
        (["--no-such-option"], 2),
        ([], 2),
        (["/nonexistent"], 2),
    ],
)
def test_bad_usage_exits_2_without_traceback(args, code):
    done = run(*args)
    assert done.returncode == code
    assert "Traceback" not in done.stderr
    assert done.stderr.strip()


def test_nothing_found_exits_1(tmp_path):
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    done = run("list", str(tmp_path))
    assert done.returncode == 1
    assert "no articles found" in done.stderr


def test_show_unreadable_article_exits_2(tmp_path):
    binary = tmp_path / "photo.md"
    binary.write_bytes(b"\xff\xd8\xff\xe0" + bytes(300))
    done = run("show", str(binary))
    assert done.returncode == 2
    assert done.stderr.strip() == f"{binary}: binary file, not text"


def test_version_and_help():
    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("reader ")
    helped = run("--help")
    assert helped.returncode == 0
    for word in ("reader list", "reader show", "--json"):
        assert word in helped.stdout


def test_the_app_without_a_terminal_says_what_to_use_instead():
    done = run(str(SEEDS))  # stdin and stdout are pipes here
    assert done.returncode == 2
    assert "reader list" in done.stderr
    assert "Traceback" not in done.stderr


def test_list_never_imports_textual():
    code = "import sys; from reader.cli import main; main(['list', %r]); assert 'textual' not in sys.modules" % str(SEEDS)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_file_names_with_newlines_stay_on_one_line(tmp_path):
    odd = tmp_path / "two\nlines.md"
    odd.write_text("---\ntitle: 换行名\n---\n正文\n", encoding="utf-8")
    (tmp_path / "broken.md").symlink_to(tmp_path / "missing.md")
    done = run("list", str(tmp_path))
    assert done.stdout.count("\n") == 1
    assert done.stderr.count("\n") == 1 and "broken symbolic link" in done.stderr


# ---------------------------------------------------------------- the cache


def _reader(*args, env_extra=None, cwd=None):
    import os
    import subprocess
    import sys

    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "reader.cli", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120)


def test_cache_info_and_clear(tmp_path):
    cache = tmp_path / "cache"
    env = {"READER_CACHE_DIR": str(cache)}
    empty = _reader("cache", "info", env_extra=env)
    assert empty.returncode == 0 and "empty" in empty.stdout and str(cache) in empty.stdout
    listed = _reader("list", str(SEEDS), env_extra=env)
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 5
    info = _reader("cache", "info", env_extra=env)
    assert info.returncode == 0 and "5 articles in 1 segments" in info.stdout and str(SEEDS.resolve()) in info.stdout
    cleared = _reader("cache", "clear", env_extra=env)
    assert cleared.returncode == 0 and "cache cleared" in cleared.stdout
    assert "empty" in _reader("cache", "info", env_extra=env).stdout
    assert not (cache / "v1").exists()


def test_no_cache_writes_nothing(tmp_path):
    cache = tmp_path / "cache"
    env = {"READER_CACHE_DIR": str(cache)}
    for command in (("list", str(SEEDS), "--no-cache"), ("find", str(SEEDS), "北约", "--no-cache")):
        assert _reader(*command, env_extra=env).returncode == 0
    assert not cache.exists()


def test_a_progress_line_never_reaches_a_pipe(tmp_path):
    done = _reader("list", str(SEEDS), env_extra={"READER_CACHE_DIR": str(tmp_path / "cache")})
    assert "\r" not in done.stderr and "\x1b" not in done.stderr and "\x1b" not in done.stdout
