"""Drawing the reader's rows: highlight layers, margin marks and each screen row's strip.

`ReaderRows` adds to `ReaderLoading` the highlight and mark API (`set_highlights`,
`set_marks`, and their `clear_…`) and `render_line`: a row's margin (marks, the "continued"
sign), its cells painted with the layout's styles, the layers, the selection and the caret,
simplified to one segment per run of a style, and cached per (block, row).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip

from folio_reader.index.inert import inert_inline as _inert
from folio_reader.tui.widgets import reader_wire as wire
from folio_reader.tui.widgets.reader_loading import ReaderLoading
from folio_reader.tui.widgets.reader_marks import (
    HighlightSpan,
    Layer,
    Marks,
    StyleSpec,
    margin_text,
    paint,
)

#: Drawn in the margin beside a row that continues a verbatim line cut at the measure.
CONTINUED = "↪"


class ReaderRows(ReaderLoading):
    """A `ReaderLoading` that draws its rows, with highlights and marks (see the module docstring)."""

    # -- highlights and marks ---------------------------------------------------------------

    def set_highlights(
        self,
        layer: str,
        spans: Sequence[HighlightSpan],
        style: StyleSpec = "reader--hit",
        *,
        current: int | None = None,
    ) -> None:
        """Show a layer of highlighted spans (replacing the layer's previous spans)."""
        self._layers[layer] = Layer.build(spans, style, current)
        self._highlights_changed()

    def clear_highlights(self, layer: str | None = None) -> None:
        if layer is None:
            self._layers.clear()
        else:
            self._layers.pop(layer, None)
        self._highlights_changed()

    def set_marks(
        self,
        layer: str,
        marks: Mapping[int, str | tuple[str, StyleSpec]],
        style: StyleSpec = "reader--margin",
    ) -> None:
        """Show margin text beside the rows holding the given offsets."""
        items = sorted(marks.items())
        self._marks[layer] = Marks(
            offsets=[offset for offset, _ in items],
            texts=[_inert(value if isinstance(value, str) else value[0]) for _, value in items],
            styles=[style if isinstance(value, str) else value[1] for _, value in items],
        )
        self._margin_changed()
        self._highlights_changed()

    def clear_marks(self, layer: str | None = None) -> None:
        if layer is None:
            self._marks.clear()
        else:
            self._marks.pop(layer, None)
        self._margin_changed()
        self._highlights_changed()

    def _highlights_changed(self) -> None:
        self._strips.clear()
        self._update_status()
        self.refresh()

    # -- rendering --------------------------------------------------------------------------

    def _style(self, spec: StyleSpec) -> Style:
        style = self._styles.get(spec)
        if style is None:
            if isinstance(spec, Style):
                style = spec
            elif spec.startswith("reader--"):
                style = self._component_style(spec)
            else:
                style = Style.parse(spec)
            self._styles[spec] = style
        return style

    def _component_style(self, name: str) -> Style:
        """A component's style with only what its rules set (colours blended with the pane)."""
        full = self.get_component_rich_style(name)
        partial = self.get_component_rich_style(name, partial=True)
        colours = Style(
            color=full.color if partial.color is not None else None,
            bgcolor=full.bgcolor if partial.bgcolor is not None else None,
        )
        return colours + partial.without_color

    def render_line(self, y: int) -> Strip:
        strip = self._line(y)
        self._painted[y] = wire.extent(strip, self.rich_style)  # what the terminal shows there now
        return strip

    def _view_moved(self) -> None:
        """Draw the pane again after the view moved: each row's cells that can differ."""
        self._refresh_screen_rows(0, self._viewport.height - 1)

    def _refresh_screen_rows(self, first: int, last: int) -> None:
        """Draw again, on each screen row of [first, last], only the cells where the row drawn
        there before or the row to be drawn there now is not blank (a page of prose: its text,
        not the margin right of it; the compositor writes a row from the pane's left edge)."""
        width = self._viewport.width
        gutter, base = self.styles.gutter, self.rich_style
        regions = []
        for y in range(max(0, first), min(last, self._viewport.height - 1) + 1):
            before = self._painted.get(y, (0, width))  # (never drawn: all of it)
            start, end = wire.union(before, wire.extent(self._line(y), base))
            if end > start:
                regions.append(Region(gutter.left + start, gutter.top + y, end - start, 1))
        if regions:
            self.refresh(*regions)

    def _line(self, y: int) -> Strip:
        """The strip of screen row y (cached per layout row)."""
        width = self._viewport.width
        layout = self._layout
        if layout is None or self._document is None:
            return self._placeholder_line(y, width)
        doc_row = round(self.scroll_y) + y
        if doc_row >= layout.row_count:
            return Strip.blank(width, self.rich_style)
        block, row = layout.find(doc_row)
        key = (block, row)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_row(block, row)
            self._strips.set(key, strip)
        if width != self._cells_width:  # a pane too narrow to lay out again (no cells)
            strip = strip.crop_extend(0, width, self.rich_style)
        return strip

    def _placeholder_line(self, y: int, width: int) -> Strip:
        base = self.rich_style
        if self._document is not None or y != max(0, self._viewport.height // 2):
            return Strip.blank(width, base)
        text = set_cell_size(_inert(self._placeholder), min(width, cell_len(_inert(self._placeholder))))
        pad = max(0, (width - cell_len(text)) // 2)
        style = base + self._style("reader--placeholder")
        strip = Strip([Segment(" " * pad, base), Segment(text, style)])
        return strip.extend_cell_length(width, base).crop(0, width)

    def _render_row(self, block: int, row: int) -> Strip:
        layout = self._layout
        assert layout is not None
        base = self.rich_style
        width = self._cells_width
        segments = list(self._margin_segments(block, row, base))
        segments.extend(self._text_segments(block, row, base))
        strip = Strip(segments).extend_cell_length(width, base)
        strip = strip.crop(0, width) if strip.cell_length > width else strip
        return strip.simplify()  # one segment per run of a style: one colour code each on the wire

    def _margin_segments(self, block: int, row: int, base: Style) -> Iterable[Segment]:
        left = self._left
        if not left:
            return []
        marks = self._row_marks(block, row)
        if not marks:
            return [Segment(" " * left, base)]
        text, spec = marks
        room = max(0, left - 1)
        if cell_len(text) > room:
            text = set_cell_size(text, room - 1) + "…" if room else ""

        pad = left - cell_len(text)
        return [
            Segment(" " * (pad - 1) if pad else "", base),
            Segment(text, base + self._style(spec)),
            Segment(" " if pad else "", base),
        ]

    def _row_marks(self, block: int, row: int) -> tuple[str, StyleSpec] | None:
        """Margin text for a row: the marks at offsets in the row (or in the gap before a block)."""
        layout = self._layout
        assert layout is not None
        span = layout.row_span(block, row)
        continued = (CONTINUED, "reader--marker") if layout.continued(block, row) else None
        if span is None or not self._marks:
            return continued
        start, end = span
        if row == 0:  # marks between paragraphs show beside the next one
            start = layout.ends[block - 1] if block > 0 else 0
        if block == layout.block_count - 1 and end == layout.ends[block]:
            end = len(layout.text) + 1
        return margin_text(self._marks.values(), start, end) or continued

    def _text_segments(self, block: int, row: int, base: Style) -> list[Segment]:
        layout = self._layout
        assert layout is not None
        span = layout.row_span(block, row)
        spans = self._row_styles(block, *span) if span is not None else []
        return paint(layout.cells(block, row), spans, base, self._style)

    def _row_styles(self, block: int, start: int, end: int) -> list[tuple[int, int, Style]]:
        """Every style span meeting [start, end), in the order they apply."""
        spans: list[tuple[int, int, Style]] = []
        if self.markdown:
            for s, e, component in self._layout_styles(block):
                if s < end and e > start:
                    spans.append((s, e, self._style(component)))
        for layer in self._layers.values():
            for s, e, spec, current in layer.overlapping(start, end):
                spans.append((s, e, self._style(spec)))
                if current:
                    spans.append((s, e, self._style("reader--hit-current")))
        selection = self.selection
        if selection is not None and selection[0] < end and selection[1] > start:
            spans.append((selection[0], selection[1], self._style("reader--selection")))
        if start <= self._caret < end:
            spans.append((self._caret, self._caret + 1, self._style("reader--caret")))
        return spans

    def _layout_styles(self, block: int) -> list[tuple[int, int, str]]:
        spans = self._unit_styles.get(block)
        if spans is None:
            layout = self._layout
            assert layout is not None
            spans = layout.styles(block)
            self._unit_styles.set(block, spans)
        return spans
