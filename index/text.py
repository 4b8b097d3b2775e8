"""Bytes to canonical text: decoding, binary detection, control characters made visible, hashes.

The *canonical text* of a document is what every offset in Folio counts code points in (see
`index/corpus.py`); these are the pure functions that make it, apart from the corpus's files.
"""

from __future__ import annotations

import codecs
import hashlib
import re

_CONTROL_MAP = {c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A)}
_CONTROL_MAP[0x7F] = 0x2421  # DEL -> SYMBOL FOR DELETE
_CONTROL_MAP.update({c: 0xFFFD for c in range(0x80, 0xA0)})  # C1 controls
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_BYTES = bytes(c for c in range(0x80) if _CONTROL_RE.match(chr(c)))
_BINARY_SAMPLE = 64 * 1024


class UnreadableError(Exception):
    """A document that cannot be read as text; its message is the reason shown to the user."""


def _replace_control(match: re.Match[str]) -> str:
    return chr(_CONTROL_MAP[ord(match.group())])


def canonical_text(text: str) -> str:
    """Normalise newlines and make control characters visible, one code point for one."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():  # (a flag of the string, not a pass): its control bytes counted in C
        data = text.encode("ascii")
        if len(data.translate(None, _CONTROL_BYTES)) == len(data):
            return text
    if _CONTROL_RE.search(text):
        text = _CONTROL_RE.sub(_replace_control, text)
    return text


_SUSPICIOUS_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\r\x0c\x1b")


def looks_binary(data: bytes) -> bool:
    """True for content that is not text: NUL bytes among other control bytes, or mostly controls."""
    sample = data[:_BINARY_SAMPLE]
    if not sample or sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    suspicious = len(sample) - len(sample.translate(None, _SUSPICIOUS_BYTES))  # counted in C
    ratio = suspicious / len(sample)
    return (b"\0" in sample and ratio > 0.01) or ratio > 0.10


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text, returning (text, encoding label).

    UTF-8 (a BOM dropped) when it decodes, or nearly does (a few invalid bytes become U+FFFD);
    UTF-16 with a BOM; else Windows-1252, else Latin-1, which decode anything.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        label = "utf-8-sig"
    else:
        label = "utf-8"
    try:
        return data.decode("utf-8"), label
    except UnicodeDecodeError:
        pass
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    lenient = data.decode("utf-8", errors="replace")
    invalid = lenient.count("\ufffd") - data.count("\xef\xbf\xbd".encode("latin-1"))
    if invalid * 100 <= len(data):  # at most 1% bad bytes: UTF-8 with a few errors
        return lenient, f"{label} ({invalid} invalid byte{'s' if invalid != 1 else ''} replaced)"
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
