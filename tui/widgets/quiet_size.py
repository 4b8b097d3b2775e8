"""Widgets a layout resizes without drawing them a second time (issue 17: bytes on the wire).

Textual's `Widget._size_updated` (the private hook `Screen._refresh_layout` calls with each
widget's arranged geometry) sets `virtual_size` as a reactive, and that reactive repaints the
widget again, a frame after the layout that resized it had already painted it: the widget went
to the terminal twice. `QuietSize` sets it quietly (`layout=False`, as Textual itself does for
a layout that only scrolls); the layout's own paint is the one that counts. Used by the status
bar's parts (a position changing width, "33%" to "100%"), the search box's status line (its
height following the message) and the search pane (shown in place of the list).
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget


class QuietSize(Widget):
    """A widget whose new size is drawn by the layout that gave it, not again a frame later.
    Put it first among the bases: `class Part(QuietSize, Static)`."""

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        return super()._size_updated(size, virtual_size, container_size, layout=False)
