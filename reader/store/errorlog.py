"""What went wrong, kept for the user: one log file under the XDG state folder.

The screen says one line; the details (the traceback, which file, which
version) go to ``$XDG_STATE_HOME/reader/reader.log``, so a failure is never a
wall of traceback on the terminal and never lost either. The log is capped:
past ``MAX_LOG_BYTES`` it is moved to ``reader.log.1`` (replacing the older
one) and started again. Writing the log never raises: a full disk or a
read-only home costs the details, not the app.

Pure: no Textual here.
"""

from __future__ import annotations

import os
import traceback
from contextlib import suppress
from datetime import datetime
from pathlib import Path

from .. import __version__
from ..parse.clean import printable

LOG_FILE = "reader.log"
MAX_LOG_BYTES = 1024 * 1024


def log_path() -> Path | None:
    """Where failures are logged, or None when there is no home to put it in."""
    from .settings import state_dir

    try:
        return state_dir() / LOG_FILE
    except RuntimeError:
        return None


def log_failure(what: str, error: BaseException, path: Path | None = None) -> Path | None:
    """Append ``what`` and ``error``'s traceback to the log; the log's path, or None if it could not be written."""
    path = path or log_path()
    if path is None:
        return None
    stamp = datetime.now().astimezone().isoformat(timespec="seconds")
    details = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    entry = f"--- {stamp} reader {__version__} (pid {os.getpid()}): {what}\n{details}\n"
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with suppress(OSError):
            if path.stat().st_size > MAX_LOG_BYTES:
                os.replace(path, path.with_name(path.name + ".1"))
        with open(path, "a", encoding="utf-8", errors="backslashreplace") as log:
            log.write(entry)
    except OSError:
        return None
    return path


def failure_line(what: str, error: BaseException, logged: Path | None) -> str:
    """One line for the screen: what stopped, the error, and where the details are."""
    message = printable(str(error)).strip()
    if len(message) > 120:
        message = message[:119] + "…"
    line = f"{what}: {type(error).__name__}" + (f": {message}" if message else "")
    if logged is not None:
        home = str(Path.home())
        shown = str(logged)
        if shown.startswith(home + os.sep):
            shown = "~" + shown[len(home):]
        line += f" (details in {printable(shown)})"
    return line
