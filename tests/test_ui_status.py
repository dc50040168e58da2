"""The status line's progress (reader/ui/widgets/status.py): drawn to fit its width, whole for whoever reads it."""

from __future__ import annotations

import pytest
from rich.text import Text
from textual.app import App

from reader.catalog import Progress
from reader.ui.widgets.status import StatusLine


class Host(App):
    def compose(self):
        yield StatusLine(id="status")


READING = Progress(found=100_000, to_read=100_000, read=8_500, seconds=7.5)  # 1,133 a second, 81 s left


@pytest.mark.asyncio
async def test_a_first_read_at_80_columns_shows_how_far_how_fast_and_how_long_never_a_dangling_separator():
    async with Host().run_test(size=(80, 3)) as pilot:
        status = pilot.app.query_one(StatusLine)
        status.show_progress(READING, 8_498)
        await pilot.pause()
        whole = "reading 8,500 of 100,000 files · 1,133 a second · about 1 min 21 s left · 8,498 articles so far…"
        assert str(status.content) == whole  # whole, for whoever reads it
        assert str(status.render()) == "reading 8,500 of 100,000 files · 1,133 a second · about 1 min 21 s left"
        await pilot.resize_terminal(60, 3)
        await pilot.pause()
        assert str(status.render()) == "reading 8,500 of 100,000 files · about 1 min 21 s left"
        await pilot.resize_terminal(120, 3)
        await pilot.pause()
        assert str(status.render()) == whole
        # Anything else put on the line is shown as it is, not the progress kept from before.
        status.update(Text("reloading…"))
        assert str(status.render()) == "reloading…"
        status.show_progress(READING, 8_498)
        status.show_summary(100_000, 1_047, 0, 70.0)
        assert str(status.render()).startswith("100,000 articles · 1,047 sources")


@pytest.mark.asyncio
async def test_a_note_over_the_progress_goes_and_the_progress_comes_back_fitted_with_what_comes_first():
    async with Host().run_test(size=(80, 3)) as pilot:
        status = pilot.app.query_one(StatusLine)
        status.show_progress(READING, 8_498)
        status.update(Text("match 1 of 4 · n / N next / previous · y copy"))  # a screen's note
        await pilot.pause()
        assert str(status.render()) == "match 1 of 4 · n / N next / previous · y copy"
        status.show_loading()
        assert str(status.render()) == "reading 8,500 of 100,000 files · 1,133 a second · about 1 min 21 s left"
        status.show_loading(Text().append("this file is gone", style="bold"))
        drawn = status.render()
        assert str(drawn) == "this file is gone · reading 8,500 of 100,000 files · about 1 min 21 s left"
        assert drawn.cell_len <= 78 and [(span.start, span.end, span.style) for span in drawn.spans] == [(0, 17, "bold")]
        assert str(status.content).endswith("8,498 articles so far…")  # whole, for whoever reads it
        status.show_failure("loading stopped: disk on fire (details: reader.log)")
        status.show_loading()
        assert str(status.render()) == "loading stopped: disk on fire (details: reader.log)"
