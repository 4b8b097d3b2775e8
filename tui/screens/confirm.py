"""A yes/no question in a modal: `y` (or enter on Yes) for yes, `n` for no, escape for neither
(dismissed with None: the question stays open for later, where that means something).

A question may quote data (the draft offered back at start names its file and its note): it is
drawn inert, whatever the caller passes."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from folio_reader.index.inert import inert_lines


class ConfirmScreen(ModalScreen[bool | None]):
    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Vertical { width: 60; max-width: 100%; height: auto; border: round $warning; background: $surface; padding: 1 2; }
    ConfirmScreen Horizontal { height: auto; margin-top: 1; }
    ConfirmScreen Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", tooltip="Yes", id="confirm.yes"),
        Binding("n", "answer(False)", "No", tooltip="No", id="confirm.no"),
        Binding("escape", "dismiss(None)", "Not now", tooltip="Neither (not now)", id="confirm.later"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No", *, danger: bool = True) -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no
        self.danger = danger  #: yes destroys something: a red button, and no is focused

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(inert_lines(self.question)))
            with Horizontal():
                yield Button(f"{self.yes} (y)", variant="error" if self.danger else "primary", id="yes")
                yield Button(f"{self.no} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no" if self.danger else "#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
