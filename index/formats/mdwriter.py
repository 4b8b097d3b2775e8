"""An HTML element tree (lxml) -> CommonMark with GFM tables: the text the Markdown parser reads.

Used for every format: EPUB chapters, web pages (trafilatura's article tree is renamed to HTML
tags first, `html.py`), and PDF paragraphs through `escape_paragraph`.

Text from a document is data, so it is escaped: inline specials (`\\ ` * _ [ ] < | ~`, `&` before
an entity) get a backslash, and a line that would start a block (`#`, `>`, `- `, `1. `, a line of
`=` or `-`) gets one too. Emphasis markers that CommonMark would not read as emphasis (flanking
rules) are dropped rather than shown raw. Each paragraph is one line; blocks are separated by a
blank line; list items are tight. Bounded: subtrees nested deeper than `MAX_DEPTH` become one
paragraph of their text.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

MAX_DEPTH = 100

_SKIP = frozenset(
    [
        "script",
        "style",
        "head",
        "title",
        "template",
        "noscript",
        "svg",
        "math",
        "iframe",
        "object",
        "embed",
        "canvas",
        "video",
        "audio",
        "map",
        "input",
        "select",
        "option",
        "textarea",
        "meta",
        "link",
        "base",
        "img",
        "picture",
        "source",
        "area",
    ]
)
_BLOCK = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "caption",
    ]
)
#: inline elements drawn apart from their neighbours: their words must not run together
_SPACED = frozenset({"button", "label", "td", "th"})
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_EMPHASIS = {"em": "*", "i": "*", "cite": "*", "var": "*", "dfn": "*", "strong": "**", "b": "**"}
_STRIKE = frozenset({"s", "strike", "del"})
_CODE = frozenset({"code", "kbd", "samp", "tt"})
_COMPLEX_CELL = frozenset(["table", "ul", "ol", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "dl"])

_SPACE_RE = re.compile(r"[ \t\n\r\f\v]+")
_ESCAPE_RE = re.compile(r"[\\`*\[\]<|~]|&(?=#?\w+;)|(?<![^\W_])_|_(?![^\W_])")
_LANGUAGE_RE = re.compile(r"(?:^|\s)(?:language|lang)-([\w+#.-]+)")
_BACKTICKS_RE = re.compile(r"`+")


def escape_inline(text: str) -> str:
    """Text with every character that Markdown inline syntax would read escaped."""
    return _ESCAPE_RE.sub(lambda m: "\\" + m.group(), text)


_LIST_START_RE = re.compile(r"(\d{1,9})([.)])(?=[ \t]|$)")
_RULE_RE = re.compile(r"[-=][-= \t]*$")


def escape_line_start(line: str) -> str:
    """A line (leading blanks removed) that does not open a block: no heading, quote, list, rule."""
    line = line.lstrip(" \t")
    if not line:
        return line
    first = line[0]
    if first in "#>" or (first in "-+" and (len(line) == 1 or line[1] in " \t")) or _RULE_RE.match(line):
        return "\\" + line
    m = _LIST_START_RE.match(line)
    if m:
        return m.group(1) + "\\" + line[m.end(1) :]
    return line


def escape_paragraph(text: str) -> str:
    """Plain text (one paragraph, whitespace collapsed) as a Markdown paragraph of one line."""
    return escape_line_start(escape_inline(_SPACE_RE.sub(" ", text).strip()))


def heading_line(level: int, text: str) -> str:
    """An ATX heading of plain `text` (a chapter's or a page's label)."""
    return _heading(level, escape_inline(_SPACE_RE.sub(" ", text).strip()))


def _heading(level: int, content: str) -> str:
    if content.endswith("#"):
        content = content[:-1] + "\\#"  # else a closing sequence: "Issue #" would lose its "#"
    return "#" * max(1, min(level, 6)) + " " + content


def tag_of(el: Any) -> str:
    """An element's lower-case tag; "" for comments, processing instructions and foreign tags."""
    tag = el.tag
    if not isinstance(tag, str) or ":" in tag or "}" in tag:
        return ""
    return tag.lower()


def text_of(el: Any) -> str:
    """An element's text, whitespace collapsed."""
    return _SPACE_RE.sub(" ", "".join(el.itertext())).strip()


