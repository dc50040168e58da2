"""The benchmark corpus generator: deterministic, varied like a real archive, readable, safe to rerun."""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from reader.parse.load import load_article

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import corpus_sources  # noqa: E402
import gen_corpus  # noqa: E402

N = 300
SIMPLE_KINDS = ("fm", "fmrss", "rss", "noisy", "md")  # metadata stated in the file
PAGES = ("page", "wechat", "drupal")


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != gen_corpus.MARKER}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[gen_corpus.Made]]:
    out = tmp_path_factory.mktemp("corpus")
    gen_corpus.generate(out, N, seed=0)
    return out, [gen_corpus.build(0, i) for i in range(N)]


def test_writes_n_files_where_build_says(corpus):
    out, made = corpus
    files = _files(out)
    assert len(files) == N
    for m in made:
        assert files[m.path] == m.data
        assert int(os.stat(out / m.path).st_mtime) == m.mtime
        assert corpus_sources.is_generated_name(m.path.rsplit("/", 1)[-1])


def test_same_seed_gives_same_files(tmp_path, corpus):
    out, _ = corpus
    gen_corpus.generate(tmp_path, N, seed=0)
    assert _files(tmp_path) == _files(out)


def test_article_depends_only_on_seed_and_index(tmp_path, corpus):
    out, _ = corpus
    gen_corpus.generate(tmp_path, 40, seed=0)
    small, big = _files(tmp_path), _files(out)
    assert all(big[path] == data for path, data in small.items())


def test_other_seed_gives_other_articles(tmp_path, corpus):
    out, _ = corpus
    gen_corpus.generate(tmp_path, 40, seed=1)
    assert not set(_files(tmp_path).values()) & set(_files(out).values())


def _share(items, predicate) -> float:
    return sum(1 for item in items if predicate(item)) / len(items)


def test_shares_of_kinds_scripts_and_pages(corpus):
    _, made = corpus
    kinds = Counter("page" if m.kind in PAGES else m.kind for m in made)
    for kind, share in corpus_sources.SHARES.items():
        assert abs(kinds[kind] / N - share) < 0.07, (kind, kinds[kind])
    assert 0.18 < _share(made, lambda m: m.script == "t") < 0.32
    assert 0.01 < _share(made, lambda m: m.kind in PAGES) < 0.08
    assert {"page", "wechat", "drupal"} <= {m.kind for m in made} | {
        gen_corpus.build(0, i).kind for i in range(N, 3 * N) if gen_corpus._role(0, i)[0] == "article"}


def test_shares_of_copies_and_reposts():
    roles = Counter(gen_corpus._role(0, i)[0] for i in range(20_000))
    assert abs(roles["copy"] / 20_000 - gen_corpus.COPY_SHARE) < 0.004
    assert abs(roles["repost"] / 20_000 - gen_corpus.REPOST_SHARE) < 0.003


def test_copies_are_the_same_bytes_in_another_folder(corpus):
    _, made = corpus
    copies = [m for m in made if m.role == "copy"]
    assert copies
    for copy in copies:
        original = gen_corpus.build(0, gen_corpus._role(0, copy.index)[1])
        assert copy.data == original.data
        assert copy.path.rsplit("/", 1)[0] != original.path.rsplit("/", 1)[0]


def test_reposts_share_the_body_under_another_outlet():
    reposts = [i for i in range(N, 3000) if gen_corpus._role(0, i)[0] == "repost"][:8]
    assert reposts
    for index in reposts:
        repost = gen_corpus.build(0, index)
        original = gen_corpus.make_piece(0, gen_corpus._role(0, index)[1])[0]
        text = repost.data.decode("utf-8")
        for block in original.blocks:
            if block[0] == "p":
                assert block[1] in text, index
        assert repost.outlet != original.source.name
        assert original.url not in text or not original.url


