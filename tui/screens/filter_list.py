"""A modal dialog that filters a list as you type: a heading, a filter box and the options.

`FilterListScreen` is what the outline (`t`, `screens/outline.py`) and the compare picker
(`screens/pick_document.py`) share: up/down move the highlight (clamped at both ends), enter
chooses the highlighted option, a click chooses the one clicked, escape cancels (dismissed with
None). A subclass names its widgets' ids with `PREFIX` (`PREFIX-dialog`, `-heading`, `-filter`,
`-options`), keeps its own BINDINGS (their ids are the keymap's), and says what its heading is
(`heading`), what a change of the filter shows (`refill`), what choosing an option dismisses the
screen with (`chosen`), and what goes below the list (`compose_below`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static

from folio_reader.tui.widgets.text_boxes import TextBox

ResultT = TypeVar("ResultT")


class FilterListScreen(ModalScreen[ResultT | None]):
    """A heading, a filter box and a list of options (see the module docstring)."""

    DEFAULT_CSS = """
    FilterListScreen { align: center middle; }
    FilterListScreen > .filter-dialog {
        width: 80; max-width: 100%; height: 80%; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    FilterListScreen .filter-heading { height: 1; text-style: bold; }
    FilterListScreen .filter-options, FilterListScreen .filter-options:focus { height: 1fr; border: none; }
    """

    #: The ids' prefix: `PREFIX-dialog`, `PREFIX-heading`, `PREFIX-filter`, `PREFIX-options`.
    PREFIX: ClassVar[str]
    #: The filter box's placeholder.
    PLACEHOLDER: ClassVar[str]

    def compose(self) -> ComposeResult:
        prefix = self.PREFIX
        with Vertical(id=f"{prefix}-dialog", classes="filter-dialog"):
            yield Static(self.heading(), id=f"{prefix}-heading", classes="filter-heading", markup=False)
            yield TextBox(placeholder=self.PLACEHOLDER, id=f"{prefix}-filter")
            yield OptionList(id=f"{prefix}-options", classes="filter-options")
            yield from self.compose_below()

    def heading(self) -> Text:
        """The dialog's first line (document text in it goes through `inert_label`)."""
        raise NotImplementedError

    def compose_below(self) -> Iterable[Widget]:
        """Widgets below the list (none)."""
        return ()

    def refill(self) -> None:
        """Show the options that match `filter_input.value`."""
        raise NotImplementedError

    def chosen(self, index: int) -> ResultT | None:
        """What choosing the option at index (a valid one) dismisses the screen with."""
        raise NotImplementedError

    @property
    def filter_input(self) -> Input:
        return self.query_one(f"#{self.PREFIX}-filter", Input)

    @property
    def options(self) -> OptionList:
        return self.query_one(f"#{self.PREFIX}-options", OptionList)

    @on(Input.Changed)
    def _filter_changed(self) -> None:
        self.refill()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self._choose(self.options.highlighted)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        if index is not None and 0 <= index < self.options.option_count:
            self.dismiss(self.chosen(index))

    def action_move(self, step: int) -> None:
        options = self.options
        if not options.option_count:
            return
        at = options.highlighted if options.highlighted is not None else (-1 if step > 0 else options.option_count)
        options.highlighted = max(0, min(options.option_count - 1, at + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
