"""The annotation model, its W3C form and validation, and anchoring over edited documents."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from folio_reader.index.annotations import (
    W3C_CONTEXT,
    Annotation,
    InvalidAnnotation,
    Status,
    anchor,
    anchor_corpus,
    anchor_document,
    decode,
    encode,
)
from folio_reader.index.corpus import DocMeta, Document, open_corpus, seeds_path

SEED_TEXTS = [open_corpus(None).load(p.name).text for p in sorted(seeds_path().glob("*.txt"))]

TEXT = (
    "Preamble about nothing in particular, to give the document some length.\n\n"
    "The treaty was signed in Ottawa after long talks between the two delegations. "
    "Critics said the treaty was signed in haste, and the opposition promised a review.\n\n"
    "In the end the quick brown fox jumps over the lazy dog, as the saying goes, and the "
    "parliament adjourned for the summer without a vote.\n"
)


def make_doc(text: str, rel: str = "doc.txt") -> Document:
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    meta = DocMeta(
        rel=rel,
        title=rel,
        title_source="file name",
        author=None,
        outlet=None,
        date=None,
        date_source="none",
        words=len(text.split()),
        size=len(text),
        mtime_ns=0,
        content_hash=digest,
        encoding="utf-8",
    )
    return Document(meta, text)


def annotate(text: str, quote: str, occurrence: int = 0, **kwargs: Any) -> Annotation:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return Annotation.new(make_doc(text), start, start + len(quote), **kwargs)


def reanchor(ann: Annotation, text: str):
    return anchor(ann, text, make_doc(text).meta.content_hash)


# -- the model ----------------------------------------------------------------------------------


def test_new_annotation_takes_quote_and_32_characters_of_context() -> None:
    ann = annotate(TEXT, "quick brown fox", note="A *note*", tags=[" animals ", "", "animals", "dogs"], color="green")
    assert ann.exact == "quick brown fox"
    assert ann.prefix == TEXT[ann.start - 32 : ann.start] and len(ann.prefix) == 32
    assert ann.suffix == TEXT[ann.end : ann.end + 32]
    assert ann.tags == ("animals", "dogs")
    assert ann.id.startswith("urn:uuid:") and ann.created == ann.modified
    assert ann.content_hash == make_doc(TEXT).meta.content_hash
    at_start = Annotation.new(make_doc(TEXT), 0, 8)
    assert at_start.prefix == ""


@pytest.mark.parametrize(("start", "end"), [(5, 5), (-1, 3), (10, 10_000)])
def test_new_annotation_refuses_an_empty_or_outside_span(start: int, end: int) -> None:
    with pytest.raises(ValueError):
        Annotation.new(make_doc(TEXT), start, end)


def test_unknown_colour_is_refused() -> None:
    with pytest.raises(ValueError, match="colour"):
        annotate(TEXT, "treaty", color="mauve")


def test_w3c_form_follows_the_web_annotation_model() -> None:
    ann = annotate(TEXT, "quick brown fox", note="Note", tags=["t1", "t2"], color="pink")
    obj = ann.to_w3c()
    # the W3C context first, then the one that defines Folio's `folio:` terms (issue 19)
    assert obj["@context"] == [W3C_CONTEXT, {"folio": "urn:folio:"}]
    assert obj["type"] == "Annotation" and obj["id"] == ann.id
    assert obj["created"].endswith("Z") and len(obj["created"]) == len("2026-11-21T10:45:01.123456Z")
    assert obj["body"] == [
        {"type": "TextualBody", "value": "Note", "format": "text/markdown", "purpose": "commenting"},
        {"type": "TextualBody", "value": "t1", "purpose": "tagging"},
        {"type": "TextualBody", "value": "t2", "purpose": "tagging"},
    ]
    assert obj["folio:color"] == "pink"
    quote, position = obj["target"]["selector"]
    assert quote == {"type": "TextQuoteSelector", "exact": ann.exact, "prefix": ann.prefix, "suffix": ann.suffix}
    assert position == {"type": "TextPositionSelector", "start": ann.start, "end": ann.end}
    assert obj["target"]["source"] == "doc.txt"
    assert Annotation.from_w3c(json.loads(json.dumps(obj))) == ann


def test_plain_highlight_has_no_body_and_tombstone_keeps_id_and_time() -> None:
    ann = annotate(TEXT, "treaty")
    assert "body" not in ann.to_w3c() and ann.to_w3c()["motivation"] == "highlighting"
    gone = ann.tombstone()
    assert gone.to_w3c() == {
        "@context": [W3C_CONTEXT, {"folio": "urn:folio:"}],
        "type": "Annotation",
        "id": ann.id,
        "modified": gone.to_w3c()["modified"],
        "folio:deleted": True,
    }
    assert gone.modified > ann.modified
    assert Annotation.from_w3c(gone.to_w3c()) == gone


def test_foreign_annotation_with_unknown_keys_is_read() -> None:
    obj = {
        "@context": W3C_CONTEXT,
        "type": "Annotation",
        "id": "http://example.org/anno1",
        "creator": {"name": "someone"},
        "body": {"type": "TextualBody", "value": "from elsewhere"},
        "target": {"source": "doc.txt", "selector": {"type": "TextQuoteSelector", "exact": "treaty"}},
        "folio:color": "not-a-colour",
    }
    ann = Annotation.from_w3c(obj, {"doc.txt": "abc"})
    assert (ann.note, ann.color, ann.content_hash, ann.start, ann.end) == ("from elsewhere", "yellow", "abc", 0, 6)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda o: o.pop("id"), "no id"),
        (lambda o: o.update(type="Note"), "not 'Annotation'"),
        (lambda o: o.update(modified="yesterday"), "ISO 8601"),
        (lambda o: o.pop("target"), "target"),
        (lambda o: o["target"].update(source="../../etc/passwd"), "relative to the corpus"),
        (lambda o: o["target"].update(source="/etc/passwd"), "relative to the corpus"),
        (lambda o: o["target"].update(selector=[]), "TextQuoteSelector"),
        (lambda o: o["target"]["selector"][0].update(exact=""), "exact quote"),
        (lambda o: o["target"]["selector"][1].update(start=9, end=3), "offsets"),
        (lambda o: o["target"]["selector"][1].update(start="1"), "offsets"),
        (lambda o: o["body"][0].update(value=42), "not a string"),
    ],
)
def test_malformed_entries_are_refused_with_a_reason(change, reason: str) -> None:
    obj = annotate(TEXT, "treaty", note="n").to_w3c()
    change(obj)
    with pytest.raises(InvalidAnnotation, match=reason):
        Annotation.from_w3c(obj)


def test_file_round_trips_and_isolates_bad_entries() -> None:
    good = [annotate(TEXT, "treaty", note="é ✓ \ud800 lone surrogate"), annotate(TEXT, "lazy dog").tombstone()]
    data = encode(good)
    assert decode(data) == (sorted(good, key=lambda a: a.deleted), [])
    raw = json.loads(data)
    assert raw["format"] == "folio-annotations" and raw["version"] == 1
    assert raw["documents"] == {"doc.txt": {"content_hash": good[0].content_hash}}
    raw["annotations"][1:1] = [{"type": "Annotation"}, "junk"]
    salvaged, problems = decode(json.dumps(raw).encode())
    assert {a.id for a in salvaged} == {a.id for a in good}
    assert problems == ["entry 2: no id", "entry 3: not a JSON object"]


def test_truncated_file_salvages_complete_lines() -> None:
    anns = [annotate(TEXT, q) for q in ("treaty", "Ottawa", "lazy dog")]
    data = encode(anns)
    salvaged, problems = decode(data[: data.rindex(b"\n", 0, len(data) - 10) + 20])
    assert problems and problems[0].startswith("not valid JSON")
    assert len(salvaged) == 2


# -- anchoring ----------------------------------------------------------------------------------


def test_unchanged_document_anchors_by_position() -> None:
    ann = annotate(TEXT, "quick brown fox")
    result = reanchor(ann, TEXT)
    assert (result.status, result.start, result.end) == (Status.ANCHORED, ann.start, ann.end)
    assert result.annotation is ann


def test_same_hash_but_different_text_is_not_trusted() -> None:
    ann = annotate(TEXT, "quick brown fox")
    edited = "Something new. " + TEXT
    result = anchor(ann, edited, ann.content_hash)
    assert result.status is Status.MOVED and edited[result.start : result.end] == "quick brown fox"


def test_text_inserted_before_moves_the_annotation() -> None:
    ann = annotate(TEXT, "quick brown fox")
    edited = "A new opening paragraph.\n\n" + TEXT
    result = reanchor(ann, edited)
    assert result.status is Status.MOVED
    assert (result.start, result.end) == (ann.start + 26, ann.end + 26)
    moved = result.annotation
    assert (moved.start, moved.exact, moved.prefix) == (result.start, ann.exact, ann.prefix)
    assert moved.content_hash == make_doc(edited).meta.content_hash and moved.modified == ann.modified


def test_text_inserted_after_keeps_the_position_and_updates_the_hash() -> None:
    ann = annotate(TEXT, "quick brown fox")
    edited = TEXT + "\nA postscript.\n"
    result = reanchor(ann, edited)
    assert (result.status, result.start, result.end) == (Status.ANCHORED, ann.start, ann.end)
    assert result.annotation.content_hash != ann.content_hash


def test_text_inserted_right_next_to_the_quote() -> None:
    ann = annotate(TEXT, "quick brown fox")
    i = ann.start
    before = reanchor(ann, TEXT[:i] + "very " + TEXT[i:])
    assert before.status is Status.MOVED and before.start == i + 5 and before.annotation.exact == "quick brown fox"
    after = reanchor(ann, TEXT[: ann.end] + " (vulpes)" + TEXT[ann.end :])
    assert (after.status, after.start, after.end) == (Status.ANCHORED, ann.start, ann.end)


def test_text_inserted_inside_the_quote_is_found_by_fuzzy_matching() -> None:
    ann = annotate(TEXT, "the quick brown fox jumps over the lazy dog")
    edited = TEXT.replace("over the lazy", "over the very lazy")
    result = reanchor(ann, edited)
    assert result.status is Status.MOVED
    assert result.annotation.exact == "the quick brown fox jumps over the very lazy dog"


def test_a_word_changed_inside_the_quote_is_found_by_fuzzy_matching() -> None:
    ann = annotate(TEXT, "Critics said the treaty was signed in haste", note="keep me")
    edited = TEXT.replace("signed in haste", "signed in a hurry")
    result = reanchor(ann, edited)
    assert result.status is Status.MOVED
    assert result.annotation.exact == "Critics said the treaty was signed in a hurry"
    assert result.annotation.note == "keep me"


def random_prose(words: int, seed: int = 7) -> str:
    """Text made of the seeds' words in random order: long, and without repeated passages."""
    rng = random.Random(seed)
    vocabulary = sorted({w for t in SEED_TEXTS for w in t.split()})
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def test_fuzzy_match_in_a_large_edited_document() -> None:
    text = random_prose(40_000)
    start = len(text) // 2
    ann = Annotation.new(make_doc(text), start, start + 90)
    middle = start + 40
    edited = "Prologue. " * 300 + text[:middle] + " [inserted words] " + text[middle + 5 :]
    result = reanchor(ann, edited)
    assert result.status is Status.MOVED
    assert Levenshtein.normalized_similarity(result.annotation.exact, ann.exact) > 0.8
    assert abs(result.start - (start + 3000)) <= 2


