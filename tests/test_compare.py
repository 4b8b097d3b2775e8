"""index.compare: passage alignment, shared quotes, JSON, report, cache; and `folio compare`."""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

import folio_reader.index.compare.engine as engine_module
from folio_reader.index.compare import (
    AlignSettings,
    Comparison,
    ComparisonCache,
    ComparisonCancelled,
    compare,
    format_report,
    shared_quotes,
    to_json,
)
from folio_reader.index.corpus import Document, open_corpus
from folio_reader.tui.commands import compare as compare_command

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "gold_alignment.json"
WSWS_OCT, WSWS_MAY, CBC_MAY, PREVIEW_OCT = (
    "000_4516db8e315558cc.txt",
    "001_b23a58cccaa29fe1.txt",
    "003_8d5592569a17af2b.txt",
    "004_a5ef03112a72fcee.txt",
)

TOPICS = [
    "The harbour authority approved a new ferry terminal after months of dispute over dredging costs.",
    "Farmers in the valley reported a late frost that damaged apricot orchards and vineyards alike.",
    "A chess prodigy from the capital won the regional championship without losing a single game.",
    "The orchestra announced a winter season built around forgotten baroque cantatas and motets.",
    "Engineers found hairline cracks in the old railway bridge and closed it to freight traffic.",
    "Volunteers counted migrating cranes along the marshes and logged a record number this spring.",
    "The bakery cooperative doubled its rye production to supply schools across the province.",
    "Astronomers observed a comet brightening unexpectedly as it swung past the planet Jupiter.",
    "The museum returned a bronze statue to the island where divers first recovered it in 1962.",
    "A storm surge flooded the coastal road twice in one week and stranded delivery trucks overnight.",
    "The textile mill reopened with solar panels on its roof and a smaller, retrained workforce.",
    "Teachers piloted a reading programme in which pupils write letters to pen pals abroad.",
]


def make_doc(paras: list[str], name: str = "doc.txt") -> Document:
    return Document.from_text(name, "\n\n".join(paras) + ("\n" if paras else ""))


def pair_indices(comparison: Comparison, a: Document, b: Document) -> set[tuple[int, int]]:
    index_a = {span: i for i, span in enumerate(a.paragraphs)}
    index_b = {span: j for j, span in enumerate(b.paragraphs)}
    return {(index_a[p.a], index_b[p.b]) for p in comparison.alignment}


def best_counterparts(comparison: Comparison, a: Document, b: Document) -> dict[int, int]:
    """Paragraph i of A -> the index in B of its best counterpart."""
    index_b = {span: j for j, span in enumerate(b.paragraphs)}
    best = {}
    for i, (start, _) in enumerate(a.paragraphs):
        counterparts = comparison.side("a").counterparts(start)
        if counterparts:
            best[i] = index_b[counterparts[0].theirs]
    return best


@pytest.fixture(scope="module")
def seeds() -> dict[str, Document]:
    corpus = open_corpus(None)
    return {name: corpus.load(name) for name in (WSWS_OCT, WSWS_MAY, CBC_MAY, PREVIEW_OCT)}


# -- alignment on constructed texts -------------------------------------------------------------


def test_a_shuffled_copy_aligns_each_paragraph_to_its_original() -> None:
    order = list(range(len(TOPICS)))
    random.Random(7).shuffle(order)
    a, b = make_doc(TOPICS, "a.txt"), make_doc([TOPICS[k] for k in order], "b.txt")
    comparison = compare(a, b)
    assert best_counterparts(comparison, a, b) == {k: order.index(k) for k in range(len(TOPICS))}
    assert all(comparison.side("a").counterparts(a.paragraphs[k][0])[0].score == 1.0 for k in range(len(TOPICS)))
    assert comparison.only_in_a == [] and comparison.only_in_b == []


def test_an_inserted_paragraph_is_only_here() -> None:
    inserted = "A quiet debate on parking meters ended with nobody agreeing about anything."
    a = make_doc(TOPICS, "a.txt")
    b = make_doc([*TOPICS[:5], inserted, *TOPICS[5:]], "b.txt")
    comparison = compare(a, b)
    assert comparison.only_in_b == [b.paragraphs[5]]
    assert comparison.only_in_a == []
    assert comparison.side("b").counterparts(b.paragraphs[5][0]) == []


