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

    def start(self, line: int) -> int:
        if line >= len(self.starts):
            return len(self.text)
        return self.starts[max(line, 0)]

    def end(self, line: int) -> int:
        """Offset of the newline ending `line` (or the text's end)."""
        if line + 1 >= len(self.starts):
            return len(self.text)
        return self.starts[line + 1] - 1

    def line(self, index: int, /) -> str:
        return self.text[self.start(index) : self.end(index)]

    def at(self, offset: int) -> int:
        """The line an offset is on."""
        return bisect_right(self.starts, offset) - 1

    def blank(self, index: int, /) -> bool:
        return not self.line(index).strip()
