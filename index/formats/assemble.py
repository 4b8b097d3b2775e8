"""Join Markdown blocks into one canonical text, recording where each section starts.

Every extractor builds its text here, so that the text is canonical (no `\\r`, control characters
made visible one for one, no lone surrogates) and bounded (`MAX_TEXT_CHARS`), and section offsets
count code points in exactly the text that is returned.
"""

from __future__ import annotations

from ..inert import inert_text
from .model import Section

#: Extracted text past this many characters is cut at a block boundary (a note says so).
MAX_TEXT_CHARS = 32_000_000


def canonical(text: str) -> str:
    """Extracted text in canonical form (`corpus.canonical_text`, lone surrogates made U+FFFD)."""
    return inert_text(text)


class TextBuilder:
    """Blocks of Markdown appended in order, separated by blank lines."""

    def __init__(self, limit: int = MAX_TEXT_CHARS) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.limit = limit
        self.full = False  #: the limit was reached: later blocks are dropped
        self._sections: list[tuple[str, str, int]] = []

    def add(self, markdown: str) -> bool:
        """Append a block (or several); False, and nothing added, once the limit is reached."""
        markdown = canonical(markdown).strip("\n")
        if not markdown or self.full:
            return not self.full
        sep = 2 if self.parts else 0
        if self.length + sep + len(markdown) > self.limit:
            self.full = True
            return False
        if sep:
            self.parts.append("\n\n")
        self.parts.append(markdown)
        self.length += sep + len(markdown)
        return True

    def section(self, kind: str, label: str, heading: str) -> bool:
        """Start a section with its heading line; False once the limit is reached."""
        start = self.length + (2 if self.parts else 0)
        if not self.add(heading):
            return False
        self._sections.append((kind, label, start))
        return True

    def text(self) -> str:
        return "".join(self.parts) + "\n" if self.parts else ""

    def sections(self) -> tuple[Section, ...]:
        ends = [s for _, _, s in self._sections[1:]] + [self.length]
        return tuple(Section(k, label, s, e) for (k, label, s), e in zip(self._sections, ends, strict=True))