# -- inline -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Piece:
    """A run of output: literal text (already escaped), or a marker to be kept or dropped."""

    text: str
    kind: str = "text"  #: "text", "open", "close", "atom" (a code span or a hard break)
    pair: int = -1  #: opener and closer of one marker share a number


@dataclass(slots=True)
class _Inline:
    links: bool
    in_cell: bool = False
    pieces: list[_Piece] = field(default_factory=list)
    pairs: int = 0

    def text(self, raw: str) -> None:
        if raw:
            self.pieces.append(_Piece(escape_inline(_SPACE_RE.sub(" ", raw))))

    def walk(self, el: Any, depth: int, active: frozenset[str]) -> None:
        """The inline content of `el` (its tail is the caller's)."""
        tag = tag_of(el)
        if tag in _SKIP or not tag:
            return
        if tag == "br":
            self.pieces.append(_Piece(" " if self.in_cell else "\\\n", "atom"))
            return
        if tag in _CODE or tag == "pre":
            self.code(el)
            return
        if depth > MAX_DEPTH:
            self.text(" " + text_of(el) + " ")
            return
        opening, closing = _markers(el, tag, active, self.links)
        pair = -1
        if opening:
            self.pairs += 1
            pair = self.pairs
            self.pieces.append(_Piece(opening, "open", pair))
            active = active | {opening}
        spaced = tag in _BLOCK or tag in _SPACED  # e.g. a paragraph inside a table cell
        if spaced:
            self.text(" ")
        self.text(el.text or "")
        for child in el:
            self.walk(child, depth + 1, active)
            self.text(child.tail or "")
        if spaced:
            self.text(" ")
        if pair >= 0:
            self.pieces.append(_Piece(closing, "close", pair))

    def code(self, el: Any) -> None:
        content = _SPACE_RE.sub(" ", "".join(el.itertext()))
        if not content.strip():
            self.text(content)
            return
        if self.in_cell:
            content = content.replace("|", "\\|")
        fence = "`" * (max((len(m.group()) for m in _BACKTICKS_RE.finditer(content)), default=0) + 1)
        pad = " " if content.startswith(("`", " ")) or content.endswith(("`", " ")) else ""
        self.pieces.append(_Piece(fence + pad + content + pad + fence, "atom"))

    def render(self) -> str:
        parts: list[str] = []
        for p in _drop_bad_markers(_move_spaces(self.pieces)):
            text = p.text
            if p.kind == "text" and text.startswith(" ") and parts and parts[-1].endswith(" "):
                text = text[1:]  # one space between words, whatever the elements around them
            if text:
                parts.append(text)
        out = "".join(parts).strip(" ")
        if "\\\n" in out:  # hard breaks: no trailing break, no blanks around one
            lines = [ln.strip(" ") for ln in out.split("\\\n")]
            while lines and not lines[-1]:
                lines.pop()
            out = "\\\n".join(ln for ln in lines if ln)
        return out


def _markers(el: Any, tag: str, active: frozenset[str], links: bool) -> tuple[str, str]:
    """The opening and closing markers of an inline element ("" when it has none, or when the
    same style is already open: `<b><b>x</b></b>` is bold once)."""
    if tag in _EMPHASIS and _EMPHASIS[tag] not in active:
        return _EMPHASIS[tag], _EMPHASIS[tag]
    if tag in _STRIKE and "~~" not in active:
        return "~~", "~~"
    if tag == "a" and links and "[" not in active:
        target = _link_target(el.get("href"))
        if target:
            return "[", "](" + target + ")"
    return "", ""


def _link_target(href: str | None) -> str:
    """A link destination as written in Markdown, or "" for none worth keeping."""
    if not href:
        return ""
    href = href.strip()
    if not href or href.startswith("#") or href.lower().startswith(("javascript:", "data:", "vbscript:")):
        return ""
    if any(c in href for c in " <>()\\\n\t") or any(ord(c) < 0x20 for c in href):
        cleaned = "".join(c for c in href if ord(c) >= 0x20 and c not in "\n\t")
        return "<" + cleaned.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>") + ">"
    return href


