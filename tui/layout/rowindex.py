"""Row counts with prefix sums (`RowIndex`)."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate


class RowIndex:
    """Row counts of a sequence of blocks with prefix sums, in chunks so updates stay cheap."""

    CHUNK = 256

    def __init__(self, heights: list[int]) -> None:
        self._heights = heights
        c = self.CHUNK
        self._chunks = [sum(heights[i : i + c]) for i in range(0, len(heights), c)]
        self._total = sum(self._chunks)
        self._cumulative: list[int] | None = None

    def __len__(self) -> int:
        return len(self._heights)

    @property
    def total(self) -> int:
        return self._total

    def height(self, i: int) -> int:
        return self._heights[i]

    def set(self, i: int, height: int) -> int:
        """Set the height of block i; returns the change."""
        delta = height - self._heights[i]
        if delta:
            self._heights[i] = height
            self._chunks[i // self.CHUNK] += delta
            self._total += delta
            self._cumulative = None
        return delta

    def _cum(self) -> list[int]:
        if self._cumulative is None:
            self._cumulative = list(accumulate(self._chunks))
        return self._cumulative

    def start(self, i: int) -> int:
        """The first row of block i."""
        c = i // self.CHUNK
        base = self._cum()[c - 1] if c else 0
        return base + sum(self._heights[c * self.CHUNK : i])

    def find(self, y: int) -> tuple[int, int]:
        """(block, row within it) of row y, clamped to the rows there are."""
        if not self._heights:
            return 0, 0
        y = max(0, min(y, self._total - 1))
        cum = self._cum()
        c = bisect_right(cum, y)
        base = cum[c - 1] if c else 0
        i = c * self.CHUNK
        heights = self._heights
        while y >= base + heights[i]:
            base += heights[i]
            i += 1
        return i, y - base
