"""The note editor: a multi-line Markdown note, tags and a highlight colour for one passage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static, TextArea

from folio_reader.index.annotations import COLORS, DEFAULT_COLOR
from folio_reader.tui.screens.confirm import ConfirmScreen
from folio_reader.tui.widgets.text_boxes import NoteText, TextBox

#: Highlighter-pen colours: dark text on a light wash reads the same in dark and light themes,
#: and stays distinct as grey levels under NO_COLOR.
COLOR_STYLES = {
    "yellow": "#1a1a1a on #ffe066",
    "green": "#1a1a1a on #8ce99a",
    "blue": "#1a1a1a on #a5d8ff",
    "pink": "#1a1a1a on #fcc2d7",
    "purple": "#1a1a1a on #d0bfff",
}
QUOTE_PREVIEW = 240


@dataclass(frozen=True, slots=True)
class AnnotationEdit:
    note: str
    tags: tuple[str, ...]
    color: str


def parse_tags(text: str) -> tuple[str, ...]:
    return tuple(t.strip().lstrip("#") for t in text.replace(",", " ").split() if t.strip().lstrip("#"))


class DraftSink(Protocol):
    """Where the editor's note goes as it is typed (tui/drafts.py `DraftHandle`)."""

    def typed(self, edit: AnnotationEdit) -> None: ...

    def saved(self, edit: AnnotationEdit) -> object: ...

    def discarded(self) -> None: ...


class AnnotationEditor(ModalScreen[AnnotationEdit | None]):
    DEFAULT_CSS = """
    AnnotationEditor { align: center middle; }
    AnnotationEditor > Vertical { width: 84; max-width: 100%; height: auto; max-height: 100%; border: round $accent; background: $surface; padding: 0 1; }
    AnnotationEditor #quote { color: $text-muted; max-height: 4; margin-bottom: 1; }
    AnnotationEditor TextArea { height: 8; min-height: 3; }
    AnnotationEditor RadioSet { layout: horizontal; height: auto; border: none; }
    AnnotationEditor Horizontal { height: auto; }
    AnnotationEditor #keys { color: $text-muted; }
    AnnotationEditor Button { margin-right: 1; }
    """
    BINDINGS = [
        # not a priority binding: it must come after the keys typed before it (tui/key_gate.py)
        Binding("ctrl+s", "save", "Save", tooltip="Save the note", id="editor.save"),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            tooltip="Close without saving (asks first when there is a note)",
            id="editor.cancel",
        ),
    ]

    def __init__(
        self, quote: str, edit: AnnotationEdit | None = None, *, title: str = "Note", draft: DraftSink | None = None
    ) -> None:
        super().__init__()
        self.quote = quote
        self.initial = edit or AnnotationEdit("", (), DEFAULT_COLOR)
        self.title_text = title
        self.draft = draft  #: kept as it is typed (a draft journal), when given
        self._changed = False

    def compose(self) -> ComposeResult:
        quote = " ".join(self.quote.split())
        if len(quote) > QUOTE_PREVIEW:
            quote = quote[: QUOTE_PREVIEW - 1] + "…"
        with Vertical():
            yield Static(Text(self.title_text, style="bold"))
            yield Static(Text(f"“{quote}”", style="italic"), id="quote")
            yield Label("Note (Markdown, several lines)")
            yield NoteText(self.initial.note, id="note", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
            yield Label("Tags (separated by spaces or commas)")
            yield TextBox(" ".join(self.initial.tags), id="tags", placeholder="e.g. tariffs quote-check")
            yield Label("Colour")
            with RadioSet(id="color"):
                for color in COLORS:
                    yield RadioButton(
                        Text(color, style=COLOR_STYLES[color]), value=color == self.initial.color, name=color
                    )
            with Horizontal():
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")
            yield Static(Text("ctrl+s save · escape cancel · tab next field · in Colour: arrows then space"), id="keys")

    def on_mount(self) -> None:
        note = self.query_one("#note", TextArea)
        note.move_cursor(note.document.end)  # (an existing note goes on where it ends)
        note.focus()

    def current(self) -> AnnotationEdit:
        radio = self.query_one("#color", RadioSet).pressed_button
        color = radio.name if radio is not None and radio.name in COLORS else self.initial.color
        return AnnotationEdit(
            note=self.query_one("#note", TextArea).text.strip(),
            tags=parse_tags(self.query_one("#tags", Input).value),
            color=color,
        )

    def on_text_area_changed(self) -> None:
        self._typed()

    def on_input_changed(self) -> None:
        self._typed()

    def on_radio_set_changed(self) -> None:
        self._typed()

    def _typed(self) -> None:
        if self.draft is None or not self.is_mounted:
            return
        edit = self.current()
        if edit != self.initial or self._changed:  # (not the fields being filled in at the start)
            self._changed = True
            self.draft.typed(edit)

    def action_save(self) -> None:
        edit = self.current()
        if self.draft is not None:
            self.draft.saved(edit)  # (in the journal before the editor closes)
        self.dismiss(edit)

    def action_cancel(self) -> None:
        edit = self.current()
        if edit == self.initial or not edit.note:
            self._discard()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self._discard()

        self.app.push_screen(ConfirmScreen("Discard this note?", yes="Discard", no="Keep editing"), answered)

    def _discard(self) -> None:
        if self.draft is not None:
            self.draft.discarded()
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()
