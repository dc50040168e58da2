"""The cache's array files (reader.store.container): small checked chunks, and reads that check only what they use."""

from __future__ import annotations

import json
import struct
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.store import container
from reader.store.container import CHUNK, LAZY_CHUNK, ArrayFile, Checked, Damaged, write_arrays

_SIZE = 40 * LAZY_CHUNK // 4  # uint32 items filling 40 lazy chunks


def _file(tmp_path, **arrays):
    path = tmp_path / "arrays.bin"
    write_arrays(path, "test", arrays, lazy=frozenset(arrays))
    return path


def _flip(path, array_name: str, item: int) -> None:
    """Change one byte of item ``item`` of a uint32 array in the file, as a bad disk would."""
    data = bytearray(path.read_bytes())
    header_length = struct.unpack_from("<8sII", data, 0)[1]
    header = json.loads(data[16:16 + header_length])
    start = -(-(16 + header_length) // 64) * 64
    entry = next(e for e in header["arrays"] if e["name"] == array_name)
    data[start + entry["offset"] + 4 * item] ^= 0x01
    path.write_bytes(bytes(data))


def _chunks_checked(array: Checked) -> int:
    return sum(array._verified)


def test_lazy_arrays_are_checked_in_small_chunks_and_say_so_in_the_header(tmp_path):
    path = _file(tmp_path, numbers=np.arange(_SIZE, dtype=np.uint32))
    header = json.loads(path.read_bytes()[16:16 + struct.unpack_from("<8sII", path.read_bytes(), 0)[1]])
    (entry,) = header["arrays"]
    assert entry["chunk"] == LAZY_CHUNK and len(entry["crcs"]) == 40
    numbers = ArrayFile(path, "test").arrays["numbers"]
    assert numbers.take(np.array([5, 20_000])).tolist() == [5, 20_000]
    assert _chunks_checked(numbers) == 2  # of 40


def test_a_file_with_one_chunk_size_for_every_array_still_reads(tmp_path, monkeypatch):
    """Files written before lazy chunks were small have no "chunk" in their header: 256 KB is meant."""
    monkeypatch.setattr(container, "LAZY_CHUNK", CHUNK)
    path = tmp_path / "old.bin"
    write_arrays(path, "test", {"numbers": np.arange(_SIZE * 8, dtype=np.uint32)}, lazy=frozenset({"numbers"}))
    data = path.read_bytes()
    length = struct.unpack_from("<8sII", data, 0)[1]
    header = data[16:16 + length].replace(b'"chunk":262144,', b"")
    assert len(header) < length
    header = header + b" " * (length - len(header))  # JSON allows trailing blanks: the layout stays
    path.write_bytes(data[:8] + struct.pack("<II", length, zlib.crc32(header)) + header + data[16 + length:])
    monkeypatch.undo()
    numbers = ArrayFile(path, "test").arrays["numbers"]
    assert numbers.take(np.array([7, _SIZE * 8 - 1])).tolist() == [7, _SIZE * 8 - 1]
    assert numbers._chunk == CHUNK


@given(st.lists(st.integers(0, 5_000), min_size=1, max_size=3000), st.lists(st.integers(-5, 5_010), min_size=1, max_size=20))
@settings(max_examples=60, deadline=None)
def test_searchsorted_on_checked_bytes_is_numpys(tmp_path_factory, items, values):
    array = np.array(sorted(items), dtype=np.uint32)
    path = _file(tmp_path_factory.mktemp("s"), sorted=array)
    for side in ("left", "right"):
        checked = ArrayFile(path, "test").arrays["sorted"]
        asked = np.array(values, dtype=np.int64)
        assert checked.searchsorted(asked, side=side).tolist() == np.searchsorted(array, asked, side=side).tolist()
        assert int(checked.searchsorted(values[0], side=side)) == int(np.searchsorted(array, values[0], side=side))


def test_searchsorted_checks_only_the_chunks_beside_its_answers(tmp_path):
    path = _file(tmp_path, sorted=np.arange(0, 2 * _SIZE, 2, dtype=np.uint32))
    checked = ArrayFile(path, "test").arrays["sorted"]
    assert checked.searchsorted(np.array([1001, 40_001])).tolist() == [501, 20_001]
    assert _chunks_checked(checked) == 2


def test_searchsorted_never_answers_from_damaged_bytes(tmp_path):
    """Damage beside the answer, or damage that sends the search astray, is found, never answered from."""
    path = _file(tmp_path, sorted=np.arange(0, 2 * _SIZE, 2, dtype=np.uint32))
    _flip(path, "sorted", 500)
    with pytest.raises(Damaged):
        ArrayFile(path, "test").arrays["sorted"].searchsorted(1001)
    path = _file(tmp_path, sorted=np.arange(0, 2 * _SIZE, 2, dtype=np.uint32))
    far = 3 * _SIZE // 4
    _flip(path, "sorted", far)  # 2 * far becomes 2 * far + 1
    checked = ArrayFile(path, "test").arrays["sorted"]
    assert checked.searchsorted(1001) == 501  # far from the damage: right, and nothing damaged was used
    with pytest.raises(Damaged):
        checked.searchsorted(2 * far + 1)  # the damaged item would be the answer


def test_take_finds_damage_in_what_it_takes_and_only_there(tmp_path):
    path = _file(tmp_path, numbers=np.arange(_SIZE, dtype=np.uint32))
    _flip(path, "numbers", 30_000)
    numbers = ArrayFile(path, "test").arrays["numbers"]
    assert numbers.take(np.array([3, 10])).tolist() == [3, 10]  # another chunk: read, and right
    with pytest.raises(Damaged):
        numbers.take(np.array([30_001]))


_PER_CHUNK = LAZY_CHUNK // 4  # uint32 items in a lazy chunk


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, _SIZE - 1), st.integers(0, 3 * _PER_CHUNK)), min_size=1, max_size=24))
def test_gathered_checks_the_same_chunks_item_by_item_as_in_numpy(tmp_path_factory, ranges):
    """A few items are looked at one by one (container._FEW_ITEMS), many in numpy: the same chunks either way."""
    path = _file(tmp_path_factory.mktemp("gathered"), numbers=np.arange(_SIZE, dtype=np.uint32))
    starts = np.array([start for start, _ in ranges], dtype=np.int64)
    ends = np.minimum(starts + np.array([length for _, length in ranges], dtype=np.int64), _SIZE)
    checked = []
    real = container._FEW_ITEMS
    try:
        for few in (0, len(ranges)):
            container._FEW_ITEMS = few
            numbers = ArrayFile(path, "test").arrays["numbers"]
            assert numbers.gathered(starts, ends)[starts].tolist() == starts.tolist()
            checked.append(numbers._verified.copy())
    finally:
        container._FEW_ITEMS = real
    assert checked[0].tolist() == checked[1].tolist()
    wanted = {number for start, end in zip(starts.tolist(), ends.tolist()) if end > start
              for number in range(start // _PER_CHUNK, (end - 1) // _PER_CHUNK + 1)}
    assert set(np.flatnonzero(checked[1]).tolist()) == wanted


def test_a_few_items_are_checked_across_every_chunk_they_span(tmp_path):
    path = _file(tmp_path, numbers=np.arange(_SIZE, dtype=np.uint32))
    _flip(path, "numbers", 3 * _PER_CHUNK + 5)  # in the fourth chunk
    numbers = ArrayFile(path, "test").arrays["numbers"]
    numbers.gathered(np.array([10, 6 * _PER_CHUNK]), np.array([20, 7 * _PER_CHUNK]))  # chunks 0 and 6: right
    with pytest.raises(Damaged):
        numbers.gathered(np.array([10]), np.array([5 * _PER_CHUNK]))  # chunks 0 to 4: the middle ones too


def test_verify_checks_every_chunk_and_stops_when_told(tmp_path):
    path = _file(tmp_path, numbers=np.arange(_SIZE, dtype=np.uint32))
    numbers = ArrayFile(path, "test").arrays["numbers"]
    numbers.take(np.array([7]))
    asked = []
    assert numbers.verify(lambda: len(asked) >= 5 or asked.append(1)) is False  # told to stop after five chunks
    assert _chunks_checked(numbers) == 1 + 5 and not numbers._all_verified
    assert numbers.verify() is True
    assert _chunks_checked(numbers) == 40 and numbers._all_verified and numbers._unverified == 0


def test_verify_finds_damage_a_search_has_not_touched(tmp_path):
    path = _file(tmp_path, numbers=np.arange(_SIZE, dtype=np.uint32))
    _flip(path, "numbers", _SIZE - 3)
    file = ArrayFile(path, "test")
    assert file.arrays["numbers"].take(np.array([3])).tolist() == [3]
    with pytest.raises(Damaged, match="chunk 39"):
        file.arrays["numbers"].verify()


def test_a_search_and_the_background_check_together_check_each_chunk_once(tmp_path):
    """Two threads checking the same chunks (a search, and the app's check ahead of it): counts stay true."""
    import threading

    path = _file(tmp_path, numbers=np.arange(_SIZE * 4, dtype=np.uint32))  # 160 chunks
    for _ in range(20):
        numbers = ArrayFile(path, "test").arrays["numbers"]
        checks = []
        real_crc32 = container.zlib.crc32

        def counted(data, *args):
            checks.append(1)
            return real_crc32(data, *args)

        container.zlib.crc32, crc32_before = counted, real_crc32
        try:
            start = threading.Barrier(2)
            def background():
                start.wait()
                numbers.verify()
            thread = threading.Thread(target=background)
            thread.start()
            start.wait()
            for item in range(0, _SIZE * 4, LAZY_CHUNK // 8):  # every chunk, twice over, as a search would
                assert int(numbers[item]) == item
            thread.join()
        finally:
            container.zlib.crc32 = crc32_before
        assert len(checks) == 160  # no chunk checked twice
        assert numbers._unverified == 0 and numbers._all_verified and _chunks_checked(numbers) == 160
