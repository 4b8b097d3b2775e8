"""`document.detect_format` on `.txt` files: the same answer as the rule it states, looked for
in full (the module looks for each signal only where its characters are, and stops at two)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from folio_reader.index import document
from folio_reader.index.document import SNIFF_CHARS, detect_format

PIECES = ["#", "# ", "## h\n", "###x", "*", "**", "__", "_", "a", " ", "\t", "\n", "[x](http://a)", "[y](#z)"]
PIECES += ["](", "[", ")", "```", "~~~", "```\nx\n```\n", "~~~ py\ny\n~~~\n", "*a*", "**b**", "__c__", "w b"]


def rule(text: str) -> str:
    """The docstring's rule, every signal looked for over the whole opening."""
    head = text[:SNIFF_CHARS]
    first = head.lstrip("\n").split("\n", 1)[0]
    if document._ATX_RE.match(first):
        return "markdown"
    signals = (
        len(document._ATX_RE.findall(head)) >= 2,
        document._STRONG_RE.search(head) is not None,
        len(document._EMPHASIS_RE.findall(head)) >= 2,
        document._LINK_RE.search(head) is not None,
        document._FENCE_RE.search(head) is not None,
    )
    return "markdown" if sum(signals) >= 2 else "plain"


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_a_txt_file_reads_as_its_signals_say(text: str) -> None:
    assert detect_format(text, ".txt") == rule(text)


def test_signals_found_apart_and_past_the_sniffed_opening() -> None:
    link, fence = "see [a](https://x.org) here\n", "```\ncode\n```\n"
    assert detect_format("plain words\n" + link + "more\n" * 50 + fence, ".txt") == "markdown"
    assert detect_format("plain words\n" + link + "x" * SNIFF_CHARS + fence, ".txt") == "plain"
    assert detect_format("one *stray* star, two __ underscores\n", ".txt") == "plain"
    assert detect_format("*one* and *two*\n## a heading\n", ".txt") == "plain"  # one heading: no signal
    assert detect_format("*one* and *two*\n## a heading\n## another\n", ".txt") == "markdown"
    assert detect_format("# Title\n", ".TXT") == "markdown" and detect_format("# x\n", ".log") == "plain"
    assert detect_format("", ".txt") == "plain"
