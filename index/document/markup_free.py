"""Markdown and reST texts whose markup hides no word, read without parsing them whole (the
index build's fast path: issue 12's build time).

A text whose only markup is headings (`#`, reST adornments), emphasis (`*`, `_`), bullets,
block quotes, breaks and indentation shows every word it holds: those markers are no words and
join none (`analysis` never puts `*`, `#`, `>` or a marker's `_` inside a token), so the words
its structure displays are the words of the whole text, at the same characters, and the index
reads it as a plain text. `hides_no_words` says so by conservative checks on characters and
lines, not a grammar: no link, code, HTML, entity, escape, table, front matter, admonition,
numbered or option list, directive, role, comment or field, nothing nested deeply, no more
than the parser takes. A text it cannot vouch for is parsed whole, as before.

Its metadata needs only its opening: `opening(text, at_least)` cuts the text at the first *safe
cut* at or after `at_least`: blank lines after a line with a letter or digit, before a line
that starts at the margin with one. In such a text every block of either format ends there,
so the blocks before the cut are those of the whole text (tests check it, with Hypothesis and
on the benchmark's tree).
"""

from __future__ import annotations

import re

#: Characters that start markup which hides words, or that this module does not reason about.
#: In Markdown also mkdocs-material's icon shortcodes, keys and attribute lists (`:material-apple:`,
#: `++q++`, `{ .md-button }`).
_MARKDOWN_FORBIDDEN_RE = re.compile(r"[\\`\[\]<&|~{]|\+\+|:(?:material|fontawesome|octicons|simple)-")
_REST_FORBIDDEN_RE = re.compile(r"[\\`\[\]<>&|~:_*@]")
#: Lines that make a structure hide words, or nest deeply: numbered list items whose hidden
#: marker is a term (`12.`), more than 12 characters of indentation, quote or bullet markers;
#: in Markdown also admonitions (`!!! tip`, `??? note`: the kind is a label, not body words).
_DEEP = r"[ \t>*+\-]{13,}[^ \t>*+\-\n]"
_MARKDOWN_LINES = _DEEP + r"|[ \t>*+\-]*[0-9]{2,9}[.)](?:[ \t]|$)|[ \t>*+\-]*(?:!!!|\?\?\?)"
#: reST also: explicit markup (`..`), enumerators of two characters or more (`12.`, `(iv)`),
#: option lists, simple tables (`===  ===`), an enumerator after a bullet (`- A. x`: hidden, it
#: moves the first term's position).
_REST_LINES = (
    _DEEP
    + r"|[ \t]*\.\."
    + r"|[ \t]*\(?[A-Za-z0-9#]{2,}[.)](?:[ \t]|$)"
    + r"|[ \t]*(?:--?|/)[A-Za-z0-9]"
    + r"|[ \t]*=+[ \t]+="
    + r"|[ \t]*(?:[-*+•][ \t]+)+\(?[A-Za-z0-9#]+[.)](?:[ \t]|$)"  # `- A. x`: an enumerator after a bullet
)
#: A numbered item's marker of one character (`1.`, `a)`, `#.`) is hidden too, but it is no term
#: (too short): it only counts among the tokens before the first term, whose position it moves.
_MARKDOWN_ONE_CHAR = r"[ \t>*+\-]*[0-9][.)](?:[ \t]|$)"
_REST_ONE_CHAR = r"[ \t]*\(?[A-Za-z0-9#][.)](?:[ \t]|$)"
#: Lines that may make a heading: a Markdown `#` anywhere or a setext underline, a reST adornment.
_MARKDOWN_HEADING = r"[^\n]*#|[ \t>*+\-]*[=\-][ \t=\-]*$"
_REST_HEADING = r"[ \t]*([!-/:-@\[-`{-~])\1*[ \t]*$"


class _Lines:
    """A rule on lines, searched from each newline (a literal the regex engine scans for fast:
    a `^` in MULTILINE mode is tried at every character) and at the start of the text."""

    def __init__(self, rule: str) -> None:
        self.first = re.compile(f"(?:{rule})", re.MULTILINE)
        self.after = re.compile(f"\n(?:{rule})", re.MULTILINE)

    def search(self, text: str, start: int = 0) -> int:
        """Where the first line from `start` (a line start) that matches begins, or -1."""
        if self.first.match(text, start):
            return start
        m = self.after.search(text, start)
        return -1 if m is None else m.start() + 1


_RULES = {
    "markdown": (
        _MARKDOWN_FORBIDDEN_RE,
        _Lines(_MARKDOWN_LINES),
        _Lines(_MARKDOWN_ONE_CHAR),
        _Lines(_MARKDOWN_HEADING),
    ),
    "rest": (_REST_FORBIDDEN_RE, _Lines(_REST_LINES), _Lines(_REST_ONE_CHAR), _Lines(_REST_HEADING)),
}
_last: tuple[str, str, int, bool] = ("", "", 0, False)
_SAFE_CUT_RE = re.compile(r"\n(?:[ \t]*\n)+(?=[A-Za-z0-9])")
_LETTER_OR_DIGIT_RE = re.compile(r"[A-Za-z0-9]")


def hides_no_words(text: str, fmt: str, limit: int) -> bool:
    """Whether the Markdown (`fmt` 'markdown') or reST ('rest') text of at most `limit`
    characters (the parser's, above which it is read as plain text) shows every word it holds.
    (The last answer is kept: the build asks it of a text and so does its metadata.)"""
    global _last
    if _last[1] == fmt and _last[2] == limit and _last[0] == text:
        return _last[3]
    found = _hides_no_words(text, fmt, limit)
    _last = (text, fmt, limit, found)
    return found


def _hides_no_words(text: str, fmt: str, limit: int) -> bool:
    rules = _RULES.get(fmt)
    if rules is None or len(text) > limit or (fmt == "markdown" and text.startswith(("---", "+++"))):
        return False  # (`---`, `+++`: front matter)
    forbidden, lines, one_char, _ = rules
    if forbidden.search(text) is not None or lines.search(text) >= 0:
        return False
    marker = one_char.search(text)
    if marker < 0:
        return True
    from folio_reader.index import analysis  # (it imports this package)

    return next(analysis.analyse(text[:marker]), None) is not None


def may_hold_a_heading(text: str, fmt: str, start: int, end: int) -> bool:
    """Whether a line of text[start:end] (`start` a line start) may belong to a heading."""
    at = _RULES[fmt][3].search(text[:end], start)
    return at >= 0


def opening(text: str, at_least: int) -> str:
    """The text up to its first safe cut at or after `at_least` (the blank lines kept), or the
    whole text when there is none. For a text `hides_no_words` vouches for."""
    at = at_least
    while True:
        m = _SAFE_CUT_RE.search(text, at)
        if m is None:
            return text
        before = text.rfind("\n", 0, m.start()) + 1
        if _LETTER_OR_DIGIT_RE.search(text, before, m.start()):
            return text[: m.end()]
        at = m.end()
