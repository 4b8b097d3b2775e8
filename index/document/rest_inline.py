"""reST inline markup mapped to canonical spans: which characters are markers, which are shown.

docutils gives each inline node its `rawsource` (`*x*`, ``:func:`abs` ``, `` `text <url>`_ ``)
but no offsets, so each is found in its block's source, in order, by a whitespace-tolerant
search from a cursor (a node's raw text has its lines' indentation removed). The marker rules
below (which characters of a found node are markup) follow the reST specification; they are
hand-written because docutils keeps no record of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docutils import nodes

from . import rest_docutils as rd
from .model import Inline, InlineKind

_ROLE_BEFORE_RE = re.compile(r":([A-Za-z0-9][-_+.:A-Za-z0-9]*):`(.*)`\Z", re.DOTALL)
_ROLE_AFTER_RE = re.compile(r"`(.*)`:([A-Za-z0-9][-_+.:A-Za-z0-9]*):\Z", re.DOTALL)
_TITLE_RE = re.compile(r"(.*?\S)\s*<([^<>]*)>\Z", re.DOTALL)
_ESCAPE_RE = re.compile(r"\\(.)", re.DOTALL)
_ROLE_KINDS = {
    "emphasis": InlineKind.EMPHASIS,
    "strong": InlineKind.STRONG,
    "literal": InlineKind.CODE,
    "code": InlineKind.CODE,
}


@dataclass(slots=True)
class InlineMap:
    hidden: list[tuple[int, int]] = field(default_factory=list)
    inlines: list[Inline] = field(default_factory=list)
    subs: list[tuple[int, int, str]] = field(default_factory=list)


def find_loose(text: str, raw: str, start: int, end: int) -> tuple[int, int] | None:
    r"""The first span of `text[start:end]` that is `raw` with each run of whitespace standing
    for any run of whitespace: the span `re.search` finds with the pattern of `raw.split()`'s
    parts escaped and joined by `\s+`, without compiling a pattern for each inline node (a
    tenth of parsing a page went to compiling them). Each part after the first starts with a
    non-space, so a run of whitespace between two parts is taken whole: from a given start
    there is one way to match, or none."""
    first, *rest = raw.split()
    end = min(end, len(text))  # (as a pattern's search does: an end past the text is its end)
    at = text.find(first, start, end)
    while at >= 0:
        pos = at + len(first)
        for part in rest:
            gap = pos
            while gap < end and text[gap].isspace():
                gap += 1
            if gap == pos or gap + len(part) > end or not text.startswith(part, gap):
                break
            pos = gap + len(part)
        else:
            return at, pos
        at = text.find(first, at + 1, end)
    return None


def map_inline(text: str, lo: int, hi: int, node: nodes.Element) -> InlineMap:
    out = InlineMap()
    cursor = lo
    plain: list[tuple[int, int]] = []  # stretches of ordinary text, where backslash escapes count
    for child in node.children:
        if isinstance(child, nodes.Text) or not isinstance(child, nodes.Element):
            continue
        raw = child.rawsource.strip() if child.rawsource else ""
        if not raw:
            continue
        found = find_loose(text, raw, cursor, hi)
        if found is None:
            continue
        plain.append((cursor, found[0]))
        _markers(text, found[0], found[1], child, out)
        cursor = found[1]
    plain.append((cursor, hi))
    for s, e in plain:
        for esc in _ESCAPE_RE.finditer(text, s, e):
            out.hidden.append((esc.start(), esc.end() if esc.group(1).isspace() else esc.start() + 1))
    return out


def _markers(text: str, p: int, q: int, node: nodes.Element, out: InlineMap) -> None:
    """Hide the markup characters of an inline node found at [p, q) and record its span."""
    raw = text[p:q]
    role = _ROLE_BEFORE_RE.match(raw)
    if role is not None:
        name, start = role.group(1).lower(), p + role.start(2)
        _role(text, p, start, start + len(role.group(2)), q, name, out)
        return
    after = _ROLE_AFTER_RE.match(raw)
    if after is not None:
        start = p + 1
        _role(text, p, start, start + len(after.group(1)), q, after.group(2).lower(), out)
        return
    if isinstance(node, nodes.strong):
        _wrap(p, q, 2, InlineKind.STRONG, "", out)
    elif isinstance(node, nodes.emphasis):
        _wrap(p, q, 1, InlineKind.EMPHASIS, "", out)
    elif isinstance(node, nodes.literal):
        _wrap(p, q, 2, InlineKind.CODE, "", out)
    elif isinstance(node, nodes.title_reference):
        _wrap(p, q, 1, InlineKind.EMPHASIS, "", out)
    elif isinstance(node, nodes.reference):
        target = str(node.get("refuri") or node.get("refname") or "")
        if raw.startswith("`"):
            tail = len(raw) - len(raw.rstrip("_")) + 1
            start, end = p + 1, q - tail
            out.hidden += [(p, start), (end, q)]
            for esc in _ESCAPE_RE.finditer(text, start, end):  # `\<admonition>`_: an escaped `<`
                out.hidden.append((esc.start(), esc.start() + 1))
            _titled(text, start, end, InlineKind.LINK, target, out)
        elif raw.startswith("|"):  # `|name|_`: a substitution that is also a link, its name shown
            end = q - (len(raw) - len(raw.rstrip("_")))
            out.hidden += [(p, p + 1), (end - 1, q)]
            out.inlines.append(Inline(InlineKind.LINK, p + 1, end - 1, target))
        else:
            end = q - (len(raw) - len(raw.rstrip("_")))
            out.hidden.append((end, q))
            out.inlines.append(Inline(InlineKind.LINK, p, end, target))
    elif isinstance(node, nodes.target):
        if raw.startswith("_`"):
            out.hidden += [(p, p + 2), (q - 1, q)]
    elif isinstance(node, (nodes.footnote_reference, nodes.citation_reference)):
        # `[#label]_` reads `[label]` (the `#` only asks docutils to number it), `[#]_` `[#]`
        # (the number docutils would give is not known here); the trailing `_` hidden.
        if raw.startswith("[#") and q - p > 4:
            out.hidden.append((p + 1, p + 2))
        out.hidden.append((q - 1, q))
        out.inlines.append(Inline(InlineKind.LINK, p, q - 1, str(node.get("refname", ""))))
    elif isinstance(node, nodes.substitution_reference):
        end = q - (len(raw) - len(raw.rstrip("_")))
        out.hidden += [(p, p + 1), (end - 1, q)]


def _wrap(p: int, q: int, n: int, kind: InlineKind, target: str, out: InlineMap) -> None:
    if q - p > 2 * n:
        out.hidden += [(p, p + n), (q - n, q)]
        out.inlines.append(Inline(kind, p + n, q - n, target))


def _role(text: str, p: int, start: int, end: int, q: int, name: str, out: InlineMap) -> None:
    """Interpreted text: the role and backticks hidden; `title <target>` shows its title; a
    leading `!` is hidden, and `~a.b.c` shows `c` (Sphinx's cross-reference conventions)."""
    out.hidden += [(p, start), (end, q)]
    kind = _ROLE_KINDS.get(name, InlineKind.ROLE)
    if _TITLE_RE.match(text, start, end) and name not in ("code", "literal", "math"):
        _titled(text, start, end, kind, name, out)
        return
    if start < end and text[start] == "!":
        out.hidden.append((start, start + 1))
        start += 1
    elif start < end and text[start] == "~":
        dot = text.rfind(".", start, end)
        out.hidden.append((start, dot + 1 if dot >= 0 else start + 1))
        start = dot + 1 if dot >= 0 else start + 1
    out.inlines.append(Inline(kind, start, end, "" if kind is not InlineKind.ROLE else name))


def _titled(text: str, start: int, end: int, kind: InlineKind, target: str, out: InlineMap) -> None:
    """`title <target>`: only the title shown."""
    m = _TITLE_RE.match(text, start, end)
    if m is None or m.end() != end or text[m.start(2) - 2] == "\\":  # `\<x>`: no target
        out.inlines.append(Inline(kind, start, end, target))
        return
    title_end = m.end(1)
    out.hidden.append((title_end, end))
    out.inlines.append(Inline(kind, start, title_end, target or m.group(2)))


#: Inline markup in a line drawn outside the text: a role before or after its backticks, a
#: literal, strong, emphasis, a `title <url>`_ or `text`_ reference.
_SHOWN_RE = re.compile(
    r":[A-Za-z0-9][-_+.:A-Za-z0-9]*:`((?:[^`\\]|\\.)+)`"
    r"|`((?:[^`\\]|\\.)+)`:[A-Za-z0-9][-_+.:A-Za-z0-9]*:"
    r"|``(.+?)``"
    r"|\*\*(\S(?:.*?\S)?)\*\*"
    r"|\*(\S(?:.*?\S)?)\*"
    r"|`((?:[^`\\]|\\.)+)`__?"
)


def shown_text(text: str) -> str:
    """What a reader sees of a line of inline markup drawn outside the text, a directive's
    argument in its label (`.. seealso:: :ref:`Fixtures <fixtures>`` shows "Fixtures"): the
    markers dropped by the rules above (a role's `title <target>`, `~a.b.c`, `!x`), backslash
    escapes undone. By pattern, not a docutils parse: a label is drawn, never searched, and a
    parse per argument (a state machine built each time) cost 30 ms, most of a page's parse."""
    if not any(c in text for c in "`*\\"):
        return text

    def shown(m: re.Match[str]) -> str:
        role, after, literal, strong, emphasis, reference = m.groups()
        inner = role if role is not None else after
        if inner is not None:
            titled = _TITLE_RE.match(inner)
            if titled is not None:
                return titled.group(1)
            if inner.startswith("!"):
                return inner[1:]
            if inner.startswith("~"):
                return inner[1:].rpartition(".")[2]
            return inner
        if reference is not None:
            titled = _TITLE_RE.match(reference)
            return titled.group(1) if titled is not None else reference
        return next(g for g in (literal, strong, emphasis) if g is not None)

    return _ESCAPE_RE.sub(r"\1", _SHOWN_RE.sub(shown, text))


__all__ = ["InlineMap", "map_inline", "rd", "shown_text"]
