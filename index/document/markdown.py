"""Markdown (CommonMark + GFM tables and strikethrough, YAML/TOML front matter, mkdocs'
`!!!` admonitions, content tabs, mkdocstrings lines and autorefs links) -> blocks.

markdown-it-py parses; its block tokens carry line maps, from which each block's span comes.
Inline tokens are put back on the source by markdown_inline.py (the hand-written part). Lines
no token claims are link reference definitions (hidden) or, past the nesting limit, text shown
as written, so nothing is lost. TOML front matter (`+++`) is found here: the plugin reads YAML.

Bounds: nesting is cut at markdown-it's `maxNesting` (20); inline markup is parsed per block
(not for a block of more than `MAX_INLINE_CHARS`) and only for `INLINE_SECONDS` of the whole
document, after which the rest is shown without inline styles (and `fallback` says so); a row
of more than `MAX_TABLE_CELLS` cells turns tables off (GFM table parsing costs per cell).
"""

from __future__ import annotations

import itertools
import re
import time

from markdown_it import MarkdownIt
from markdown_it.common.utils import normalizeReference
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .lines import Lines
from .markdown_inline import InlineMapper, Mapped, NoMatch
from .markdown_mkdocs import generated_label, mkdocs_plugin
from .model import Block, Inline, Kind, merge_ranges

MAX_INLINE_CHARS = 50_000
INLINE_SECONDS = 3.0
MAX_TABLE_CELLS = 1_000

_TOML_FRONT_RE = re.compile(r"\+\+\+[ \t]*\n(?:.*\n)*?\+\+\+[ \t]*(?:\n|$)")
_COMMENT_RE = re.compile(r"\s*<!--.*?-->\s*", re.DOTALL)
_TAG_RE = re.compile(r"</?[A-Za-z][^<>]*>|<!--.*?-->", re.DOTALL)
_REFERENCE_RE = re.compile(r" {0,3}\[[^\]\n]+\]:[ \t]*\S")
#: `[text][identifier]` or `[identifier][]`: an mkdocs-autorefs link (the identifier: a dotted
#: name or an anchor, `textual.app.App.run`, `my-heading`)
_AUTOREF_RE = re.compile(r"\[[^\[\]\n]+\]\[([A-Za-z_][\w.:\-]*)\]|\[([A-Za-z_][\w.:\-]*)\]\[\]")
#: pymdownx.snippets: `--8<-- "docs/examples/x.py"` includes a file (`;--8<--` is escaped); a
#: bare `--8<--` line opens and closes a list of files, one a line
_SNIPPET_RE = re.compile(r"""[ \t]*-{2,}8<-{2,}[ \t]+(["'])([^"'\n]+)\1[ \t]*""")
_SNIPPET_FENCE_RE = re.compile(r"[ \t]*-{2,}8<-{2,}[ \t]*")
_LINE_PREFIX_RE = re.compile(r"[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)?(?:#{1,6}[ \t]+)?")
_BARE_PREFIX_RE = re.compile(r"[ \t>]*")  # a blank line, or one inside block quotes
#: Block tokens that open a container (a list item opening with one shows its marker alone).
_CONTAINERS = ("blockquote_open", "bullet_list_open", "ordered_list_open", "admonition_open")


def _parser(tables: bool) -> MarkdownIt:
    md = MarkdownIt("commonmark").enable(["strikethrough"]).use(front_matter_plugin).use(admon_plugin)
    md.use(mkdocs_plugin)
    if tables:
        md.enable("table")
    md.disable("inline")  # run per block below, so that it can be bounded
    return md


_PARSERS = {True: _parser(True), False: _parser(False)}


