"""The command line: `reader PATH...` opens the app; `list`, `show`, `find` and `cache` script it."""

from .main import main

__all__ = ["main"]
