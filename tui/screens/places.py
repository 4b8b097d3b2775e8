"""Places in documents: where each was left (the view and the caret, kept in the reading state
across runs), marks (`m` and a letter sets one, `'` and the letter goes there) and the jump list
(`''` or `ctrl+o` goes back to where the last jump came from). A jump is what moves the reader
far at once: choosing a search hit, `n`/`N`, `*`/`#`, going to an annotation or a mark. Marks
last as long as the app runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual.app import App

from folio_reader.index.corpus import Document
from folio_reader.index.state import ReadingState
from folio_reader.tui.screens.key_prompt import KeyPrompt
from folio_reader.tui.widgets.reader import Reader

#: How many jumps back are kept.
MAX_JUMPS = 100


@dataclass(frozen=True, slots=True)
class Place:
    rel: str
    caret: int


#: `open_at(rel, caret)`: open another document with the caret there.
OpenAt = Callable[[str, int], None]


class Places:
    """Marks and the jump list of one screen (see the module docstring)."""

    def __init__(self, app: App[Any], reader: Reader, reading: ReadingState, open_at: OpenAt) -> None:
        self.app, self.reader, self.reading = app, reader, reading
        self._open_at = open_at
        self.marks: dict[str, Place] = {}
        self.jumps: list[Place] = []

    # where each document was left

    def first_document(self, readable: set[str], only: str | None) -> str | None:
        """What to open at start: the file of `folio FILE`, else the document read last."""
        last = (self.reading.last or {}).get("rel")
        if only is not None and only in readable:
            return only
        return last if last in readable else None

    def show_where_left(self, document: Document, offset: int | None, caret: int | None) -> None:
        """A document just loaded: the view at `offset` (at the top), or the caret on `caret`
        (in the middle), else both where it was left."""
        end = len(document.text)
        if caret is not None:
            self.reader.scroll_to_offset(min(caret, end), center=True)
            self.reader.move_caret(min(caret, end))
            return
        if offset is None:
            offset = self.reading.position(document.rel, document.meta.content_hash)
            caret = self.reading.caret(document.rel, document.meta.content_hash)
        self.reader.scroll_to_offset(min(offset, end), center="top")
        if caret is not None:
            self.reader.move_caret(min(caret, end), reveal=False)

    def remember(self) -> None:
        """Where the open document is being read, in memory (saved with `save`)."""
        document = self.reader.document
        if document is not None:
            hash_ = document.meta.content_hash
            self.reading.remember(document.rel, hash_, self.reader.top_offset, caret=self.reader.caret)

    def save(self) -> None:
        try:
            self.reading.save()
        except OSError as exc:
            self.app.notify(f"Cannot save the reading position: {exc}", severity="warning", markup=False)

    # the jump list and marks

    def here(self) -> Place | None:
        document = self.reader.document
        return Place(document.rel, self.reader.caret) if document is not None else None

    def jumping(self) -> None:
        """Call before a jump: where it leaves from goes on the jump list."""
        here = self.here()
        if here is not None and (not self.jumps or self.jumps[-1] != here):
            self.jumps.append(here)
            del self.jumps[:-MAX_JUMPS]

    def back(self) -> None:
        """`''`, `ctrl+o`: to where the last jump came from (and the place left, on the list)."""
        here = self.here()
        while self.jumps and self.jumps[-1] == here:
            self.jumps.pop()
        if not self.jumps:
            self.app.notify("No jump to go back to", timeout=2, markup=False)
            return
        target = self.jumps.pop()
        if here is not None:
            self.jumps.append(here)
        self._go(target)

    def ask_mark(self) -> None:
        """`m`: the next letter names a mark on the caret."""
        if self.here() is None:
            self.app.notify("Open a document first", timeout=2, markup=False)
            return

        def chosen(key: str | None) -> None:
            here = self.here()
            if key is None or here is None or not key.isalpha():
                return
            self.marks[key] = here
            self.app.notify(f"Mark {key} set", timeout=2, markup=False)

        self.app.push_screen(KeyPrompt("Mark: press a letter (escape: none)"), chosen)

    def ask_go(self) -> None:
        """`'`: the next key is a mark's letter, or `'` again for back."""

        def chosen(key: str | None) -> None:
            if key == "'":
                self.back()
            elif key is not None:
                place = self.marks.get(key)
                if place is None:
                    self.app.notify(f"No mark {key}: m and a letter sets one", timeout=3, markup=False)
                    return
                self.jumping()
                self._go(place)

        self.app.push_screen(KeyPrompt("Go to mark: press its letter, or ' to go back"), chosen)

    def _go(self, place: Place) -> None:
        document: Document | None = self.reader.document
        if document is not None and document.rel == place.rel:
            caret = min(place.caret, len(document.text))
            self.reader.move_caret(caret)
            self.reader.scroll_to_offset(caret, center=True)
            self.reader.focus()
        else:
            self._open_at(place.rel, place.caret)
