"""The frame a reader sits in, holding the blank part of its left margin outside it (issue 17).

Textual's compositor sends a row a widget refreshes from the widget's left edge
(`ChopsUpdate.render_segments` writes each chop whole from its start), so a page down sent the
reader's blank margin, 19 cells at 120 columns with the list hidden, with every row: ~720 bytes
a page. In a `ReaderFrame` the reader keeps inside only the margin its marks need and leaves the
rest to the frame as a CSS margin (`ReaderLoading._outside_wanted`): the frame draws those cells
in the reader's background, so the screen is the same, and a row drawn again starts where the
reader does. The frame is a `QuietSize` (a layout resizing it draws it once) and passes the mouse
on: a wheel over its cells scrolls the reader, a click there is a click on the start of that
row, as it was when those cells were the reader's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.containers import Horizontal
from textual.strip import Strip

from folio_reader.tui.widgets.quiet_size import QuietSize

if TYPE_CHECKING:
    from folio_reader.tui.widgets.reader import Reader


class ReaderFrame(QuietSize, Horizontal):
    """The reader's container: its background under the reader's outer margin, the mouse passed on."""

    DEFAULT_CSS = """
    ReaderFrame {
        height: 1fr;
        background: $surface;  /* the reader's own (reader_theme): the margin looks the same */
        color: $foreground;
    }
    """

    def render_line(self, y: int) -> Strip:
        """A blank row in the reader's own style (its colour as well as its background): the
        frame's cells and the reader's blank cells beside them are then one run of a style, as
        they were when all were the reader's (a screenshot, which joins such runs, is the same)."""
        return Strip.blank(self.size.width, self.rich_style)

    @property
    def reader(self) -> Reader | None:
        from folio_reader.tui.widgets.reader import Reader

        return next((child for child in self.children if isinstance(child, Reader)), None)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._forward(event)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._forward(event)

    def _forward(self, event: events.MouseScrollDown | events.MouseScrollUp) -> None:
        reader = self.reader
        if reader is not None:
            event.stop()
            reader.post_message(type(event).from_event(reader, event))

    def on_click(self, event: events.Click) -> None:
        reader = self.reader
        if reader is None or event.widget is not self:
            return
        event.stop()
        reader.focus()
        row = event.screen_y - reader.content_region.y
        offset = reader.offset_at_point(0, row) if 0 <= row < reader.content_region.height else None
        if offset is not None:
            reader.move_caret(offset, select=event.shift, reveal=False)
