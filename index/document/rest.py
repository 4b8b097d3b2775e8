"""reStructuredText -> blocks, from the docutils doctree (see rest_docutils.py for the set-up).

docutils nodes carry a source line (often approximate: a title's is its underline) and their
text with indentation and line prefixes removed, never columns. The hand-written part here is
the walk that puts each node back on the source: a cursor (a canonical offset) moves through
the text in document order, and each block node is found at the first line at or after it
whose text ends with the node's first line (a list marker, a field name or `.. note::` may
stand before it on that line). Inline nodes are found in their block by their `rawsource`
(rest_inline.py). Lines no node claims are kept: explicit markup (`..`) hidden, anything else
shown as written, so text is never lost. A document docutils cannot parse (RecursionError at
about 200 nested quotes) is read by the plain rule, and `fallback` says why.
"""

from __future__ import annotations

import re

from docutils import nodes

from . import rest_docutils as rd
from .lines import Lines
from .model import Block, Kind, merge_ranges
from .rest_inline import InlineMap, find_loose, map_inline, shown_text

_ADORNMENT_RE = re.compile(r"[ \t]*([!-/:-@\[-`{-~])\1{2,}[ \t]*")
_MARKER_RE = re.compile(
    r"[ \t]*((?:[-*+•‣⁃]|\(?(?:\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+|#)[.)]|:[^:\n]+:|\[[^\]\n]+\])(?=[ \t]|$))"
)
_LINE_BAR_RE = re.compile(r"[ \t]*\|(?: |$)")
_EXPLICIT_RE = re.compile(r"[ \t]*\.\.(?:[ \t]|$)")
_RAW_RE = re.compile(r"[ \t]*\.\.[ \t]+raw[ \t]*::[ \t]*([\w-]+)")
_SIMPLE_TOP_RE = re.compile(r"=+(?: +=+)+ *")  # docutils' simple table top and border lines
_SIMPLE_BORDER_RE = re.compile(r"=+[ =]*")
_FIELD_ALONE_RE = re.compile(r"[ \t]*:(?:[^:\n\\]|\\.)+:[ \t]*")


