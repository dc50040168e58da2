"""What a worker of the first run does: files read into segments as large as their passage numbers allow."""

from __future__ import annotations

import re

from reader.catalog.reading import read_files
from reader.catalog.segment import MAX_PASSAGES, FileRef, Segment, text_hash
from reader.catalog.snapshot import Part, Snapshot
from reader.search.engine import search
from hypothesis import given, settings
from hypothesis import strategies as st


def _write(folder, name: str, paragraphs: list[str]) -> FileRef:
    path = folder / name
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    path.write_text(f"---\ntitle: {name}\nsource: VOA\ndate: 2024-01-0{len(name) % 9 + 1}\n---\n{body}\n", encoding="utf-8")
    return FileRef(0, name, str(path), (0, len(name), 0, 0))


def _titles(segments: list[Segment]) -> list[list[str]]:
    return [list(segment.column("title")) for segment in segments]


def test_files_that_fit_share_one_segment_and_the_next_starts_a_new_one(tmp_path):
    big = _write(tmp_path, "a.md", ["北约"] + [f"段{n}" for n in range(39_998)] + ["东扩"])  # 40,002 passages
    bigger = _write(tmp_path, "bb.md", [f"节{n}" for n in range(29_999)] + ["北约东扩"])  # 30,002: too many to join a
    small = _write(tmp_path, "ccc.md", ["北约的新闻"])  # 3: joins b
    broken = FileRef(0, "dddd.md", str(tmp_path / "dddd.md"), (0, 4, 0, 0))  # not there: skipped, not lost

    segments = read_files([big, bigger, small, broken])

    assert _titles(segments) == [["a.md"], ["bb.md", "ccc.md"]]
    assert [segment.passage_count for segment in segments] == [40_002, 30_005]
    assert all(segment.passage_count <= MAX_PASSAGES for segment in segments)
    assert list(segments[1].column("skipped_relative")) == ["dddd.md"]
    snapshot = Snapshot(tuple(Part(segment) for segment in segments), ("",))
    assert [(hit.article.title, hit.block) for hit in search(snapshot, "东扩").hits][:2] == [("bb.md", 29_999), ("a.md", 39_999)]
    assert [hit.article.title for hit in search(snapshot, "北约的新").hits][:1] == ["ccc.md"]


def test_no_files_no_segments():
    assert read_files([]) == []


def test_only_files_that_are_not_articles_still_say_why(tmp_path):
    gone = FileRef(0, "gone.md", str(tmp_path / "gone.md"), (0, 1, 0, 0))
    segments = read_files([gone])
    assert [segment.article_count for segment in segments] == [0]
    assert list(segments[0].column("skipped_relative")) == ["gone.md"]


_ANY_BLANKS = st.text(alphabet=st.sampled_from(list(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2009\u200b\u2028\u2029\u202f\u3000ab北\ud800")), max_size=40)


@given(st.lists(_ANY_BLANKS, max_size=5))
@settings(max_examples=300)
def test_text_hash_leaves_out_exactly_what_a_regex_blank_is(texts):
    # Reading state is keyed by this hash (keys.article_key): it must never change for a text.
    import hashlib

    joined = re.sub(r"\s+", "", "".join(texts))
    expected = 0 if not joined else (int.from_bytes(hashlib.blake2b(joined.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little", signed=True) or 1)
    assert text_hash(texts) == expected


def test_a_folder_of_long_articles_loads_whole_and_reads_back_whole_from_the_cache(tmp_path):
    # Three articles of 25,000 paragraphs: more than one segment holds, in one task.
    from reader.catalog import Catalog

    folder = tmp_path / "long"
    folder.mkdir()
    for name, tag in (("a.md", "甲"), ("bb.md", "乙"), ("ccc.md", "丙")):
        _write(folder, name, [f"{tag}第{n}段" for n in range(25_000)])  # 175,000 characters: under the body's cap
    for _ in range(2):  # the first run reads the files, the second the cache
        snapshot = Catalog([folder], cache_base=tmp_path / "cache").load()
        assert snapshot.live_count == 3
        assert sorted(len(snapshot.article(number).blocks) for number in range(3)) == [25_000] * 3
        hits = search(snapshot, "丙第24999段").hits
        assert [(hit.article.title, hit.block) for hit in hits][:1] == [("ccc.md", 24_999)]
