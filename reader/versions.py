"""Which reader made a cache: a fingerprint of the code that decides what the cache holds.

A cache is only right for the parser, the fold and the segment layout that
built it. Rather than a version number someone must remember to bump, the
fingerprint is a hash of those modules' source: change any of them (a new
release, a local edit) and the next start sees a cache of another reader,
sets it aside and rebuilds it. Reading the ~25 files costs about a millisecond.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
# Everything between a file's bytes and the arrays of a segment.
CONTENT_MODULES = (
    "load.py", "decode.py", "html.py", "inline.py", "captions.py", "htmlstyle.py", "tables.py",
    "clean.py", "dates.py", "fields.py", "model.py", "normalize.py", "data/t2s.tsv", "index.py",
    "formats/__init__.py", "formats/frontmatter.py", "formats/markdown.py", "formats/plaintext.py", "formats/rss.py",
    "pages/__init__.py", "pages/content.py", "pages/meta.py", "pages/platforms.py", "pages/_extract.py",
    "catalog/segment.py", "catalog/columns.py", "catalog/reading.py",
)


@lru_cache(maxsize=1)
def content_version() -> str:
    digest = hashlib.sha256()
    for name in CONTENT_MODULES:
        digest.update(name.encode())
        try:
            digest.update((_PACKAGE / name).read_bytes())
        except OSError:
            digest.update(b"missing")
    return digest.hexdigest()[:16]
