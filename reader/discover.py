"""Find the article files under the paths a user names.

Folders are searched recursively, hidden entries skipped, symlinks followed
without ever looping, and a file reached twice (through a link, or named twice)
is read once. Whether a file *is* an article is decided later, by content.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

ARTICLE_SUFFIXES = frozenset({".md", ".markdown", ".txt", ".html", ".htm"})


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    problems: list[tuple[Path, str]] = field(default_factory=list)


def is_article_name(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES


def find_files(paths: list[Path]) -> Discovery:
    """Article candidates in a stable order: as named, then sorted within folders."""
    found = Discovery()
    seen_files: set[tuple[int, int]] = set()
    seen_dirs: set[tuple[int, int]] = set()
    for path in paths:
        try:
            info = path.stat()
        except FileNotFoundError:
            found.problems.append((path, "broken symbolic link" if path.is_symlink() else "no such file or folder"))
            continue
        except OSError as error:
            found.problems.append((path, _reason(error)))
            continue
        if stat.S_ISDIR(info.st_mode):
            _walk(path, found, seen_files, seen_dirs)
        elif stat.S_ISREG(info.st_mode):
            # A file named on the command line is read whatever its extension.
            if _first_visit(info, seen_files):
                found.files.append(path)
        else:
            found.problems.append((path, "not a regular file or folder"))
    return found


def _first_visit(info: os.stat_result, seen: set[tuple[int, int]]) -> bool:
    key = (info.st_dev, info.st_ino)
    if key in seen:
        return False
    seen.add(key)
    return True


def _walk(top: Path, found: Discovery, seen_files: set, seen_dirs: set) -> None:
    # An explicit stack, not recursion: deep trees must not hit the recursion limit.
    pending = [top]
    while pending:
        folder = pending.pop()
        try:
            info = folder.stat()
        except OSError as error:
            found.problems.append((folder, _reason(error)))
            continue
        if not _first_visit(info, seen_dirs):
            continue  # a symlink loop, or the same folder named twice
        try:
            with os.scandir(folder) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError as error:
            found.problems.append((folder, _reason(error)))
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                is_dir = entry.is_dir(follow_symlinks=True)
                is_file = not is_dir and entry.is_file(follow_symlinks=True)
            except OSError as error:
                found.problems.append((path, _reason(error)))
                continue
            if is_dir:
                subfolders.append(path)
            elif not is_article_name(entry.name):
                continue
            elif not is_file:
                if entry.is_symlink() and not os.path.exists(entry.path):
                    found.problems.append((path, "broken symbolic link"))
                continue
            else:
                try:
                    file_info = entry.stat(follow_symlinks=True)
                except OSError as error:
                    found.problems.append((path, _reason(error)))
                    continue
                if _first_visit(file_info, seen_files):
                    found.files.append(path)
        pending.extend(reversed(subfolders))


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()
