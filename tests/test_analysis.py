"""index.analysis: the one tokeniser, its stop lists, and the Whoosh analyzers built on it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from folio_reader.index import analysis


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aAbBcİıßéÉ_.'1 ", min_size=1, max_size=12))
def test_term_is_what_the_whoosh_text_analyzer_gives(text: str) -> None:
    analyzer = analysis.text_analyzer()
    expected = [t.text for t in analyzer(text)]
    got = [t for t in (analysis.term(w) for w in analysis.words(text)) if t is not None]
    assert got == expected


def test_words_terms_and_folding() -> None:
    assert analysis.words("The _walrus_ met U.S. officials, 3.5 times.") == [
        "The",
        "walrus",
        "met",
        "U.S",
        "officials",
        "3.5",
        "times",
    ]
    assert analysis.term("Tariffs") == analysis.term("tariff") == "tariff"
    assert analysis.term("Mélanie") == analysis.term("Melanie")
    assert analysis.term("the") is None and analysis.term("x") is None
    assert analysis.fold("Mélanie") == "melanie"


def test_the_two_stop_lists_differ_where_their_users_need_it() -> None:
    # search keeps "us" (US-Canada news) and most function words (phrases keep them)
    assert analysis.term("US") == "us" and analysis.term("about") == "about"
    # the comparison drops function words, which are noise in TF-IDF vectors
    assert analysis.term("about", analysis.PROSE_STOP_WORDS) is None
    only_search = analysis.SEARCH_STOP_WORDS - analysis.PROSE_STOP_WORDS
    assert only_search == {"tbd", "may", "yet"}


def test_the_vocabulary_keeps_words_unstemmed_and_folded() -> None:
    assert analysis.vocabulary_words(["Running", "the", "Mélanie", "x", "US"]) == {"running", "melanie", "us"}


def test_name_analyzer_does_not_stem() -> None:
    assert [t.text for t in analysis.name_analyzer()("Running Mélanie")] == ["running", "melanie"]
