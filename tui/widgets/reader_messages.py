"""The messages a `Reader` posts: the caret moved, the selection changed, the view scrolled, a
link was followed.

They are reached as `Reader.CaretMoved` and so on (nested names, handlers `on_reader_caret_moved`);
the `reader` namespace keeps those handler names although the classes live here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from folio_reader.tui.widgets.reader_view import ReaderView


class CaretMoved(Message, namespace="reader"):
    """The caret moved."""

    def __init__(self, reader: ReaderView, offset: int) -> None:
        self.reader = reader
        self.offset = offset
        super().__init__()

    @property
    def control(self) -> ReaderView:
        return self.reader


class SelectionChanged(Message, namespace="reader"):
    """The selection changed; `span` is None when there is none."""

    def __init__(self, reader: ReaderView, span: tuple[int, int] | None) -> None:
        self.reader = reader
        self.span = span
        super().__init__()

    @property
    def control(self) -> ReaderView:
        return self.reader


class LinkFollowed(Message, namespace="reader"):
    """`enter` on a link that names a path (external links are never followed): `path` as
    the document wrote it, its fragment dropped."""

    def __init__(self, reader: ReaderView, path: str) -> None:
        self.reader = reader
        self.path = path
        super().__init__()

    @property
    def control(self) -> ReaderView:
        return self.reader


class Scrolled(Message, namespace="reader"):
    """The view moved: the offset of its first row, or the percentage, changed."""

    def __init__(self, reader: ReaderView, top_offset: int, percent: int) -> None:
        self.reader = reader
        self.top_offset = top_offset
        self.percent = percent
        super().__init__()

    @property
    def control(self) -> ReaderView:
        return self.reader
