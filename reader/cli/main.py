"""The command line: ``reader PATH...`` opens the app; subcommands script it.

Exit codes: 0 success, 1 nothing found, 2 bad usage or an unreadable path.
Each command imports only what it needs: ``reader list`` and ``reader find``
never load Textual.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from contextlib import contextmanager
from pathlib import Path

from .. import __version__
from ..parse.clean import display_path, printable

EXIT_OK, EXIT_NOTHING, EXIT_USAGE = 0, 1, 2
COMMANDS = ("list", "show", "find", "cache")

_DESCRIPTION = """\
A terminal reader for folders of saved news articles.

  reader PATH... [--theme NAME]  open the reader on folders and files
  reader list PATH... [--json]   one line per article, newest first
  reader show FILE [--width N]   one article as text, images as their captions
  reader find PATH... QUERY      search: the best passage of each matching article
  reader cache info|clear        where the cache is and what it holds; empty it

Articles are .md, .markdown, .txt, .html and .htm files: front matter with an
HTML or Markdown body, RSS dumps, saved web pages and plain text. Folders are
searched recursively; hidden files and folders are skipped.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader", description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    listing = commands.add_parser(
        "list", help="list the articles, newest first",
        description="One row per article, newest first: date (local time), source, title; an article saved "
        "under several paths is one row, marked ×2. In a pipe each row ends with a tab and the path "
        "(cut -f2, awk -F'\\t' '{print $NF}'). A date marked * was taken from the file's modification time.",
    )
    listing.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="folders (searched recursively) or files")
    listing.add_argument("--json", action="store_true", help="JSON Lines: path, title, source, date, author, url, format, copies")
    listing.add_argument("--no-cache", action="store_true", help=_NO_CACHE_HELP)

    show = commands.add_parser("show", help="print one article as text", description="Print one article: title, source · date · author · url, then the body, with each image replaced by its caption.")
    show.add_argument("file", type=Path, metavar="FILE")
    show.add_argument("--width", type=_width, default=None, metavar="N", help="wrap at N columns (default: the terminal's width, or 80)")

    find = commands.add_parser(
        "find", help="search the articles", description=_FIND_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    find.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="folders (searched recursively) or files")
    find.add_argument("query", metavar="QUERY", help="what to find (quote it for the shell); always the last argument")
    find.add_argument("--limit", type=_limit, default=20, metavar="N", help="at most N hits, one per article (0 for all; default 20)")
    find.add_argument("--json", action="store_true", help="JSON Lines: path, title, source, date, score, block, passage, spans, copies")
    find.add_argument("--no-cache", action="store_true", help=_NO_CACHE_HELP)

    cache = commands.add_parser(
        "cache", help="the cache of parsed articles: where it is, clearing it",
        description="reader keeps what it parsed under $READER_CACHE_DIR (default: the XDG cache folder, "
        "~/.cache/reader), so that the next start reads only the files that changed. "
        "It never writes next to your articles.",
    )
    cache.add_argument("action", choices=("info", "clear"), help="info: where it is, its size, its articles and age; clear: remove it")
    return parser


_NO_CACHE_HELP = "read every file again and neither use nor update the cache"


_FIND_DESCRIPTION = """\
Search titles, paragraphs, captions and source names with the app's engine.
One hit per article, its best passage: exact matches first, then fuzzy ones.

Query syntax:
  核战争打不赢          a character wrong, missing or extra is forgiven
  "书面回复"            exact phrase only
  source:观察者网       articles from that source
  date:2022-01          articles whose date starts so
  in:title              titles only
Filters combine with text: 'source:观察者网 date:2022-01 北约'.

Each hit is three lines: date (local time), source and title; the passage,
indented; the path; then an "also in: PATH" line for each other copy of the
article (saved under several paths, it is one hit). On a terminal the
matched characters are shown in bold reverse; in a pipe nothing is marked
and no escape codes are written (use --json for the match offsets). --json
prints JSON Lines with path, title, source, date (ISO 8601 with offset, or
null), score, block (the block's index in the article; -1 the title, -2 the
source name), passage, spans ([start, end] character offsets of the matches
in the passage) and copies (the other paths).

Exit codes: 0 hits found, 1 nothing matches, 2 bad usage or a missing path.
Files that cannot be read are reported on stderr, one line each.
"""


