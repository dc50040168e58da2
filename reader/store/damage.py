"""What a cache file that cannot be trusted raises (reader.store.container, and whoever reads through it).

Apart from the container, which needs numpy: the interface names it in its
error paths before the core is loaded (reader/ui/__init__.py).
"""

from __future__ import annotations

from pathlib import Path


class Damaged(Exception):
    """A cache file that cannot be trusted: truncated, foreign, half-written or changed on disk."""

    def __init__(self, path: Path | str, detail: str) -> None:
        super().__init__(f"{path}: {detail}")
        self.path = Path(path)
        self.detail = detail
