"""Line offsets of a canonical text, shared by the parsers that speak in line numbers."""

from __future__ import annotations

from bisect import bisect_right


class Lines:
    """Where each line of a text starts and ends (its newline excluded), by 0-based line number."""

    __slots__ = ("starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        find = text.find
        i = find("\n")
        while i >= 0:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.starts = starts

    def __len__(self) -> int:
        return len(self.starts)

    # (start, end and line are called for nearly every line a parser's walk looks at: a
    # quarter of the reST walk's time went to them; they avoid calls of their own)

    def start(self, line: int) -> int:
        starts = self.starts
        if line >= len(starts):
            return len(self.text)
        return starts[line] if line > 0 else 0

    def end(self, line: int) -> int:
        """Offset of the newline ending `line` (or the text's end)."""
        starts = self.starts
        if line + 1 >= len(starts):
            return len(self.text)
        return starts[line + 1] - 1

    def line(self, index: int, /) -> str:
        starts, text = self.starts, self.text
        n = len(starts)
        if index >= n:
            return ""
        start = starts[index] if index > 0 else 0
        return text[start : starts[index + 1] - 1] if index + 1 < n else text[start:]

    def at(self, offset: int) -> int:
        """The line an offset is on."""
        return bisect_right(self.starts, offset) - 1

    def blank(self, index: int, /) -> bool:
        return not self.line(index).strip()