def _bounded(low: int, high: int):
    """An argparse type: a whole number from low to high."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return number

    return parse


_width = _bounded(20, 1000)
_limit = _bounded(0, 1_000_000)  # 0: every hit


def _open_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reader", description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="folders (searched recursively) or files")
    parser.add_argument("--no-cache", action="store_true", help=_NO_CACHE_HELP)
    parser.add_argument("--theme", metavar="NAME", help=_theme_help())
    return parser


def _theme_help() -> str:
    """The --theme help, from the theme files that ship, so it cannot drift from them."""
    from ..store.settings import shipped_theme_names

    names = shipped_theme_names()
    listed = ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)
    return f"colour theme{': ' + listed if listed else ''} (default: the last one used; or $READER_THEME)"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    # `reader | head` should end quietly, as other Unix tools do.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        return _dispatch(argv)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the last line of defence: one line, never a traceback
        if os.environ.get("READER_DEBUG"):
            raise
        print(f"reader: internal error: {type(error).__name__}: {error} (set READER_DEBUG=1 for details)", file=sys.stderr)
        return 70


def _dispatch(argv: list[str]) -> int:
    first_word = next((arg for arg in argv if not arg.startswith("-")), None)
    if first_word in COMMANDS or not argv or argv[0] in ("-h", "--help", "--version"):
        arguments = _parser().parse_args(argv)
        if arguments.command == "list":
            with _short_lived():
                return _list(arguments.paths, as_json=arguments.json, cache=not arguments.no_cache)
        if arguments.command == "show":
            return _show(arguments.file, arguments.width)
        if arguments.command == "find":
            with _short_lived():
                return _find(arguments.paths, arguments.query, limit=arguments.limit, as_json=arguments.json, cache=not arguments.no_cache)
        if arguments.command == "cache":
            return _cache(arguments.action)
        _parser().print_help(sys.stderr)
        return EXIT_USAGE
    arguments = _open_parser().parse_args(argv)
    return _open(arguments.paths, arguments.theme, cache=not arguments.no_cache)


def _missing(paths: list[Path]) -> list[Path]:
    return [path for path in paths if not os.path.exists(path)]


def _report_missing(paths: list[Path]) -> int:
    for path in paths:
        print(f"reader: {display_path(path)}: no such file or folder", file=sys.stderr)
    return EXIT_USAGE


def _keep_tables(cache: bool) -> None:
    """Folding tables, like parsed articles, are kept in the cache between runs (unless --no-cache)."""
    if cache:
        from ..catalog.catalog import keep_folding_tables

        keep_folding_tables()


@contextmanager
def _short_lived():
    """For a command that prints and exits: no cyclic garbage collection meanwhile.

    Its objects are freed by reference counting as they go; what the
    collector adds is passes over every object alive, and one of them over
    the cache's tables cost `reader find` 25-45 ms at 100,000 articles (the
    memory used is the same without it: measured on `list` and `find --limit 0`).
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _walk_ahead(paths: list[Path], cache: bool = True):
    """The walk of ``paths``, started now: a forked child stats the files while the rest of reader is imported.

    Only reader.catalog.discover is imported first (os, stat and the folder
    listing the cache keeps for it): the fork is cheap, and safe, since this
    process has no other thread yet.
    """
    from ..catalog.discover import start_walk

    listing = None
    if cache:
        from ..store.layout import listing_file
        from ..store.paths import cache_dir

        try:
            listing = listing_file(cache_dir(), paths)
        except RuntimeError:  # no home to put a cache in: the catalog says so
            pass
    return start_walk(paths, listing=listing)


