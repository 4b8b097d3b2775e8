"""Terminal safety: the one place that makes any string inert before it is shown.

Document text, file names, titles, notes and queries are data. Before any of it reaches a
terminal (the app's widgets, the command line's text and JSON output, error messages) it passes
through one of these functions, which replace every control character with a visible stand-in,
one code point for one: C0 controls become the U+2400 control pictures (ESC shows as ␛, a
newline in a file name as ␊), DEL becomes ␡, the C1 controls (U+0080-U+009F, which include the
8-bit CSI and OSC) and lone surrogates (a file name that is not valid UTF-8, a string read from
JSON) become U+FFFD. What is left cannot move the cursor, retitle the window, write the
clipboard or split a line.

No Textual or Rich here: the core, the app and the command line all import this module.
"""

from __future__ import annotations

import json
import re

#: every control character -> its visible stand-in
_VISIBLE = {
    **{c: 0x2400 + c for c in range(0x20)},
    0x7F: 0x2421,
    **{c: 0xFFFD for c in range(0x80, 0xA0)},
}
#: the same, but tab and newline kept (text of several lines)
_VISIBLE_KEEP_LAYOUT = {c: v for c, v in _VISIBLE.items() if c not in (0x09, 0x0A)}
#: the same, but tab, newline and carriage return as spaces (a run of cells on one row)
_VISIBLE_INLINE = {**_VISIBLE, 0x09: 0x20, 0x0A: 0x20, 0x0D: 0x20}
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
#: what json.dumps(ensure_ascii=False) leaves raw that a terminal may act on (it escapes C0 itself)
_JSON_UNSAFE_RE = re.compile("[\x7f-\x9f\ud800-\udfff]")


def _no_surrogates(text: str) -> str:
    return _SURROGATE_RE.sub("\ufffd", text) if _SURROGATE_RE.search(text) else text


def inert_label(text: str) -> str:
    """One line: every control character, newline and tab included, made visible one for one.

    For file names, titles, tags and one-line messages: a name holding ESC or a newline shows as
    `esc␛]0;x␇.txt` on one line."""
    if _CONTROL_RE.search(text):
        text = text.translate(_VISIBLE)
    return _no_surrogates(text)


def inert_lines(text: str) -> str:
    """Like `inert_label`, keeping the newlines (a message of several lines)."""
    return "\n".join(inert_label(line) for line in text.split("\n"))


def inert_text(text: str) -> str:
    """Text of several lines as a document holds it: `\\r\\n` and `\\r` become `\\n`, tab and
    newline stay, every other control character is made visible (the canonical text's rule)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL_RE.search(text):
        text = text.translate(_VISIBLE_KEEP_LAYOUT)
    return _no_surrogates(text)


def inert_inline(text: str) -> str:
    """A run of cells on one row (a margin mark, a placeholder): tabs, newlines and carriage
    returns become spaces, every other control character is made visible."""
    if _CONTROL_RE.search(text):
        text = text.translate(_VISIBLE_INLINE)
    return _no_surrogates(text)


def inert_json(value: object, *, indent: int | None = 2, ascii_only: bool = False) -> str:
    """JSON that is exact and inert in a terminal.

    `json.dumps(..., ensure_ascii=False)` escapes C0 controls (ESC as `\\u001b`) but writes DEL,
    the C1 controls and lone surrogates raw: those are escaped here too, so the text parses back
    to the same value and a terminal shows it as it is. `ascii_only` escapes every non-ASCII
    character (for an output that cannot encode them).
    """
    if ascii_only:
        return json.dumps(value, ensure_ascii=True, indent=indent)
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
