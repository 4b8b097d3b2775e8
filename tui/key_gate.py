"""Keys typed while focus is on its way somewhere wait for it to arrive.

Textual hands each key to the widget focused when the key is read, and runs a key's binding
only once the key has bubbled back up to the app. So in a burst (a laggy SSH link delivers
typing that way) `a` and a note reach the reader, where `f`, `e`, `n` are keys, before `a` has
opened the note editor; `/` and a query put the query's letters into the reader; `escape` then
`q` in the search box typed the `q` into the box that `escape` was leaving (the app did not
quit: seen on 100,000 files, where the UI thread took 0.2 s to act on `escape`), and `escape`
then `q` in the help went to the help that `escape` was closing. The gate closes when a key is
bound to an action that moves focus, opening a screen or closing one (`GATED`, by binding id, so
a user keymap keeps it), or is one the screen says closes it without a binding of its own
(`closes_on(key)`: any key in the one-key prompt), or is one of Textual's own that does
(`GATED_ACTIONS`: enter in a filter box or on a list, a button pressed), and holds every key after it, in
order, until

- focus has landed on another widget (the editor's text box, the search box, the widget focused
  under a dialog that closed, …), two polls ago, or
- the key has come back to the app (`returned`: its action has run) and, two polls later, focus
  has not moved and no screen was opened (an `a` with no document open, `d` on the list
  already shown, enter in a filter that matches nothing): the focus a finished action asks for
  is applied before that second poll; but while a worker the action started runs (the
  document a search result, a link or the list opens, read off the UI thread; its reader takes the
  focus when it lands, 1.5 s for a 2 MB Markdown file) the polls wait for it: enter on a hit
  and `E` typed the `E` into the search box, which searched again, or
- a dialog has closed back to a screen with nothing focused, two polls ago,

and no document that started opening since the gate closed is still being read (`_opening`):
enter on an annotation of another document in the panel, then `t`, opened the outline of the
old one, as the focus was back on the reader before the document came (so did `'` and a mark
in another document); or until `TIMEOUT` seconds have passed, whatever happens. Then it hands
them on. No key is ever held for good.

A terminal sends alt+t as ESC and `t`, so `escape` and `t` in one read (a fast typist over SSH)
reach Textual's parser as one alt+t, which the search box typed as a `t`. Folio binds no alt key
of a letter or digit, so such a key that nothing in reach binds is taken for what the user
typed: `escape`, then the key (`split_escape`), as vim does with a sequence it does not know.
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
from textual.worker import Worker

#: The bindings whose action moves focus: to a text box, a dialog or another pane, or back from a
#: dialog that closes, or opens another document. A binding that opens a prompt or a dialog
#: reading the keys after it, or closes one, belongs here (tests/test_key_bursts.py): `m` and `'`
#: were missing, and `mc` in one read lost the `c` (the prompt took the key after); `escape` `q`
#: in the help did not quit; enter on a link (or `ctrl+o` back to another document) and `t`
#: opened the outline of the document it left.
GATED = frozenset(
    {
        "main.search",
        "main.annotate",
        "main.annotations",
        "main.compare",
        "main.documents",
        "main.back",
        "reader.follow_link",
        "main.jump_back",
        "main.mark",
        "main.go_to_mark",
        "reader.outline",
        "app.help",
        "editor.cancel",
        "list.filter",
        "annotations.edit",
        "annotations.filter",
        "annotations.to_list",
        "annotations.close",
        "help.close",
        "confirm.yes",
        "confirm.no",
        "confirm.later",
        "outline.close",
        "compare.pick_cancel",
        "compare.back",
        "compare.help",
        "compare.next_pane",
        "compare.previous_pane",
        "compare.quotes",
        "editor.save",
    }
)
#: Textual's own bindings (no id of ours) whose action opens or closes a screen: the command
#: palette, enter in a text box or on a list (a filter's choice, the annotations panel's jump, a
#: document opened), a button pressed with enter or space (a dialog's answer, the note editor's
#: Save and Cancel), tab and shift+tab from field to field (the note editor's note to its tags:
#: the tag's first letters went into the note).
GATED_ACTIONS = frozenset({"command_palette", "submit", "select", "press", "app.focus_next", "app.focus_previous"})
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
        self._below: list[Screen[Any]] = []  #: the screens under it then
        self._polls_since_return: int | None = None  #: None until the key came back
        self._polls_since_landing: int | None = None  #: None until the focus landed elsewhere
        self._workers: set[Worker[Any]] = set()  #: running when it closed
        self._deadline = 0.0
        self._timer: Timer | None = None

    @property
    def holding(self) -> bool:
        return self._held is not None

    async def route(self, event: events.Key) -> None:
        """A key read from the terminal: held while the gate is closed, else handed on."""
        for key in self.split_escape(event):
            if self._held is not None:
                self._held.append(key)
            else:
                await self._pass(key)

    def split_escape(self, event: events.Key) -> list[events.Key]:
        """alt and a letter or digit that nothing in reach binds: `escape`, then the key (see the
        module docstring); any other key as it is."""
        character = event.character
        if not event.key.startswith("alt+") or character is None or not character.isalnum():
            return [event]
        if self.app.screen.active_bindings.get(event.key) is not None:
            return [event]
        key = event.key.removeprefix("alt+")
        return [events.Key("escape", "\x1b"), events.Key(character if key.startswith("shift+") else key, character)]

    def returned(self, event: events.Key) -> None:
        """A key came back up to the app (from `App.on_key`): its binding has run, if it has one."""
        if event is self._key and self._polls_since_return is None:
            self._polls_since_return = 0

    async def _pass(self, event: events.Key) -> None:
        if self.holds_after(event):
            self._close(event)
        await self._deliver(event)

    def holds_after(self, event: events.Key) -> bool:
        """Whether the key, handed on now, moves the focus (so the keys after it wait)."""
        focused = self.app.focused
        if event.is_printable and isinstance(focused, (Input, TextArea)):
            return False  # typed into the box, not a binding
        screen = self.app.screen
        closes_on: Callable[[str], bool] | None = getattr(screen, "closes_on", None)
        if closes_on is not None and closes_on(event.key):
            return True
        active = screen.active_bindings.get(event.key)
        if active is None or not active.enabled:
            return False
        return active.binding.id in GATED or (active.binding.id is None and active.binding.action in GATED_ACTIONS)

    def _close(self, event: events.Key) -> None:
        self._held = []
        self._key, self._was, self._screen = event, self.app.focused, self.app.screen
        self._below = self.app.screen_stack[:-1]
        self._polls_since_return = self._polls_since_landing = None
        self._workers = set(self.app.workers)
        self._deadline = time.monotonic() + TIMEOUT
        if self._timer is None:
            self._timer = self.app.set_interval(POLL, self._poll)

    def _opening(self) -> bool:
        """Whether a document that started opening since the gate closed is still on its way."""
        return any(
            worker.group == "document" and not worker.is_finished
            for worker in self.app.workers
            if worker not in self._workers
        )

    def _ready(self) -> bool:
        if self._opening():  # (the keys would act on the document it replaces)
            if self._polls_since_landing is not None:
                self._polls_since_landing = 0
            return time.monotonic() > self._deadline
        focused = self.app.focused
        if focused is not None and focused is not self._was:
            # landed; two polls on, a document a dialog's choice opens is on its way (the choice
            # is acted on once the dialog has gone, as the focus comes back)
            self._polls_since_landing = 0 if self._polls_since_landing is None else self._polls_since_landing + 1
            if self._polls_since_landing >= 2:
                return True
            return time.monotonic() > self._deadline
        screen = self.app.screen
        popped = screen is not self._screen and screen in self._below
        if popped and self._polls_since_return is None:
            self._polls_since_return = 0  # a dialog closed over a screen with nothing focused
        if self._polls_since_return is not None and (screen is self._screen or popped):
            if any(not worker.is_finished for worker in self.app.workers if worker not in self._workers):
                self._polls_since_return = 0  # (its result may move the focus)
                return time.monotonic() > self._deadline
            self._polls_since_return += 1
            if self._polls_since_return > 2:
                return True  # done, and focus stays
        return time.monotonic() > self._deadline

    async def _poll(self) -> None:
        if self._held is None or not self._ready():
            return
        held, self._held = self._held, None
        self._key = self._was = self._screen = None
        self._below = []
        self._workers = set()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        for n, event in enumerate(held):
            if self._held is not None:  # a key handed on closed the gate again: the rest wait
                self._held[:0] = held[n:]
                return
            await self._pass(event)
