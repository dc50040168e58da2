"""The walk, in a process of its own: ``python -I -S _walk_child.py [--listing FILE] -- PATH...`` (see walk_processes.Spawned).

It walks the paths as one walk in the reader would, writes what it found to
standard output (walk_processes.packed) and exits 0. It imports only this
checkout's ``reader.catalog.discover`` and ``walk_processes`` and the standard library, so that it
starts in a few hundredths of a second.
"""

import sys
from pathlib import Path


def main(arguments: list[str]) -> int:
    from reader.catalog.discover import _walked
    from reader.catalog.walk_processes import packed

    listing = None
    if arguments[:1] == ["--listing"]:
        listing, arguments = Path(arguments[1]), arguments[2:]
    if arguments[:1] == ["--"]:
        arguments = arguments[1:]
    sys.stdout.buffer.write(packed(_walked([Path(path) for path in arguments], listing)))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the reader this file belongs to
    sys.exit(main(sys.argv[1:]))
