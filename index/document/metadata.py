"""Title, author and date of a document: from its structure first, then from its text.

Title: front matter `title:`, else the first heading (by the format's rules: reST adornment,
Markdown ATX or setext, a plain title over `====`), displayed as a reader sees it (roles and
inline markup reduced to their text, ` --- ` an em dash), else the first displayed line or
sentence. Comments, labels, substitution definitions, SPDX lines and decoration are skipped
because they are hidden blocks or are recognised below. Author: front matter, a reST
`:Author:` field, a `By:`/`Author:` line, a short name above a date. Date: front matter, a
`:Date:` field, then the first date written in the opening. The catalog, applied by the
corpus, wins over all of it.

The date formats, the byline shape and the first-line rule are heuristics written by hand;
YAML front matter is read only for top-level `key: value` scalars (no YAML library is a
dependency), TOML with `tomllib`.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass

from .model import Block, Kind, Structure, render_text
from .units import first_sentence

#: Only this many leading characters are looked at for a title, a byline and a date.
HEAD_CHARS = 4000
#: Dates and bylines are looked for only in the opening characters, not in the body.
OPENING_CHARS = 1000
SHORT_LINE = 120
TITLE_WORDS = 10

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
_MONTH_RE = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_RES = [
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})\b"),
    re.compile(r"\b(?P<day>\d{1,2})\s+" + _MONTH_RE + r",?\s+(?P<year>\d{4})\b", re.IGNORECASE),
    re.compile(r"\b" + _MONTH_RE + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b", re.IGNORECASE),
]
_BYLINE_RE = re.compile(r"^(?:by|authors?)\s*:?\s+(?P<name>[^\d\n]{2,60})$", re.IGNORECASE)
_SPDX_RE = re.compile(r"\s*(?:\.\.\s+|#\s*|//\s*|/\*\s*)?SPDX-License-Identifier:", re.IGNORECASE)
_DECORATION_RE = re.compile(r"[\s!-/:-@\[-`{-~]*")
_YAML_LINE_RE = re.compile(r"(?P<key>[A-Za-z_][\w-]*)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$")
_DASHES = [(re.compile(r"\s+---\s+"), " — "), (re.compile(r"(?<=\w)---(?=\w)"), "—"), (re.compile(r"\s+--\s+"), " – ")]


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str
    title_source: str  #: 'front matter', 'heading', 'first line', 'first sentence' or 'none'
    author: str | None
    date: dt.date | None
    date_source: str  #: 'front matter', 'field', 'text' or 'none'


def find_date(head: str) -> dt.date | None:
    """The earliest-written date in `head` in one of the common formats, or None."""
    found: list[tuple[int, dt.date]] = []
    for regex in _DATE_RES:
        for m in regex.finditer(head):
            groups = m.groupdict()
            month = int(groups["mnum"]) if groups.get("mnum") else _MONTHS[groups["month"].lower()]
            try:
                found.append((m.start(), dt.date(int(groups["year"]), month, int(groups["day"]))))
            except ValueError:
                continue
            break
    return min(found)[1] if found else None


def front_matter(text: str, structure: Structure) -> dict[str, str]:
    """The top-level scalar fields of a document's front matter (keys lower-cased)."""
    block = next((b for b in structure.blocks[:2] if b.kind is Kind.FRONT_MATTER), None)
    if block is None:
        return {}
    body = text[block.start : min(block.end, block.start + HEAD_CHARS * 4)].split("\n")[1:-1]
    fields: dict[str, str] = {}
    if block.label == "toml":
        try:
            data = tomllib.loads("\n".join(body))
        except (tomllib.TOMLDecodeError, ValueError):
            return {}
        return {k.lower(): _scalar(v) for k, v in data.items() if _scalar(v)}
    for line in body:
        m = _YAML_LINE_RE.fullmatch(line)
        if m and not line[:1].isspace():
            value = m["value"]
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            if value and value not in ("|", ">", "|-", ">-"):
                fields.setdefault(m["key"].lower(), value)
    return fields


def _scalar(value: object) -> str:
    if isinstance(value, (str, int, float, dt.date)):
        return str(value)
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return ""


def displayed(text: str, block: Block) -> str:
    """A block's text as a reader sees it, on one line, dashes typeset."""
    shown = " ".join(_opening(text, block).split())
    for regex, dash in _DASHES:
        shown = regex.sub(dash, shown)
    return shown