def _move_spaces(pieces: list[_Piece]) -> list[_Piece]:
    """Spaces just inside a marker moved outside it (`* a *` cannot be emphasis)."""
    out: list[_Piece] = []
    for i, p in enumerate(pieces):
        if p.kind == "open":
            nxt = pieces[i + 1] if i + 1 < len(pieces) else None
            if nxt is not None and nxt.kind == "text" and nxt.text.startswith(" "):
                nxt.text = nxt.text[1:]
                out.append(_Piece(" "))
        if p.kind == "close" and out and out[-1].kind == "text" and out[-1].text.endswith(" "):
            out[-1].text = out[-1].text[:-1]
            out.append(p)
            out.append(_Piece(" "))
            continue
        out.append(p)
    return out


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"


def _drop_bad_markers(pieces: list[_Piece]) -> list[_Piece]:
    """Markers kept only where CommonMark reads them: non-empty, and flanking as the rules ask."""
    text = [p.text for p in pieces]
    keep = [True] * len(pieces)
    opens = {p.pair: i for i, p in enumerate(pieces) if p.kind == "open"}
    for j, p in enumerate(pieces):
        if p.kind != "close":
            continue
        i = opens[p.pair]
        inner = "".join(text[i + 1 : j])
        if not inner.strip() or "\\\n" in inner:
            keep[i] = keep[j] = False
            continue
        if pieces[i].text == "[":
            continue  # a link's brackets need no flanking
        before = _char_before(text, i)
        after = _char_after(text, j)
        first, last = inner[0], inner[-1]
        left_ok = not first.isspace() and (not _is_punct(first) or before in " \n" or _is_punct(before))
        right_ok = not last.isspace() and (not _is_punct(last) or after in " \n" or _is_punct(after))
        if not (left_ok and right_ok):
            keep[i] = keep[j] = False
    return [p for p, k in zip(pieces, keep, strict=True) if k]


def _char_before(text: list[str], i: int) -> str:
    for t in reversed(text[:i]):
        if t:
            return t[-1]
    return " "


def _char_after(text: list[str], j: int) -> str:
    for t in text[j + 1 :]:
        if t:
            return t[0]
    return " "


# -- blocks -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Options:
    links: bool = True  #: keep link targets (web pages); a book's internal links are dropped
    heading_shift: int = 0  #: added to every heading level (clamped to 1..6)


def to_markdown(root: Any, options: Options = Options()) -> str:
    """The Markdown of an element and everything in it."""
    return "\n\n".join(text for _, text in _Blocks(options).container(root, 0))


