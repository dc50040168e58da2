"""reader's own files: XDG places, atomic writes, corrupt files set aside, the theme choice."""

from __future__ import annotations

import errno
import json
import os
import tempfile
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from reader.store import settings as settings_module
from reader.store.settings import (
    Settings,
    atomic_write,
    choose_theme,
    config_dir,
    load_settings,
    resolve_theme_name,
    save_settings,
    set_aside,
    settings_path,
    state_dir,
    update_settings,
)

THEMES = ["reader-dark", "reader-light", "reader-high-contrast", "reader-sepia"]


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """A fresh home and config folder; nothing outside tmp_path can be touched."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path


def files_in(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


# --- where --------------------------------------------------------------------------------------


def test_config_and_state_dirs_follow_xdg(home):
    assert config_dir() == home / "config" / "reader"
    assert settings_path() == home / "config" / "reader" / "settings.json"
    assert state_dir() == home / "state" / "reader"


@pytest.mark.parametrize("value", [None, "", "relative/config"])
def test_unset_empty_or_relative_xdg_falls_back_to_home(home, monkeypatch, value):
    for variable in ("XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        if value is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, value)
    assert config_dir() == home / "home" / ".config" / "reader"
    assert state_dir() == home / "home" / ".local" / "state" / "reader"


# --- load and save ------------------------------------------------------------------------------


def test_round_trip_creates_the_folder(home):
    assert save_settings(Settings(theme="reader-light")) is True
    path = home / "config" / "reader" / "settings.json"
    assert json.loads(path.read_text(encoding="utf-8")) == {"theme": "reader-light"}
    assert load_settings() == Settings(theme="reader-light")
    assert files_in(path.parent) == ["settings.json"]  # no temporary file left behind
    assert save_settings(Settings(theme=None)) is True
    assert load_settings() == Settings()


def test_explicit_path(tmp_path):
    path = tmp_path / "deep" / "er" / "s.json"
    assert save_settings(Settings(theme="reader-sepia"), path) is True
    assert load_settings(path).theme == "reader-sepia"


def test_missing_file_gives_defaults_and_writes_nothing(home):
    assert load_settings() == Settings()
    assert not (home / "config").exists()


@pytest.mark.parametrize("target", ["os.replace", "os.fsync"])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(home, monkeypatch, target):
    assert save_settings(Settings(theme="reader-dark"))
    path = settings_path()
    before = path.read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    module_name, function = target.split(".")
    monkeypatch.setattr(getattr(settings_module, module_name), function, disk_full)
    assert save_settings(Settings(theme="reader-light")) is False
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert files_in(path.parent) == ["settings.json"]


def test_a_failed_write_of_a_new_file_leaves_nothing(tmp_path, monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(settings_module.os, "replace", disk_full)
    assert atomic_write(tmp_path / "new.json", b"{}") is False
    assert files_in(tmp_path) == []


def test_unwritable_place_returns_false_without_raising(home, monkeypatch):
    blocker = home / "not-a-folder"
    blocker.write_text("a file where the config folder should be", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))
    assert save_settings(Settings(theme="reader-light")) is False
    assert blocker.read_text(encoding="utf-8") == "a file where the config folder should be"


def test_read_only_folder_returns_false(home, monkeypatch):
    def refused(*args, **kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", refused)  # as store.atomic makes its temporary file
    assert save_settings(Settings(theme="reader-light")) is False
    assert load_settings() == Settings()


def test_no_home_at_all_is_not_fatal(monkeypatch):
    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setattr(settings_module.Path, "home", staticmethod(no_home))
    assert load_settings() == Settings()
    assert save_settings(Settings(theme="reader-light")) is False


def test_a_symlinked_settings_file_stays_a_link(home):
    real = home / "dotfiles" / "reader.json"
    real.parent.mkdir()
    real.write_text('{"theme": "reader-dark"}', encoding="utf-8")
    link = settings_path()
    link.parent.mkdir(parents=True)
    link.symlink_to(real)
    assert save_settings(Settings(theme="reader-light")) is True
    assert link.is_symlink()
    assert json.loads(real.read_text(encoding="utf-8")) == {"theme": "reader-light"}
    assert files_in(real.parent) == ["reader.json"]


# --- corrupt and unreadable files ---------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"", b"{not json", b'{"theme": "reader-li', b"\xff\xfe garbage", b"[]", b'"reader-dark"',
     b'{"theme": 3}', b'{"theme": ["reader-dark"]}', b"null"],
)
def test_a_corrupt_file_is_set_aside_and_defaults_used(home, content):
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert load_settings() == Settings()
    assert not path.exists()
    (aside,) = path.parent.iterdir()
    assert aside.name.startswith("settings.json.corrupt-")
    stamp = aside.name.removeprefix("settings.json.corrupt-")
    datetime.strptime(stamp, "%Y%m%dT%H%M%S")  # e.g. 20261122T230000
    assert aside.read_bytes() == content  # kept for the user to look at
    # And the next save works as usual.
    assert save_settings(Settings(theme="reader-light"))
    assert load_settings().theme == "reader-light"


def test_unknown_keys_are_ignored_not_corrupt(home):
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text('{"theme": "reader-light", "from_a_newer_reader": [1, 2]}', encoding="utf-8")
    assert load_settings() == Settings(theme="reader-light")
    assert files_in(path.parent) == ["settings.json"]


KEYMAP = {"article.down": "n", "sidebar.up": ["k", "up"]}


def test_saving_keeps_every_unknown_key_and_its_value(home):
    path = settings_path()
    path.parent.mkdir(parents=True)
    stored = {"theme": "reader-dark", "keymap": KEYMAP, "from_a_newer_reader": [1, {"x": None}], "flag": False}
    path.write_text(json.dumps(stored), encoding="utf-8")
    assert save_settings(Settings(theme="reader-light")) is True
    assert json.loads(path.read_text(encoding="utf-8")) == {**stored, "theme": "reader-light"}
    assert save_settings(Settings(theme=None)) is True  # a known key is written as it is now
    assert json.loads(path.read_text(encoding="utf-8")) == {**stored, "theme": None}


def test_the_sidebar_width_round_trips_and_each_setting_is_saved_alone(home):
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"theme": "reader-dark", "keymap": KEYMAP}), encoding="utf-8")
    assert update_settings({"sidebar_width": 34}) is True
    assert load_settings() == Settings(theme="reader-dark", sidebar_width=34)
    assert update_settings({"theme": "reader-sepia"}) is True  # the width stays
    assert json.loads(path.read_text(encoding="utf-8")) == {"theme": "reader-sepia", "keymap": KEYMAP, "sidebar_width": 34}
    assert save_settings(Settings(theme="reader-light")) is True  # a width never chosen is not written as null …
    assert load_settings() == Settings(theme="reader-light", sidebar_width=None)  # … but one on disk is cleared


def test_update_settings_refuses_a_name_that_is_not_a_setting(home):
    with pytest.raises(ValueError, match="not a setting: colour"):
        update_settings({"colour": "red"})
    assert not settings_path().exists()


@pytest.mark.parametrize("content", [b'{"sidebar_width": "wide"}', b'{"sidebar_width": true}', b'{"sidebar_width": 0}', b'{"sidebar_width": 3.5}'])
def test_a_sidebar_width_of_the_wrong_kind_is_corrupt(home, content):
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert load_settings() == Settings()
    assert not path.exists()


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_saving_over_a_file_that_is_not_an_object_just_writes_the_settings(home, content):
    path = settings_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert save_settings(Settings(theme="reader-light")) is True
    assert json.loads(path.read_text(encoding="utf-8")) == {"theme": "reader-light"}


@pytest.mark.asyncio
async def test_pressing_t_keeps_the_keymap_in_the_settings_file(tmp_path, monkeypatch):
    from conftest import make_app, wait_until_loaded

    monkeypatch.delenv("READER_THEME", raising=False)
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"theme": "reader-dark", "keymap": KEYMAP}), encoding="utf-8")
    app = make_app(theme=None, settings_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until_loaded(pilot)
        await pilot.press("t")
        await pilot.pause()
        assert app.theme == "reader-light"
    assert json.loads(path.read_text(encoding="utf-8")) == {"theme": "reader-light", "keymap": KEYMAP}


def test_an_unreadable_settings_path_gives_defaults_and_is_left_alone(home):
    path = settings_path()
    path.mkdir(parents=True)  # a folder where the file should be
    assert load_settings() == Settings()
    assert path.is_dir()
    assert files_in(path.parent) == ["settings.json"]


def test_set_aside_never_overwrites_an_earlier_one(tmp_path):
    when = datetime(2026, 11, 22, 23, 0, 0)
    earlier = tmp_path / "settings.json.corrupt-20261122T230000"
    earlier.write_text("first", encoding="utf-8")
    path = tmp_path / "settings.json"
    path.write_text("second", encoding="utf-8")
    aside = set_aside(path, now=when)
    assert aside == tmp_path / "settings.json.corrupt-20261122T230000-2"
    assert earlier.read_text(encoding="utf-8") == "first"
    assert aside.read_text(encoding="utf-8") == "second"
    assert set_aside(tmp_path / "gone.json", now=when) is None


# --- the theme choice ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cli", "env", "saved", "expected", "warns"),
    [
        (None, None, None, "reader-dark", False),
        (None, None, "reader-light", "reader-light", False),
        (None, "reader-sepia", "reader-light", "reader-sepia", False),
        ("reader-high-contrast", "reader-sepia", "reader-light", "reader-high-contrast", False),
        ("light", None, None, "reader-light", False),
        ("HIGH-CONTRAST", None, None, "reader-high-contrast", False),
        ("high_contrast", None, None, "reader-high-contrast", False),
        ("Reader-Dark", None, "reader-light", "reader-dark", False),
        ("", "", "", "reader-dark", False),
        ("  ", None, "reader-light", "reader-light", False),
        ("nope", None, None, "reader-dark", True),
        ("nope", "light", None, "reader-light", True),
        ("nope", None, "reader-sepia", "reader-sepia", True),
        (None, "nope", "reader-sepia", "reader-sepia", True),
        (None, None, "removed-theme", "reader-dark", False),
        ("textual-dark", None, None, "reader-dark", True),
    ],
)
def test_choose_theme_precedence(cli, env, saved, expected, warns):
    chosen, warning = choose_theme(cli, env, saved, THEMES, "reader-dark")
    assert chosen == expected
    assert (warning is not None) is warns
    if warning:
        assert expected in warning
        assert "dark, light, high-contrast, sepia" in warning


def test_choose_theme_warning_names_what_was_asked():
    _, warning = choose_theme("purple", "green", None, THEMES, "reader-dark")
    assert warning is not None
    assert "'purple' (from --theme)" in warning and "'green' (from READER_THEME)" in warning


def test_choose_theme_without_the_default():
    assert choose_theme(None, None, None, ["other", "reader-light"], "reader-dark") == ("other", None)
    assert choose_theme(None, None, None, [], "reader-dark") == ("reader-dark", None)


def test_resolve_theme_name():
    assert resolve_theme_name("dark", THEMES) == "reader-dark"
    assert resolve_theme_name(" Sepia ", THEMES) == "reader-sepia"
    assert resolve_theme_name("high contrast", THEMES) == "reader-high-contrast"
    assert resolve_theme_name("reader", THEMES) is None
    assert resolve_theme_name("", THEMES) is None


# --- purity -------------------------------------------------------------------------------------


def test_settings_does_not_import_textual():
    code = "import sys, reader.store.settings; print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
