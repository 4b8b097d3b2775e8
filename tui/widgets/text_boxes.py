"""Text boxes whose editing keys act in the order they were typed.

Textual types a printable key into an `Input` or a `TextArea` in the box's own key handler, but
runs a bound key (backspace, delete, the arrows, ctrl+w, ctrl+k, …) only once its event has
bubbled up through every ancestor's message queue to the app. In a burst (a laggy SSH link
delivers typing so) the letters after a backspace are typed before it acts: `tarx`, then
backspace and `carney` in one read, left `tarxcarne` in the search box, not `tarcarney`
(Textual issue 6605; a fix is proposed upstream, not released). Here a box runs its own bindings
as its key arrives, through Textual's public `Screen.active_bindings` and `run_action`: the
same binding the app would have found first, since the focused widget heads the binding chain.
An action that declines (`SkipAction`) leaves the key to go up, as the app's own search of the
binding chain would go on to the next binding. Priority bindings run before a key reaches the box, as before; a key the key gate holds the keys
after (enter, which submits: `tui/key_gate.py`) still goes up to the app, which tells the gate
it has acted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Input, TextArea

if TYPE_CHECKING:
    from textual.widget import Widget


async def run_own_binding(box: Widget, event: events.Key) -> None:
    """Run `event`'s binding at once when it is `box`'s own (see the module docstring)."""
    if event.is_printable:
        return  # (typed by the box's own handler)
    active = box.screen.active_bindings.get(event.key)
    if active is None or active.node is not box or not active.enabled or active.binding.priority:
        return
    keys = getattr(box.app, "keys", None)  # the key gate (FolioApp.keys)
    if keys is not None and keys.holds_after(event):
        return
    if await box.app.run_action(active.binding.action, box):
        event.stop()
        event.prevent_default()
    # else the action declined (Textual's `SkipAction`: `down` is the box's `scroll_down`, which a
    # one-line box skips): the key goes up to the app, which tries the next binding, as before


class TextBox(Input):
    """Textual's `Input`, its editing keys acting in the order typed."""

    async def on_key(self, event: events.Key) -> None:
        await run_own_binding(self, event)


class NoteText(TextArea):
    """Textual's `TextArea`, its editing keys acting in the order typed."""

    async def on_key(self, event: events.Key) -> None:
        await run_own_binding(self, event)