class _Builder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = Lines(text)
        self.blocks: list[Block] = []
        self.nest: list[Kind] = []
        self.depth = 0
        self.marker = ""  # a list item's marker, given to its first leaf
        self.deadline = time.monotonic() + INLINE_SECONDS
        self.notes: list[str] = []
        self.md = _PARSERS[True]
        self.env: dict[str, object] = {}

    def span(self, tok: Token) -> tuple[int, int]:
        assert tok.map is not None
        first, last = tok.map
        return self.lines.start(first), self.lines.end(max(first, last - 1))

    def add(self, kind: Kind, start: int, end: int, **kw: object) -> None:
        nest = tuple(self.nest)
        if self.marker and kind in (Kind.PARAGRAPH, Kind.HEADING, Kind.CODE, Kind.TABLE, Kind.LINES, Kind.BREAK):
            if kind is Kind.PARAGRAPH:
                kind = Kind.LIST_ITEM
                kw["marker"] = self.marker
                kw["level"] = self.depth
                self.marker = ""
            else:
                self.marker_row(start)
        if kind is Kind.LIST_ITEM:
            nest = nest[:-1]  # the item's own first leaf is not inside its continuation
        self.blocks.append(Block(kind, start, end, nest=nest, **kw))  # type: ignore[arg-type]

    def marker_row(self, start: int) -> None:
        """A list item that opens with something other than a paragraph: its marker alone."""
        self.blocks.append(
            Block(Kind.LIST_ITEM, start, start, level=self.depth, marker=self.marker, nest=tuple(self.nest[:-1]))
        )
        self.marker = ""

    def inline(self, tok: Token, lo: int, hi: int, *, cell: bool = False) -> Mapped:
        """Parse and map an inline token inside text[lo:hi]; a plain fallback when it cannot."""
        if len(tok.content) <= MAX_INLINE_CHARS and time.monotonic() < self.deadline:
            children: list[Token] = []
            self.md.inline.parse(tok.content, self.md, self.env, children)
            mapper = InlineMapper(self.text, lo, hi, cell=cell)
            try:
                mapper.run(children)
                return mapper.out
            except (NoMatch, IndexError):
                pass
        elif not self.notes:
            self.notes.append("inline markup not shown in part of this document: too long to parse")
        return self.unstyled(lo, hi)

    def unstyled(self, lo: int, hi: int) -> Mapped:
        out = Mapped()
        line = self.lines.at(lo)
        while line < len(self.lines) and self.lines.start(line) < hi:
            s, e = max(self.lines.start(line), lo), min(self.lines.end(line), hi)
            m = _LINE_PREFIX_RE.match(self.text, s, e)
            out.visible.append((m.end() if m else s, min(e + 1, hi)))
            line += 1
        return out

    def leaf(self, kind: Kind, lo: int, hi: int, mapped: Mapped, **kw: object) -> None:
        hidden = _complement(lo, hi, mapped.visible)
        self.add(
            kind,
            lo,
            hi,
            hidden=hidden,
            subs=tuple(mapped.subs),
            inlines=tuple(sorted(mapped.inlines, key=lambda i: (i.start, -i.end))),
            **kw,
        )

    def build(self, tokens: list[Token]) -> None:
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            t = tok.type
            if t in _CONTAINERS and self.marker and tok.map:
                self.marker_row(self.lines.start(tok.map[0]))
            if t == "blockquote_open":
                self.nest.append(Kind.QUOTE)
            elif t in ("bullet_list_open", "ordered_list_open"):
                self.depth += 1
            elif t in ("bullet_list_close", "ordered_list_close"):
                self.depth -= 1
            elif t == "list_item_open":
                self.nest.append(Kind.LIST_ITEM)
                self.marker = tok.info + tok.markup if tok.info else tok.markup
            elif t == "admonition_open" and tok.map:
                i = self.admonition(tokens, i)
            elif t in ("blockquote_close", "list_item_close", "admonition_close"):
                if self.marker and tok.type == "list_item_close":  # an empty item
                    self.marker = ""
                self.nest.pop()
            elif t == "paragraph_open" and tok.map and self.included(tok, tokens[i + 1].content):
                i += 2
            elif t in ("paragraph_open", "heading_open") and tok.map:
                lo, hi = self.span(tok)
                mapped = self.inline(tokens[i + 1], lo, hi)
                if t == "heading_open":
                    self.leaf(Kind.HEADING, lo, hi, mapped, level=int(tok.tag[1:]))
                else:
                    self.leaf(Kind.PARAGRAPH, lo, hi, mapped)
                i += 2
            elif t in ("fence", "code_block") and tok.map:
                self.code(tok)
            elif t == "html_block" and tok.map:
                self.html(tok)
            elif t == "hr" and tok.map:
                lo, hi = self.span(tok)
                self.add(Kind.BREAK, lo, hi, hidden=((lo, hi),))
            elif t == "front_matter" and tok.map:
                lo, hi = self.span(tok)
                self.add(Kind.FRONT_MATTER, lo, hi, label="yaml")
            elif t == "table_open" and tok.map:
                i = self.table(tokens, i)
            i += 1

    def admonition(self, tokens: list[Token], i: int) -> int:
        """`!!! tip "Title"` (mkdocs, Python-Markdown; `???` folds in mkdocs-material): the
        header line hidden, its title (or its kind) the block's label, the body inside it."""
        tok, title = tokens[i], tokens[i + 1]
        lo, hi = self.span(title if title.type == "admonition_title_open" and title.map else tok)
        tag = str(tok.meta.get("tag", "")) if isinstance(tok.meta, dict) else ""
        # a title is quoted (Python-Markdown); bare words after the kind are CSS classes
        # (mkdocs-material's `!!! tip inline end`), not a title
        title_given = '"' in tok.info or tag in ("tab", "api")
        label = (tok.content.strip() if title_given else "") or tag.capitalize() or "Note"
        self.add(Kind.ADMONITION, lo, hi, label=label, hidden=((lo, hi),))
        self.nest.append(Kind.ADMONITION)
        if title.type == "admonition_title_open":
            while i + 1 < len(tokens) and tokens[i].type != "admonition_title_close":
                i += 1
        return i

    def included(self, tok: Token, content: str) -> bool:
        """A paragraph or code block of nothing but pymdownx.snippets lines: the site puts those
        files' text there, which this file does not hold; one row "Included: docs/x.py" says so."""
        files = _snippet_files(content)
        if not files:
            return False
        lo, hi = self.span(tok)
        self.add(Kind.ADMONITION, lo, hi, label="Included: " + ", ".join(files), hidden=((lo, hi),))
        return True

    def code(self, tok: Token) -> None:
        assert tok.map is not None
        if self.included(tok, tok.content):
            return
        lo, hi = self.span(tok)
        if tok.type == "fence" and (label := generated_label(tok.info, tok.content)):
            self.add(Kind.ADMONITION, lo, hi, label=label, hidden=((lo, hi),))
            return
        content = tok.content.split("\n")[:-1] if tok.content else []
        first = tok.map[0] + (1 if tok.type == "fence" else 0)
        visible: list[tuple[int, int]] = []
        for k, shown in enumerate(content):
            n = first + k
            s, e = self.lines.start(n), self.lines.end(n)
            source = self.text[s:e]
            start = e - len(shown) if source.endswith(shown) else s + len(source) - len(source.lstrip(" \t>"))
            visible.append((start, e + 1 if k + 1 < len(content) else e))
        if content:
            hi = max(hi, visible[-1][1])
        language = tok.info.split()[0] if tok.type == "fence" and tok.info.strip() else ""
        self.add(Kind.CODE, lo, hi, language=language, hidden=_complement(lo, hi, visible))

    def html(self, tok: Token) -> None:
        lo, hi = self.span(tok)
        source = self.text[lo:hi]
        if _COMMENT_RE.fullmatch(source):
            self.add(Kind.HIDDEN, lo, hi, label="html comment")
            return
        if not _TAG_RE.sub("", source).strip():
            self.add(Kind.HIDDEN, lo, hi, label="html")
            return
        tags = [(lo + m.start(), lo + m.end()) for m in _TAG_RE.finditer(source)]
        self.add(Kind.PARAGRAPH, lo, hi, hidden=merge_ranges(tags))

    def table(self, tokens: list[Token], i: int) -> int:
        lo, hi = self.span(tokens[i])
        rows: list[tuple[tuple[int, int], ...]] = []
        visible: list[tuple[int, int]] = []
        inlines: list[Inline] = []
        subs: list[tuple[int, int, str]] = []
        header_rows = 0
        row_cells: list[tuple[int, int]] = []
        cells: list[tuple[int, int]] = []
        j = i + 1
        while j < len(tokens) and tokens[j].type != "table_close":
            tok = tokens[j]
            if tok.type == "tr_open" and tok.map:
                line = tok.map[0]
                cells = _cell_regions(self.text, self.lines.start(line), self.lines.end(line))
                row_cells = []
            elif tok.type == "inline" and len(row_cells) < len(cells):
                s, e = cells[len(row_cells)]
                s, e = _strip(self.text, s, e)
                mapped = self.inline(tok, s, e, cell=True)
                visible.extend(mapped.visible)
                inlines.extend(mapped.inlines)
                subs.extend(mapped.subs)
                row_cells.append((s, e))
            elif tok.type == "tr_close":
                rows.append(tuple(row_cells))
            elif tok.type == "thead_close":
                header_rows = len(rows)
            j += 1
        self.add(
            Kind.TABLE,
            lo,
            hi,
            rows=tuple(rows),
            header_rows=header_rows,
            hidden=_complement(lo, hi, visible),
            inlines=tuple(inlines),
            subs=tuple(subs),
        )
        return j


