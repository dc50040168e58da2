"""The key table (help and README) from the bindings as bound; the count prefix; list paging."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.ui.app import ReaderApp
from reader.ui.counts import AS_LINES, MAX_COUNT, REPEATED, Count
from reader.ui.keys import _PAIRS, _TWINS, binding_ids, bound, key_groups, key_label, label_keys, modal_binding_ids, pair_label, readme_table, readme_with_table
from reader.ui.widgets.paging import row_in_view

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readme_key_table_is_made_from_the_bindings():
    text = README.read_text(encoding="utf-8")
    assert readme_with_table(text, readme_table(ReaderApp)) == text, "run: python -m reader.ui.keys README.md"


def test_readme_with_table_replaces_only_between_the_marks():
    text = "before\n<!-- keys: made here -->\nold\ntable\n<!-- /keys -->\nafter\n"
    assert readme_with_table(text, "| new |\n") == "before\n<!-- keys: made here -->\n| new |\n<!-- /keys -->\nafter\n"
    with pytest.raises(ValueError):
        readme_with_table("no marks", "| new |\n")


def test_every_binding_and_every_key_is_in_the_table_once():
    groups = key_groups(ReaderApp)
    shown = [key for _title, rows in groups for keys, _text in rows for key in sorted(label_keys(keys))]
    for binding, keys in bound(ReaderApp):
        assert set(label_keys(key_label(keys))) <= set(shown), binding.id
    table = readme_table(ReaderApp)
    for binding_id in binding_ids(ReaderApp) - modal_binding_ids():  # the dialogs' own keys are not in it
        assert f"`{binding_id}`" in table, binding_id


def test_a_keymap_moves_keys_in_the_table_and_a_twin_gets_its_own_row():
    default = dict(key_groups(ReaderApp, {}))
    assert ("j ↓ ^e", "Down") in default["Moving"]
    remapped = dict(key_groups(ReaderApp, {"article.down": "ctrl+n", "sidebar.down": "x"}))
    assert ("^n", "Down") in remapped["Moving"]
    assert ("x", "Down") in remapped["Sidebar"]  # the sidebar's own keys now differ from the article's
    # A key given to another binding leaves the one that had it (Textual's keymap rule).
    taken = dict(key_groups(ReaderApp, {"app.theme": "question_mark"}))
    assert ("?", "Next colour theme") in taken["App"]
    assert not any(description == "This help" for _keys, description in taken["App"])


def test_key_labels():
    assert key_label("j,down,ctrl+e") == "j ↓ ^e"
    assert key_label("less_than_sign,exclamation_mark,question_mark,escape,ctrl+shift+up") == "< ! ? esc ctrl+shift+up"
    assert pair_label("g,home", "G,end") == "g/G home/end"
    assert pair_label("ctrl+d", "ctrl+u") == "^d/^u"
    assert pair_label("tab", "shift+tab") == "tab/shift+tab"
    assert pair_label("q", "x,y") == "q / x y"
    assert label_keys("g/G home/end") == {"g", "G", "home", "end"}
    assert label_keys("/ esc </>") == {"/", "esc", "<", ">"}
    assert label_keys("q / x y") == {"q", "x", "y"}


def test_twins_pairs_and_counted_ids_name_real_bindings():
    ids = binding_ids(ReaderApp)
    assert set(_TWINS) | set(_TWINS.values()) <= ids
    assert set(_PAIRS) | {second for second, _text in _PAIRS.values()} <= ids
    assert REPEATED | AS_LINES <= ids


# ---------------------------------------------------------------- counts


def test_a_count_is_digits_without_a_leading_zero():
    count = Count()
    assert not count.add("0") and not count.pending and count.value == 1
    assert count.add("1") and count.add("0") and count.value == 10 and count.pending
    assert not count.add("j") and not count.add(None) and not count.add("١") and count.value == 10
    assert count.take() == 10 and not count.pending and count.take() == 1


def test_a_count_stops_at_its_maximum_and_clears():
    count = Count()
    for digit in "123456":
        count.add(digit)
    assert count.value == MAX_COUNT
    count.clear()
    assert not count.pending


# ---------------------------------------------------------------- ctrl+e / ctrl+y in lists


def test_row_in_view_for_rows_of_one_line():
    rows = range(100)
    assert row_in_view(rows, 100, 5, 0, 20) == 5  # in view: stays
    assert row_in_view(rows, 100, 5, 6, 20) == 6  # the view moved down past it: the top row
    assert row_in_view(rows, 100, 30, 10, 20) == 29  # the view moved up past it: the bottom row
    assert row_in_view(rows, 100, 0, 0, 20) == 0
    assert row_in_view(range(0), 0, 0, 0, 20) == 0


def test_row_in_view_for_rows_of_several_lines():
    starts = [0, 4, 8, 12, 16]  # rows of four lines, the last ending at 20
    assert row_in_view(starts, 20, 0, 1, 10) == 1  # row 0 is cut at the top: the first whole row
    assert row_in_view(starts, 20, 2, 1, 10) == 1  # row 2 (8–11) is cut at the bottom: the last whole row
    assert row_in_view(starts, 20, 3, 0, 10) == 1  # row 3 (12–15) is below the view: the same
    assert row_in_view(starts, 20, 1, 4, 8) == 1
    assert row_in_view(starts, 20, 0, 2, 3) == 0  # no row fits: the one at the top of the view
