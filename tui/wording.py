"""Counts in words: `counted(1, "document")` is "1 document", `counted(5128, "document")` is
"5,128 documents". Every count the app shows goes through it, so plurals and thousands
separators are right everywhere."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`n` and the noun it counts, with a thousands separator; `plural` when adding "s" is wrong."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"
