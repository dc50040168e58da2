"""`reader find`, run as a user runs it: a real process, real files."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SEEDS, many_articles, seed_path

READER = [sys.executable, "-m", "reader.cli"]
# No colour forced from outside: these runs are pipes and must look like pipes.
def environment() -> dict[str, str]:
    # Read when a command runs, not when this module is imported: each test has XDG folders of its own (conftest).
    env = {key: value for key, value in os.environ.items() if key not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    return {**env, "NO_COLOR": "", "COLUMNS": "100"}
KEYS = {"path", "title", "source", "date", "score", "block", "passage", "spans", "copies"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*READER, *args], capture_output=True, text=True, env=environment(), timeout=60)


def records(done: subprocess.CompletedProcess[str]) -> list[dict]:
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_seed_000_paragraph_comes_first(seed_articles):
    done = run("find", str(SEEDS), "核战争打不赢")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    title_line, passage_line, path_line = done.stdout.splitlines()[:3]
    assert title_line.startswith("2022-01-11 10:55")
    assert title_line.endswith(seed_articles["000"].title)
    assert "观察者网" in title_line
    assert passage_line.startswith("  ") and "核战争打不赢" in passage_line
    assert path_line.strip() == str(seed_path("000"))


def test_hits_are_blocks_of_three_lines_separated_by_a_blank_line():
    lines = run("find", str(SEEDS), "北约").stdout.split("\n")
    assert lines[-1] == ""  # the output ends with a newline
    blocks = "\n".join(lines[:-1]).split("\n\n")
    assert len(blocks) == 5
    for block in blocks:
        heading, passage, path = block.split("\n")
        assert re.match(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", heading)
        assert "北约" in passage
        assert Path(path.strip()).parent == SEEDS


def test_json_lines_hold_exactly_the_documented_keys(seed_articles):
    done = run("find", str(SEEDS), "核战争打不赢", "--json")
    assert done.returncode == 0, done.stderr
    hits = records(done)
    assert hits
    for hit in hits:
        assert set(hit) == KEYS
        assert isinstance(hit["score"], float) and isinstance(hit["block"], int)
        for start, end in hit["spans"]:
            assert 0 <= start < end <= len(hit["passage"])
    first = hits[0]
    assert Path(first["path"]) == seed_path("000")
    assert first["date"] == "2022-01-11T10:55:39+00:00"
    assert first["source"] == "观察者网"
    assert [first["passage"][start:end] for start, end in first["spans"]] == ["核战争打不赢"]
    article = seed_articles["000"]
    assert 15 <= first["block"] <= 20
    assert first["passage"].strip("…") in article.blocks[first["block"]].text


def test_json_block_numbers_for_titles_are_minus_one():
    hits = records(run("find", str(SEEDS), "in:title 书面回复", "--json"))
    assert [hit["block"] for hit in hits] == [-1]
    assert hits[0]["passage"] == hits[0]["title"]


def test_a_wrong_character_still_finds_the_paragraph():
    hits = records(run("find", str(SEEDS), "核战争打不应也打不得", "--json"))
    assert Path(hits[0]["path"]) == seed_path("000")
    assert hits[0]["score"] < 100
    marked = "".join(hits[0]["passage"][start:end] for start, end in hits[0]["spans"])
    assert "核战争打不" in marked and "应" not in marked


def test_limit_gives_that_many_hits_and_says_there_are_more():
    done = run("find", str(SEEDS), "北约", "--limit", "1")
    assert done.returncode == 0
    assert len(done.stdout.strip().split("\n\n")) == 1
    assert "--limit" in done.stderr
    assert len(records(run("find", str(SEEDS), "北约", "--limit", "2", "--json"))) == 2


def test_limit_0_means_every_hit():
    every = records(run("find", str(SEEDS), "的", "--limit", "0", "--json"))
    assert len(every) == 5  # every seed holds 的; the default limit would show them all too
    one = run("find", str(SEEDS), "的", "--limit", "1")
    assert one.returncode == 0
    assert "5 articles match" in one.stderr and "--limit" in one.stderr
    assert len(records(run("find", str(SEEDS), "北约", "--limit", "0", "--json"))) == 5


@pytest.mark.parametrize(("query", "says"), [("foo:bar 北约", "foo:bar"), ("in:body 北约", "in: takes only title")])
def test_an_unknown_filter_is_one_line_on_stderr_and_exit_2(query, says):
    done = run("find", str(SEEDS), query)
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and says in done.stderr
    assert "Traceback" not in done.stderr


def test_filters_work_from_the_command_line():
    hits = records(run("find", str(SEEDS), "source:观察者网 书面回复", "--json"))
    assert hits and {hit["source"] for hit in hits} == {"观察者网"}
    assert all("书面回复" in hit["passage"] for hit in hits)
    dated = records(run("find", str(SEEDS), "date:2022-01 拉夫罗夫", "--json"))
    assert dated and all(hit["date"].startswith("2022-01") for hit in dated)
    assert run("find", str(SEEDS), "date:2021 拉夫罗夫").returncode == 1


def test_no_match_exits_1_with_a_message():
    done = run("find", str(SEEDS), "完全不存在的词语组合")
    assert done.returncode == 1
    assert done.stdout == ""
    assert "nothing matches" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["find", "/nonexistent/folder", "北约"],
        ["find", str(SEEDS), "/nonexistent/folder", "北约"],
        ["find", "北约", str(SEEDS)],  # the query first: a missing path, with a hint
        ["find", str(SEEDS)],  # no query
        ["find", str(SEEDS), "   "],
        ["find", str(SEEDS), "北约", "--limit", "many"],
    ],
)
def test_bad_usage_exits_2(args):
    done = run(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip()
    assert "Traceback" not in done.stderr


def test_a_pipe_gets_no_escape_codes():
    done = run("find", str(SEEDS), "核战争打不赢")
    assert "\x1b" not in done.stdout
    # Unmarked in a pipe: the passage reads exactly as written.
    assert "“核战争打不赢也打不得。”" in done.stdout


def test_a_problem_file_is_one_stderr_line_and_hits_still_count(tmp_path):
    (tmp_path / "good.md").write_text("---\ntitle: 好文章\ndate: 2022-01-01\n---\n北约峰会的消息。\n", encoding="utf-8")
    (tmp_path / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    done = run("find", str(tmp_path), "北约峰会")
    assert done.returncode == 0
    assert done.stderr.splitlines() == [f"{tmp_path / 'image.md'}: binary file, not text"]
    assert "好文章" in done.stdout


def test_help_says_what_a_pipe_gets():
    done = run("find", "--help")
    assert done.returncode == 0
    assert "pipe" in done.stdout and "--json" in done.stdout
    assert "find" in run("--help").stdout


def test_find_never_imports_textual():
    code = (
        "import sys; from reader.cli import main; "
        "main(['find', %r, '北约', '--json']); assert 'textual' not in sys.modules" % str(SEEDS)
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_a_warm_find_in_a_pipe_imports_only_what_it_shows_with():
    """No Textual, no rich console or text: a pipe gets plain lines, and each import is milliseconds of every run."""
    code = (
        "import sys; from reader.cli import main; main(['find', %r, '北约']); "
        "print(sorted({'textual', 'rich.console', 'rich.text'} & set(sys.modules)))" % str(SEEDS)
    )
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)  # reads and caches the seeds
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "[]"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs a pseudo-terminal")
def test_a_terminal_marks_the_match_and_fits_80_columns():
    import pty

    from reader.textwidth import cell_width

    env = {**environment(), "COLUMNS": "80", "LINES": "24", "TERM": "xterm-256color"}
    env.pop("NO_COLOR")
    leader, follower = pty.openpty()
    with subprocess.Popen([*READER, "find", str(SEEDS), "北约"], stdout=follower, stderr=subprocess.PIPE, env=env) as child:
        os.close(follower)  # the child holds its own copy; reading ends when it exits
        output = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other end is closed, all is read
                break
            if not chunk:
                break
            output += chunk
        os.close(leader)
        child.stderr.read()
    assert child.wait(timeout=60) == 0
    text = output.decode("utf-8")
    assert "\x1b[1;7m北约\x1b[0m" in text  # bold reverse on exactly the match
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text).replace("\r\n", "\n")
    assert all(cell_width(line) <= 80 for line in plain.splitlines())


def test_a_second_find_loads_the_folding_tables_from_the_cache_instead_of_building_them(monkeypatch, capsys):
    # In this process, to count the builds: the tables were built (80-400 ms) by every run,
    # since the query was folded before the cache's copy was looked for.
    from reader.cli.main import main
    from reader.search import fold

    monkeypatch.setattr(fold, "_KEPT_IN", None)
    built: list[int] = []
    real_build = fold._built_tables
    monkeypatch.setattr(fold, "_built_tables", lambda: built.append(1) or real_build())
    outputs = []
    for _ in range(2):
        fold.fold_table.cache_clear()
        assert main(["find", str(SEEDS), "北约"]) == 0
        outputs.append(capsys.readouterr().out)
    fold.fold_table.cache_clear()
    assert built == [1]  # the first run built them and kept a copy; the second loaded it
    assert outputs[0] == outputs[1] and "北约" in outputs[0]


def test_reader_list_after_a_change_folds_through_the_kept_tables(monkeypatch, capsys, tmp_path):
    # A file changed since the last run is read and indexed again in this process (too few for
    # the pool), which folds its text: through the tables kept in the cache, not built again.
    import shutil

    from reader.cli.main import main
    from reader.search import fold

    folder = tmp_path / "news"
    shutil.copytree(SEEDS, folder)
    monkeypatch.setattr(fold, "_KEPT_IN", None)
    fold.fold_table.cache_clear()
    assert main(["find", str(folder), "北约"]) == 0  # builds the tables once and keeps them
    built: list[int] = []
    real_build = fold._built_tables
    monkeypatch.setattr(fold, "_built_tables", lambda: built.append(1) or real_build())
    monkeypatch.setattr(fold, "_KEPT_IN", None)  # as in a new process
    fold.fold_table.cache_clear()
    changed = next(path for path in folder.iterdir() if path.name.startswith("000"))
    changed.write_text(changed.read_text(encoding="utf-8") + "\n新的一段。\n", encoding="utf-8")
    assert main(["list", str(folder)]) == 0
    fold.fold_table.cache_clear()
    assert built == []
    assert len(capsys.readouterr().out.splitlines()) >= 5


def test_find_and_list_run_without_the_cyclic_collector_and_leave_it_as_it_was(monkeypatch, capsys):
    import gc

    from reader.cli.main import main
    from reader.search import engine

    seen: list[bool] = []
    real = engine.rank
    monkeypatch.setattr(engine, "rank", lambda *args, **kwargs: seen.append(gc.isenabled()) or real(*args, **kwargs))
    assert gc.isenabled()
    assert main(["find", str(SEEDS), "北约"]) == 0
    assert seen and not any(seen) and gc.isenabled()
    gc.disable()
    try:
        assert main(["list", str(SEEDS)]) == 0
        assert not gc.isenabled()  # left as it was: off
    finally:
        gc.enable()
    capsys.readouterr()


def test_find_writes_the_first_hits_before_the_last_is_dressed(tmp_path, monkeypatch):
    """Each hit is dressed as it is written (engine.Ranking): a pipe sees the first one at once."""
    from reader.cli.main import main
    from reader.search import engine

    folder = many_articles(tmp_path, 40)
    written: list[int] = []  # hits written when each hit was dressed
    real = engine._dress

    class Out:
        def __init__(self) -> None:
            self.text = ""

        def write(self, text: str) -> None:
            self.text += text

        def isatty(self) -> bool:
            return False

        def flush(self) -> None:
            pass

    out = Out()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(engine, "_dress", lambda *args, **kwargs: written.append(out.text.count("共同的一句话")) or real(*args, **kwargs))
    assert main(["find", str(folder), "共同的一句话", "--limit", "0"]) == 0
    assert len(written) == 40 and written == list(range(40))  # the hit before each one was out already
    assert out.text.count("共同的一句话") == 40


def test_a_cache_file_that_fails_its_checksum_while_hits_are_written_costs_no_hit(tmp_path):
    # Bodies of about 1 KB: the text spans several of the cache's lazily checked chunks (16 KB).
    folder = many_articles(tmp_path, 40, filler="内容" * 300)
    expected = run("find", str(folder), "号", "--limit", "0")  # the cold run writes the cache
    assert expected.returncode == 0 and expected.stdout.count("共同的一句话") == 40
    (segment,) = sorted(Path(environment()["XDG_CACHE_HOME"]).rglob("*.seg"))
    data = bytearray(segment.read_bytes())
    # The first body, in the first chunk of text with the older half: a one-character query finds its
    # passages in the postings, and reads their text only when each hit is dressed, newest first.
    at = data.index("编号0。".encode("utf-16-le")) + 20
    data[at] ^= 0x01
    segment.write_bytes(data)
    done = subprocess.run([*READER, "find", str(folder), "号", "--limit", "0"], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, env={**environment(), "PYTHONUNBUFFERED": "1"}, timeout=60)
    assert done.returncode == 0, done.stdout
    notice = next(line for line in done.stdout.splitlines() if line.startswith("reader: "))
    assert "set aside" in notice and "Traceback" not in done.stdout
    before, after = done.stdout.split(notice + "\n")
    assert before.count("共同的一句话") >= 5  # written before the damage was met
    assert before + after == expected.stdout  # and every hit once, in the same order
    again = run("find", str(folder), "号", "--limit", "0")
    assert again.stdout == expected.stdout and again.stderr == ""  # the rebuilt cache is good
