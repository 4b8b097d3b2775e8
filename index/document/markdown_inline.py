"""Markdown inline tokens put back on the source: the one hand-written part of the Markdown reader.

markdown-it-py's inline tokens carry no offsets, and their text is the block's content with
container prefixes (`> `, list indentation) and line indentation stripped. `InlineMapper` walks
an inline token's children in order and finds each one's source form (a text token's content,
an emphasis marker, a code span's backtick run, a link's `[` and `](url)`) at a cursor moving
through the block's canonical span, skipping only whitespace and container-prefix characters.
What it shows is recorded as visible ranges (the rest of the block is hidden), with the
one-character substitutions of entities and hard breaks and the inline spans. A token it cannot
find raises `NoMatch`, and the caller shows the block without inline styles instead of mapping
it wrongly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markdown_it.token import Token

from .model import Inline, InlineKind

_ESCAPED_PIPE_RE = re.compile(r"\\\|")
_START_SKIP = frozenset(" \t\n>-+*#.)0123456789")
_SKIP = frozenset(" \t\n>")
_INLINE_KINDS = {"em": InlineKind.EMPHASIS, "strong": InlineKind.STRONG, "s": InlineKind.STRIKE}
#: mkdocs-material's icon shortcodes (with the space after one), pymdownx.keys' `++ctrl+q++`, and
#: Python-Markdown's attribute lists (`{ .md-button }`, `{ loading=lazy }`, `{: #id }`: the site's
#: HTML attributes, with the space before one)
_ATTR = r"""(?:[.#][\w-]+|[\w-]+=(?:"[^"\n]*"|'[^'\n]*'|[^\s}'"]+))"""
_MKDOCS_RE = re.compile(
    r":(?:material|fontawesome|octicons|simple)-[a-z0-9-]+:[ \t]?"
    r"|(?<![\w+])\+\+(?P<key>[A-Za-z0-9][\w+-]*)\+\+(?!\+)"
    rf"|[ \t]?\{{:?[ \t]*{_ATTR}(?:[ \t]+{_ATTR})*[ \t]*\}}"
)


class NoMatch(Exception):
    pass


@dataclass(slots=True)
class Mapped:
    visible: list[tuple[int, int]] = field(default_factory=list)
    subs: list[tuple[int, int, str]] = field(default_factory=list)
    inlines: list[Inline] = field(default_factory=list)


class InlineMapper:
    """Finds the source of each inline token in text[lo:hi], in order."""

    def __init__(self, text: str, lo: int, hi: int, *, cell: bool = False) -> None:
        self.text, self.cursor, self.hi = text, lo, hi
        self.out = Mapped()
        self.first = True
        self.cell = cell  # in a table cell, where GFM reads `\|` as `|` before inline parsing

    def seek(self, expected: str) -> int:
        text, i, hi = self.text, self.cursor, self.hi
        skip = _START_SKIP if self.first else _SKIP
        while i < hi:
            if text.startswith(expected, i) and i + len(expected) <= hi:
                self.first = False
                return i
            if text[i] not in skip:
                break
            i += 1
        raise NoMatch(expected)

    def run(self, tokens: list[Token]) -> None:
        stack: list[tuple[str, int, str]] = []
        for tok in tokens:
            t = tok.type
            if t == "text":
                if tok.content and self.cell and "|" in tok.content:
                    self.cell_text(tok.content)
                elif tok.content:
                    p = self.seek(tok.content)
                    if any(c in tok.content for c in "+:{") and _MKDOCS_RE.search(tok.content):
                        self.mkdocs_text(p, p + len(tok.content))
                    else:
                        self.show(p, p + len(tok.content))
            elif t == "text_special":
                p = self.seek(tok.markup)
                end = p + len(tok.markup)
                if tok.info == "escape":
                    self.show(p + 1, end)
                elif len(tok.content) == 1:
                    self.show(p, end)
                    self.out.subs.append((p, end, tok.content))
                else:
                    self.show(p, end)
            elif t in ("softbreak", "hardbreak"):
                nl = self.text.find("\n", self.cursor, self.hi)
                if nl < 0 or self.text[self.cursor : nl].strip(" \t\\"):
                    raise NoMatch("line break")
                self.show(nl, nl + 1)
                if t == "hardbreak":
                    self.out.subs.append((nl, nl + 1, "\n"))
            elif t.endswith("_open") and t[:-5] in _INLINE_KINDS:
                p = self.seek(tok.markup)
                self.cursor = p + len(tok.markup)
                stack.append((t[:-5], self.cursor, ""))
            elif t.endswith("_close") and t[:-6] in _INLINE_KINDS:
                p = self.seek(tok.markup)
                kind, start, _ = stack.pop()
                self.out.inlines.append(Inline(_INLINE_KINDS[kind], start, p))
                self.cursor = p + len(tok.markup)
            elif t == "code_inline":
                self.code(tok.markup)
            elif t == "link_open":
                p = self.seek("<" if tok.markup == "autolink" else "[")
                self.cursor = p + 1
                stack.append(("link", self.cursor, str(tok.attrs.get("href", ""))))
            elif t == "link_close":
                _, start, href = stack.pop()
                p = self.seek(">" if tok.markup == "autolink" else "]")
                self.out.inlines.append(Inline(InlineKind.LINK, start, p, href))
                self.cursor = p + 1 if tok.markup == "autolink" else self.destination(p + 1)
            elif t == "image":
                p = self.seek("![")
                self.cursor = p + 2
                self.run(tok.children or [])
                q = self.seek("]")
                self.out.inlines.append(Inline(InlineKind.IMAGE, p + 2, q, str(tok.attrs.get("src", ""))))
                self.cursor = self.destination(q + 1)
            elif t == "html_inline":
                p = self.seek(tok.content)
                self.cursor = p + len(tok.content)
            else:
                raise NoMatch(t)

    def show(self, start: int, end: int) -> None:
        self.out.visible.append((start, end))
        self.cursor = end

    def mkdocs_text(self, start: int, end: int) -> None:
        """Text holding mkdocs-material's inline extensions, which CommonMark reads as text: an
        icon shortcode (`:material-apple:`, an image in the site) hidden with the space after
        it, a key (pymdownx.keys, `++ctrl+q++`) shown as code without its `++`, an attribute
        list (`{ .md-button }`) hidden."""
        at = start
        for m in _MKDOCS_RE.finditer(self.text, start, end):
            self.out.visible.append((at, m.start()))
            if m.group("key"):
                self.out.visible.append((m.start("key"), m.end("key")))
                self.out.inlines.append(Inline(InlineKind.CODE, m.start("key"), m.end("key")))
            at = m.end()
        self.show(at, end)

    def cell_text(self, content: str) -> None:
        """Text of a table cell holding `|`, written `\\|` in the source: the backslashes hidden."""
        pattern = re.compile("".join(r"\\?\|" if ch == "|" else re.escape(ch) for ch in content))
        i = self.cursor
        while i < self.hi:
            m = pattern.match(self.text, i, self.hi)
            if m is not None:
                self.first = False
                self.show_unescaping_pipes(m.start(), m.end())
                return
            if self.text[i] not in _SKIP:
                break
            i += 1
        raise NoMatch(content)

    def show_unescaping_pipes(self, start: int, end: int) -> None:
        at = start
        for m in _ESCAPED_PIPE_RE.finditer(self.text, start, end):
            self.out.visible.append((at, m.start()))
            at = m.start() + 1
        self.out.visible.append((at, end))
        self.cursor = end

    def code(self, marker: str) -> None:
        p = self.seek(marker)
        n = len(marker)
        q = p + n
        text = self.text
        while True:
            q = text.find(marker, q, self.hi)
            if q < 0:
                raise NoMatch("code span end")
            if text[q - 1] != "`" and (q + n >= len(text) or text[q + n] != "`"):
                break
            while q < self.hi and text[q] == "`":
                q += 1
        start, end = p + n, q
        inner = text[start:end]
        if len(inner) > 2 and inner[0] in " \n" and inner[-1] in " \n" and inner.strip():
            start, end = start + 1, end - 1
        if self.cell:
            self.show_unescaping_pipes(start, end)
        else:
            self.out.visible.append((start, end))
        self.out.inlines.append(Inline(InlineKind.CODE, start, end))
        self.cursor = q + n

    def destination(self, i: int) -> int:
        """The end of a link's `(url "title")` or `[label]` after its `]`, or `i` if none."""
        text, hi = self.text, self.hi
        if i < hi and text[i] == "[":
            j = text.find("]", i + 1, hi)
            return j + 1 if j >= 0 else i
        if i >= hi or text[i] != "(":
            return i
        depth, j, quote = 0, i, ""
        while j < hi:
            ch = text[j]
            if ch == "\\":
                j += 2
                continue
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "\"'" and depth == 1 and text[j - 1] in " \t\n":  # a title, not a URL's quote
                quote = ch
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    return j + 1
            j += 1
        return i
