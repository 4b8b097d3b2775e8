"""A `ScrollView` whose scrollbars are left alone by layouts that change nothing of it (issue 17).

Textual lays the screen out again for many reasons unrelated to a given pane: the search box's
`Input` sets its own `virtual_size` on every key typed, a status line changes height. After each
layout `ScrollView._size_updated` compares the virtual size the compositor arranged (for a
Line-API widget, which has no children, the pane's own size) with the widget's `virtual_size`
(its rows): they differ whenever the content is taller than the pane, so every layout reset the
scrollbars and refreshed their whole column. At 40 rows that is ~900 bytes on the wire a layout,
three layouts a key typed into the search box. Here the scrollbars are updated only when what
they are made from changed: the pane's size, its virtual size, its overflow and scrollbar sizes.

The override is of a private Textual hook (`_size_updated`, called by `Screen._refresh_layout`
with each widget's arranged geometry); it calls Textual's own code whenever anything it reads
has changed, so a newer Textual that reads more would at worst repaint as before.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView

#: What `Widget._scroll_update` makes the scrollbars from
ScrollbarBasis = tuple[object, ...]


class LineView(ScrollView):
    """A Line-API `ScrollView` that keeps its scrollbars through layouts that do not concern it."""

    _scrollbar_basis: ScrollbarBasis | None = None

    def scrollbar_basis(self) -> ScrollbarBasis:
        """What the scrollbars are made from: equal, and they are as a reset would make them."""
        styles = self.styles
        return (
            self.virtual_size,
            self.container_size,
            styles.overflow_x,
            styles.overflow_y,
            styles.scrollbar_size_vertical,
            styles.scrollbar_size_horizontal,
            styles.scrollbar_gutter,
        )

    def scrollbars_follow(self) -> None:
        """The caller has set the scrollbars itself for the state now (the thumb moved in place,
        `reader_wire.move_thumb`): the next layout need not reset them."""
        self._scrollbar_basis = self.scrollbar_basis()

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        if (
            size == self._size
            and container_size == self.container_size
            and self._scrollbar_basis == self.scrollbar_basis()
        ):
            return False  # (ScrollView's would reset the scrollbars to what they are, and repaint them)
        resized = super()._size_updated(size, virtual_size, container_size, layout)
        self._scrollbar_basis = self.scrollbar_basis()
        return resized