def _strip(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " \t":
        s += 1
    while e > s and text[e - 1] in " \t":
        e -= 1
    return s, e


def _cell_regions(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The cells of a GFM table row between unescaped pipes (leading and trailing pipes optional)."""
    pipes: list[int] = []
    i = text.find("|", lo, hi)
    while i >= 0:
        backslashes = 0
        while i - backslashes - 1 >= lo and text[i - backslashes - 1] == "\\":
            backslashes += 1
        if backslashes % 2 == 0:
            pipes.append(i)
        i = text.find("|", i + 1, hi)
    s, e = _strip(text, lo, hi)
    while s < e and text[s] in " \t>":
        s += 1
    bounds = [s - 1] + [p for p in pipes if s <= p < e] + [e]
    regions = [(a + 1, b) for a, b in itertools.pairwise(bounds)]
    if regions and text.startswith("|", s):
        regions = regions[1:]
    if regions and e > s and text[e - 1] == "|" and regions[-1][0] == e:
        regions = regions[:-1]
    return regions


def _complement(lo: int, hi: int, visible: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """What of text[lo:hi] no visible range covers: sorted, disjoint ranges (as `merge_ranges`
    gives them; the gaps come in order, so touching ones are joined as they come)."""
    hidden: list[tuple[int, int]] = []
    at = lo
    for s, e in sorted(visible):
        if s > at:
            if hidden and at <= hidden[-1][1]:  # (after an empty visible range)
                hidden[-1] = (hidden[-1][0], max(hidden[-1][1], s))
            else:
                hidden.append((at, s))
        if e > at:
            at = e
    if at < hi:
        if hidden and at <= hidden[-1][1]:
            hidden[-1] = (hidden[-1][0], max(hidden[-1][1], hi))
        else:
            hidden.append((at, hi))
    return tuple(hidden)


def parse_markdown(text: str) -> tuple[list[Block], str]:
    """The blocks of a Markdown text and a note on what was not parsed ("" when all was)."""
    b = _Builder(text)
    source = text
    toml = _TOML_FRONT_RE.match(text)
    if toml:  # blank it out for the parser (same lines), and record it ourselves
        source = "\n" * text.count("\n", 0, toml.end()) + text[toml.end() :]
    tables = not any(line.count("|") > MAX_TABLE_CELLS for line in text.split("\n") if len(line) > MAX_TABLE_CELLS)
    if not tables:
        b.notes.append(f"tables not drawn: a row has more than {MAX_TABLE_CELLS:,} cells")
    b.md = _PARSERS[tables]
    tokens = b.md.parse(source, b.env)
    _autoref_references(tokens, b.env)
    if toml:
        end = toml.end() - 1 if text[toml.end() - 1 : toml.end()] == "\n" else toml.end()
        b.blocks.append(Block(Kind.FRONT_MATTER, 0, end, label="toml"))
    b.build(tokens)
    blocks = sorted(b.blocks, key=lambda blk: blk.start)
    return _fill_gaps(text, b.lines, blocks), "; ".join(b.notes)


def _snippet_files(content: str) -> list[str]:
    """The files snippet lines name, when the content is nothing else (else [])."""
    files: list[str] = []
    listing = False
    for line in content.split("\n"):
        if _SNIPPET_FENCE_RE.fullmatch(line):
            listing = not listing
        elif m := _SNIPPET_RE.fullmatch(line):
            files.append(m.group(2))
        elif listing and line.strip():
            files.append(line.strip())
        elif line.strip():
            return []
    return [] if listing else files


def _autoref_references(tokens: list[Token], env: dict[str, object]) -> None:
    """mkdocs-autorefs links, `[App.run()][textual.app.App.run]` and `[Widget][]`, name an
    identifier that no definition in the text gives (the site generator resolves it): by
    CommonMark they are literal text, brackets and all. Each such label of an identifier's shape
    becomes a reference to itself, so the link shows its text and the identifier is its target;
    a definition the text does give is kept (it was read first, by the block parse)."""
    found = {
        label
        for tok in tokens
        if tok.type == "inline" and "][" in tok.content
        for m in _AUTOREF_RE.finditer(tok.content)
        for label in (m.group(2) or m.group(1),)
    }
    if not found:
        return
    references = env.setdefault("references", {})
    assert isinstance(references, dict)
    for label in found:
        key = normalizeReference(label)
        if key not in references:
            references[key] = {"title": "", "href": label, "map": None}


def _fill_gaps(text: str, lines: Lines, blocks: list[Block]) -> list[Block]:
    """Lines no block claims: link reference definitions (hidden) or, past the nesting limit,
    text shown as it is written."""
    covered = bytearray(len(lines))
    for blk in blocks:
        first, last = lines.at(blk.start), lines.at(max(blk.start, blk.end - 1))
        if last >= first:
            covered[first : last + 1] = b"\x01" * (last + 1 - first)
    extra: list[Block] = []
    n = 0
    while n < len(lines):
        if covered[n] or _BARE_PREFIX_RE.fullmatch(lines.line(n)):
            n += 1
            continue
        first = n
        while n < len(lines) and not covered[n] and not _BARE_PREFIX_RE.fullmatch(lines.line(n)):
            n += 1
        lo, hi = lines.start(first), lines.end(n - 1)
        if all(_REFERENCE_RE.match(lines.line(k)) for k in range(first, n)):
            extra.append(Block(Kind.HIDDEN, lo, hi, label="link reference"))
        else:
            extra.append(Block(Kind.LINES, lo, hi))
    return sorted(blocks + extra, key=lambda blk: blk.start) if extra else blocks