def test_sizes_are_skewed_like_news(corpus):
    _, made = corpus
    articles = sorted(len(m.data) for m in made if m.kind not in PAGES)
    pages = [len(m.data) for m in made if m.kind in PAGES]
    assert 700 <= articles[0] and articles[-1] <= 64_000
    assert _share(articles, lambda size: 3_000 <= size <= 10_000) > 0.5
    assert articles[len(articles) // 2] < sum(articles) / len(articles)  # a long tail: mean above median
    assert 6_000 < sum(articles) / len(articles) < 11_000
    assert all(45_000 <= size <= 401_000 for size in pages)


def test_every_file_reads_with_the_expected_metadata(corpus):
    out, made = corpus
    for m in made:
        article = load_article(out / m.path)  # an ArticleError fails the test
        if m.kind not in ("drupal",):
            assert article.title == m.title, m.path
        if m.kind in SIMPLE_KINDS:
            assert article.source == m.source, m.path
            if m.date is None:
                assert article.date_origin.value == "file" and int(article.date.timestamp()) == m.mtime, m.path
            else:
                assert article.date == m.date, m.path
        if m.kind not in PAGES:
            assert article.blocks, m.path


def test_traditional_articles_are_in_traditional_characters(corpus):
    out, made = corpus
    from corpus_text import load_s2t

    table = load_s2t()
    simplified = {chr(code) for code in table}
    traditional = set(table.values()) - simplified
    for m in made:
        text = m.data.decode("utf-8")
        changed = sum(ch in traditional for ch in text)
        unchanged = sum(ch in simplified for ch in text)
        if m.script == "t" and not m.mixed:
            assert changed > 5 * unchanged, m.path
        elif m.script == "s" and not m.mixed and m.kind not in PAGES:
            assert unchanged > 5 * changed, m.path
    mixed = [m for m in made if m.mixed and m.script == "t"]
    assert mixed and all(re.search("(新华社|人民日报|央视新闻)报道称", m.data.decode("utf-8").translate(
        {ord(t): s for s, t in zip(map(chr, table), table.values())})) for m in mixed)


def test_dates_spread_over_years_and_formats(corpus):
    _, made = corpus
    years = Counter(m.date.year for m in made if m.date is not None)
    assert min(years) <= 2012 and max(years) >= 2025
    assert sum(v for y, v in years.items() if y >= 2020) > sum(v for y, v in years.items() if y < 2015)
    stated = [re.search(rb"^date: (.+)$", m.data, re.M) for m in made if m.kind in ("fm", "fmrss")]
    styles = {("cn" if "年".encode() in s.group(1) else "epoch" if s.group(1).isdigit() else
               "offset" if b"+08:00" in s.group(1) else "rfc" if b"GMT" in s.group(1) else "other")
              for s in stated if s}
    assert {"cn", "epoch", "offset", "rfc"} <= styles
    assert any(m.date is None for m in made if m.kind in SIMPLE_KINDS)  # front matter without a date


def test_many_sources_with_a_skew(corpus):
    _, made = corpus
    outlets = Counter(m.outlet for m in made)
    assert len(outlets) >= 80
    top = outlets.most_common(1)[0][1]
    assert top >= 8 and sum(1 for count in outlets.values() if count == 1) >= 30
    assert any(re.fullmatch(r"[A-Za-z0-9. -]+", name) for name in outlets)  # Latin names too


def test_folders_and_names_vary(corpus):
    _, made = corpus
    depths = Counter(m.path.count("/") for m in made)
    assert depths[1] and (depths[3] or depths[4] or depths[5])
    assert {".md", ".txt", ".html"} <= {m.path[m.path.rindex("."):] for m in made}


def test_whole_pages_look_saved(corpus):
    _, made = corpus
    for m in made:
        if m.kind in PAGES:
            text = m.data.decode("utf-8")
            assert "<head" in text and "<script" in text and "<style" in text
    wechat = next(gen_corpus.build(0, i) for i in range(5000) if gen_corpus.make_piece(0, i)[0].kind == "wechat"
                  and gen_corpus._role(0, i)[0] == "article")
    text = wechat.data.decode("utf-8")
    for needle in ('id="js_content"', 'var nickname = "', 'var ct = "', 'id="publish_time"', "profile_nickname",
                   'content="Weixin Official Accounts Platform"'):
        assert needle in text
    drupal = next(gen_corpus.build(0, i) for i in range(5000) if gen_corpus.make_piece(0, i)[0].kind == "drupal"
                  and gen_corpus._role(0, i)[0] == "article")
    text = drupal.data.decode("utf-8")
    assert re.search(r" 在 星期., \d\d/\d\d/\d{4} - \d\d:\d\d 提交", text)
    assert re.search(r"<p>IMG_\d{8}_\d{6}\.jpg</p>", text)
    assert text.count(drupal.title.replace("&", "&amp;")) >= 3


def test_outlets_repeat_their_footer(corpus):
    _, made = corpus
    guancha = [m for m in made if m.outlet == "观察者网" and m.role == "article"]
    assert guancha and all("本文系观察者网独家稿件，未经授权，不得转载。" in m.data.decode("utf-8") for m in guancha)


def test_marker_records_version_and_settings(corpus):
    out, _ = corpus
    marker = gen_corpus.read_marker(out)
    assert marker["version"] == str(gen_corpus.GENERATOR_VERSION) and marker["n"] == str(N)
    assert marker["seed"] == "0" and "traditional" in marker and "copies" in marker


def test_an_older_corpus_reads_as_none(tmp_path):
    (tmp_path / gen_corpus.MARKER).write_text("version=1\nn=10\nseed=0\n", encoding="utf-8")
    assert gen_corpus.read_marker(tmp_path) == {}


def test_refuses_foreign_folder(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SystemExit):
        gen_corpus.generate(tmp_path, 3, seed=0)
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_regenerating_removes_only_what_it_wrote(tmp_path):
    gen_corpus.generate(tmp_path, 60, seed=0)
    first = gen_corpus.build(0, 0).path
    folder = tmp_path / first.rsplit("/", 1)[0]
    strays = {
        tmp_path / "README.txt": "keep me",
        folder / "notes.md": "mine, in a generated folder",
        folder / f"000001_{'0123456789abcdef'}.txt": "named like the generator's, wrong check",
        tmp_path / "mine" / "2022-01" / "000001_0123456789abcdef.txt": "a v1-looking name outside a v1 corpus",
    }
    for path, text in strays.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "empty folder").mkdir()
    gen_corpus.generate(tmp_path, 7, seed=2)
    for path, text in strays.items():
        assert path.read_text(encoding="utf-8") == text
    assert (tmp_path / "empty folder").is_dir()
    left = [p for p in tmp_path.rglob("*") if p.is_file() and corpus_sources.is_generated_name(p.name)]
    assert sorted(str(p.relative_to(tmp_path)) for p in left) == sorted(gen_corpus.build(2, i).path for i in range(7))
    assert gen_corpus.read_marker(tmp_path)["n"] == "7"


def test_regenerating_cleans_a_version_1_corpus(tmp_path):
    old = tmp_path / "2021-06" / "000123_5ebfe7b192dec475.txt"
    old.parent.mkdir()
    old.write_text("old article", encoding="utf-8")
    (tmp_path / gen_corpus.MARKER).write_text("version=1\nn=1\nseed=0\n", encoding="utf-8")
    gen_corpus.generate(tmp_path, 3, seed=0)
    assert not old.exists() and not old.parent.exists()
