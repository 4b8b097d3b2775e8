"""index.analysis: the one tokeniser (words, identifiers, CJK), its stop lists, and the Whoosh
analyzer built on it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh.analysis import CharsetFilter, StemmingAnalyzer
from whoosh.support.charset import accent_map

from folio_reader.index import analysis
from folio_reader.index.analysis import NAMES, QueryUnit
from folio_reader.index.search.whoosh_ext import name_analyzer, text_analyzer

#: What the index analysed text with before identifiers and CJK (schema 5): Whoosh's own chain.
OLD_PATTERN = r"[^\W_]+(?:\.?[^\W_]+)*"


def old_analyzer():
    return StemmingAnalyzer(expression=OLD_PATTERN, stoplist=analysis.SEARCH_STOP_WORDS) | CharsetFilter(accent_map)


def postings(analyzer, text: str, **kwargs) -> list[tuple[str, int, int, int]]:
    return [(t.text, t.pos, t.startchar, t.endchar) for t in analyzer(text, positions=True, chars=True, **kwargs)]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.text(alphabet="aAbBcİıßéÉ\n\t'1 ,;!", max_size=7)
        | st.sampled_from(["the ", "of ", "us ", "US ", "running "]),
        max_size=20,
    ).map("".join)
)
def test_plain_english_is_analysed_exactly_as_before(text: str) -> None:
    """Text without joiners or CJK: the same terms, positions and characters as schema 5's
    Whoosh StemmingAnalyzer, so English results do not move."""
    assert postings(text_analyzer(), text) == postings(old_analyzer(), text)
    assert [t.text for t in text_analyzer()(text, mode="query")] == [t.text for t in old_analyzer()(text, mode="query")]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aB_.-:/é中文메모 1", max_size=24))
def test_terms_positions_and_characters_are_sound(text: str) -> None:
    found = list(analysis.analyse(text))
    for term, pos, start, end in found:
        assert 0 <= start < end <= len(text) and pos >= 0 and term
    by_term: dict[str, list[int]] = {}
    for term, pos, _, _ in found:
        by_term.setdefault(term, []).append(pos)
    assert all(p == sorted(p) for p in by_term.values())  # Whoosh needs them rising


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
    assert [t for t, *_ in analysis.analyse("ＲＣＵ ｒｃｕ")] == ["rcu", "rcu"]  # full-width Latin folds


def test_the_two_stop_lists_differ_where_their_users_need_it() -> None:
    # search keeps "us" (US-Canada news) and most function words (phrases keep them)
    assert analysis.term("US") == "us" and analysis.term("about") == "about"
    # the comparison drops function words, which are noise in TF-IDF vectors
    assert analysis.term("about", analysis.PROSE_STOP_WORDS) is None
    only_search = analysis.SEARCH_STOP_WORDS - analysis.PROSE_STOP_WORDS
    assert only_search == {"tbd", "may", "yet"}


def test_the_vocabulary_keeps_words_unstemmed_and_folded_and_leaves_cjk_alone() -> None:
    assert analysis.vocabulary_words(["Running", "the", "Mélanie", "x", "US", "内存屏障"]) == {
        "running",
        "melanie",
        "us",
    }


def test_name_analyzer_does_not_stem() -> None:
    assert [t.text for t in name_analyzer()("Running Mélanie")] == ["running", "melanie"]
    assert [t for t, *_ in analysis.analyse("J. R. R. Tolkien", NAMES)] == ["j", "r", "r", "tolkien"]


# -- identifiers ------------------------------------------------------------------------------------


def test_identifiers_are_indexed_whole_and_as_their_parts() -> None:
    assert list(analysis.analyse("call KVM_CREATE_VM now")) == [
        ("call", 0, 0, 4),
        ("kvm_create_vm", 1, 5, 18),
        ("kvm", 1, 5, 8),
        ("creat", 2, 9, 15),
        ("vm", 3, 16, 18),
        ("now", 4, 19, 22),
    ]
    terms = {t for t, *_ in analysis.analyse("os.path.join std::move memory-barriers.txt https://lwn.net/Articles/1")}
    assert {"os.path.join", "join", "std::move", "move", "memory-barriers.txt", "barrier"} <= terms
    assert {"https://lwn.net/articles/1", "lwn", "articl"} <= terms


def test_a_query_identifier_is_its_whole_token_or_the_phrase_of_its_parts() -> None:
    assert analysis.query_units("KVM_CREATE_VM") == [
        QueryUnit("kvm_create_vm", ("kvm", "creat", "vm"), ("kvm", "creat", "vm"))
    ]
    # a part that is no term (a stop word, one letter): the whole token only, never "ray" alone
    assert analysis.query_units("x-ray") == [QueryUnit("x-ray", (), ("rai",))]
    assert analysis.query_units("state-of-the-art") == [QueryUnit("state-of-the-art", (), ("state", "art"))]
    assert analysis.query_units("the") == [] and analysis.query_units("x") == []


def test_markdown_emphasis_and_leading_dashes_are_no_joiners() -> None:
    assert [t for t, *_ in analysis.analyse("_walrus_ --no-binary __init__")] == [
        "walru",
        "no-binary",
        "no",
        "binari",
        "init",
    ]


# -- CJK ----------------------------------------------------------------------------------------------


def test_cjk_runs_are_bigrams_and_unigrams() -> None:
    assert list(analysis.analyse("内存屏障")) == [
        ("内存", 0, 0, 2),
        ("存屏", 1, 1, 3),
        ("屏障", 2, 2, 4),
        ("内", 0, 0, 1),
        ("存", 1, 1, 2),
        ("屏", 2, 2, 3),
        ("障", 2, 3, 4),
    ]
    assert analysis.query_units("内存屏障") == [QueryUnit(None, ("内存", "存屏", "屏障"), ("内存", "存屏", "屏障"))]
    assert analysis.query_units("中") == [QueryUnit(None, ("中",), ("中",))]


def test_mixed_text_punctuation_and_korean_whole_runs() -> None:
    found = list(analysis.analyse("RCU 读取锁。「内核」"))
    assert [t for t, *_ in found if len(t) == 2] == ["读取", "取锁", "内核"]  # 。「」 separate
    assert found[0] == ("rcu", 0, 0, 3)
    # the phrase "RCU 读取锁": rcu, then the bigrams at the next positions
    chain = [t for t, *_ in analysis.phrase_chain("RCU 读取锁")]
    positions = {t: p for t, p, *_ in found}
    assert chain == ["rcu", "读取", "取锁"] and [positions[t] for t in chain] == [0, 1, 2]
    korean = {t for t, *_ in analysis.analyse("메모리를 사용")}
    assert {"메모리를", "메모", "모리", "리를", "사용"} <= korean
    assert analysis.query_units("메모리")[0].whole == "메모리"
    assert [t for t, *_ in analysis.analyse("RCU读取")] == ["rcu", "读取", "读", "取"]  # script change splits


def test_the_stop_lists_are_whooshs_and_importing_analysis_imports_no_whoosh() -> None:
    import subprocess
    import sys

    from whoosh.analysis import STOP_WORDS
    from whoosh.lang import stopwords_for_language

    assert STOP_WORDS - {"us"} == analysis.SEARCH_STOP_WORDS
    assert frozenset(stopwords_for_language("en")) == analysis.PROSE_STOP_WORDS
    code = "import sys, folio_reader.index.analysis as a; a.words('x'); print('whoosh' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