def test_an_edited_paragraph_still_finds_its_counterpart_among_several() -> None:
    a = make_doc(TOPICS, "a.txt")
    edited = "Engineers closed the old railway bridge to freight after finding hairline cracks in it."
    b = make_doc([edited, TOPICS[0], TOPICS[7]], "b.txt")
    comparison = compare(a, b)
    assert comparison.side("b").counterparts(b.paragraphs[0][0])[0].theirs == a.paragraphs[4]
    assert pair_indices(comparison, a, b) == {(4, 0), (0, 1), (7, 2)}


def test_very_different_lengths_work_both_ways() -> None:
    rng = random.Random(3)
    words = " ".join(TOPICS).lower().replace(".", "").replace(",", "").split()
    filler = [" ".join(rng.choices(words, k=30)) + "." for _ in range(400)]
    long_doc = make_doc([*filler[:200], TOPICS[2], *filler[200:]], "long.txt")
    short_doc = make_doc([TOPICS[2]], "short.txt")
    forward, backward = compare(short_doc, long_doc), compare(long_doc, short_doc)
    assert best_counterparts(forward, short_doc, long_doc) == {0: 200}
    assert best_counterparts(backward, long_doc, short_doc)[200] == 0
    assert len(backward.only_in_a) > 300


def test_boilerplate_made_only_of_common_terms_still_aligns() -> None:
    boilerplate = "Subscribe to our newsletter for the latest regional news every morning."
    a = make_doc([TOPICS[0], boilerplate], "a.txt")
    b = make_doc([boilerplate] * 150 + TOPICS, "b.txt")  # its terms are in more than 100 paragraphs
    comparison = compare(a, b)
    assert comparison.only_in_a == []
    assert comparison.side("a").counterparts(a.paragraphs[1][0])[0].score == 1.0


def test_alignment_is_symmetric(seeds: dict[str, Document]) -> None:
    a, b = seeds[WSWS_MAY], seeds[CBC_MAY]
    forward = {(p.a, p.b, p.score) for p in compare(a, b).alignment}
    backward = {(p.b, p.a, p.score) for p in compare(b, a).alignment}
    assert forward == backward


@pytest.mark.parametrize(
    ("paras_a", "paras_b"),
    [([], []), ([], ["One paragraph only."]), (["One paragraph only."], []), (["Same."], ["Same."])],
)
def test_empty_and_one_paragraph_documents(paras_a: list[str], paras_b: list[str]) -> None:
    a, b = make_doc(paras_a, "a.txt"), make_doc(paras_b, "b.txt")
    comparison = compare(a, b)
    assert comparison.shared_quotes == []
    assert len(comparison.alignment) + len(comparison.only_in_a) >= len(a.paragraphs)
    assert json.loads(json.dumps(to_json(comparison, a, b)))["a"]["path"] == "a.txt"
    assert "ONLY IN A" in format_report(comparison, a, b)


def test_paragraphs_of_stopwords_only_are_only_here() -> None:
    a = make_doc(["And so it was, as it is.", TOPICS[0]], "a.txt")
    b = make_doc(["It was as it is.", TOPICS[0]], "b.txt")
    comparison = compare(a, b)
    assert comparison.only_in_a == [a.paragraphs[0]]
    assert comparison.only_in_b == [b.paragraphs[0]]


