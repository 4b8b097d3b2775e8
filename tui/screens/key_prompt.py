"""A one-key question at the bottom of the screen: which mark? Dismissed with the character of
the key pressed, or None for escape (or a key that types nothing)."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Static


class _Asking(Static, can_focus=True):
    """Holds the focus, so keys typed right after the question wait for it (tui/key_gate.py)."""


class KeyPrompt(ModalScreen[str | None]):
    DEFAULT_CSS = """
    KeyPrompt { align: left bottom; background: transparent; }
    KeyPrompt > _Asking { width: 100%; height: 1; padding: 0 1; background: $panel; text-style: bold; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        yield _Asking(Text(self.question))

    def on_mount(self) -> None:
        self.query_one(_Asking).focus()

    def closes_on(self, key: str) -> bool:
        """Every key closes the prompt: the keys after it wait until it has (tui/key_gate.py)."""
        return True

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        character = event.character if event.is_printable else None
        self.dismiss(None if event.key == "escape" else character)
