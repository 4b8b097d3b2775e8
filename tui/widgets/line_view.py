"""A `ScrollView` whose scrollbars are left alone by layouts that change nothing of it (issue 17).

Textual lays the screen out again for many reasons unrelated to a given pane: the search box's
`Input` sets its own `virtual_size` on every key typed, a status line changes height. After each
layout `ScrollView._size_updated` compares the virtual size the compositor arranged (for a
Line-API widget, which has no children, the pane's own size) with the widget's `virtual_size`
(its rows): they differ whenever the content is taller than the pane, so every layout reset the
scrollbars and refreshed their whole column. At 40 rows that is ~900 bytes on the wire a layout,
three layouts a key typed into the search box.

Here, while the pane keeps its size, a layout does only what is left to do: the arrangement
itself has just given the scrollbars the pane's rows (`Widget._arrange_scrollbars`, refreshing a
scrollbar whose sizes changed, painting one newly shown), so what remains of Textual's reset is
showing or hiding them and keeping the scroll within bounds, and that only when the rows changed
in number. Its explicit refresh of the whole column is what is skipped: when the rows grow from
fitting to needing a scrollbar, the list's first answer sent the column twice.

A layout that resizes the pane draws it whole (its geometry changed), and Textual's code also
queues the whole pane for its next refresh (`Widget._set_dirty`); the screen drops the widgets
refreshed by then without taking what they queued (`Screen._on_timer_update` clears its dirty
widgets after a layout), so that whole pane went out again with the next refresh of a few cells:
the first page down after `d` hid the list sent the whole reader and its scrollbar (7,648 bytes
instead of ~5,500). After a resize the queue is emptied (`Widget._exchange_repaint_regions`, what
the compositor calls to take it): what it held, the layout's own frame has just drawn.

The override is of a private Textual hook (`_size_updated`, called by `Screen._refresh_layout`
with each widget's arranged geometry); whenever the pane's size, container or scrollbar styles
change, Textual's own code runs, so a newer Textual that reads more would at worst repaint as before.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView

#: What `Widget._scroll_update` makes the scrollbars from, besides the pane's size and rows
ScrollbarBasis = tuple[object, ...]


class LineView(ScrollView):
    """A Line-API `ScrollView` that keeps its scrollbars through layouts that do not concern it."""

    _scrollbar_basis: ScrollbarBasis | None = None
    _scrollbar_rows: Size | None = None

    def scrollbar_basis(self) -> ScrollbarBasis:
        """The pane's size and scrollbar styles: equal, and a layout need not reset the scrollbars."""
        styles = self.styles
        return (
            self._size,
            self.container_size,
            styles.overflow_x,
            styles.overflow_y,
            styles.scrollbar_size_vertical,
            styles.scrollbar_size_horizontal,
            styles.scrollbar_gutter,
        )

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        basis = self.scrollbar_basis()
        if size != self._size or container_size != self.container_size or basis != self._scrollbar_basis:
            new_size = size != self._size
            resized = super()._size_updated(size, virtual_size, container_size, layout)
            if new_size:  # this layout draws the whole pane: what Textual also queued for the
                self._exchange_repaint_regions()  # pane's next refresh is dropped (see above)
        else:
            resized = False
            if self.virtual_size != self._scrollbar_rows:  # (the arrangement sized the scrollbars)
                self._refresh_scrollbars()
                self.scroll_x = self.validate_scroll_x(self.scroll_x)
                self.scroll_y = self.validate_scroll_y(self.scroll_y)
        self._scrollbar_basis, self._scrollbar_rows = self.scrollbar_basis(), self.virtual_size
        return resized
