"""Widgets that repaint what changed and no more: no layout of the screen for a size that did not change.

Textual's ScrollView redraws its scrollbars after every layout of the screen,
whether or not the layout changed it: the compositor hands a scroll view its
region's size as its virtual size, which never equals the view's own, so
each layout updates and refreshes the scrollbars of the sidebar, the results
list and the article pane. A frame that redraws a one-column scrollbar from
the top of the pane to its foot redraws every widget on those lines: the
article pane beside the results, for nothing. And setting a scroll view's
``virtual_size`` lays out the whole screen, though its size in the screen
does not depend on what it holds.

Measured at 80×24 on 10,000 articles, four keys typed into the search bar:
each key drew five or six frames, three of them for scrollbars and the
article beside the results; now four, none of the article
(tests/test_app_repaint.py counts the article's lines drawn and the
layouts; ``bench/bench_ui.py`` prints the CPU the interface's thread spends
on a key).

``QuietScrollView`` updates its scrollbars only when its size, its container's,
its own virtual size or its scrollbar styles change, and ``set_virtual_size``
changes the scrollable size with a repaint of the scrollbar alone (the lines
in view are the caller's to refresh, when they changed); the screen is laid
out again only when a scrollbar comes or goes (Textual's visibility of a
scrollbar is a layout reactive). ``QuietInput`` is an Input whose every key
does not lay the screen out: Textual's sets its virtual size to its text's
width at each change, a layout, though the line's size in the screen is
fixed by its CSS.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widget import Widget
from textual.widgets import Input


class QuietScrollView(ScrollView):
    _scrolled_as: tuple | None = None  # what the scrollbars were last updated for
    _placed: tuple[Size, Size] | None = None  # the size and container size of the last layout

    def _scroll_key(self, size: Size, container_size: Size) -> tuple:
        styles = self.styles
        return (
            size, container_size, self.virtual_size, styles.gutter, styles.overflow_x, styles.overflow_y,
            styles.scrollbar_size_vertical, styles.scrollbar_size_horizontal,
            self.show_vertical_scrollbar, self.show_horizontal_scrollbar,
        )

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        key = self._scroll_key(size, container_size)
        if key == self._scrolled_as:
            return False  # a layout that moved nothing of this view: its scrollbars are as they were
        resized = super()._size_updated(size, virtual_size, container_size, layout)
        self._placed = (size, container_size)
        self._scrolled_as = self._scroll_key(size, container_size)
        return resized

    def set_virtual_size(self, size: Size) -> None:
        """The scrollable size: the scrollbar repainted, the screen not laid out again.

        A scrollbar that appears or goes (``overflow: auto``) still lays the
        screen out: Textual's scrollbar visibility is a layout reactive.
        """
        if size == self.virtual_size:
            return
        self.set_reactive(Widget.virtual_size, size)
        if self.is_mounted and self._placed is not None:
            self._scroll_update(size)  # scrollbars, and the scroll offset kept within the new size
            self._scrolled_as = self._scroll_key(*self._placed)
        else:
            self._scrolled_as = None
            self.refresh(layout=True)  # not laid out yet: the first layout sets it all
        # The lines in view are the caller's to refresh, if they changed: a size alone changes the scrollbar.


class QuietInput(Input):
    def _watch_value(self, value: str) -> None:
        # Input's watcher sets this same size: set first, without the reactive's layout, it is no change there.
        if not self.styles.auto_dimensions:
            self.set_reactive(Widget.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)
