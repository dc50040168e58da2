"""The keys line at the foot of the screen: what the keys do here, drawn as one line of text.

Textual's Footer makes a widget of every key and mounts them all again
whenever the bindings change: a search starting or ending, an article opened,
the focus moving. At 100,000 articles that cost the interface's thread about
25 ms each time (measured: ``screen.refresh_bindings()`` on an idle app, 30 ms
of its CPU against 5 ms for a frame), and a search that had just started
waited for it. This widget draws the same line from ``screen.active_bindings``
when it is painted; a change of the bindings repaints it, without layout.

As in Textual's footer: the keys shown are the bindings with ``show``, one per
action (the first), dimmed where ``check_action`` disables them; the command
palette's key stands at the right edge, after a thin bar. A click on a key
presses it (a disabled one rings the bell). Binding groups are not drawn (reader defines none).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.strip import Strip
from textual.widget import Widget



@dataclass(frozen=True)
class Hint:
    key: str  # what pressing it sends (binding.key)
    shown: str  # how it is written (app.get_key_display)
    description: str
    enabled: bool


class KeyHints(Widget, can_focus=False):
    COMPONENT_CLASSES = {"key-hints--key", "key-hints--description", "key-hints--bar"}
    DEFAULT_CSS = """
    KeyHints {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyHints > .key-hints--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyHints > .key-hints--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyHints > .key-hints--bar { color: $foreground 20%; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._places: list[tuple[int, int, Hint]] = []  # (first cell, end cell, hint) of each drawn key

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen:
            self.refresh()

    # -- what is shown -------------------------------------------------------------
    def hints(self) -> tuple[list[Hint], Hint | None]:
        """The keys of the left part, in order, and the command palette's (None when there is none)."""
        active = self.screen.active_bindings
        seen: set[str] = set()
        hints = []
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                hints.append(Hint(binding.key, self.app.get_key_display(binding), binding.description, enabled))
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, _tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            palette = Hint(binding.key, self.app.get_key_display(binding), binding.description, enabled)
        return hints, palette

    def line(self, width: int) -> Text:
        """The line as drawn at ``width`` cells; remembers where each key is, for clicks."""
        key_style = self.get_component_rich_style("key-hints--key")
        description_style = self.get_component_rich_style("key-hints--description")
        dim = Style(dim=True)
        hints, palette = self.hints()
        places: list[tuple[int, int, Hint]] = []
        left = Text(no_wrap=True, overflow="crop")
        for hint in hints:
            start = left.cell_len
            extra = Style() if hint.enabled else dim
            left.append(f" {hint.shown} ", key_style + extra)
            left.append(f"{hint.description} " if hint.description else "", description_style + extra)
            places.append((start, left.cell_len, hint))
        right = Text(no_wrap=True)
        if palette is not None:
            extra = Style() if palette.enabled else dim
            right.append("▏", self.get_component_rich_style("key-hints--bar"))
            right.append(palette.shown, key_style + extra)
            right.append(f" {palette.description} ", description_style + extra)
        room = max(0, width - right.cell_len)
        if left.cell_len > room:
            left.truncate(room)
            places = [(start, min(end, room), hint) for start, end, hint in places if start < room]
        left.pad_right(room - left.cell_len)
        if palette is not None and right.cell_len <= width:
            places.append((room + 1, room + right.cell_len, palette))
            left.append_text(right)
        self._places = places
        return left

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y != 0 or width <= 0:
            return Strip.blank(max(0, width), base)
        text = self.line(width)
        return Strip(text.render(self.app.console), text.cell_len).apply_style(base).crop_extend(0, width, base)

    def on_click(self, event: events.Click) -> None:
        for start, end, hint in self._places:
            if start <= event.x < end:
                event.stop()
                if hint.enabled:
                    self.app.simulate_key(hint.key)
                else:
                    self.app.bell()
                return