@pytest.mark.parametrize("start", [1_950, 2_060, 2_100, 2_150, 4_150])
def test_fuzzy_match_across_the_chunks_of_the_search_is_found_whole(start: int) -> None:
    text = random_prose(1_500)
    ann = Annotation.new(make_doc(text), start, start + 150)
    middle = ann.exact.index(" ", 75) + 1
    changed = ann.exact[:middle] + "REVISED" + ann.exact[ann.exact.index(" ", middle) :]
    edited = text[:start] + changed + text[ann.end :]
    result = reanchor(ann, edited)
    assert result.status is Status.MOVED
    assert (result.start, result.annotation.exact) == (start, changed)


def test_repeated_quote_is_told_apart_by_its_context() -> None:
    ann = annotate(TEXT, "treaty was signed in", occurrence=1)
    assert ann.prefix.endswith("Critics said the ")
    # Push the first occurrence exactly onto the old place of the second: nearness points to the
    # wrong one, the prefix and suffix to the right one.
    first = TEXT.index("treaty was signed in")
    padding = "x" * (ann.start - first)
    edited = TEXT[:first] + padding + TEXT[first:]
    assert edited[ann.start : ann.end] == ann.exact
    result = reanchor(ann, edited)
    assert (result.status, result.start) == (Status.MOVED, ann.start + len(padding))


