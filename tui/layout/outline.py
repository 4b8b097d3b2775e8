"""A document's outline and links: its headings as a tree, the section at an offset, the link
under the caret, and which links name another document of the corpus.

A link's target is what the document wrote: a URL, a path (`other.md`, `../a/b.rst#part`) or,
in reStructuredText, a reference name whose target (`.. _name: other.rst`) is elsewhere in the
text. Only a target that resolves to a file inside the corpus is *internal*; everything with a
scheme (`https:`, `mailto:`…) is external and is never opened.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import PurePosixPath

from folio_reader.index.document import Inline, InlineKind, Kind, Structure, render

#: More headings than this are not listed (the outline of a 35 MB log is not one).
MAX_HEADINGS = 5_000

_SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_REST_TARGET_RE = re.compile(r"^\.\.[ \t]+_`?([^:`]+?)`?:[ \t]*(\S.*?)\s*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Heading:
    start: int  #: canonical offset of the heading's first shown character
    level: int
    title: str


def headings(text: str, structure: Structure | None) -> list[Heading]:
    """The document's headings in order (their markers hidden), at most `MAX_HEADINGS`."""
    if structure is None:
        return []
    found: list[Heading] = []
    for block in structure.blocks:
        if block.kind is not Kind.HEADING:
            continue
        disp = render(text, block)
        title = " ".join(disp.text.split())
        if title:
            found.append(Heading(disp.canonical(0), max(1, block.level), title))
            if len(found) >= MAX_HEADINGS:
                break
    return found


class Outline:
    """A document's headings and links, indexed for lookups by offset (the caret moves often)."""

    def __init__(self, text: str, structure: Structure | None) -> None:
        self.headings = headings(text, structure)
        self._heading_starts = [h.start for h in self.headings]
        self._blocks = structure.blocks if structure is not None else ()
        self._block_starts = [b.start for b in self._blocks]

    def section_at(self, offset: int) -> Heading | None:
        i = bisect_right(self._heading_starts, offset) - 1
        return self.headings[i] if i >= 0 else None

    def link_at(self, offset: int) -> Inline | None:
        """The link whose shown text holds offset."""
        i = bisect_right(self._block_starts, offset) - 1
        if i < 0:
            return None
        for inline in self._blocks[i].inlines:
            if inline.kind is InlineKind.LINK and inline.start <= offset < inline.end:
                return inline
        return None


def section_at(found: list[Heading], offset: int) -> Heading | None:
    """The last heading at or before offset."""
    i = bisect_right([h.start for h in found], offset) - 1
    return found[i] if i >= 0 else None


def place(link: str | None, note: str, raw: bool, section: Heading | None, title: str) -> str:
    """Where the reader is, in a few words: the target of the link under the caret, else why the
    document is laid out as plain text, else "raw text", else the section (unless it is the
    document's title, shown already)."""
    if link == "":
        return "link (its target is not known: an anonymous reference)"
    if link is not None:
        return f"link → {link}" + ("  (external: not opened)" if is_external(link) else "")
    if note:
        return note
    if raw:
        return "raw text"
    return section.title if section is not None and section.title != title else ""


def is_external(target: str) -> bool:
    return bool(_SCHEME_RE.match(target)) or target.startswith("//")


def link_path(text: str, structure: Structure | None, target: str) -> str:
    """The path a link names, as written ("" for an external link or a bare fragment): a reST
    reference name is looked up among the text's `.. _name: target` lines."""
    if structure is not None and structure.format == "rest" and "/" not in target and "." not in target:
        for m in _REST_TARGET_RE.finditer(text):
            if m.group(1).strip().lower() == target.strip().lower():
                target = m.group(2)
                break
    if is_external(target):
        return ""
    return target.split("#", 1)[0].strip()


def resolve(source_rel: str, path: str, known: set[str]) -> str | None:
    """The corpus-relative path of a document a link in `source_rel` names, when the corpus has
    it (`known`): relative to the linking document, or to the corpus root for a leading `/`; a
    reST document link without a suffix tries `.rst`, `.txt` and `.md`."""
    path = path.split("#", 1)[0]
    if not path:
        return None
    base = PurePosixPath() if path.startswith("/") else PurePosixPath(source_rel).parent
    parts: list[str] = []
    for part in (base / path.lstrip("/")).parts:
        if part == "..":
            if not parts:
                return None  # outside the corpus
            parts.pop()
        elif part != ".":
            parts.append(part)
    rel = "/".join(parts)
    for candidate in (rel, rel + ".rst", rel + ".txt", rel + ".md"):
        if candidate in known:
            return candidate
    return None
