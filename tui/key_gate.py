"""Keys typed while focus is on its way somewhere wait for it to arrive.

Textual hands each key to the widget focused when the key is read, and runs a key's binding
only once the key has bubbled back up to the app. So in a burst (a laggy SSH link delivers
typing that way) `a` and a note reach the reader, where `f`, `e`, `n` are keys, before `a` has
opened the note editor; `/` and a query put the query's letters into the reader; `escape` then
`q` in the search box typed the `q` into the box that `escape` was leaving (the app did not
quit: seen on 100,000 files, where the UI thread took 0.2 s to act on `escape`). The gate
closes when a key is bound to an action that moves focus (`GATED`, by binding id, so a user
keymap keeps it) and holds every key after it, in order, until

- focus has landed on another widget (the editor's text box, the search box, …), or
- the key has come back to the app (`returned`: its action has run) and, two polls later, focus
  has not moved and no screen was opened (an `a` with no document open, `d` on the list
  already shown): the focus a finished action asks for is applied before that second poll, or
- `TIMEOUT` seconds have passed, whatever happens,

then hands them on. No key is ever held for good.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from textual import events
from textual.app import App
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, TextArea

#: The bindings whose action moves focus: to a text box, a dialog or another pane. A binding
#: that opens a prompt or a dialog reading the keys after it belongs here (tests/test_key_bursts.py):
#: `m` and `'` were missing, and `mc` in one read lost the `c` (the prompt took the key after).
GATED = frozenset(
    {
        "main.search",
        "main.annotate",
        "main.annotations",
        "main.compare",
        "main.documents",
        "main.back",
        "main.mark",
        "main.go_to_mark",
        "reader.outline",
        "app.help",
        "editor.cancel",
        "list.filter",
        "annotations.edit",
        "annotations.filter",
        "annotations.to_list",
    }
)
TIMEOUT = 5.0
POLL = 0.02


class KeyGate:
    """See the module docstring. `deliver` hands a key to Textual as it would have been."""

    def __init__(self, app: App[Any], deliver: Callable[[events.Key], Awaitable[None]]) -> None:
        self.app = app
        self._deliver = deliver
        self._held: list[events.Key] | None = None  #: None while the gate is open
        self._key: events.Key | None = None  #: the key that closed it
        self._was: Widget | None = None  #: focused when it closed
        self._screen: Screen[Any] | None = None  #: the screen then
        self._polls_since_return: int | None = None  #: None until the key came back
        self._deadline = 0.0
        self._timer: Timer | None = None

    @property
    def holding(self) -> bool:
        return self._held is not None

    async def route(self, event: events.Key) -> None:
        """A key read from the terminal: held while the gate is closed, else handed on."""
        if self._held is not None:
            self._held.append(event)
            return
        await self._pass(event)

    def returned(self, event: events.Key) -> None:
        """A key came back up to the app (from `App.on_key`): its binding has run, if it has one."""
        if event is self._key and self._polls_since_return is None:
            self._polls_since_return = 0

    async def _pass(self, event: events.Key) -> None:
        if self._moves_focus(event):
            self._close(event)
        await self._deliver(event)

    def _moves_focus(self, event: events.Key) -> bool:
        focused = self.app.focused
        if event.is_printable and isinstance(focused, (Input, TextArea)):
            return False  # typed into the box, not a binding
        active = self.app.screen.active_bindings.get(event.key)
        return active is not None and active.enabled and active.binding.id in GATED

    def _close(self, event: events.Key) -> None:
        self._held = []
        self._key, self._was, self._screen = event, self.app.focused, self.app.screen
        self._polls_since_return = None
        self._deadline = time.monotonic() + TIMEOUT
        if self._timer is None:
            self._timer = self.app.set_interval(POLL, self._poll)

    def _ready(self) -> bool:
        focused = self.app.focused
        if focused is not None and focused is not self._was:
            return True  # landed
        if self._polls_since_return is not None and self.app.screen is self._screen:
            self._polls_since_return += 1
            if self._polls_since_return > 2:
                return True  # done, and focus stays
        return time.monotonic() > self._deadline

    async def _poll(self) -> None:
        if self._held is None or not self._ready():
            return
        held, self._held = self._held, None
        self._key = self._was = self._screen = None
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        for n, event in enumerate(held):
            if self._held is not None:  # a key handed on closed the gate again: the rest wait
                self._held[:0] = held[n:]
                return
            await self._pass(event)