def _load(paths: list[Path], *, cache: bool, meanwhile=None, walking=None):
    """The catalog of ``paths`` and its snapshot, with a progress line on a terminal; problems reported on stderr.

    ``meanwhile(snapshot, progress)`` sees every snapshot the load publishes, as the progress line does.
    ``walking``: the walk of ``paths`` already under way (_walk_ahead).
    """
    from ..catalog import Catalog, default_cache_base

    catalog = Catalog(paths, cache_base=default_cache_base() if cache else None, walking=walking)

    def load(line):
        def publish(snapshot, progress):
            line(snapshot, progress)
            if meanwhile is not None:
                meanwhile(snapshot, progress)

        return catalog.load(publish)

    snapshot = _with_progress(catalog, load)
    for path, reason in snapshot.skipped:
        print(f"{display_path(path)}: {reason}", file=sys.stderr)
    if not snapshot.live_count:
        print("reader: no articles found (looked for .md, .markdown, .txt, .html, .htm)", file=sys.stderr)
    return catalog, snapshot


def _same_parts(older, newer) -> bool:
    return len(older.parts) == len(newer.parts) and all(a is b for a, b in zip(older.parts, newer.parts))


def _with_progress(catalog, run):
    """``run(publish)`` (a catalog load) with a progress line on a terminal's stderr; then what the catalog noticed."""
    from .progress import ProgressLine

    told = len(catalog.notices)
    line = ProgressLine(sys.stderr)
    try:
        return run(line)
    finally:
        line.close()
        for notice in catalog.notices[told:]:
            print(f"reader: {notice}", file=sys.stderr)


def _list(paths: list[Path], *, as_json: bool, cache: bool = True) -> int:
    from .listing import print_json_lines, print_table

    missing = _missing(paths)
    if missing:
        return _report_missing(missing)
    walking = _walk_ahead(paths, cache)
    _keep_tables(cache)  # files read again are folded into the index: from the kept tables, not built
    _catalog, snapshot = _load(paths, cache=cache, walking=walking)
    if not snapshot.live_count:
        return EXIT_NOTHING
    if as_json:
        print_json_lines(snapshot, sys.stdout)
    else:
        print_table(snapshot, sys.stdout)
    return EXIT_OK


def _find(paths: list[Path], query: str, *, limit: int, as_json: bool, cache: bool = True) -> int:
    missing = _missing(paths)
    if missing:
        _report_missing(missing)
        if os.path.exists(query):
            print("reader: the QUERY comes last: reader find PATH... QUERY", file=sys.stderr)
        return EXIT_USAGE
    walking = _walk_ahead(paths, cache)  # before the imports below: they take longer than half the walk
    from .finding import print_hits, print_json_lines
    from ..search.query import parse_query
    from ..search.engine import rank

    _keep_tables(cache)  # before the query is folded: or the tables are built (80-400 ms), not loaded (5-50 ms)
    parsed = parse_query(query)
    if parsed.problem or parsed.is_empty:
        walking.cancel()
        print(f"reader: {parsed.problem or 'the query is empty'}", file=sys.stderr)
        return EXIT_USAGE
    from ..store.container import Damaged

    early: list = []  # the cache's snapshot and its results, found while the folders are walked

    def search_the_cache(snapshot, progress) -> None:
        if not progress.found and not early:
            try:
                early.append((snapshot, rank(snapshot, parsed, limit or snapshot.live_count)))
            except Damaged:
                pass  # searched again below, and recovered from there

    catalog, snapshot = _load(paths, cache=cache, meanwhile=search_the_cache, walking=walking)
    if not snapshot.live_count:
        return EXIT_NOTHING

    def reread(damaged: Damaged):
        """A cache file failed its checksum on first read: the files read again, and searched."""
        fresh = _with_progress(catalog, lambda publish: catalog.recover(damaged, publish))
        return fresh, rank(fresh, parsed, limit or fresh.live_count)

    try:
        if early and _same_parts(early[0][0], snapshot):
            results = early[0][1]  # nothing changed since the cache was read: its results stand
        else:
            results = rank(snapshot, parsed, limit or snapshot.live_count)
    except Damaged as damaged:
        snapshot, results = reread(damaged)
    shown_query = printable(json.dumps(query, ensure_ascii=False))  # quoted, on one line
    if not len(results):
        print(f"reader: nothing matches {shown_query} in {results.searched} articles", file=sys.stderr)
        return EXIT_NOTHING
    import numpy as np

    # Each hit is dressed as it is written (Ranking): the first lines come at once, however many match.
    hits = _streamed(results, lambda damaged: reread(damaged)[1])
    if as_json:
        print_json_lines(hits, sys.stdout)
    else:
        source_of, names = snapshot.source_numbers
        print_hits(hits, sys.stdout, sources=[names[number] for number in np.unique(source_of[results.articles]).tolist()])
        if results.more:
            matching = f"{results.total:,} articles match" if results.total is not None else "more articles match"
            print(f"reader: {matching} {shown_query}; showing the first {limit} (--limit N, 0 for all)", file=sys.stderr)
    return EXIT_OK


