"""Text units: paragraphs from blocks, the one sentence splitter, and the displayed words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from folio_reader.index.corpus import open_corpus, paragraphs
from folio_reader.index.document import Block, displayed_words, parse, sentence_bounds, sentences
from folio_reader.index.document.units import first_sentence
from tests.document_corpus import MARKDOWN, REST


def test_sentences_skip_abbreviations_and_initials() -> None:
    text = "Mr. Smith met Dr. J. Doe in the U.S. on Monday. They talked, e.g. about tariffs! Then? Done…"
    assert [text[s:e] for s, e in sentences(text)] == [
        "Mr. Smith met Dr. J. Doe in the U.S. on Monday.",
        "They talked, e.g. about tariffs!",
        "Then?",
        "Done…",
    ]
    assert first_sentence(text) == "Mr. Smith met Dr. J. Doe in the U.S. on Monday."
    start = text.index("talked")
    s, e = sentence_bounds(text, 0, len(text), start)
    assert text[s:e] == "They talked, e.g. about tariffs!"
    cjk = "「はい。」そうです。"
    assert [cjk[s:e] for s, e in sentences(cjk)] == ["「はい。」", "そうです。"]


def test_paragraphs_from_structure_and_the_seeds_byline() -> None:
    corpus = open_corpus()
    doc = corpus.load("000_4516db8e315558cc.txt")
    first = [doc.text[s:e] for s, e in doc.paragraphs[:4]]
    assert first[1:3] == ["Our reporter", "10 October 2025"]  # two source lines, two paragraphs
    assert paragraphs(doc.text) == doc.paragraphs  # the plain rule with or without a structure
    structure = parse(REST, ".rst")
    spans = paragraphs(REST, structure)
    texts = [REST[s:e] for s, e in spans]
    assert not any(
        t.startswith(".. index::") or t.startswith(".. _") for t in texts
    )  # hidden blocks are not paragraphs
    assert spans == sorted(spans) and all(e > s for s, e in spans)


def test_displayed_words_leave_out_what_is_not_shown() -> None:
    structure = parse(REST, ".rst")
    found = list(displayed_words(REST, structure))
    words = {w for w, _, _ in found}
    for word, start, end in found:
        assert REST[start:end] == word  # each at its canonical offsets
    assert {"abs", "emphasis", "Grace", "searchneedle", "method"} <= words
    assert not {"func", "meth", "ref", "index", "versionchanged", "SPDX", "linenos", "label", "https"} & words
    assert "hidden" not in words and "entry" not in words  # `.. index:: single: hidden entry`
    md = parse(MARKDOWN, ".md")
    md_words = {w for w, _, _ in displayed_words(MARKDOWN, md)}
    assert {"link", "reference", "bold", "cell", "searchneedle", "alt"} <= md_words
    # link targets, image sources, front matter, HTML tags (an autolink's URL is its text: shown)
    assert not {"png", "Lovelace", "ref"} & md_words
    tag = MARKDOWN.index("<span>") + 1
    assert not any(start == tag for _, start, _ in displayed_words(MARKDOWN, md))


def test_words_are_the_one_tokenisers_words() -> None:
    from folio_reader.index import analysis
    from folio_reader.index.document import units

    assert units.WORD_RE.pattern == analysis.WORD_RE.pattern


@given(st.lists(st.text(alphabet="ab -|*\t#.", min_size=0, max_size=30), min_size=1, max_size=12).map("\n".join))
def test_the_plain_rules_fast_path_decides_as_the_full_rule(text: str) -> None:
    from folio_reader.index.document import plain

    doc = plain._Doc(text, 0, len(text))
    full: list[Block] = []
    for m in plain._BLOCK_RE.finditer(text):
        plain._block(text, m.start(), m.end(), doc, (), full)
    assert plain.plain_blocks(text) == full


#: Sentence-ish text: letters, terminators, closers, abbreviations, initials, line breaks.
SENTENCE_PIECES = st.sampled_from(
    ["a", "b", " ", ".", "?", "!", "…", '"', "”", ")", ". ", "... ", "..", "U.S. ", "Mr. ", "\n"]
)


@given(st.lists(SENTENCE_PIECES, min_size=1, max_size=30).map("".join))
def test_the_sentence_around_an_offset_is_the_one_the_splitter_finds(text: str) -> None:
    # (it once ended a sentence at the offset when a terminator run went on past it: `(` from
    # the third dot of `code...` stopped between the dots)
    for s, e in sentences(text):
        for offset in range(s, e):
            assert sentence_bounds(text, 0, len(text), offset) == (s, e), offset


def test_a_terminator_run_reaching_the_offset_ends_the_sentence_it_is_in() -> None:
    text = "Wait... what?! Yes."
    assert [sentence_bounds(text, 0, len(text), text.index(c)) for c in ("t.", "?!")] == [(0, 7), (8, 14)]
    for offset in range(4, 7):  # on each dot of the run
        assert sentence_bounds(text, 0, len(text), offset) == (0, 7)
    assert sentence_bounds(text, 0, len(text), text.index("!")) == (8, 14)
