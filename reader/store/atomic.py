"""Writing files whole or not at all: a temporary file in the same folder, flushed, then renamed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from contextlib import suppress
from datetime import datetime
from pathlib import Path


def atomic_write_chunks(path: Path, chunks: Iterable[bytes | memoryview], *, durable: bool = True) -> None:
    """Replace ``path`` with the concatenated ``chunks``; raises OSError, leaving ``path`` as it was.

    The data goes to a temporary file beside ``path``, is fsynced, and the
    file is renamed over ``path``: readers see the old file or the new one,
    never a part of either, and no temporary file is left behind on failure.
    ``durable=False`` skips the fsyncs, for a file that is only a shortcut and
    is checked when read: after a crash it may be empty or old, never half new.
    """
    folder = Path(path).parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{Path(path).name}.", suffix=".tmp")
    done = False
    try:
        with open(fd, "wb") as file:
            for chunk in chunks:
                file.write(chunk)
            file.flush()
            if durable:
                os.fsync(file.fileno())
        os.replace(temporary, path)
        done = True
    finally:
        if not done:
            with suppress(OSError):
                os.unlink(temporary)
    if durable:
        fsync_folder(folder)


def atomic_write(path: Path, data: bytes) -> bool:
    """Replace ``path``'s content with ``data`` all at once; False (and ``path`` untouched) on failure.

    As atomic_write_chunks, but never raises OSError. If ``path`` is a
    symbolic link the file it points to is replaced and the link is kept.
    """
    try:
        atomic_write_chunks(Path(os.path.realpath(path)), [data])
    except OSError:
        return False
    return True


def set_aside(path: Path, now: datetime | None = None) -> Path | None:
    """Rename a corrupt ``path`` to ``<name>.corrupt-YYYYMMDDTHHMMSS`` beside it; the new path, or None.

    An existing set-aside file is never overwritten (``-2``, ``-3`` … are
    appended). Never raises.
    """
    stamp = (now or datetime.now()).strftime("%Y%m%dT%H%M%S")
    base = path.with_name(f"{path.name}.corrupt-{stamp}")
    for attempt in range(1, 100):
        candidate = base if attempt == 1 else base.with_name(f"{base.name}-{attempt}")
        if os.path.lexists(candidate):
            continue
        try:
            os.rename(path, candidate)
        except OSError:
            return None
        return candidate
    return None


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable; not possible everywhere, and not fatal."""
    with suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