class _Walker:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = Lines(text)
        self.cursor = 0
        self.blocks: list[Block] = []
        self.nest: list[Kind] = []
        self.depth = 0
        self.level = 0
        self.marker = ""
        self.marker_label = ""
        self.tabs = "\t" in text  # `find` compares lines with their tabs expanded

    # -- finding nodes in the source --------------------------------------------------------

    def find(self, first: str, hint: int | None = None) -> tuple[int, int] | None:
        """(line, offset of `first` on it) for the first line at or after the cursor ending with
        the text `first` (stripped); None if none does within a few hundred lines."""
        want = first.strip()
        if not want:
            return None
        n = self.lines.at(self.cursor)
        limit = min(len(self.lines), n + 400 if hint is None else max(n, hint) + 400)
        if self.tabs:
            while n < limit:
                found = self.ends_with(n, want)
                if found is not None:
                    return n, found
                n += 1
            return None
        # No tab in the text: a line ending with `want` holds it, so only the lines where
        # str.find meets it are tried (a line-by-line search cost a third of the walk).
        bound = self.lines.start(limit)
        at = self.text.find(want, self.cursor, bound)
        while at >= 0:
            n = self.lines.at(at)
            found = self.ends_with(n, want)
            if found is not None:
                return n, found
            at = self.text.find(want, self.lines.start(n + 1), bound)
        return None

    def ends_with(self, n: int, want: str) -> int | None:
        """The offset of `want` on line n (from the cursor on) when the line ends with it."""
        s, e = self.lines.start(n), self.lines.end(n)
        s = max(s, self.cursor)
        line = self.text[s:e].rstrip()
        if line.expandtabs(8).endswith(want):
            at = line.rfind(want)
            return s + (at if at >= 0 else len(line) - len(line.lstrip()))
        return None

    def extent(self, n: int, at: int | None = None) -> int:
        """The last line of an explicit markup block or an indented body starting on line n (at
        offset `at` on it: after a list marker, `* .. _x:`, the body is what is indented past
        the `..`, not the item's own lines)."""
        line = self.lines.line(n)
        indent = _indent(line) if at is None else len(line[: at - self.lines.start(n)].expandtabs(8))
        last = n
        k = n + 1
        while k < len(self.lines):
            line = self.lines.line(k)
            if line.strip():
                if _indent(line) <= indent:
                    break
                last = k
            k += 1
        return last

    # -- emitting -----------------------------------------------------------------------------

    def add(self, kind: Kind, start: int, end: int, **kw: object) -> None:
        if end < start:  # a node found behind the cursor: its lines are shown as written
            return
        nest = tuple(self.nest)
        if self.marker and kind not in (Kind.HIDDEN,):
            if kind is Kind.PARAGRAPH:
                kind = Kind.LIST_ITEM
                kw.update(marker=self.marker, level=self.depth, label=self.marker_label)
            else:
                self.blocks.append(
                    Block(
                        Kind.LIST_ITEM,
                        start,
                        start,
                        level=self.depth,
                        marker=self.marker,
                        label=self.marker_label,
                        nest=nest[:-1],
                    )
                )
            self.marker = ""
        if kind is Kind.LIST_ITEM:
            nest = nest[:-1]
        self.blocks.append(Block(kind, start, end, nest=nest, **kw))  # type: ignore[arg-type]
        self.cursor = max(self.cursor, end)

    def text_block(self, node: nodes.Element, kind: Kind = Kind.PARAGRAPH, **kw: object) -> None:
        raw = node.rawsource or node.astext()
        raw_lines = raw.split("\n")
        found = self.find(raw_lines[0], node.line)
        if found is None:
            return
        n, offset = found
        last = n + len(raw_lines) - 1
        while last > n and not self.lines.line(last).strip():
            last -= 1
        lo = max(self.lines.start(n), self.cursor)
        hi = self.lines.end(min(last, len(self.lines) - 1))
        hidden = [(lo, offset)]
        for k in range(n + 1, last + 1):
            s = self.lines.start(k)
            line = self.lines.line(k)
            hidden.append((s, s + len(line) - len(line.lstrip())))
        if kind is Kind.PARAGRAPH and raw.rstrip().endswith("::"):
            colons = self.text.rfind("::", lo, hi)
            if colons >= 0:
                before = self.text[lo:colons]
                hidden.append(
                    (colons + 1, colons + 2)
                    if before and not before[-1].isspace()
                    else (len(before.rstrip()) + lo, colons + 2)
                )
        mapped = map_inline(self.text, lo, hi, node)
        hidden.extend(mapped.hidden)
        self.add(
            kind, lo, hi, hidden=merge_ranges(hidden), inlines=tuple(mapped.inlines), subs=tuple(mapped.subs), **kw
        )

    def verbatim(self, node: nodes.Element, kind: Kind, language: str = "", first_line: int | None = None) -> None:
        if isinstance(node, nodes.line_block):  # a line each, as written (astext drops markup, adds blank lines)
            content = [part for ln in node.findall(nodes.line) for part in str(ln.rawsource).split("\n")]
        else:
            raw = node.rawsource if isinstance(node, nodes.literal_block) and node.rawsource else node.astext()
            content = raw.split("\n")
        if first_line is None:
            first = next((ln for ln in content if ln.strip()), "")
            found = self.find(first, node.line)
            if found is None:
                return
            first_line = found[0] - content.index(first)
        n_last = min(first_line + len(content) - 1, len(self.lines) - 1)
        while n_last > first_line and not self.lines.line(n_last).strip():
            n_last -= 1
        lines = [self.lines.line(k) for k in range(first_line, n_last + 1)]
        indent = min((_indent(ln) for ln in lines if ln.strip()), default=0)
        lo, hi = self.lines.start(first_line), self.lines.end(n_last)
        hidden = []
        for k in range(first_line, n_last + 1):
            s = self.lines.start(k)
            line = self.lines.line(k)
            cut = min(_indent_chars(line, indent), len(line))
            if isinstance(node, nodes.line_block):
                bar = _LINE_BAR_RE.search(line) if k == first_line else _LINE_BAR_RE.match(line)
                cut = bar.end() if bar else cut  # (its first line may follow a field's name)
            hidden.append((s, s + cut))
        if lo < self.cursor:  # its first line holds what came before it (`.. note:: | a`)
            if self.cursor >= hi:
                return
            lo = self.cursor
            while lo < hi and self.text[lo] in " \t":
                lo += 1
            hidden = [(max(s, lo), e) for s, e in hidden if e > lo]
        if isinstance(node, nodes.line_block):
            mapped = self.lines_inline(node, lo, hi)
            hidden += mapped.hidden
            inlines = tuple(sorted(mapped.inlines, key=lambda i: (i.start, -i.end)))
            self.add(kind, lo, hi, hidden=merge_ranges(hidden), inlines=inlines, subs=tuple(mapped.subs))
            return
        self.add(kind, lo, hi, language=language, hidden=merge_ranges(hidden))

    def lines_inline(self, node: nodes.line_block, lo: int, hi: int) -> InlineMap:
        """The inline markup of a line block's lines, each found by its source after the last."""
        out = InlineMap()
        at = lo
        for line in node.findall(nodes.line):
            raw = str(line.rawsource).strip()
            found = find_loose(self.text, raw, at, hi) if raw else None
            if found is None:
                continue
            mapped = map_inline(self.text, found[0], found[1], line)
            out.hidden += mapped.hidden
            out.inlines += mapped.inlines
            out.subs += mapped.subs
            at = found[1]
        return out

    def hidden(self, node: nodes.Element, label: str) -> None:
        raw = node.rawsource.split("\n")[0] if node.rawsource else ""
        n: int | None = None
        at: int | None = None
        found = self.find(raw.lstrip(".").strip() if label == "comment" else raw, node.line) if raw.strip() else None
        if found is not None:
            n = found[0]
            dots = self.text.rfind("..", self.lines.start(n), found[1] + 2)  # a comment is found by its text
            at = dots if dots >= 0 else found[1]
        if n is None and node.line:
            n = node.line - 1
        if n is None or n >= len(self.lines):
            return
        last = self.extent(n, at)
        self.add(Kind.HIDDEN, max(self.lines.start(n), self.cursor), self.lines.end(last), label=label)

    # -- the walk -----------------------------------------------------------------------------

    def walk(self, node: nodes.Node) -> None:
        for child in node.children:
            self.visit(child)

    def visit(self, node: nodes.Node) -> None:
        if isinstance(node, nodes.section):
            self.level += 1
            self.walk(node)
            self.level -= 1
        elif isinstance(node, nodes.title):
            self.heading(node, max(self.level, 1))
        elif isinstance(node, nodes.rubric):
            self.heading(node, 6)
        elif isinstance(node, (nodes.paragraph, nodes.caption)):
            self.text_block(node)
        elif isinstance(node, nodes.attribution):
            self.text_block(node, label="attribution")
        elif isinstance(node, nodes.term):
            self.text_block(node, label="term")
        elif isinstance(node, nodes.doctest_block):
            self.verbatim(node, Kind.CODE, "pycon")
        elif isinstance(node, nodes.literal_block):
            given: list[str] = list(node.get("classes", []))
            classes = [c for c in given if c != "code"]
            self.verbatim(node, Kind.CODE, classes[0] if classes else "")
        elif isinstance(node, nodes.math_block):
            self.verbatim(node, Kind.CODE, "latex")
        elif isinstance(node, nodes.line_block):
            self.verbatim(node, Kind.LINES)
        elif isinstance(node, nodes.comment):
            self.hidden(node, "comment")
        elif isinstance(node, nodes.target):
            self.hidden(node, "target")
        elif isinstance(node, nodes.substitution_definition):
            self.hidden(node, "substitution")
        elif isinstance(node, nodes.transition):
            self.transition(node)
        elif isinstance(node, (nodes.bullet_list, nodes.enumerated_list, nodes.field_list, nodes.option_list)):
            self.depth += 1
            self.walk(node)
            self.depth -= 1
        elif isinstance(node, (nodes.list_item, nodes.field, nodes.footnote, nodes.citation, nodes.option_list_item)):
            self.item(node)
        elif isinstance(node, nodes.definition):
            self.nest.append(Kind.LIST_ITEM)
            self.walk(node)
            self.nest.pop()
        elif isinstance(node, nodes.Admonition) and isinstance(node, nodes.Element):
            title = node.next_node(nodes.title)
            self.directive(node, node.tagname.capitalize() if title is None else title.astext())
        elif isinstance(node, rd.folio_directive):
            self.folio(node)
        elif isinstance(node, nodes.table):
            self.table(node)
        elif isinstance(
            node,
            (
                nodes.system_message,
                nodes.pending,
                nodes.decoration,  # `.. header::`/`.. footer::`: moved to the top by docutils
                nodes.image,
                nodes.field_name,
                nodes.label,
                nodes.option_group,
                nodes.classifier,
            ),
        ):
            return
        elif isinstance(node, (nodes.block_quote, nodes.topic, nodes.sidebar)):
            self.nest.append(Kind.QUOTE)
            self.walk(node)
            self.nest.pop()
        elif isinstance(node, nodes.Element):
            self.walk(node)

    def heading(self, node: nodes.Element, level: int) -> None:
        before = len(self.blocks)
        self.text_block(node, Kind.HEADING, level=level)
        if len(self.blocks) == before or self.blocks[-1].kind is not Kind.HEADING:
            return
        blk = self.blocks[-1]
        n = self.lines.at(blk.start)
        lo, hi = blk.start, blk.end
        hidden = list(blk.hidden)
        if (
            n > 0
            and _ADORNMENT_RE.fullmatch(self.lines.line(n - 1))
            and self.lines.start(n - 1) >= (self.blocks[-2].end if before else 0)
        ):
            lo = self.lines.start(n - 1)
            hidden.append((lo, blk.start))
        nxt = self.lines.at(hi) + 1
        if nxt < len(self.lines) and _ADORNMENT_RE.fullmatch(self.lines.line(nxt)):
            hidden.append((hi, self.lines.end(nxt)))
            hi = self.lines.end(nxt)
        self.blocks[-1] = Block(
            Kind.HEADING,
            lo,
            hi,
            level=level,
            nest=blk.nest,
            hidden=merge_ranges(hidden),
            inlines=blk.inlines,
            subs=blk.subs,
        )
        self.cursor = max(self.cursor, hi)

    def transition(self, node: nodes.Element) -> None:
        n = self.lines.at(self.cursor)
        while n < len(self.lines) and not _ADORNMENT_RE.fullmatch(self.lines.line(n)):
            n += 1
        if n < len(self.lines):
            lo, hi = self.lines.start(n), self.lines.end(n)
            self.add(Kind.BREAK, lo, hi, hidden=((lo, hi),))

    def item(self, node: nodes.Element) -> None:
        marker, label = "", ""
        first = next(
            (
                c
                for c in node.children
                if isinstance(c, nodes.Element)
                and not isinstance(c, (nodes.field_name, nodes.label, nodes.option_group))
            ),
            None,
        )
        if isinstance(node, nodes.field):
            name = node.next_node(nodes.field_name)
            marker, label = (name.astext() + ":" if name is not None else ""), "field"
            first = node.next_node(nodes.field_body)
            if first is not None and first.children:  # (an empty field stays as written)
                self.field_name_line()
        elif isinstance(node, (nodes.footnote, nodes.citation)):
            lab = node.next_node(nodes.label)
            marker, label = f"[{lab.astext()}]" if lab is not None else _auto_label(node), node.tagname
        elif isinstance(node, nodes.option_list_item):
            group = node.next_node(nodes.option_group)
            marker, label = (group.astext() if group is not None else ""), "option"
        else:
            para = node.next_node(nodes.paragraph)
            if para is not None:
                found = self.find((para.rawsource or para.astext()).split("\n")[0], para.line)
                if found is not None:
                    marker = self.item_marker(self.lines.start(found[0]), found[1])
                    marker = marker or str(node.parent.get("bullet", "-"))
        self.nest.append(Kind.LIST_ITEM)
        self.marker, self.marker_label = marker or "-", label
        if first is not None:
            self.walk(node)
        if self.marker:  # nothing in the item was found: its marker alone
            self.marker = ""
        self.nest.pop()

    def item_marker(self, line_start: int, text_start: int) -> str:
        """The marker of a list item whose first paragraph starts at `text_start`: of the markers
        before it on its line (`2. A. text`: an item opening with a nested list), the one after
        those of the items already opened there. An item still waiting for its first block is
        one of them: its marker row is put down first (it was overwritten, and the inner item
        given the outer's marker)."""
        markers: list[str] = []
        at = line_start
        while (m := _MARKER_RE.match(self.text, at, text_start)) is not None and m.end() > at:
            markers.append(m.group(1))
            at = m.end()
        if self.marker:
            self.blocks.append(
                Block(
                    Kind.LIST_ITEM,
                    line_start,
                    line_start,
                    level=self.depth - 1,
                    marker=self.marker,
                    label=self.marker_label,
                    nest=tuple(self.nest[:-1]),
                )
            )
            self.marker = ""
        opened = 0
        for blk in reversed(self.blocks):
            if blk.kind is not Kind.LIST_ITEM or blk.start != line_start or blk.end != line_start:
                break
            opened += 1
        return markers[min(opened, len(markers) - 1)] if markers else ""

    def field_name_line(self) -> None:
        """A field's name alone on its line (`:compound:`, its body below) is hidden: the body's
        first block shows it as its marker, and shown as written too it read twice."""
        n = self.lines.at(self.cursor)
        while n < len(self.lines) and (self.lines.blank(n) or self.lines.end(n) <= self.cursor):
            n += 1
        if n < len(self.lines) and _FIELD_ALONE_RE.fullmatch(self.lines.line(n)):
            self.add(Kind.HIDDEN, max(self.lines.start(n), self.cursor), self.lines.end(n), label="field name")

    def directive(self, node: nodes.Element, label: str, header: tuple[int, int] | None = None) -> None:
        if header is None:
            found = self.find_directive_line(node.line)
            if found is None:
                self.walk(node)
                return
            header = found
        lo, hi = header
        self.add(Kind.ADMONITION, lo, hi, label=label, hidden=((lo, hi),))
        self.nest.append(Kind.ADMONITION)
        for child in node.children:
            if not isinstance(child, nodes.title):
                self.visit(child)
        self.nest.pop()

    def find_directive_line(self, hint: int | None) -> tuple[int, int] | None:
        n = self.lines.at(self.cursor)
        while n < len(self.lines) and not _EXPLICIT_RE.match(self.lines.line(n)):
            n += 1
        if n >= len(self.lines):
            return None
        lo = max(self.lines.start(n), self.cursor)
        end = self.text.find("::", lo, self.lines.end(n))
        return lo, end + 2 if end >= 0 else self.lines.end(n)

    def folio(self, node: rd.folio_directive) -> None:
        name, arg = str(node["name"]), str(node["argument"])
        line = int(node["line"])
        content_line = int(node["content_line"])
        header_last = line  # the `.. name:: argument` line and the option lines after it
        while header_last + 1 < min(content_line, len(self.lines)) and self.lines.line(
            header_last + 1
        ).strip().startswith(":"):
            header_last += 1
        if not node["content_lines"] and not node.children:
            header_last = self.extent(line)
        lo = max(self.lines.start(line), self.cursor)
        if name in rd.HIDDEN_DIRECTIVES:
            self.add(Kind.HIDDEN, lo, self.lines.end(self.extent(line)), label=name)
        elif name in rd.CODE_DIRECTIVES:
            self.add(Kind.HIDDEN, lo, self.lines.end(header_last), label=name)
            if node["content_lines"]:
                self.verbatim(node, Kind.CODE, str(node.get("language", "")), first_line=content_line)
        else:
            title = rd.TITLES.get(name)
            arg = shown_text(arg)
            label = f"{title} {arg}".strip() if title else (arg or name)
            self.directive(node, label, (lo, self.lines.end(header_last)))

    def table(self, node: nodes.table) -> None:
        n = self.lines.at(self.cursor)
        hint = (node.line or 1) - 1
        if hint >= n:
            n = hint
        while n < len(self.lines) and not self.lines.line(n).strip():
            n += 1
        if n >= len(self.lines):
            return
        if _EXPLICIT_RE.match(self.lines.line(n)):  # list-table, csv-table: the directive as written
            last = self.extent(n)
            lo, hi = self.lines.start(n), self.lines.end(last)
            self.add(Kind.LINES, lo, hi, label="table directive")
            return
        last = self.simple_table_end(n)
        while last + 1 < len(self.lines) and self.lines.line(last + 1).strip():
            last += 1
        lo, hi = self.lines.start(n), self.lines.end(last)
        rows: list[tuple[tuple[int, int], ...]] = []
        header_rows = len(list(node.findall(nodes.thead)) and next(node.findall(nodes.thead)).children)
        mapped = InlineMap()
        one_line = True
        for row in node.findall(nodes.row):
            cells: list[tuple[int, int]] = []
            for entry in row.children:
                cell = self.cell(entry, cells[-1][1] if cells else lo, hi, mapped)
                if cell is None:
                    one_line = False
                    break
                cells.append(cell)
            if not one_line:
                break
            rows.append(tuple(cells))
        if not one_line:
            self.add(Kind.TABLE, lo, hi)
            return
        self.add(
            Kind.TABLE,
            lo,
            hi,
            rows=tuple(rows),
            header_rows=header_rows,
            hidden=merge_ranges(mapped.hidden),
            inlines=tuple(sorted(mapped.inlines, key=lambda i: (i.start, -i.end))),
            subs=tuple(mapped.subs),
        )

    def simple_table_end(self, n: int) -> int:
        """The bottom border's line of a simple table whose top border is line n, by docutils'
        rule (the second border after the top, or one followed by a blank line), as blank
        lines may stand between its rows; n when line n is not a simple table's top."""
        top = self.lines.line(n).strip()
        if not _SIMPLE_TOP_RE.fullmatch(top):
            return n
        found = 0
        for k in range(n + 1, len(self.lines)):
            line = self.lines.line(k).strip()
            if _SIMPLE_BORDER_RE.fullmatch(line) and len(line) == len(top):
                found += 1
                if found == 2 or k + 1 == len(self.lines) or self.lines.blank(k + 1):
                    return k
        return n

    def cell(self, entry: nodes.Node, at: int, hi: int, mapped: InlineMap) -> tuple[int, int] | None:
        """The canonical span of a one-line table cell found at or after `at`, its inline markup
        added to `mapped` (a cell of one paragraph: found by its source, as a paragraph is); None
        when the cell spans lines or is not found."""
        para = entry.children[0] if len(entry.children) == 1 else None
        if isinstance(para, nodes.paragraph) and para.rawsource and "\n" not in para.rawsource.strip():
            raw = para.rawsource.strip()
        else:
            para = None
            raw = entry.astext().strip()
        if not raw:
            return at, at
        start = self.text.find(raw, at, hi) if "\n" not in raw else -1
        if start < 0:
            return None
        if para is not None:
            found = map_inline(self.text, start, start + len(raw), para)
            mapped.hidden += found.hidden
            mapped.inlines += found.inlines
            mapped.subs += found.subs
        return start, start + len(raw)


