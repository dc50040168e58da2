"""Where reader keeps its own files: the XDG folders, through platformdirs, each overridable.

| what        | default (Linux)              | override            |
|-------------|------------------------------|---------------------|
| the cache   | ``~/.cache/reader``          | ``READER_CACHE_DIR`` |
| state, logs | ``~/.local/state/reader``    | ``READER_STATE_DIR`` |
| settings    | ``~/.config/reader``         | ``READER_CONFIG_DIR``|

platformdirs honours ``XDG_CACHE_HOME``, ``XDG_STATE_HOME`` and
``XDG_CONFIG_HOME`` (and gives the right folders on macOS and Windows); the
``READER_…`` variables name reader's folder itself, for tests and for users
who want the cache on another disk. An empty or relative value is ignored.
Nothing is ever written next to the articles.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "reader"


def _chosen(variable: str, default) -> Path:
    value = os.environ.get(variable, "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path(default())


def cache_dir() -> Path:
    import platformdirs

    return _chosen("READER_CACHE_DIR", lambda: platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def state_dir() -> Path:
    import platformdirs

    return _chosen("READER_STATE_DIR", lambda: platformdirs.user_state_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    import platformdirs

    return _chosen("READER_CONFIG_DIR", lambda: platformdirs.user_config_dir(APP_NAME, appauthor=False))