def test_repeated_quote_nearest_the_old_place_wins_when_contexts_agree() -> None:
    text = "Refrain: la la la.\n" * 6
    ann = annotate(text, "la la la", occurrence=3)
    assert reanchor(ann, "Oh! " + text).start == ann.start + 4
    assert reanchor(ann, text + "Coda.\n").start == ann.start


def test_deleted_quote_becomes_an_orphan() -> None:
    ann = annotate(TEXT, "Critics said the treaty was signed in haste, and the opposition promised a review.")
    edited = TEXT.replace(ann.exact, "")
    result = reanchor(ann, edited)
    assert (result.status, result.start, result.end) == (Status.ORPHAN, None, None)
    assert result.annotation is ann


def test_deleted_short_quote_does_not_jump_to_an_unrelated_occurrence() -> None:
    text = TEXT + "\nA later paragraph mentions Ottawa once more, in passing only.\n"
    ann = annotate(text, "Ottawa")
    sentence_end = text.index("delegations. ") + len("delegations. ")
    edited = text[: text.index("The treaty was signed")] + text[sentence_end:]
    assert "Ottawa" in edited
    assert reanchor(ann, edited).status is Status.ORPHAN


def test_rewritten_passage_becomes_an_orphan() -> None:
    ann = annotate(TEXT, "parliament adjourned for the summer without a vote")
    edited = TEXT.replace(ann.exact, "members went home in July having decided nothing")
    assert reanchor(ann, edited).status is Status.ORPHAN


