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

A layout that gives the pane another geometry (its size, its arranged virtual or container
size: what the compositor compares) draws it whole in its own frame, but what the pane had
queued for its next refresh stays queued: Textual's code queues the whole pane on a resize
(`Widget._set_dirty`), a scrollbar shown queues it too, and the screen drops the widgets
refreshed by then without taking what they queued (`Screen._on_timer_update` clears its dirty
widgets after a layout). That whole pane went out again with its next refresh: the first page
down after `d` hid the list sent the whole reader and its scrollbar (7,648 bytes instead of
~5,500), and a burst typed into the search box sent the results twice when a layout came between
the answer and its repaint (17,905 bytes instead of 9,750). After such a layout the queue is
emptied (`Widget._exchange_repaint_regions`, what the compositor calls to take it): what it held,
the layout's own frame draws. So is a scrollbar's, when the layout is the one that shows it (a new
widget on screen, drawn whole): the results' scrollbar column went out a second time (2,055 bytes).

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
    _arranged: tuple[Size, Size, Size] | None = None  #: the geometry the last layout gave the pane
    _bars: tuple[bool, bool] = (False, False)  #: the scrollbars it showed (vertical, horizontal)

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
            resized = super()._size_updated(size, virtual_size, container_size, layout)
        else:
            resized = False
            if self.virtual_size != self._scrollbar_rows:  # (the arrangement sized the scrollbars)
                self._refresh_scrollbars()
                self.scroll_x = self.validate_scroll_x(self.scroll_x)
                self.scroll_y = self.validate_scroll_y(self.scroll_y)
        self._scrollbar_basis, self._scrollbar_rows = self.scrollbar_basis(), self.virtual_size
        arranged = (size, virtual_size, container_size)
        if arranged != self._arranged:  # this layout draws the whole pane: what was queued for
            self._exchange_repaint_regions()  # the pane's next refresh is drawn by it (see above)
        self._arranged = arranged
        bars = (self.show_vertical_scrollbar, self.show_horizontal_scrollbar)
        if bars[0] and not self._bars[0]:  # (a scrollbar this layout shows: drawn whole by it)
            self.vertical_scrollbar._exchange_repaint_regions()
        if bars[1] and not self._bars[1]:
            self.horizontal_scrollbar._exchange_repaint_regions()
        self._bars = bars
        return resized
