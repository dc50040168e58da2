"""The pure core never imports Textual: it must stay testable and fast without a terminal."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import reader

CORE = sorted(
    module.name
    for module in pkgutil.walk_packages(reader.__path__, "reader.")
    if not module.name.startswith("reader.ui") and not module.name.endswith("__main__")
)


def test_core_modules_exist():
    assert {"reader.parse.html", "reader.parse.load", "reader.render", "reader.cli", "reader.catalog", "reader.search", "reader.store"} <= set(CORE)


def test_core_never_imports_textual():
    code = "import sys\n" + "".join(f"import {name}\n" for name in CORE) + "print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_imports_flow_one_way():
    """The contracts in pyproject.toml: cli > ui > catalog > search/store/render > links > parse > text > model."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports())"],
        capture_output=True, text=True, timeout=120, cwd=root,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "2 kept, 0 broken" in done.stdout


def _frame_rate(env_fps: str | None) -> str:
    """Textual's frame rate in a process that starts as `reader FOLDER` does (the CLI, then the app)."""
    import os

    env = {key: value for key, value in os.environ.items() if key != "TEXTUAL_FPS"}
    if env_fps is not None:
        env["TEXTUAL_FPS"] = env_fps
    code = (
        "import sys\n"
        "import reader.cli.main\n"
        "assert 'textual' not in sys.modules, 'the CLI imported Textual before the interface'\n"
        "import reader.ui.app, textual.constants\n"
        "print(textual.constants.MAX_FPS)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_app_draws_at_its_own_frame_rate():
    """reader.ui sets Textual's frame rate before Textual is imported (reader/ui/__init__.py)."""
    from reader.ui import FRAMES_PER_SECOND

    assert FRAMES_PER_SECOND != 60  # Textual's own default: the setting would prove nothing
    assert _frame_rate(None) == str(FRAMES_PER_SECOND)


def test_a_frame_rate_the_reader_set_is_kept():
    assert _frame_rate("30") == "30"


FIRST_PAINT_PROBE = """
import asyncio, sys, tempfile
from pathlib import Path
from reader.ui.app import ReaderApp
from reader.ui.screens.main import MainScreen

seen = {}

class Probe(MainScreen):
    def on_mount(self):
        # Queued before the screen's own after-the-first-paint work, so it runs first.
        self.call_after_refresh(lambda: seen.setdefault("numpy at first paint", "numpy" in sys.modules))
        super().on_mount()

class App(ReaderApp):
    def push_screen(self, screen, *args, **kwargs):
        if type(screen) is MainScreen:
            screen = Probe(screen.paths, clock=screen.clock, walking=screen.walking)
        return super().push_screen(screen, *args, **kwargs)

async def main():
    app = App([Path(sys.argv[1])], settings_path=Path(tempfile.mkdtemp()) / "settings.json")
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(500):
            if not app.screen._loading:
                break
            await asyncio.sleep(0.02)
        seen["articles"] = app.screen.snapshot.live_count
        await pilot.press("q")

asyncio.run(main())
print(seen["numpy at first paint"], "numpy" in sys.modules, seen["articles"])
"""


def test_the_first_paint_comes_before_the_core_is_imported(tmp_path):
    """numpy and the catalog are a fifth of the app's imports: they come after the first frame (reader/ui/__init__.py),
    and the app still loads its folder and keeps its folding tables."""
    import os

    from conftest import SEEDS

    env = dict(os.environ, READER_CACHE_DIR=str(tmp_path / "cache"), READER_STATE_DIR=str(tmp_path / "state"),
               READER_CONFIG_DIR=str(tmp_path / "config"))
    done = subprocess.run([sys.executable, "-c", FIRST_PAINT_PROBE, str(SEEDS)], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["False", "True", "5"]
    # The folding tables were kept by the loading worker, as by every command (catalog.keep_folding_tables).
    assert list((tmp_path / "cache" / "tables").glob("fold-*.npz"))
