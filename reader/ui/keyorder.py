"""Keys are handed out one at a time, each to the widget the keys before it left focused.

Textual gives each key read from the terminal to the focused widget's queue at once,
and acts on a key's binding only when the key has bubbled up to the app. A key that
moves the focus (↓ from the search bar to the results, enter from the list to the
article) has not moved it yet when the keys read with it are given out, so they went
to the widget it was leaving: `↓ j enter` typed fast, pasted, or delivered in one read
over a slow link put `j` into the query.

Here the app gives out the next key only when the one before it has been dealt with:
a ``KeyDone`` marker is sent after each key to the same widget, follows it up the
same parents, and reaches the app behind it, after its binding has run. What the
binding set going may still be on its way (the sidebar's enter posts ArticleOpened,
whose handler focuses the article): while a widget on the key's path has messages
waiting, the marker goes round again behind them, up to ``ROUNDS`` times. A focus
moved by ``widget.focus()`` is set by a callback queued in the app, and the next key
goes out behind that too. A marker that never comes back (its widget was removed by
the key) lets the next key go after ``KEY_WAIT`` seconds, as keys went before.

Read together, esc and a letter reach Textual as alt+letter: with no binding for
that, they are handed out as esc and the letter (``_as_typed``).
"""

from __future__ import annotations

import asyncio
from collections import deque

from textual import events
from textual.message import Message
from textual.message_pump import MessagePump

__all__ = ["KEY_WAIT", "ROUNDS", "KeyDone", "OrderedKeys"]

KEY_WAIT = 0.2
ROUNDS = 4


class KeyDone(Message):
    """Follows a key up the widgets it bubbles through; nothing handles it on the way."""

    def __init__(self, serial: int, target: MessagePump, rounds: int = 1) -> None:
        super().__init__()
        self.serial = serial
        self.target = target
        self.rounds = rounds


def _busy(widget: MessagePump) -> bool:
    """A widget between ``widget`` and its screen has messages waiting."""
    node: MessagePump | None = widget
    while node is not None and not node.is_dom_root:
        if node.message_queue_size:
            return True
        node = node._parent
    return False


class OrderedKeys:
    """Mixed into the App, before App in its bases."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._waiting_keys: deque[events.Key] = deque()
        self._key_out: int | None = None  # the serial of the key being dealt with
        self._key_serial = 0
        self._key_late: asyncio.TimerHandle | None = None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:  # read from the terminal
            self._waiting_keys.extend(self._as_typed(event))
            if self._key_out is None:
                await self._give_out_keys()
            return
        await super().on_event(event)

    def _as_typed(self, key: events.Key) -> tuple[events.Key, ...]:
        """esc then a letter read at once (typed fast, or over a slow link) reach Textual as alt+letter.

        With no alt+ binding for it (reader has none; a keymap may add one), they are what was
        typed, as in vim: esc, then the letter. (Textual's parser drops an esc read together with
        most other characters, `/` or a space: those cannot be mended here.)
        """
        character = key.character
        if key.key.startswith("alt+") and character and len(character) == 1 and key.key not in self.active_bindings:
            return events.Key("escape", "\x1b"), events.Key(character, character)
        return (key,)

    def on_key_done(self, message: KeyDone) -> None:
        message.stop()
        if message.serial != self._key_out:
            return  # late: the key already timed out
        target = message.target
        if message.rounds < ROUNDS and target.is_attached and _busy(target):
            target.post_message(KeyDone(message.serial, target, message.rounds + 1))
            return
        if self._key_late is not None:
            self._key_late.cancel()
            self._key_late = None
        # A focus the key moved (``widget.focus()``) is set by a callback queued in the app, still
        # ahead of this one: the next key goes out behind it.
        self.call_later(self._key_dealt_with, message.serial)

    async def _key_dealt_with(self, serial: int) -> None:
        if serial == self._key_out:
            self._key_out = None
            await self._give_out_keys()

    async def _give_out_keys(self) -> None:
        while self._waiting_keys and self._key_out is None:
            key = self._waiting_keys.popleft()
            target = self.focused or self.screen
            await super().on_event(key)  # a priority binding, or given to ``target``'s queue
            if key.is_forwarded:
                self._key_serial += 1
                if not target.post_message(KeyDone(serial := self._key_serial, target)):
                    continue  # its widget is closing: the key is lost with it
                self._key_out = serial
                self._key_late = asyncio.get_running_loop().call_later(KEY_WAIT, self._timed_out, serial)

    def _timed_out(self, serial: int) -> None:
        self.post_message(KeyDone(serial, self, ROUNDS))
