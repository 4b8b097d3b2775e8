"""The index build's fast path (issue 12's build time): a Markdown or reST text whose markup
hides no word is indexed as its whole text and its metadata read from its opening, and both are
exactly what the parse of the whole text gives."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from folio_reader.index import analysis, document
from folio_reader.index.corpus import Corpus
from folio_reader.index.document import describe, markup_free, parse
from folio_reader.index.search import build

#: (`document.metadata` is the function; its module holds the limits `describe` reads)
metadata_module = importlib.import_module("folio_reader.index.document.metadata")

_WORD = st.one_of(
    st.sampled_from(["tariff", "Harbour", "pier", "a", "I", "the", "of", "US", "2023", "Mélanie", "naïve", "x1"]),
    st.from_regex(r"[A-Za-z][a-z0-9]{0,6}", fullmatch=True),
)
_PUNCT = st.sampled_from([".", ",", "!", "?", " —", ";", "'s", '"', "(", ")", "-", "=", "#", "/", "%", "+"])
_TOKEN = st.one_of(
    _WORD,
    _WORD,
    st.tuples(_WORD, _PUNCT).map("".join),
    st.tuples(_PUNCT, _WORD).map("".join),
    st.tuples(_WORD, st.sampled_from(["_", ".", "-", "__", "*", "**"]), _WORD).map("".join),
    _WORD.map(lambda w: f"_{w}_"),
    _WORD.map(lambda w: f"*{w}*"),
    _WORD.map(lambda w: f"**{w}**"),
    st.lists(_WORD, min_size=2, max_size=3).map(lambda ws: "_" + " ".join(ws) + "_."),
    st.lists(_WORD, min_size=2, max_size=3).map(lambda ws: "**" + " ".join(ws) + "**,"),
)
_LINE = st.lists(_TOKEN, min_size=1, max_size=9).map(" ".join)
_PARAGRAPH = st.lists(_LINE, min_size=1, max_size=3).map("\n".join)
#: reST tokens: no `*` or `_` (the fast path leaves reST emphasis and references to docutils)
_TOKEN_RST = st.one_of(
    _WORD,
    _WORD,
    st.tuples(_WORD, _PUNCT).map("".join),
    st.tuples(_PUNCT, _WORD).map("".join),
    st.tuples(_WORD, st.sampled_from([".", "-", "'", "#"]), _WORD).map("".join),
)
_LINE_RST = st.lists(_TOKEN_RST, min_size=1, max_size=9).map(" ".join)
_PARAGRAPH_RST = st.lists(_LINE_RST, min_size=1, max_size=3).map("\n".join)
_BLOCK_MD = st.one_of(
    _PARAGRAPH,
    _PARAGRAPH,
    st.tuples(st.sampled_from(["#", "##", "###"]), _LINE).map(" ".join),
    _LINE.map(lambda s: f"{s}\n{'=' * 3}"),
    _LINE.map(lambda s: f"{s}\n---"),
    st.lists(_LINE, min_size=1, max_size=3).map(lambda items: "\n".join("- " + i for i in items)),
    st.lists(_LINE, min_size=1, max_size=3).map(lambda items: "\n".join("* " + i for i in items)),
    st.lists(_LINE, min_size=1, max_size=3).map(lambda items: "\n".join(f"{n + 1}. {i}" for n, i in enumerate(items))),
    _PARAGRAPH.map(lambda s: "> " + s.replace("\n", "\n> ")),
    _PARAGRAPH.map(lambda s: "    " + s.replace("\n", "\n    ")),
    st.lists(_LINE, min_size=2, max_size=2).map(lambda ls: f"- {ls[0]}\n\n  {ls[1]}"),
    st.sampled_from(["***", "___", "- - -"]),
)
_BLOCK_RST = st.one_of(
    _PARAGRAPH_RST,
    _PARAGRAPH_RST,
    st.tuples(_LINE_RST, st.sampled_from("=-~^")).map(lambda t: f"{t[0]}\n{t[1] * max(4, len(t[0]))}"),
    _LINE_RST.map(lambda s: f"{'=' * max(4, len(s))}\n{s}\n{'=' * max(4, len(s))}"),
    st.lists(_LINE_RST, min_size=1, max_size=3).map(lambda items: "\n".join("- " + i for i in items)),
    st.lists(_LINE_RST, min_size=1, max_size=3).map(
        lambda items: "\n".join(f"{n + 1}. {i}" for n, i in enumerate(items))
    ),
    _PARAGRAPH_RST.map(lambda s: "   " + s.replace("\n", "\n   ")),
    st.tuples(_WORD, _PARAGRAPH_RST).map(lambda t: f"{t[0]}\n   {t[1].replace(chr(10), chr(10) + '   ')}"),
    _PARAGRAPH_RST.map(lambda s: f"   {s}\n\n   -- {s.split()[0]}"),
    st.just("----------"),
)


def _body(text: str, structure: document.Structure) -> tuple[analysis.TermPostings, set[str]]:
    """What the index keeps of a body: its term postings and its did-you-mean words."""
    value = build.body_value(text, "x", structure)
    if isinstance(value, str):
        return analysis.term_postings(value), analysis.vocabulary_words(analysis.words(value))
    return value.postings, analysis.vocabulary_words(value.words)


def _check(text: str, suffix: str) -> None:
    assume(document.hides_no_words(text, suffix))
    whole = parse(text, suffix)
    assert whole.fallback == ""
    # the words a reader sees are those of the whole text, at the same characters
    assert _body(text, whole) == (
        analysis.term_postings(text),
        analysis.vocabulary_words(analysis.words(text)),
    )
    # the blocks before a safe cut are those of the whole text
    for at in (0, 40, 200):
        head = markup_free.opening(text, at)
        assert parse(head, suffix).blocks == tuple(b for b in whole.blocks if b.start < len(head))
    # and the metadata read from the opening is that of the whole text's structure, also where
    # the opening is cut short (the limits made small, as a long text would meet them)
    assert document.metadata(text, suffix) == describe(text, whole)
    with pytest.MonkeyPatch.context() as m:
        for module in (document, metadata_module):
            m.setattr(module, "OPENING_CHARS", 30)
            m.setattr(module, "HEAD_CHARS", 120)
        assert document.metadata(text, suffix) == describe(text, whole)


@settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow], max_examples=40, deadline=None)
@given(st.lists(_BLOCK_MD, min_size=1, max_size=6).map("\n\n".join))
def test_markdown_that_hides_no_word_reads_as_its_parse(text: str) -> None:
    _check(text, ".md")


@settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow], max_examples=40, deadline=None)
@given(st.lists(_BLOCK_RST, min_size=1, max_size=6).map("\n\n".join))
def test_rest_that_hides_no_word_reads_as_its_parse(text: str) -> None:
    _check(text, ".rst")


@pytest.mark.parametrize(
    ("suffix", "text"),
    [
        (".md", "A [link](http://example.org/hidden) here."),
        (".md", "Some `code` here."),
        (".md", "```python\nprint(1)\n```"),
        (".md", "An &eacute; entity."),
        (".md", "An escape\\*here."),
        (".md", "<!-- a comment -->\n\nText."),
        (".md", "---\ntitle: Front\n---\n\nText."),
        (".md", "Intro text.\n\n12. item twelve"),
        (".md", "1. the marker comes before any term"),
        (".md", "| a | b |\n|---|---|\n| c | d |"),
        (".md", "~~~\ncode\n~~~"),
        (".md", ">>>>>>>>>>>>>> deep"),
        (".md", "!!! tip\n    An indented body."),
        (".md", '???+ note "Folded"\n    A body.'),
        (".md", "### :material-apple: macOS"),
        (".md", "Press ++q++ to quit."),
        (".md", "A button{ .md-button } here."),
        (".rst", ".. comment hidden\n\nText."),
        (".rst", "Use :func:`abs` here."),
        (".rst", ":Author: A. Writer"),
        (".rst", "Intro.\n\niv. a roman enumerator"),
        (".rst", "-v  verbose option"),
        (".rst", "=====  =====\na      b\n=====  =====\n"),
        (".rst", "A reference_ here."),
        (".rst", "A *star* here."),
        (".rst", "- A. tariff"),
        (".txt", "Plain text is no format of its own here."),
    ],
)
def test_markup_that_hides_words_is_parsed(suffix: str, text: str) -> None:
    """Each of these hides a word (or a character of one), or is not Markdown or reST by its
    file name: the fast path does not vouch for it."""
    assert not document.hides_no_words(text, suffix)


def test_a_single_digit_marker_after_the_first_term_is_vouched_for() -> None:
    assert document.hides_no_words("# Steps\n\n1. one\n2. two\n", ".md")
    assert document.hides_no_words("Steps\n=====\n\na. one\nb. two\n", ".rst")


@pytest.mark.parametrize("suffix", [".md", ".rst"])
def test_a_heading_past_the_opening_is_the_title(suffix: str) -> None:
    """An opening without a heading does not answer when a heading follows it (before the
    HEAD_CHARS the title is looked for in): the longer opening is parsed."""
    paragraph = "The harbour council voted to rebuild the pier after the storms of 2023. " * 5
    heading = "# Real title" if suffix == ".md" else "Real title\n=========="
    text = f"Intro line\n\n{paragraph}\n\n{paragraph}\n\n{heading}\n\n{paragraph}\n"
    assert document.hides_no_words(text, suffix)
    found = document.metadata(text, suffix)
    assert found == describe(text, parse(text, suffix))
    assert (found.title, found.title_source) == ("Real title", "heading")


def test_the_build_parses_only_the_opening_of_a_text_that_hides_no_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build's fields of a markup-free Markdown and reST file are those of its whole parse,
    and only its opening (not the whole text) is parsed for them."""
    paragraph = "The harbour council voted to rebuild the old pier after the storms of 2023. " * 6
    emphasis = paragraph.replace("old pier", "_old pier_").replace("storms", "**storms**")
    (tmp_path / "a.md").write_text("# Pier rebuilt\n\nMélanie Rogers\n2023-07-23\n\n" + f"{emphasis}\n\n" * 12)
    (tmp_path / "b.rst").write_text("Pier rebuilt\n============\n\n2023-07-23\n\n" + f"{paragraph}\n\n" * 12)
    corpus = Corpus(tmp_path)
    corpus.structures.folder = None
    parsed: list[int] = []
    real_parse = document.parse

    def counting_parse(text: str, suffix: str) -> document.Structure:
        parsed.append(len(text))
        return real_parse(text, suffix)

    for entry in corpus.scan().entries:
        text = corpus.load(entry).text
        with monkeypatch.context() as m:
            m.setattr(build, "_hides_no_words", lambda entry, data: False)
            whole, _ = build.document_fields(corpus, entry)
        with monkeypatch.context() as m:
            m.setattr(document, "parse", counting_parse)
            parsed.clear()
            fast, reason = build.document_fields(corpus, entry)
        assert reason is None
        assert parsed and max(parsed) < len(text) / 2, (entry.rel, parsed, len(text))
        assert fast["title"] == whole["title"] == "Pier rebuilt"
        assert fast["meta"] == whole["meta"]
        assert fast.get("author") == whole.get("author")
        assert fast["date"] == whole["date"]
        assert isinstance(fast["body"], str)
        assert analysis.term_postings(fast["body"]) == whole["body"].postings
