"""config.toml's [keys] table: parsed, checked, and every problem one line of warning."""

from __future__ import annotations

import pytest

from reader.ui.keymap import CONFIG_FILE, config_path, is_key, load_keymap, parse_keymap

KNOWN = {"article.down", "article.up", "sidebar.down", "app.quit", "app.help"}


def test_quoted_and_dotted_ids_strings_and_lists():
    text = '[keys]\n"article.down" = "j,down,ctrl+n"\nsidebar.down = ["j", "ctrl+n"]\n[keys.app]\nquit = "Q"\n'
    assert parse_keymap(text, KNOWN) == (
        {"article.down": "j,down,ctrl+n", "sidebar.down": "j,ctrl+n", "app.quit": "Q"},
        [],
    )


def test_spaces_around_keys_and_characters_by_themselves():
    keymap, warnings = parse_keymap('[keys]\n"article.down" = " j , < "\n"app.help" = ["?", ","]\n', KNOWN)
    assert warnings == [] and keymap == {"article.down": "j,<", "app.help": "?,comma"}
    keymap, _ = parse_keymap('[keys]\n"app.help" = ","\n"app.quit" = ["ctrl+,"]\n', KNOWN)
    assert keymap == {"app.help": "comma", "app.quit": "ctrl+comma"}


def test_no_file_no_table_no_entries_are_no_keymap_and_no_warning(tmp_path):
    assert load_keymap(KNOWN, tmp_path / "missing.toml") == ({}, [])
    assert parse_keymap("", KNOWN) == ({}, [])
    assert parse_keymap('theme = "dark"\n', KNOWN) == ({}, [])
    assert parse_keymap("[keys]\n", KNOWN) == ({}, [])


def test_an_unknown_id_is_one_warning_with_the_nearest_id():
    keymap, warnings = parse_keymap('[keys]\n"article.dwn" = "x"\n"article.up" = "y"\n"zzz" = "z"\n', KNOWN)
    assert keymap == {"article.up": "y"}
    assert warnings == [
        f"{CONFIG_FILE}: [keys] article.dwn: no binding has this id (did you mean article.down?); ignored",
        f"{CONFIG_FILE}: [keys] zzz: no binding has this id; ignored",
    ]


@pytest.mark.parametrize(
    "value, problem",
    [
        ('"ctlr+n"', "'ctlr+n' is not a key"),
        ('"j,pgdown"', "'pgdown' is not a key"),
        ('"ctrl+ctrl+x"', "'ctrl+ctrl+x' is not a key"),
        ('"j,,k"', "an empty key"),
        ('""', "an empty key"),
        ("[]", "an empty key"),
        ("3", 'keys must be a string such as "j,down" or a list of strings'),
        ('["j", 3]', 'keys must be a string such as "j,down" or a list of strings'),
        ("{ a = 1 }", "no binding has this id"),  # a table is read as more ids: article.down.a
    ],
)
def test_a_bad_value_is_one_warning_and_leaves_the_binding_alone(value, problem):
    keymap, warnings = parse_keymap(f'[keys]\n"article.down" = {value}\n"app.quit" = "Q"\n', KNOWN)
    assert keymap == {"app.quit": "Q"}
    (warning,) = warnings
    assert problem in warning and warning.startswith(f"{CONFIG_FILE}: [keys] article.down") and "\n" not in warning


@pytest.mark.parametrize(
    "text, start",
    [
        ("[keys\n", "config.toml: not valid TOML ("),
        ('keys = "j"\n', "config.toml: keys must be a table ([keys])"),
        ('[keys]\n"article.down" = "j"\n"article.down" = "k"\n', "config.toml: not valid TOML ("),
    ],
)
def test_a_file_that_cannot_be_used_is_one_warning_and_no_keymap(text, start):
    keymap, warnings = parse_keymap(text, KNOWN)
    assert keymap == {}
    (warning,) = warnings
    assert warning.startswith(start) and warning.endswith("keys not remapped") and "\n" not in warning


def test_an_unreadable_or_strange_file_is_one_warning(tmp_path):
    folder = tmp_path / "config.toml"
    folder.mkdir()
    (warning,) = load_keymap(KNOWN, folder)[1]
    assert warning.startswith("config.toml: cannot be read (") and "\n" not in warning
    latin = tmp_path / "latin.toml"
    latin.write_bytes('[keys]\n"app.quit" = "é"\n'.encode("latin-1"))
    assert load_keymap(KNOWN, latin) == ({}, ["config.toml: not UTF-8; keys not remapped"])
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (1024 * 1024 + 1))
    assert load_keymap(KNOWN, big) == ({}, ["config.toml: over 1 MB; keys not remapped"])


def test_the_file_is_found_in_the_config_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path))
    assert config_path() == tmp_path / "config.toml"
    (tmp_path / "config.toml").write_text('[keys]\n"app.quit" = "Q"\n', encoding="utf-8")
    assert load_keymap(KNOWN) == ({"app.quit": "Q"}, [])


@pytest.mark.parametrize(
    "key",
    ["j", "G", "?", "<", "é", "中", "+", "ctrl+n", "ctrl+shift+up", "shift+tab", "down", "pagedown", "escape",
     "enter", "space", "f5", "question_mark", "less_than_sign", "slash", "backslash", "ctrl++", "alt+x", "ctrl+,"],
)
def test_keys_textual_can_bind(key):
    assert is_key(key)


@pytest.mark.parametrize("key", ["", " ", "ctlr+n", "pgdown", "Ctrl+n", "ctrl+", "ctrl+ctrl+x", "f99", "jj", "\x07", "ctrl+ "])
def test_not_keys(key):
    assert not is_key(key)