class _Blocks:
    def __init__(self, options: Options) -> None:
        self.options = options

    def container(self, el: Any, depth: int) -> list[tuple[str, str]]:
        """(kind, markdown) of each block in `el`, its loose inline content made paragraphs."""
        out: list[tuple[str, str]] = []
        inline = _Inline(self.options.links)

        def flush() -> None:
            nonlocal inline
            text = inline.render()
            if text:
                out.append(("p", "\\\n".join(escape_line_start(ln) for ln in text.split("\\\n"))))
            inline = _Inline(self.options.links)

        inline.text(el.text or "")
        for child in el:
            tag = tag_of(child)
            if tag in _SKIP or not tag:
                pass
            elif depth > MAX_DEPTH:
                inline.text(" " + text_of(child) + " ")
            elif tag in _BLOCK or (tag not in _CODE and _has_block(child)):
                flush()
                self.block(child, tag, depth + 1, out)
            else:
                inline.walk(child, depth + 1, frozenset())
            inline.text(child.tail or "")
        flush()
        return out

    def block(self, el: Any, tag: str, depth: int, out: list[tuple[str, str]]) -> None:
        if tag in _HEADINGS:
            inline = _Inline(self.options.links)
            inline.in_cell = True  # one line: a break is a space
            inline.walk(el, depth, frozenset())
            content = inline.render()
            if content:
                out.append(("h", _heading(_HEADINGS[tag] + self.options.heading_shift, content)))
        elif tag in ("ul", "ol", "menu", "dir"):
            text = self.items(el, tag == "ol", depth, bullet="*" if out and out[-1][0] == "ul" else "-")
            if text:
                out.append(("ul" if tag != "ol" else "ol", text))
        elif tag == "blockquote":
            inner = "\n\n".join(t for _, t in self.container(el, depth))
            if inner:
                out.append(("q", "\n".join("> " + ln if ln else ">" for ln in inner.split("\n"))))
        elif tag == "pre":
            out.append(("pre", _fenced(el)))
        elif tag == "hr":
            out.append(("hr", "---"))
        elif tag == "table":
            out.extend(self.table(el, depth))
        else:
            out.extend(self.container(el, depth))

    def items(self, el: Any, ordered: bool, depth: int, bullet: str) -> str:
        number = _start(el.get("start")) if ordered else 0
        items: list[str] = []
        for child in el:
            tag = tag_of(child)
            if tag in _SKIP or not tag:
                continue
            blocks = self.container(child, depth + 1) if tag == "li" else []
            if tag != "li":
                self.block(child, tag, depth + 1, blocks)
            if not blocks:
                continue
            marker = f"{number}." if ordered else bullet
            number += 1
            body = blocks[0][1]
            for (prev, _), (kind, text) in itertools.pairwise(blocks):
                body += ("\n" if kind in ("ul", "ol") and prev == "p" else "\n\n") + text
            indent = " " * (len(marker) + 1)
            lines = body.split("\n")
            items.append(marker + " " + lines[0] + "".join("\n" + (indent + ln if ln else "") for ln in lines[1:]))
        return "\n".join(items)

    def table(self, el: Any, depth: int) -> list[tuple[str, str]]:
        rows = [row for row in _rows(el)]
        cells = [[c for c in row if tag_of(c) in ("td", "th")] for row in rows]
        cells = [r for r in cells if r]
        complex_cell = any(next(c.iter(*_COMPLEX_CELL), None) is not None for r in cells for c in r)
        width = max((sum(_span(c) for c in r) for r in cells), default=0)
        if complex_cell or len(cells) < 2 or width < 2:
            out: list[tuple[str, str]] = []
            for r in cells:
                for c in r:
                    out.extend(self.container(c, depth + 1))
            return out
        lines: list[str] = []
        caption = next((c for c in el if tag_of(c) == "caption"), None)
        for r in cells:
            texts: list[str] = []
            for c in r:
                inline = _Inline(self.options.links, in_cell=True)
                inline.walk(c, depth + 1, frozenset())
                texts.extend([inline.render()] + [""] * (_span(c) - 1))
            texts += [""] * (width - len(texts))
            lines.append("| " + " | ".join(texts) + " |")
            if len(lines) == 1:
                lines.append("|" + "|".join([" --- "] * width) + "|")
        table = ("table", "\n".join(lines))
        if caption is not None and text_of(caption):
            return [("p", escape_paragraph(text_of(caption))), table]
        return [table]


def _has_block(el: Any) -> bool:
    return next(el.iter(*_BLOCK), None) is not None


def _rows(table: Any) -> list[Any]:
    """The rows of a table in order, not those of tables nested in its cells."""
    rows: list[Any] = []
    for child in table:
        tag = tag_of(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(c for c in child if tag_of(c) == "tr")
    return rows


def _span(cell: Any) -> int:
    try:
        return max(1, min(int(cell.get("colspan", "1")), 100))
    except ValueError:
        return 1


def _start(value: str | None) -> int:
    try:
        return max(0, min(int(value or "1"), 999_999_999))
    except ValueError:
        return 1


def _fenced(el: Any) -> str:
    content = "".join(el.itertext()).replace("\r\n", "\n").replace("\r", "\n")
    if content.startswith("\n"):
        content = content[1:]
    content = content.rstrip("\n")
    longest = max((len(m.group()) for m in _BACKTICKS_RE.finditer(content)), default=0)
    fence = "`" * max(3, longest + 1)
    classes = " ".join(filter(None, [el.get("class")] + [c.get("class") for c in el if tag_of(c) == "code"]))
    m = _LANGUAGE_RE.search(classes)
    language = m.group(1) if m else ""
    return f"{fence}{language}\n{content}\n{fence}" if content else f"{fence}{language}\n{fence}"