def _auto_label(node: nodes.Element) -> str:
    """An auto-numbered footnote's marker, as its references read (no transforms, so no number):
    `.. [#note]` `[note]`, `.. [#]` `[#]`, `.. [*]` `[*]` (it read as a bullet)."""
    if node.get("auto") == "*":
        return "[*]"
    names = node.get("names") or []
    return f"[{names[0]}]" if names else "[#]"


def _indent(line: str) -> int:
    return len(line.expandtabs(8)) - len(line.expandtabs(8).lstrip())


def _indent_chars(line: str, columns: int) -> int:
    """How many characters of `line` make up its first `columns` columns of indentation."""
    col = 0
    for i, ch in enumerate(line):
        if col >= columns or ch not in " \t":
            return i
        col = col + 8 - col % 8 if ch == "\t" else col + 1
    return len(line)


def parse_rest(text: str) -> list[Block]:
    """The blocks of a reST text. Raises RecursionError where docutils does (the caller falls back)."""
    document = rd.doctree(text)
    walker = _Walker(text)
    walker.walk(document)
    return _fill_gaps(walker.lines, sorted(walker.blocks, key=lambda b: (b.start, b.end)))


def _fill_gaps(lines: Lines, blocks: list[Block]) -> list[Block]:
    covered = bytearray(len(lines))
    for blk in blocks:
        if blk.end > blk.start:
            for n in range(lines.at(blk.start), lines.at(blk.end - 1) + 1):
                covered[n] = 1
    extra: list[Block] = []
    n = 0
    while n < len(lines):
        if covered[n] or lines.blank(n):
            n += 1
            continue
        first = n
        while n < len(lines) and not covered[n] and not lines.blank(n):
            n += 1
        lo, hi = lines.start(first), lines.end(n - 1)
        if _EXPLICIT_RE.match(lines.line(first)):
            n = _body_end(lines, covered, first, n)
            raw = _RAW_RE.match(lines.line(first))
            if raw:  # output for another format, not shown: one row says so ("…the following output:")
                label = f"Raw {raw.group(1)} output (for that format, not shown)"
                extra.append(
                    Block(Kind.ADMONITION, lo, lines.end(n - 1), label=label, hidden=((lo, lines.end(n - 1)),))
                )
            else:
                extra.append(Block(Kind.HIDDEN, lo, lines.end(n - 1), label="directive"))
        elif all(lines.line(k).strip() == "::" for k in range(first, n)):
            extra.append(Block(Kind.HIDDEN, lo, hi, label="literal"))  # `::` alone: it only introduces a literal block
        else:
            extra.append(Block(Kind.LINES, lo, hi))
    return sorted(blocks + extra, key=lambda b: (b.start, b.end)) if extra else blocks


def _body_end(lines: Lines, covered: bytearray, first: int, n: int) -> int:
    """Past the indented body of an explicit markup block no node claims (a `.. raw:: html`
    docutils disables, a directive it does not know): the body is part of the markup, not text."""
    indent = _indent(lines.line(first))
    k = n
    while k < len(lines) and not covered[k] and (lines.blank(k) or _indent(lines.line(k)) > indent):
        k += 1
    while k > n and lines.blank(k - 1):
        k -= 1
    return k