def _streamed(results, recovered):
    """The hits of ``results`` as they are dressed; if a cache file fails its checksum meanwhile, the rest
    from ``recovered(damaged)``, the ranking of the files read again, less the articles already given."""
    from ..store.container import Damaged

    given: set = set()
    try:
        for hit in results.hits():
            given.add(hit.article.path)
            yield hit
    except Damaged as damaged:
        for hit in recovered(damaged).hits():
            if hit.article.path not in given:
                yield hit


def _cache(action: str) -> int:
    from ..store.cache import clear, describe
    from ..store.paths import cache_dir

    base = cache_dir()
    if action == "clear":
        freed = clear(base)
        print(f"reader: cache cleared ({_size(freed)} freed): {display_path(base)}")
        return EXIT_OK
    stores = describe(base)
    print(f"cache: {display_path(base)}")
    if not stores:
        print("  empty")
    for store in stores:
        roots = ", ".join(printable(root) for root in store.roots) or "(unreadable manifest)"
        state = "set aside (damaged)" if store.damaged else f"{store.articles:,} articles in {store.segments} segments"
        print(f"  {roots}\n    {state}, {_size(store.size)}; created {store.created or '?'}, updated {store.updated or '?'}")
    print(f"  total {_size(sum(store.size for store in stores))}")
    return EXIT_OK


def _size(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:,} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1000
    return f"{size:,.1f} GB"


def _show(path: Path, width: int | None) -> int:
    from ..parse.load import ArticleError, failure_reason, load_article

    if not os.path.exists(path):
        return _report_missing([path])
    if os.path.isdir(path):
        print(f"reader: {display_path(path)}: is a folder; `reader show` takes one file (try `reader list`)", file=sys.stderr)
        return EXIT_USAGE
    try:
        article = load_article(path)
    except ArticleError as error:
        print(f"{display_path(path)}: {error.reason}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # a parser bug: a problem of this file, as `reader list` reports it
        if os.environ.get("READER_DEBUG"):
            raise
        print(f"{display_path(path)}: {failure_reason(error)}", file=sys.stderr)
        return EXIT_USAGE
    from .showing import print_article

    try:
        print_article(article, width)
    except Exception as error:
        if os.environ.get("READER_DEBUG"):
            raise
        print(f"{display_path(path)}: {failure_reason(error, 'could not be shown')}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _open(paths: list[Path], theme: str | None, *, cache: bool = True) -> int:
    missing = _missing(paths)
    if missing:
        return _report_missing(missing)
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        print("reader: the reader needs a terminal; use `reader list` or `reader show` in scripts", file=sys.stderr)
        return EXIT_USAGE
    walking = _walk_ahead(paths, cache)  # walks while Textual is imported and the app starts
    from ..ui.app import ReaderApp

    # The folding tables are kept by the app's loading worker (catalog.keep_folding_tables):
    # here, before the first paint, it would import numpy with the search (ui/__init__.py).
    # Not SIGPIPE's default (main): the app writes to pipes of its own children (the
    # loading pool's, one ended as the reader quits), where a broken pipe is an error
    # to handle, not the end of the program.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    app = ReaderApp(paths, theme=theme, cache=cache, walking=walking)
    app.run()
    if app.failure:
        print(app.failure, file=sys.stderr)
    return app.return_code or EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
