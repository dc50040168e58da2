"""Where reader keeps its own files: the XDG folders, through platformdirs, each overridable.

| what        | default (Linux)              | override            |
|-------------|------------------------------|---------------------|
| the cache   | ``~/.cache/reader``          | ``READER_CACHE_DIR`` |
| state, logs | ``~/.local/state/reader``    | ``READER_STATE_DIR`` |
| settings    | ``~/.config/reader``         | ``READER_CONFIG_DIR``|

On Linux and the BSDs the XDG variables (``XDG_CACHE_HOME``, ``XDG_STATE_HOME``,
``XDG_CONFIG_HOME``) are followed to the letter of the spec (an unset, empty
or relative value is ignored); on macOS and Windows platformdirs gives the
platform's folders. The ``READER_…`` variables name reader's folder itself,
for tests and for users who want the cache on another disk. Nothing is ever
written next to the articles.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "reader"


def _chosen(override: str, xdg: str, home_fallback: tuple[str, ...], platform_default) -> Path:
    value = os.environ.get(override, "")
    if value and os.path.isabs(value):
        return Path(value)
    if sys.platform.startswith(("darwin", "win")):
        return Path(platform_default())
    # The XDG spec, to the letter: an unset, empty or relative value is ignored.
    # Raises RuntimeError when there is no home to fall back on.
    base = os.environ.get(xdg, "")
    return (Path(base) if base and os.path.isabs(base) else Path.home().joinpath(*home_fallback)) / APP_NAME


def _platformdirs():
    import platformdirs  # only where the platform's folders are wanted: a command's walk asks for the cache first

    return platformdirs


def cache_dir() -> Path:
    return _chosen("READER_CACHE_DIR", "XDG_CACHE_HOME", (".cache",), lambda: _platformdirs().user_cache_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    return _chosen("READER_STATE_DIR", "XDG_STATE_HOME", (".local", "state"), lambda: _platformdirs().user_state_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return _chosen("READER_CONFIG_DIR", "XDG_CONFIG_HOME", (".config",), lambda: _platformdirs().user_config_dir(APP_NAME, appauthor=False))