def _opening(text: str, block: Block) -> str:
    """The displayed text of a block's opening (a title, a byline and a date are near the top:
    a block of megabytes is not displayed whole for them)."""
    if block.kind is Kind.TABLE:
        return render_text(text, block)[:HEAD_CHARS] if block.end - block.start <= HEAD_CHARS else ""
    return render_text(text, block, block.start, min(block.end, block.start + HEAD_CHARS))


def _candidates(text: str, structure: Structure) -> list[Block]:
    """The opening blocks a title, byline or date may come from."""
    out: list[Block] = []
    for block in structure.blocks:
        if block.start >= HEAD_CHARS:
            break
        if not block.displayed or block.kind in (Kind.BREAK, Kind.ADMONITION) or block.end <= block.start:
            continue
        raw = text[block.start : min(block.end, block.start + HEAD_CHARS)]
        if _SPDX_RE.match(raw) or _DECORATION_RE.fullmatch(raw):
            continue
        out.append(block)
    return out


def find_title(text: str, structure: Structure) -> tuple[str, str]:
    """Title and where it came from: 'front matter', 'heading', 'first line' or 'first sentence'."""
    title = front_matter(text, structure).get("title", "").strip()
    if title:
        return title, "front matter"
    blocks = _candidates(text, structure)
    for block in blocks:
        if block.kind is Kind.HEADING:
            shown = displayed(text, block)
            if shown and len(shown) <= SHORT_LINE * 2:
                return shown, "heading"
    for block in blocks:
        for line in _opening(text, block).split("\n"):
            first = " ".join(line.split())
            if (
                first
                and not _DECORATION_RE.fullmatch(first)
                and not first.startswith(".. ")
                and not _SPDX_RE.match(first)
            ):
                return _first_line_title(first)
    return "", "none"


def _first_line_title(first: str) -> tuple[str, str]:
    if len(first) <= SHORT_LINE and not first.endswith((".", ",", ";", ":")):
        return first, "first line"
    sentence = first_sentence(first)
    words = sentence.split()
    if len(words) > TITLE_WORDS:
        return " ".join(words[:TITLE_WORDS]).rstrip(",;:") + "…", "first sentence"
    return sentence, "first sentence"


def _fields(text: str, structure: Structure) -> dict[str, str]:
    """reST bibliographic fields (`:Author:`, `:Date:`) among the opening blocks."""
    fields: dict[str, str] = {}
    for block in structure.blocks:
        if block.start >= HEAD_CHARS:
            break
        if block.kind is Kind.LIST_ITEM and block.label == "field":
            fields.setdefault(block.marker.rstrip(":").strip().lower(), displayed(text, block))
    return fields


def find_byline(opening: list[str], title: str) -> str | None:
    """An author named in the opening lines: 'By Name', 'Author: Name', or a short name line
    just above a date."""
    lines = [ln.strip() for ln in opening if ln.strip()][:8]
    for i, line in enumerate(lines):
        m = _BYLINE_RE.match(line)
        if m:
            return m["name"].strip()
        next_is_date = i + 1 < len(lines) and len(lines[i + 1]) <= 40 and find_date(lines[i + 1])
        words = line.split()
        if (
            next_is_date
            and line != title
            and 1 <= len(words) <= 5
            and len(line) <= 40
            and not find_date(line)
            and line[0].isupper()
            and not line.endswith((".", ":", "?", "!"))
        ):
            return line
    return None


def describe(text: str, structure: Structure) -> Metadata:
    """Title, author and date of a canonical text read as `structure`."""
    title, title_source = find_title(text, structure)
    matter = front_matter(text, structure)
    fields = _fields(text, structure) if structure.format == "rest" else {}
    opening: list[str] = []
    for block in _candidates(text, structure):
        if block.start >= OPENING_CHARS:
            break
        if block.kind is not Kind.CODE:  # `add_row("Dec 20, 2019", …)` in Rich's docs is no date of theirs
            opening.extend(_opening(text, block).split("\n"))
    author = matter.get("author") or matter.get("authors") or fields.get("author") or fields.get("authors")
    if not author:
        author = find_byline(opening, title)
    date, date_source = None, "none"
    for source, value in (("front matter", matter.get("date")), ("field", fields.get("date"))):
        if value:
            date = _iso(value) or find_date(value)
            if date:
                date_source = source
                break
    if date is None:
        date = find_date("\n".join(opening)[:OPENING_CHARS])
        date_source = "text" if date else "none"
    return Metadata(title, title_source, author or None, date, date_source)


def _iso(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
