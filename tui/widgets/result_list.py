"""The search results as a Line-API widget: each result's prompt (title, details, snippet)
wrapped into rows, and a new answer repaints only the rows whose content changed (issue 17).

It looks as Textual's `OptionList` did in the search pane (the same padding, highlight,
separator and focus styles), but typing a query over a slow link no longer resends every row
for every answer: rows are compared by what they show, and the unchanged ones are not redrawn.
Wrapped rows are kept by content and width, so an answer that repeats a hit wraps nothing.

The pane's status line lies over the top rows (`inset`): when it grows or shrinks, the list
does not move (moving it would repaint all of it), it only draws its first row lower.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual, visualize

from folio_reader.tui.widgets.line_view import LineView

#: A row's signature: what it shows (the entry's content, its line, highlighted), the rule
#: after an entry, or nothing (below the last row). Rows with the same signature look the same.
Signature = tuple[object, ...] | None


#: down/up move through the results, from the search box too (there letters are typed and
#: ctrl+p stays the palette): the pane's bindings and the list's own
RESULT_KEYS = [
    Binding(
        "down,ctrl+n",
        "move(1)",
        "Next result",
        show=False,
        tooltip="Next result (from the box too)",
        id="search.next",
    ),
    Binding(
        "up",
        "move(-1)",
        "Previous result",
        show=False,
        tooltip="Previous result (from the box too)",
        id="search.previous",
    ),
]


@dataclass(frozen=True)
class Entry:
    """One result: its id (kept by the pane), its prompt, and a rule after it."""

    id: str
    prompt: Text
    rule: bool = False

    @property
    def content(self) -> tuple[object, ...]:
        """What the entry shows, hashable: two entries with the same content draw the same rows."""
        return (self.prompt.plain, tuple(self.prompt.spans), str(self.prompt.style), self.rule)


@dataclass(frozen=True)
class Row:
    """What a caller reads of the highlighted result (the names of Textual's `Option`)."""

    id: str
    index: int


class ResultRows(LineView, can_focus=True):
    """Search results, several rows each; the highlight moves over whole results."""

    DEFAULT_CSS = """
    ResultRows {
        height: 1fr;
        color: $foreground;
        overflow-x: hidden;
        padding: 0 1;
        background: $surface;
        border: none;
        & > .result-rows--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .result-rows--separator { color: $foreground 15%; }
        &:focus {
            border: tall $border;  /* the focus mark of the option list this replaced */
            background-tint: $foreground 5%;
            & > .result-rows--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"result-rows--row", "result-rows--highlighted", "result-rows--separator"}

    # the pane's keys for the results (the same bindings), here because the list may be focused
    # and Textual's scrolling bindings would take them first; home, end and page up/down are the
    # inherited bindings (their actions below), enter is `key_enter`
    BINDINGS: ClassVar[list[BindingType]] = [*RESULT_KEYS]

    class Highlighted(Message):
        """The highlight moved to another result (or the result under it changed)."""

        def __init__(self, rows: ResultRows, row: Row) -> None:
            super().__init__()
            self.rows, self.row = rows, row

        @property
        def control(self) -> ResultRows:
            return self.rows

    class Selected(Message):
        """Enter or a click on a result."""

        def __init__(self, rows: ResultRows, row: Row) -> None:
            super().__init__()
            self.rows, self.row = rows, row

        @property
        def control(self) -> ResultRows:
            return self.rows

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: list[Entry] = []
        self._highlighted: int | None = None
        self._told: tuple[int, str] | None = None  #: the highlight last announced
        self._lines: list[tuple[int, int]] = []  #: each row: (entry, line of it; -1 the rule)
        self._first: list[int] = []  #: each entry's first row
        self._width = 0  #: the width `_lines` was made at
        self._inset = 0  #: rows at the top left blank, under the status line
        self._strips: dict[tuple[object, ...], list[Strip]] = {}

    # what callers read (the names of OptionList's, which this replaced)

    @property
    def option_count(self) -> int:
        return len(self._entries)

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            index = max(0, min(len(self._entries) - 1, index)) if self._entries else None
        old, self._highlighted = self._highlighted, index
        if old != index:
            self._repaint(self._entry_rows(old) | self._entry_rows(index))
        self.scroll_to_highlight()
        self._announce()

    @property
    def highlighted_option(self) -> Row | None:
        index = self._highlighted
        return None if index is None else Row(self._entries[index].id, index)

    def set_entries(self, entries: list[Entry], highlighted: int | None) -> None:
        """Show `entries`, `highlighted` on one of them: the rows that show something else are
        repainted, the others are left as the terminal has them."""
        before = self._screen()
        self._entries = entries
        self._highlighted = max(0, min(len(entries) - 1, highlighted or 0)) if entries else None
        self._lay_out()
        self._repaint_changed(before)
        self.scroll_to_highlight()
        self._announce()

    def set_inset(self, rows: int) -> None:
        """Leave `rows` blank at the top (the status line lies over them)."""
        if rows != self._inset:
            before = self._screen()
            self._inset = rows
            self._lay_out()
            self._repaint_changed(before)
            self.scroll_to_highlight()

    def clear(self) -> None:
        self.set_entries([], None)

    # rows

    def _lay_out(self) -> None:
        """Each entry's rows at the width now: the virtual size, set without repainting.

        When the rows come to need a scrollbar (or no longer do), it is shown (hidden) here,
        and the rows laid out again at the width it leaves: Textual would show it only after
        the next layout, so the rows went out once at the old width, then again (issue 17)."""
        for _ in range(3):
            width = self.scrollable_content_region.width
            self._lay_out_at(width)
            self._refresh_scrollbars()  # (Textual's: shown as the virtual size asks, now)
            if self.scrollable_content_region.width == width:
                break

    def _lay_out_at(self, width: int) -> None:
        self._width = width
        lines: list[tuple[int, int]] = []
        first: list[int] = []
        for n, entry in enumerate(self._entries):
            first.append(len(lines))
            count = len(self._entry_strips(entry, self.get_visual_style("result-rows--row"), width)) if width else 1
            lines.extend((n, line) for line in range(count))
            if entry.rule and n < len(self._entries) - 1:
                lines.append((n, -1))
        self._lines, self._first = lines, first
        size = Size(width, len(lines) + self._inset)
        if size != self.virtual_size:  # (set quietly: a reactive set would repaint every row)
            self.set_reactive(ScrollView.virtual_size, size)
            self.refresh(layout=True, repaint=False)  # (the scrollbar follows the new size)

    def _screen(self) -> list[Signature]:
        """The signature of every row on screen."""
        top = round(self.scroll_offset.y)
        out: list[Signature] = []
        for y in range(self.scrollable_content_region.height):
            line = top + y - self._inset
            if y < self._inset or not 0 <= line < len(self._lines):
                out.append(None)
                continue
            entry_index, part = self._lines[line]
            entry = self._entries[entry_index]
            out.append(("rule",) if part < 0 else (entry.content, part, entry_index == self._highlighted))
        return out

    def _repaint_changed(self, before: list[Signature]) -> None:
        after = self._screen()
        top = round(self.scroll_offset.y)
        self._repaint({top + y - self._inset for y in range(len(after)) if _at(before, y) != after[y]})

    def _entry_rows(self, index: int | None) -> set[int]:
        if index is None or index >= len(self._first):
            return set()
        end = self._first[index + 1] if index + 1 < len(self._first) else len(self._lines)
        return set(range(self._first[index], end))

    def _repaint(self, lines: set[int]) -> None:
        """Repaint these lines of the results where they are on screen."""
        top, height = round(self.scroll_offset.y), self.scrollable_content_region.height
        shown = sorted(line + self._inset for line in lines if top <= line < top + height - self._inset)
        start = 0
        while start < len(shown):  # (runs of adjacent rows as one region)
            end = start
            while end + 1 < len(shown) and shown[end + 1] == shown[end] + 1:
                end += 1
            self.refresh_lines(shown[start], shown[end] - shown[start] + 1)
            start = end + 1

    def _entry_strips(self, entry: Entry, style: Style, width: int) -> list[Strip]:
        key = (entry.content, style, width)
        strips = self._strips.get(key)
        if strips is None:
            if len(self._strips) > 2048:
                self._strips.clear()
            visual = visualize(self, entry.prompt)
            strips = [
                s.extend_cell_length(width, style.rich_style)
                for s in Visual.to_strips(self, visual, width, None, style)
            ]
            self._strips[key] = strips
        return strips

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if width != self._width:
            self._lay_out()
        line = round(self.scroll_offset.y) + y - self._inset
        if y < self._inset or not 0 <= line < len(self._lines):
            return Strip.blank(width, self.get_visual_style("result-rows--row").rich_style)
        index, part = self._lines[line]
        if part < 0:
            rule = self.get_visual_style("result-rows--separator")
            return Strip([Segment("─" * width, rule.rich_style)], width)
        if index == self._highlighted:
            style = self.get_visual_style("result-rows--row", "result-rows--highlighted")
        else:
            style = self.get_visual_style("result-rows--row")
        strips = self._entry_strips(self._entries[index], style, width)
        return strips[part] if part < len(strips) else Strip.blank(width, style.rich_style)

    def on_resize(self) -> None:
        self._lay_out()  # (Textual repaints a resized widget whole: no refresh here, or it is sent twice)
        self.call_after_refresh(self.scroll_to_highlight)

    def notify_style_update(self) -> None:
        self._strips.clear()  # (a theme or focus change restyles every row)
        super().notify_style_update()

    def scroll_to_highlight(self) -> None:
        rows = sorted(self._entry_rows(self._highlighted))
        height = self.scrollable_content_region.height - self._inset
        if not rows or not height:
            return
        top, first, last = round(self.scroll_offset.y), rows[0], rows[-1] + 1
        if first < top or last - first > height:
            self.scroll_to(y=first, animate=False, immediate=True)
        elif last > top + height:
            self.scroll_to(y=last - height, animate=False, immediate=True)

    def _announce(self) -> None:
        row = self.highlighted_option
        told = None if row is None else (row.index, row.id)
        if row is not None and told != self._told:
            self.post_message(self.Highlighted(self, row))
        self._told = told

    # keys and the mouse

    def action_move(self, step: int) -> None:
        if self._entries:
            at = self._highlighted if self._highlighted is not None else -step
            self.highlighted = at + step

    def action_scroll_home(self) -> None:
        if self._entries:
            self.highlighted = 0

    def action_scroll_end(self) -> None:
        if self._entries:
            self.highlighted = len(self._entries) - 1

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def key_enter(self) -> None:
        self.action_select()

    def _page(self, direction: int) -> None:
        """A page of rows up or down, to the result there."""
        if not self._lines:
            return
        if self._highlighted is None:
            self.highlighted = 0 if direction < 0 else len(self._entries) - 1
            return
        y = self._first[self._highlighted] + direction * (self.scrollable_content_region.height - self._inset)
        self.highlighted = self._lines[max(0, min(len(self._lines) - 1, y))][0]

    def action_select(self) -> None:
        row = self.highlighted_option
        if row is not None:
            self.post_message(self.Selected(self, row))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        line = offset.y + round(self.scroll_offset.y) - self._inset
        if offset.y >= self._inset and 0 <= line < len(self._lines) and self._lines[line][1] >= 0:
            event.stop()
            self.highlighted = self._lines[line][0]
            self.action_select()


def _at(rows: list[Signature], y: int) -> Signature:
    return rows[y] if 0 <= y < len(rows) else None