def test_document_removed_makes_orphans(tmp_path: Path) -> None:
    for name, text in (("kept.txt", TEXT), ("gone.txt", TEXT)):
        (tmp_path / name).write_text(text)
    corpus = open_corpus(tmp_path)
    kept = Annotation.new(corpus.load("kept.txt"), 10, 20)
    gone = Annotation.new(corpus.load("gone.txt"), 10, 20)
    assert [a.status for a in anchor_document([gone], None)] == [Status.ORPHAN]
    (tmp_path / "gone.txt").unlink()
    docs = anchor_corpus([gone, kept, kept.tombstone()], corpus)
    assert [d.rel for d in docs] == ["gone.txt", "kept.txt"]
    assert docs[0].meta is None and "gone.txt" in docs[0].problem
    assert [a.status for a in docs[0].anchored] == [Status.ORPHAN]
    assert [a.status for a in docs[1].anchored] == [Status.ANCHORED]
    assert docs[1].meta is not None and docs[1].meta.rel == "kept.txt"


def test_orphan_can_be_reattached() -> None:
    ann = annotate(TEXT, "parliament adjourned")
    edited = TEXT.replace("parliament adjourned", "house rose")
    doc = make_doc(edited)
    start = edited.index("house rose")
    again = ann.reattached(edited, start, start + 10, doc.meta.content_hash)
    assert (again.id, again.exact) == (ann.id, "house rose")
    assert reanchor(again, edited).status is Status.ANCHORED


def _context_identifies(text: str, ann: Annotation) -> bool:
    """Every other occurrence of the quote has a clearly different prefix and suffix."""
    pos = text.find(ann.exact)
    while pos >= 0:
        if pos != ann.start:
            prefix = text[max(0, pos - len(ann.prefix)) : pos]
            suffix = text[pos + len(ann.exact) : pos + len(ann.exact) + len(ann.suffix)]
            if ann.prefix and Levenshtein.normalized_similarity(ann.prefix, prefix) >= 0.5:
                return False
            if ann.suffix and Levenshtein.normalized_similarity(ann.suffix, suffix) >= 0.5:
                return False
            if not ann.prefix or not ann.suffix:
                return False
        pos = text.find(ann.exact, pos + 1)
    return True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_edit_outside_the_quote_reanchors_it_exactly(data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(SEED_TEXTS), label="seed")
    start = data.draw(st.integers(0, len(text) - 4), label="start")
    end = min(len(text), start + data.draw(st.integers(4, 300), label="length"))
    ann = Annotation.new(make_doc(text), start, end)
    assume(ann.exact.strip() and _context_identifies(text, ann))
    if data.draw(st.booleans(), label="insert"):
        at = data.draw(st.one_of(st.integers(0, start), st.integers(end, len(text))), label="at")
        inserted = data.draw(st.text(min_size=1, max_size=500), label="inserted")
        edited = text[:at] + inserted + text[at:]
        shift = len(inserted) if at <= start else 0
    else:
        before = data.draw(st.booleans(), label="before")
        lo, hi = (0, start) if before else (end, len(text))
        assume(hi > lo)
        a = data.draw(st.integers(lo, hi - 1), label="from")
        b = data.draw(st.integers(a + 1, hi), label="to")
        edited = text[:a] + text[b:]
        shift = -(b - a) if before else 0
    result = reanchor(ann, edited)
    assert result.status in (Status.ANCHORED, Status.MOVED)
    assert (result.start, result.end) == (start + shift, end + shift)
    assert result.annotation.exact == ann.exact


def test_reanchored_result_is_stable() -> None:
    ann = annotate(TEXT, "Critics said the treaty was signed in haste")
    edited = "Intro. " + TEXT.replace("in haste", "in some haste")
    first = reanchor(ann, edited)
    second = reanchor(first.annotation, edited)
    assert second.status is Status.ANCHORED and second.annotation is first.annotation


def test_annotation_is_frozen() -> None:
    ann = annotate(TEXT, "treaty")
    with pytest.raises(dataclasses.FrozenInstanceError):
        ann.note = "x"  # type: ignore[misc]


def test_tombstone_cannot_be_anchored() -> None:
    with pytest.raises(ValueError, match="deleted"):
        reanchor(annotate(TEXT, "treaty").tombstone(), TEXT)


def test_core_and_command_do_not_import_textual() -> None:
    code = "import sys, folio_reader.index.annotations, folio_reader.tui.commands.annotations; print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
