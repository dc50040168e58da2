"""The benchmark corpus generator: deterministic, varied, and safe to rerun."""

from __future__ import annotations

import email.utils
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import gen_corpus  # noqa: E402

N = 30


def _files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.txt"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[Path, str]:
    out = tmp_path_factory.mktemp("corpus")
    gen_corpus.generate(out, N, seed=0)
    return {path.relative_to(out): path.read_bytes().decode("utf-8") for path in _files(out)}


def test_writes_n_utf8_files_in_subfolders(corpus):
    assert len(corpus) == N  # the fixture already decoded every file strictly as UTF-8
    for path in corpus:
        assert len(path.parts) == 2, "files sit one folder down"
        assert re.fullmatch(r"\d{6}_[0-9a-f]{16}\.txt", path.name)


def test_same_seed_gives_same_bytes(tmp_path, corpus):
    gen_corpus.generate(tmp_path / "again", N, seed=0)
    again = {p.relative_to(tmp_path / "again"): p.read_bytes().decode("utf-8")
             for p in _files(tmp_path / "again")}
    assert again == corpus


def test_other_seed_gives_other_articles(tmp_path, corpus):
    gen_corpus.generate(tmp_path / "other", N, seed=1)
    other = {p.name: p.read_text(encoding="utf-8") for p in _files(tmp_path / "other")}
    assert sorted(other.values()) != sorted(corpus.values())


def test_all_three_formats(corpus):
    texts = list(corpus.values())
    front_matter = [t for t in texts if t.startswith("\n---\n")]
    rss = [t for t in texts if re.match(r"<!--\d{13}-->\n\[", t)]
    noisy = [t for t in front_matter if "adsbygoogle" in t and "Mitbbs.com" in t]
    assert len(front_matter) + len(rss) == N
    assert len(rss) >= N // 4
    assert N // 4 <= len(noisy) < len(front_matter)
    for text in rss:
        assert "\n------\n" in text and "<div><i>" in text


def _dates(text: str):
    match = re.search(r"^date: (.+)$", text, re.M) or re.search(r"<div><i>(.+?)</i></div>", text)
    assert match, "every article states its date"
    return email.utils.parsedate_to_datetime(match.group(1))


def test_dates_spread_over_years(corpus):
    dates = [_dates(text) for text in corpus.values()]
    assert all(2019 <= d.year <= 2022 for d in dates)
    assert len({d.year for d in dates}) >= 2
    assert (max(dates) - min(dates)).days > 365


def test_rss_comment_is_close_to_stated_date(corpus):
    for text in corpus.values():
        if text.startswith("<!--"):
            fetched_s = int(re.match(r"<!--(\d+)-->", text).group(1)) / 1000
            assert 0 <= fetched_s - _dates(text).timestamp() < 24 * 3600


def _source(text: str) -> str:
    match = re.search(r"^categories: \n - .+\n - (.+)$", text, re.M)
    if match:
        return match.group(1)
    return re.search(r"\]\(https://([^/]+)/", text).group(1)


def test_many_sources(corpus):
    assert len({_source(text) for text in corpus.values()}) >= 5


def test_articles_look_like_articles(corpus):
    for text in corpus.values():
        title = re.search(r"^title: '(.*)'$|^\[(.*)\]\(", text, re.M)
        assert title and 4 <= len(title.group(1) or title.group(2)) <= 40
        if "Mitbbs.com" in text:  # noisy pages: one watermark closes each paragraph
            paragraphs = text.count("Mitbbs.com</font>")
        else:
            paragraphs = len(re.findall(r"<p[^>]*>\s*[^<\s]", text))
        assert paragraphs >= 8


def test_refuses_foreign_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SystemExit):
        gen_corpus.generate(tmp_path, 3, seed=0)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_regenerating_replaces_earlier_corpus(tmp_path):
    gen_corpus.generate(tmp_path, 12, seed=0)
    keep = tmp_path / "README.txt"  # a stray file that the generator did not write
    keep.write_text("keep me", encoding="utf-8")
    gen_corpus.generate(tmp_path, 5, seed=2)
    assert len([p for p in _files(tmp_path) if p != keep]) == 5
    assert keep.read_text(encoding="utf-8") == "keep me"
    assert gen_corpus.read_marker(tmp_path)["n"] == "5"
