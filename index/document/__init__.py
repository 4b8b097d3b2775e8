"""A document's structure: blocks over its canonical text, read by real parsers.

`parse(text, suffix)` is the one entry point: it picks the format (`detect_format`), runs
markdown-it-py or docutils within bounds, and falls back to the plain rule, saying why in
`Structure.fallback`, when the text is too large for the parser or the parser gives up. It
never raises for what a document holds. `displayed_words` yields the words a reader sees, at
their canonical offsets, for the search index.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import islice

from . import markup_free
from .metadata import HEAD_CHARS, OPENING_CHARS, Metadata, describe
from .model import NOT_DISPLAYED, VERBATIM, Block, Display, Inline, InlineKind, Kind, Structure, render
from .plain import plain_blocks
from .units import WORD_RE, paragraphs, sentence_bounds, sentences, words

__all__ = [
    "NOT_DISPLAYED",
    "VERBATIM",
    "Block",
    "Display",
    "Inline",
    "InlineKind",
    "Kind",
    "Metadata",
    "Structure",
    "block_displays",
    "describe",
    "detect_format",
    "displayed_words",
    "hides_no_words",
    "paragraphs",
    "parse",
    "render",
    "sentence_bounds",
    "sentences",
    "words",
]

#: Above these sizes (in characters) a document is read by the plain rule. Measured on 2 busy
#: cores: docutils took 1.6 s for a 187 K-character page and 8 s for pytest's 1.46 M-character
#: plugin list; markdown-it-py 0.56 s for textual's 199 K-character changelog.
MAX_REST_CHARS = 1_000_000
MAX_MARKDOWN_CHARS = 4_000_000
#: How much of a `.txt` file is looked at for signs of Markdown.
SNIFF_CHARS = 20_000

_ATX_RE = re.compile(r"^#{1,6}[ \t]+\S", re.MULTILINE)
_STRONG_RE = re.compile(r"(?<![\w*])\*\*(?=\S)[^*\n]+(?<=\S)\*\*(?![\w*])|(?<![\w_])__(?=\S)[^_\n]+(?<=\S)__(?![\w_])")
_EMPHASIS_RE = re.compile(r"(?<![\w*])\*(?=[^\s*])[^*\n]+(?<=[^\s*])\*(?![\w*])")
_LINK_RE = re.compile(r"\[[^\]\n]+\]\((?:https?://|/|\.|#)[^)\s]*\)")
_FENCE_RE = re.compile(r"^(```|~~~)[^\n]*\n(?:.*\n)*?\1[ \t]*$", re.MULTILINE)
_FORMATS = {".md": "markdown", ".markdown": "markdown", ".rst": "rest", ".rest": "rest"}
_NAMES = {"markdown": "Markdown", "rest": "reStructuredText"}
#: The signals of Markdown in a `.txt` file: (strings one of which it needs, whether it is there)
_SIGNALS: tuple[tuple[tuple[str, ...], Callable[[str], bool]], ...] = (
    (("#",), lambda head: _twice(_ATX_RE, head)),
    (("**", "__"), lambda head: _STRONG_RE.search(head) is not None),
    (("*",), lambda head: _twice(_EMPHASIS_RE, head)),
    (("](",), lambda head: _LINK_RE.search(head) is not None),
    (("```", "~~~"), lambda head: _FENCE_RE.search(head) is not None),
)


def detect_format(text: str, suffix: str) -> str:
    """'markdown', 'rest' or 'plain'. A `.txt` file is Markdown only on strong signals: it opens
    with an ATX heading, or has two of: ATX headings, paired strong emphasis, paired emphasis
    (twice), inline links, a fenced code block. A stray `*` or `_` is not one."""
    fmt = _FORMATS.get(suffix.lower())
    if fmt is not None:
        return fmt
    if suffix.lower() != ".txt":
        return "plain"
    head = text[:SNIFF_CHARS]
    first = head.lstrip("\n").split("\n", 1)[0]
    if _ATX_RE.match(first):
        return "markdown"
    # Each signal is looked for only where the characters it needs are in the text, and the
    # looking stops at the second found (a search hit's `.txt` was sniffed whole: 0.4-1.4 ms).
    signals = 0
    for needed, present in _SIGNALS:
        if any(chars in head for chars in needed) and present(head):
            signals += 1
            if signals == 2:
                return "markdown"
    return "plain"


def _twice(pattern: re.Pattern[str], text: str) -> bool:
    """Whether `pattern` matches `text` at least twice (as `len(findall) >= 2`, stopping at two)."""
    return next(islice(pattern.finditer(text), 1, None), None) is not None


def parse(text: str, suffix: str) -> Structure:
    """The structure of a canonical text whose file name ends with `suffix` (".md", ".rst", …)."""
    fmt = detect_format(text, suffix)
    if fmt == "plain":
        return Structure("plain", tuple(plain_blocks(text)))
    limit = MAX_REST_CHARS if fmt == "rest" else MAX_MARKDOWN_CHARS
    if len(text) > limit:
        return _plain(
            text,
            f"too large to read as {_NAMES[fmt]} ({len(text) / 1e6:.1f} M characters; the limit is {limit / 1e6:.0f} M): shown as plain text",
        )
    # The parsers (docutils, markdown-it) are imported here, not at the top: importing them costs
    # ~0.2 s, and the reader's first frame (which imports this package through the corpus) parses
    # nothing.
    from .markdown import parse_markdown
    from .rest import parse_rest

    try:
        if fmt == "rest":
            return Structure("rest", tuple(parse_rest(text)))
        blocks, note = parse_markdown(text)
        return Structure("markdown", tuple(blocks), note)
    except RecursionError:
        return _plain(text, f"nested too deeply to read as {_NAMES[fmt]}: shown as plain text")
    except Exception as exc:  # a third-party parser on untrusted input: fall back, say why
        return _plain(text, f"could not be read as {_NAMES[fmt]} ({type(exc).__name__}): shown as plain text")


def _plain(text: str, why: str) -> Structure:
    return Structure("plain", tuple(plain_blocks(text)), why)


def block_displays(text: str, block: Block) -> Iterator[Display]:
    """What a reader sees of a block: its display, or a table's cells one by one (its lines
    when its cells are not known)."""
    if not block.displayed:
        return
    if block.kind is Kind.TABLE and block.rows:
        for row in block.rows:
            for start, end in row:
                yield render(text, block, start, end)
        return
    yield render(text, block)


def displayed_words(text: str, structure: Structure) -> Iterator[tuple[str, int, int]]:
    """(word, canonical start, canonical end) for every word a reader sees, in order: hidden
    blocks, front matter, markers, directive and role names and link targets are not words."""
    for block in structure.blocks:
        for disp in block_displays(text, block):
            for m in WORD_RE.finditer(disp.text):
                yield m.group(), disp.canonical(m.start()), disp.canonical(m.end() - 1) + 1


def hides_no_words(text: str, suffix: str) -> bool:
    """Whether a Markdown or reST file's text (by its suffix) shows every word it holds, so
    that its displayed words are the words of the whole text (`markup_free`)."""
    fmt = _FORMATS.get(suffix.lower(), "")
    return markup_free.hides_no_words(text, fmt, MAX_REST_CHARS if fmt == "rest" else MAX_MARKDOWN_CHARS)


def metadata(text: str, suffix: str, structure: Structure | None = None) -> Metadata:
    """Title, author and date; the opening of the text is parsed when no structure is given
    (for a text whose markup hides no word, up to a cut where the blocks before it are those of
    the whole text, so the metadata is that of the whole text's structure)."""
    if structure is None:
        if hides_no_words(text, suffix):
            return _markup_free_metadata(text, suffix)
        structure = parse(_head(text), suffix)
    return describe(text, structure)


def _markup_free_metadata(text: str, suffix: str) -> Metadata:
    """The metadata of a text `hides_no_words` vouches for, from its opening: the blocks that
    start in the first OPENING_CHARS give the byline and date; the title is the first heading of
    the first HEAD_CHARS, else the first displayed line, so a shorter opening answers when it
    holds a heading, or a first line and no line after it (up to HEAD_CHARS) may be a heading."""
    head = markup_free.opening(text, OPENING_CHARS)
    found = describe(head, parse(head, suffix))
    if found.title_source != "heading" and len(head) < len(text):
        longer = markup_free.opening(text, HEAD_CHARS)
        if found.title_source == "none" or markup_free.may_hold_a_heading(
            text, _FORMATS[suffix.lower()], len(head), len(longer)
        ):
            found = describe(longer, parse(longer, suffix))
    return found


def _head(text: str, size: int = 8000) -> str:
    """The opening of a text, cut at a blank line, enough for its title, byline and date."""
    if len(text) <= size:
        return text
    cut = text.rfind("\n\n", 0, size)
    return text[: cut if cut > 0 else size]