def test_counterparts_lookup_by_offset() -> None:
    a, b = make_doc(TOPICS[:3], "a.txt"), make_doc(TOPICS[2::-1], "b.txt")
    comparison = compare(a, b)
    start, end = a.paragraphs[1]
    for offset in (start, (start + end) // 2, end):
        assert [c.theirs for c in comparison.side("a").counterparts(offset)] == [b.paragraphs[1]]
    assert comparison.side("a").counterparts(end + 1) == []  # the blank line between paragraphs
    assert [c.theirs for c in comparison.side("b").counterparts(b.paragraphs[0][0])] == [a.paragraphs[2]]
    assert comparison.side("a").counterparts(-1) == [] and comparison.side("a").counterparts(10**9) == []


def test_several_counterparts_come_best_first() -> None:
    a = make_doc(["Comet brightening observed by astronomers near Jupiter, a rare sight."], "a.txt")
    b = make_doc([TOPICS[7], "Astronomers say the comet was brightening.", TOPICS[0]], "b.txt")
    pairs = compare(a, b).side("a").counterparts(0)
    assert [p.theirs for p in pairs] == [b.paragraphs[0], b.paragraphs[1]]
    assert pairs[0].score >= pairs[1].score >= AlignSettings().keep * pairs[0].score


def test_each_side_sees_the_same_pairs_from_its_own_document(seeds: dict[str, Document]) -> None:
    a, b = seeds[WSWS_OCT], seeds[WSWS_MAY]
    comparison = compare(a, b)
    side_a, side_b = comparison.side("a"), comparison.side("b")
    assert side_a.other is side_b and side_b.other is side_a and comparison.side("a") is side_a
    assert side_a.only_here == comparison.only_in_a and side_b.only_here == comparison.only_in_b
    from_a = {(c.mine, c.theirs, c.score) for start, _ in a.paragraphs for c in side_a.counterparts(start)}
    from_b = {(c.theirs, c.mine, c.score) for start, _ in b.paragraphs for c in side_b.counterparts(start)}
    assert from_a == from_b == {(p.a, p.b, p.score) for p in comparison.alignment}
    for side, doc in ((side_a, a), (side_b, b)):
        spans = [(o.start, o.end) for o in side.occurrences]
        assert spans == sorted(spans) and len(spans) == sum(len(side.quote_spans(n)) for n in range(5))
        for o in side.occurrences:
            assert (o.start, o.end) in side.quote_spans(o.quote)
            words = re.findall(r"\w+", doc.text[o.start : o.end].lower())
            assert words == re.findall(r"\w+", comparison.shared_quotes[o.quote].text.lower())


def test_a_side_steps_through_its_only_here_paragraphs_and_quotes_wrapping_round() -> None:
    quote = "the harbour authority approved a new ferry terminal"
    extra = ["Nothing here matches anything in the other text at all, really.", "Another lonely paragraph of words."]
    a = make_doc([TOPICS[0], extra[0], TOPICS[1], extra[1], f"As they said, {quote} today."], "a.txt")
    b = make_doc([TOPICS[1], f"Quoting: {quote}.", TOPICS[0]], "b.txt")
    side = compare(a, b).side("a")
    first, second = a.paragraphs[1], a.paragraphs[3]
    assert first in side.only_here and second in side.only_here
    assert side.next_only_here(0, 1) == (first, False)
    assert side.next_only_here(first[0], 1) == (second, False)
    assert side.next_only_here(second[0], 1) == (side.only_here[0], True)
    # backwards from inside an only-here paragraph: the one before it, not itself
    assert side.next_only_here(second[0] + 5, -1) == (first, False)
    assert side.next_only_here(first[0] + 5, -1) == (side.only_here[-1], True)
    starts = [o.start for o in side.occurrences]
    assert len(set(starts)) >= 3 and starts == sorted(starts)
    later = [s for s in starts if s > starts[0]]
    found, wrapped = side.next_occurrence(starts[0], 1)
    assert (found.start, wrapped) == (later[0], False)
    found, wrapped = side.next_occurrence(later[0], -1)
    assert (found.start, wrapped) == (starts[0], False)
    found, wrapped = side.next_occurrence(starts[-1], 1)
    assert (found.start, wrapped) == (starts[0], True)
    found, wrapped = side.next_occurrence(starts[0], -1)
    assert (found.start, wrapped) == (starts[-1], True)
    same = compare(make_doc(TOPICS[:2], "x.txt"), make_doc(TOPICS[:2], "y.txt")).side("b")
    assert same.next_only_here(0, 1) is None and same.next_only_here(0, -1) is None
    unrelated = compare(make_doc(TOPICS[:2], "x.txt"), make_doc(TOPICS[2:4], "y.txt")).side("a")
    assert unrelated.next_occurrence(0, 1) is None and unrelated.next_occurrence(0, -1) is None


# -- shared quotes ------------------------------------------------------------------------------


def test_a_quote_with_curly_quotes_in_one_text_and_straight_in_the_other_is_shared() -> None:
    text_a = 'He said: "We don\'t want cars from Canada, ever again," and left the room.'
    text_b = "Trump told them “We don’t want cars from Canada — ever again” at noon."
    [quote] = shared_quotes(text_a, text_b)
    assert [text_a[s:e] for s, e in quote.a] == ["We don't want cars from Canada, ever again"]
    assert [text_b[s:e] for s, e in quote.b] == ["We don’t want cars from Canada — ever again"]
    assert quote.text == "We don't want cars from Canada, ever again"


def test_five_words_are_not_a_quote_and_six_are() -> None:
    assert shared_quotes("one two three four five", "x one two three four five y") == []
    [quote] = shared_quotes("one two three four five six", "x One, two; THREE four five six y")
    assert quote.b == [(2, 31)]


def test_a_repeated_quote_is_one_run_with_all_its_occurrences() -> None:
    quote = "the committee will meet again next spring"
    text_a = f"First, {quote}. Later: {quote}!"
    text_b = f"We heard that {quote}, nothing more."
    [found] = shared_quotes(text_a, text_b)
    assert len(found.a) == 2 and len(found.b) == 1
    assert {text_a[s:e] for s, e in found.a} == {quote}


def test_overlapping_runs_are_each_maximal() -> None:
    text_a = "alpha beta gamma delta epsilon zeta eta theta iota"
    text_b = "alpha beta gamma delta epsilon zeta. Then gamma delta epsilon zeta eta theta iota."
    texts = sorted(q.text for q in shared_quotes(text_a, text_b))
    assert texts == ["alpha beta gamma delta epsilon zeta", "gamma delta epsilon zeta eta theta iota"]


# -- progress, cancelling, cache ----------------------------------------------------------------


def test_progress_rises_to_one_and_should_stop_cancels(seeds: dict[str, Document]) -> None:
    a, b = seeds[WSWS_OCT], seeds[WSWS_MAY]
    reports: list[float] = []
    compare(a, b, progress=reports.append)
    assert reports[0] == 0.0 and reports[-1] == 1.0 and reports == sorted(reports)
    seen: list[float] = []
    with pytest.raises(ComparisonCancelled):
        compare(a, b, progress=seen.append, should_stop=lambda: len(seen) >= 2)
    assert len(seen) == 2


def test_cache_in_memory_and_on_disk(
    seeds: dict[str, Document], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = seeds[WSWS_MAY], seeds[CBC_MAY]
    cache = ComparisonCache(tmp_path / "cache", size=1)
    first = cache.compare(a, b)
    assert cache.compare(a, b) is first
    [file] = (tmp_path / "cache").glob("*.json")

    def fail(*args: object, **kwargs: object) -> Comparison:
        raise AssertionError("computed again")

    monkeypatch.setattr(engine_module, "compare", fail)
    assert ComparisonCache(tmp_path / "cache").compare(a, b) == first
    file.write_text("{not json", encoding="utf-8")
    monkeypatch.undo()
    assert ComparisonCache(tmp_path / "cache").compare(a, b) == first
    assert json.loads(file.read_text(encoding="utf-8"))["alignment"]


def test_cache_can_write_its_file_after_returning(
    seeds: dict[str, Document], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    a, b = seeds[WSWS_MAY], seeds[CBC_MAY]
    cache = ComparisonCache(tmp_path / "cache")
    first = cache.compare(a, b, save=False)
    assert not (tmp_path / "cache").exists()  # nothing on disk yet
    assert cache.compare(a, b, save=False) is first  # and still remembered
    cache.save_pending()
    [file] = (tmp_path / "cache").glob("*.json")
    assert ComparisonCache(tmp_path / "cache").compare(a, b) == first
    cache.save_pending()  # nothing left to write: the file is not rewritten
    assert list((tmp_path / "cache").glob("*.json")) == [file]
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    unwritable = ComparisonCache(blocked / "cache")
    assert unwritable.compare(b, a, save=False).alignment
    with caplog.at_level("WARNING"):
        unwritable.save_pending()  # logged, not raised
    assert "comparison not cached" in caplog.text
    assert unwritable.compare(b, a) is unwritable.compare(b, a)  # kept in memory


def test_cache_keys_on_content_and_settings(seeds: dict[str, Document]) -> None:
    cache = ComparisonCache()
    a, b = seeds[WSWS_MAY], seeds[CBC_MAY]
    default = cache.compare(a, b)
    strict = cache.compare(a, b, settings=AlignSettings(threshold=0.2))
    assert len(strict.alignment) < len(default.alignment)
    assert cache.compare(b, a) is not default


# -- the seeds ----------------------------------------------------------------------------------


def test_the_statement_both_wsws_articles_quote_is_one_shared_quote(seeds: dict[str, Document]) -> None:
    a, b = seeds[WSWS_OCT], seeds[WSWS_MAY]
    quotes = compare(a, b).shared_quotes
    [statement] = [q for q in quotes if q.text.startswith("Trump is a menace to the workers")]
    assert statement.text.endswith("the mass opposition to Trump now emerging within the American working class")
    assert len(statement.text.split()) > 70
    for doc, spans in ((a, statement.a), (b, statement.b)):
        [(start, end)] = spans
        assert doc.text[start:end].startswith("Trump is a menace")
        assert doc.text[start:end].endswith("American working class")
    others = [q for q in quotes if q is not statement]
    assert not any(s < statement.a[0][1] and e > statement.a[0][0] for q in others for s, e in q.a)


def test_the_two_previews_share_a_few_short_runs(seeds: dict[str, Document]) -> None:
    a, b = seeds[CBC_MAY], seeds[PREVIEW_OCT]
    quotes = compare(a, b).shared_quotes
    assert 2 <= len(quotes) <= 5
    assert all(len(re.findall(r"\w+", q.text)) <= 10 for q in quotes)
    assert "meeting with U.S. President Donald Trump" in {q.text for q in quotes}
    for q in quotes:
        assert {_words(a.text[s:e]) for s, e in q.a} == {_words(b.text[s:e]) for s, e in q.b}


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.replace("’", "").replace("'", "").casefold() for w in re.findall(r"[\w’']+", text))


def _six_grams(text: str) -> set[tuple[str, ...]]:
    words = _words(text)
    return {words[i : i + 6] for i in range(len(words) - 5)}


def test_same_meeting_without_a_common_quote_still_aligns(seeds: dict[str, Document]) -> None:
    a, b = seeds[WSWS_MAY], seeds[CBC_MAY]
    assert not _six_grams(a.text) & _six_grams(b.text)  # checked independently of the module
    comparison = compare(a, b)
    assert comparison.shared_quotes == []
    assert {(2, 0), (4, 23), (9, 10)} <= pair_indices(comparison, a, b)


def _gold() -> dict:
    return json.loads(GOLD.read_text(encoding="utf-8"))


def test_gold_labels_still_match_the_paragraph_splitting() -> None:
    corpus = open_corpus(None)
    for entry in _gold()["documents"]:
        a, b = corpus.load(entry["a"]), corpus.load(entry["b"])
        for label in entry["gold"] + entry["acceptable"]:
            for doc, side in ((a, "a"), (b, "b")):
                start, end = doc.paragraphs[label[side]]
                assert doc.text[start:end][:40] == label[f"{side}_start"], (doc.rel, label)


def test_gold_precision_and_recall_floors() -> None:
    """Measured with the defaults: 001/003 P 0.53 R 0.62, 000/004 P 0.53 R 0.50, overall P 0.53 R 0.55."""
    corpus = open_corpus(None)
    predicted_total = correct_total = found_total = gold_total = 0
    for entry in _gold()["documents"]:
        a, b = corpus.load(entry["a"]), corpus.load(entry["b"])
        predicted = pair_indices(compare(a, b), a, b)
        gold = {(p["a"], p["b"]) for p in entry["gold"]}
        allowed = gold | {(p["a"], p["b"]) for p in entry["acceptable"]}
        correct, found = len(predicted & allowed), len(predicted & gold)
        assert correct / len(predicted) >= 0.45 and found / len(gold) >= 0.45, entry["a"]
        predicted_total += len(predicted)
        correct_total += correct
        found_total += found
        gold_total += len(gold)
    assert correct_total / predicted_total >= 0.48
    assert found_total / gold_total >= 0.5


# -- JSON and report ----------------------------------------------------------------------------


def test_to_json_shape(seeds: dict[str, Document]) -> None:
    a, b = seeds[WSWS_OCT], seeds[WSWS_MAY]
    data = to_json(compare(a, b), a, b)
    assert list(data) == ["a", "b", "alignment", "only_in_a", "only_in_b", "shared_quotes"]
    assert data["a"] == {"path": WSWS_OCT, "title": a.meta.title}
    assert data["b"] == {"path": WSWS_MAY, "title": b.meta.title}
    assert data == json.loads(json.dumps(data))
    for pair in data["alignment"]:
        assert set(pair) == {"a", "b", "score"} and 0 < pair["score"] <= 1
        assert tuple(pair["a"]) in a.paragraphs and tuple(pair["b"]) in b.paragraphs
    assert all(tuple(s) in a.paragraphs for s in data["only_in_a"])
    assert all(tuple(s) in b.paragraphs for s in data["only_in_b"])
    for quote in data["shared_quotes"]:
        assert set(quote) == {"text", "a", "b"}
        assert all(0 <= s < e <= len(a.text) for s, e in quote["a"])
        assert all(0 <= s < e <= len(b.text) for s, e in quote["b"])


def test_report_lists_pairs_only_here_and_quotes(seeds: dict[str, Document]) -> None:
    a, b = seeds[WSWS_OCT], seeds[WSWS_MAY]
    report = format_report(compare(a, b), a, b)
    for heading in ("ALIGNED PASSAGES", "ONLY IN A", "ONLY IN B", "SHARED QUOTES"):
        assert heading in report
    assert "“Trump is a menace to the workers of Canada" in report
    assert f"A: {a.meta.title} ({WSWS_OCT})" in report


def test_report_writes_names_and_titles_inert() -> None:
    """Regression: a file name or catalog title holding ESC reached the terminal raw from the
    plain-text report (`folio compare A B | less -R`, or a terminal that is not a tty to Python)."""
    a = make_doc(TOPICS[:3], "name\x1b]2;owned-title\x1b\\.txt")
    b = make_doc(TOPICS[:3], "b.txt")
    b = dataclasses.replace(b, meta=dataclasses.replace(b.meta, title="Title \x1b[2J\x9b2J\x07"))
    report = format_report(compare(a, b), a, b)
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f]", report)
    assert "(name␛]2;owned-title␛\\.txt), 3 paragraphs" in report
    assert "B: Title ␛[2J\ufffd2J␇ (b.txt)" in report


def test_core_does_not_import_the_ui() -> None:
    code = "import sys, folio_reader.index.compare; print(any(m.split('.')[0] == 'textual' or m.startswith('folio_reader.tui') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# -- folio compare ------------------------------------------------------------------------------


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    compare_command.add_arguments(parser)
    return parser.parse_args(argv)


def test_command_prints_the_report_when_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert compare_command.run(_args(WSWS_MAY, CBC_MAY)) == 0
    out = capsys.readouterr().out
    assert out.startswith("A: ") and "ALIGNED PASSAGES" in out and "SHARED QUOTES" in out


def test_command_opens_the_compare_screen_in_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = []

    def run_compare(corpus: object, a_rel: str, b_rel: str) -> int:
        opened.append((a_rel, b_rel))
        return 0

    app = types.ModuleType("folio_reader.tui.app")
    app.run_compare = run_compare  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "folio_reader.tui.app", app)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert compare_command.run(_args(WSWS_MAY, CBC_MAY)) == 0
    assert opened == [(WSWS_MAY, CBC_MAY)] and capsys.readouterr().out == ""


def test_command_falls_back_to_the_report_without_the_app(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "folio_reader.tui.app", None)  # import fails
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert compare_command.run(_args(WSWS_MAY, CBC_MAY)) == 0
    assert "ALIGNED PASSAGES" in capsys.readouterr().out


def test_command_reports_an_unknown_document() -> None:
    with pytest.raises(compare_command.CommandError, match=r"nope\.txt"):
        compare_command.run(_args("nope.txt", CBC_MAY))


def test_folio_compare_json_and_errors(seed_copy: Path) -> None:
    folio = Path(sys.executable).with_name("folio")
    result = subprocess.run(
        [str(folio), "compare", WSWS_OCT, str(seed_copy / WSWS_MAY), "--corpus", str(seed_copy), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(result.stdout)
    assert data["a"]["path"] == WSWS_OCT and data["b"]["path"] == WSWS_MAY
    assert any(q["text"].startswith("Trump is a menace") for q in data["shared_quotes"])
    missing = subprocess.run(
        [str(folio), "compare", "missing.txt", WSWS_MAY, "--corpus", str(seed_copy)], capture_output=True, text=True
    )
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr.count("\n") == 1 and "missing.txt" in missing.stderr
