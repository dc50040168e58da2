from __future__ import annotations

import tempfile
import time
from pathlib import Path

import pytest

from reader.parse.load import load_article
from reader.model import Article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def seed_path(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def copy_of_the_seeds(folder: Path) -> Path:
    """``folder``, made, holding a copy of the five seed articles: a corpus a test may change."""
    import shutil

    folder.mkdir(parents=True)
    for seed in SEEDS.glob("*.txt"):
        shutil.copy(seed, folder / seed.name)
    return folder


@pytest.fixture(scope="session")
def seed_articles() -> dict[str, Article]:
    return {path.name[:3]: load_article(path) for path in sorted(SEEDS.glob("*.txt"))}


# Theme choices made in tests are saved here, never in the user's config.
_SCRATCH = Path(tempfile.mkdtemp(prefix="reader-tests-"))


@pytest.fixture(autouse=True)
def _utc(monkeypatch):
    """Times are shown in the user's zone: every test runs in UTC unless it sets another (see set_zone)."""
    set_zone(monkeypatch, "UTC")
    yield
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()


def set_zone(monkeypatch, zone: str) -> None:
    """Run in time zone ``zone`` (``Asia/Shanghai``): TZ for child processes, tzset for this one."""
    monkeypatch.setenv("TZ", zone)
    time.tzset()


@pytest.fixture(autouse=True)
def _own_xdg_folders(monkeypatch, tmp_path_factory):
    """Every test writes its logs, state and caches into folders of its own, never the user's."""
    base = tmp_path_factory.mktemp("xdg")
    for variable, name in (("XDG_STATE_HOME", "state"), ("XDG_CACHE_HOME", "cache"), ("XDG_CONFIG_HOME", "config")):
        monkeypatch.setenv(variable, str(base / name))


def fixed_clock() -> float:
    """A clock that never moves, so 'loaded in 0.00 s' is the same in every snapshot."""
    return 0.0


def make_app(paths=None, *, theme: str = "reader-dark", settings_path: Path | None = None):
    """The app as the command line builds it, with the user's config kept out of the way."""
    from reader.ui.app import ReaderApp

    return ReaderApp(
        list(paths) if paths is not None else [SEEDS],
        theme=theme,
        settings_path=settings_path or _SCRATCH / "settings.json",
        clock=fixed_clock,
    )


async def wait_until_loaded(pilot) -> None:
    """Let the loading worker finish and the screen settle."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


UNTIL_DEADLINE = 30.0  # seconds: far more than anything waited for takes, even on a loaded CI machine


async def until(pilot, condition, what: str = "it") -> None:
    """Let the app run until ``condition()`` holds (a timer or a worker has done its part)."""
    deadline = time.monotonic() + UNTIL_DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} never happened")
        await pilot.pause(0.02)


def pace_loading(monkeypatch, *, hold_before: int | None = None, release=None, fail_before: int | None = None) -> None:
    """Make the catalog read one file per batch, and hold (or fail) before the given batch.

    ``hold_before=2``: two files are read, then loading waits for ``release``
    (a threading.Event), so a test can act while a folder is half loaded.
    ``fail_before=2``: reading the third file raises RuntimeError("disk on fire").
    """
    import itertools

    from reader.catalog import catalog as module

    monkeypatch.setattr(module, "FIRST_TASKS", ())
    monkeypatch.setattr(module, "TASK_FILES", 1)
    real = module.read_files
    calls = itertools.count()

    def reading(files):
        number = next(calls)
        if number == fail_before:
            raise RuntimeError("disk on fire")
        if number == hold_before:
            release.wait(30)
        return real(files)

    monkeypatch.setattr(module, "read_files", reading)


def many_articles(tmp_path: Path, count: int, filler: str = "") -> Path:
    """A folder of ``count`` short articles that share one sentence (``共同的一句话``), each with its number
    (and ``filler`` after it)."""
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(count):
        (folder / f"{number:03d}.md").write_text(
            f"---\ntitle: 第{number}篇\ndate: 2022-01-{1 + number % 28:02d}\n---\n<p>共同的一句话，编号{number}。{filler}</p>\n",
            encoding="utf-8",
        )
    return folder


def live_articles(screen) -> list[Article]:
    """Every article the screen's snapshot holds, newest first."""
    snapshot = screen.snapshot
    return [snapshot.article(n) for n in snapshot.newest_first.tolist()]
