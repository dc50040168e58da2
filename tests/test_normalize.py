"""Folding: the text search compares (reader.search.fold)."""

from __future__ import annotations

import unicodedata

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.search.index import bigram_codes, build_postings
from reader.search.fold import (
    DROPPED_CODE,
    KEY_BUCKETS,
    KEY_BUCKETS_START,
    MULTI_CODE,
    SEPARATOR_CODE,
    fold,
    fold_char,
    fold_many,
    fold_table,
    fold_units,
    folded_with_offsets,
    index_key,
    index_keys,
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        # quote marks of every kind, and none
        ("“有用”", "有用"),
        ('"有用"', "有用"),
        ("「有用」", "有用"),
        ("‘有用’", "有用"),
        ("有用", "有用"),
        # Chinese punctuation and ellipses
        ("北约，东扩。", "北约东扩"),
        ("关切、关切、关切……", "关切关切关切"),
        ("——", ""),
        # full-width forms
        ("ＣＮＮ", "cnn"),
        ("ｇ７峰会", "g7峰会"),
        ("１２３", "123"),
        ("Ａｌｊａｚｅｅｒａ　半岛网", "aljazeera半岛网"),
        # Latin case
        ("CNN", "cnn"),
        ("Wendy Sherman", "wendysherman"),
        ("WENDY SHERMAN", "wendysherman"),
        # spaces, tabs, line breaks, underscores
        ("核战争 打不赢\t也打不得", "核战争打不赢也打不得"),
        ("line\nbreak", "linebreak"),
        ("_有用_", "有用"),
        ("snake_case", "snakecase"),
        ("non-starters", "nonstarters"),
        # multi-character folds
        ("Straße", "strasse"),
        ("ﬁnance", "finance"),
        ("½", "12"),
        # accents go (é = e), whether precomposed or combining (NFD)
        ("ÉCOLE", "ecole"),
        ("Cafe\u0301", "cafe"),
        ("Běijīng", "beijing"),
        # other scripts' marks stay: が is not か
        ("がか", "か\u3099か"),
        ("ｶﾞ", "カ\u3099"),
        # Hangul decomposes to its jamo, so precomposed and NFD Korean are alike
        ("한", "\u1112\u1161\u11ab"),
        # traditional and variant forms fold to simplified
        ("核戰爭", "核战争"),
        ("裏裡里", "里里里"),
        ("爲為为", "为为为"),
        ("著着", "着着"),
        ("峯峰", "峰峰"),
        # compatibility ideographs and radicals fold to the unified ones
        ("\uf900", "岂"),
        ("⼈", "人"),
        # characters beyond the BMP are themselves; emoji and private use go
        ("𠮷野家", "𠮷野家"),
        ("\ufa6c", "\U000242ee"),
        ("😀\ue000\U000f0000", ""),
        # variation selectors and zero-width characters go
        ("葛\U000e0100城", "葛城"),
        ("a\u200db", "ab"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_fold_examples(text, folded):
    assert fold(text) == folded


def test_fold_makes_the_spec_variants_equal():
    assert fold("“有用”") == fold('"有用"') == fold("有用")
    assert fold("ＣＮＮ") == fold("CNN") == fold("cnn")
    assert fold("Wendy Sherman") == fold("WendySherman") == fold("wendy sherman")


def test_folded_with_offsets_example():
    text = "Ａ“有用”ß！ﬁ"
    folded, offsets = folded_with_offsets(text)
    assert folded == "a有用ssfi"
    assert offsets == [0, 2, 3, 5, 5, 7, 7]


def test_folded_with_offsets_empty_and_dropped_only():
    assert folded_with_offsets("") == ("", [])
    assert folded_with_offsets("，。“”  ") == ("", [])


def test_folded_with_offsets_of_astral_and_decomposed_text():
    # Offsets count code points, as Python strings do: 𠮷 is one character, not two.
    assert folded_with_offsets("“𠮷野家”") == ("𠮷野家", [1, 2, 3])
    assert folded_with_offsets("Cafe\u0301s") == ("cafes", [0, 1, 2, 3, 5])
    assert folded_with_offsets("한국") == (fold("한국"), [0, 0, 0, 1, 1, 1])


# Characters from the scripts and forms the reader sees, plus arbitrary text of every plane.
_INTERESTING = "北约美俄谈判有用鸡同鸭讲核戰爭裏裡著爲aAbBzZßﬁİ½ＣＮＮｇ７１，。“”\"'「」-—…_ \t\nÉé\u0301한\u1112\u1161𠮷\ufa6c😀"
_text = st.text(
    st.one_of(
        st.sampled_from(_INTERESTING),
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    ),
    max_size=30,
)


@given(_text)
@settings(max_examples=300)
def test_folded_with_offsets_maps_back_to_source_characters(text):
    folded, offsets = folded_with_offsets(text)
    assert len(offsets) == len(folded)
    assert offsets == sorted(offsets)
    for position, offset in enumerate(offsets):
        assert 0 <= offset < len(text)
    # Every kept character contributes its whole fold, in order, at its own offset.
    assert folded == "".join(fold_char(char) for char in text)
    assert [text[offset] for offset in offsets] == [char for char in text for _ in fold_char(char)]


@given(st.lists(_text, min_size=1, max_size=6))
@settings(max_examples=300)
def test_one_fold_for_bulk_single_strings_and_the_index(texts):
    """fold_many == fold == folded_with_offsets == what the index's bigrams are built from."""
    bulk = fold_many(texts)
    assert bulk == [fold(text) for text in texts]
    assert bulk == [folded_with_offsets(text)[0] for text in texts]
    assert bulk == ["".join(fold_char(char) for char in text) for text in texts]
    for text, folded in zip(texts, bulk):
        keys = index_key(np.array([ord(c) for c in folded], dtype=np.uint32)).tolist()
        assert index_keys(text).tolist() == keys
        assert bigram_codes(text).tolist() == sorted({(a << 16) | b for a, b in zip(keys, keys[1:])})
    postings = build_postings(texts)
    pairs = {(a << 16) | b for text in texts for keys in [index_keys(text).tolist()] for a, b in zip(keys, keys[1:] + [SEPARATOR_CODE])}
    assert set(postings.bigrams.tolist()) == pairs


@given(st.lists(_text, max_size=6))
@settings(max_examples=300)
def test_folding_stored_code_units_is_folding_the_decoded_texts(texts):
    """What a search folds from a segment's UTF-16 text (surrogate pairs and all) is fold_many of the strings."""
    units = np.frombuffer("".join(text + "\x00" for text in texts).encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    assert fold_units(units) == fold_many(texts)


def test_folding_code_units_of_the_bmp_and_beyond():
    texts = ["核戰爭", "𠮷野家 ß", "", "ＣＮＮ，"]
    units = np.frombuffer("".join(t + "\x00" for t in texts).encode("utf-16-le"), dtype=np.uint16)
    assert fold_units(units) == ["核战争", "𠮷野家ss", "", "cnn"]
    assert fold_units(units[:11]) == ["核战争", "𠮷野家ss"]  # 4 + 7 units: up to the second text's NUL
    assert fold_units(np.empty(0, dtype=np.uint16)) == []


@given(_text)
@settings(max_examples=200)
def test_text_folds_the_same_whole_or_in_pieces(text):
    for cut in range(len(text) + 1):
        assert fold(text[:cut]) + fold(text[cut:]) == fold(text)


@given(_text)
@settings(max_examples=200)
def test_fold_is_idempotent_and_the_same_for_nfc_and_nfd(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))
    assert fold(unicodedata.normalize("NFKC", text)) == folded


def test_fold_many_keeps_one_result_per_text():
    assert fold_many(["", "，", "ＣＮＮ", ""]) == ["", "", "cnn", ""]
    assert fold_many(["北\x00约", "东"]) == ["北约", "东"]  # NUL inside a text does not split it


def test_fold_many_of_no_texts_is_empty():
    assert fold_many([]) == []


def test_multi_character_folds_are_whole_in_bulk():
    assert fold_many(["Straße", "ﬁnance", "½"]) == ["strasse", "finance", "12"]


def test_fold_table_shape_and_reserved_codes():
    table = fold_table()
    assert table.codes.dtype == np.uint32 and table.keys.dtype == np.uint16
    assert len(table.codes) == len(table.keys) == 0x110000
    assert table.codes[0] == table.keys[0] == SEPARATOR_CODE
    kept = table.codes[1:][table.codes[1:] > MULTI_CODE]
    assert SEPARATOR_CODE not in table.codes[1:] and SEPARATOR_CODE not in table.pieces
    # Nothing folds to a private-use character: those codes are free for the index's buckets.
    assert not ((kept >= KEY_BUCKETS_START) & (kept < KEY_BUCKETS_START + KEY_BUCKETS)).any()
    assert not ((table.pieces >= KEY_BUCKETS_START) & (table.pieces < KEY_BUCKETS_START + KEY_BUCKETS)).any()
    assert table.codes[ord("，")] == DROPPED_CODE
    assert table.codes[ord(" ")] == DROPPED_CODE
    assert table.codes[ord("_")] == DROPPED_CODE
    assert table.codes[ord("北")] == ord("北")
    assert table.codes[ord("戰")] == ord("战")
    assert table.codes[ord("Ａ")] == ord("a")
    assert table.codes[ord("ß")] == MULTI_CODE and table.keys[ord("ß")] == MULTI_CODE
    assert table.codes[0x20BB7] == 0x20BB7  # 𠮷
    assert fold_table() is table  # built once


def test_index_keys_drop_dropped_characters_and_keep_separators():
    keys = index_keys("Ａ，北\x00约")
    assert keys.tolist() == [ord("a"), ord("北"), SEPARATOR_CODE, ord("约")]


def test_index_keys_beyond_the_bmp_are_private_use_buckets():
    keys = index_keys("𠀀𠀁𠮷").tolist()
    assert all(KEY_BUCKETS_START <= key < KEY_BUCKETS_START + KEY_BUCKETS for key in keys)
    assert len(set(keys)) == 3


@pytest.mark.parametrize("text", ["𠮷野家", "\ufa6c", "𠀀𠀁𠀂𠀃"])
def test_fold_many_agrees_with_fold_on_astral_folds(text):
    assert fold_many([text]) == [fold(text)]
    assert fold(text) == "".join(fold_char(c) for c in text) != ""


def test_fold_many_agrees_with_fold_on_conjoining_jamo():
    text = unicodedata.normalize("NFD", "한국어")
    assert fold_many([text]) == [fold(text)] == [fold("한국어")]


@pytest.mark.parametrize("text", ["Café", "Ångström", "한국어", "がぎぐ"])
def test_fold_is_the_same_for_canonically_equivalent_text(text):
    assert fold(unicodedata.normalize("NFD", text)) == fold(unicodedata.normalize("NFC", text))


def test_the_t2s_table_ships_in_the_package():
    """reader/data/t2s.tsv is read as package data, and pyproject ships it in the wheel."""
    import fnmatch
    import tomllib
    from importlib import resources
    from pathlib import Path

    data = resources.files("reader").joinpath("data", "t2s.tsv").read_text(encoding="utf-8")
    header = [line for line in data.splitlines() if line.startswith("#")]
    assert any("bench/make_t2s.py" in line and "opencc" in line for line in header)
    rows = [line.split("\t") for line in data.splitlines() if line and not line.startswith("#")]
    assert len(rows) > 4000 and all(len(row) == 2 and len(row[0]) == len(row[1]) == 1 for row in rows)
    table = dict(rows)
    assert not set(table.values()) & set(table)  # closed: a representative folds to itself
    config = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["reader"]
    assert any(fnmatch.fnmatch("data/t2s.tsv", pattern) for pattern in patterns)
