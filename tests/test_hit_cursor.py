"""The `n`/`N` cursor over search results, on its own (no app), and the `]`/`[` targets."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from folio_reader.index.annotations import Anchored, Annotation, Status
from folio_reader.index.corpus import open_corpus
from folio_reader.index.search import Hit, SearchResult
from folio_reader.tui.hit_cursor import HitCursor, Move
from folio_reader.tui.screens.annotation_actions import annotation_at, step_target


def hit(rel: str, *spans: tuple[int, int]) -> Hit:
    return Hit(rel, rel.upper(), None, None, None, 1.0, "", [], len(spans), list(spans))


def result(*hits: Hit) -> SearchResult:
    return SearchResult("q", list(hits), total=len(hits))


def test_steps_through_a_document_then_on_to_the_next_and_round() -> None:
    cursor = HitCursor(result(hit("a", (1, 2), (5, 6)), hit("b", (9, 10))))
    assert (cursor.rel, cursor.span) == ("a", (1, 2))
    cursor, move = cursor.step(1)
    assert (cursor.rel, cursor.span, move) == ("a", (5, 6), Move.SAME_DOCUMENT)
    cursor, move = cursor.step(1)
    assert (cursor.rel, cursor.span, move) == ("b", (9, 10), Move.OTHER_DOCUMENT)
    cursor, move = cursor.step(1)  # past the last document: round to the first
    assert (cursor.rel, cursor.span, move) == ("a", (1, 2), Move.OTHER_DOCUMENT)


def test_going_back_lands_on_the_last_hit_of_the_previous_document() -> None:
    cursor = HitCursor(result(hit("a", (1, 2), (5, 6), (8, 9)), hit("b", (9, 10))), doc=1)
    cursor, move = cursor.step(-1)
    assert (cursor.rel, cursor.hit, cursor.span, move) == ("a", 2, (8, 9), Move.OTHER_DOCUMENT)


def test_one_document_wraps_and_says_so() -> None:
    cursor = HitCursor(result(hit("a", (1, 2), (5, 6))), hit=1)
    cursor, move = cursor.step(1)
    assert (cursor.hit, move) == (0, Move.WRAPPED)
    cursor, move = cursor.step(-1)
    assert (cursor.hit, move) == (1, Move.WRAPPED)


def test_a_title_match_has_no_span_and_steps_on() -> None:
    cursor = HitCursor(result(hit("a"), hit("b", (3, 4))))
    assert cursor.span is None and cursor.covering("a", 0) is None
    cursor, move = cursor.step(1)
    assert (cursor.rel, cursor.span, move) == ("b", (3, 4), Move.OTHER_DOCUMENT)


def test_the_cursor_is_immutable() -> None:
    first = HitCursor(result(hit("a", (1, 2), (5, 6))))
    first.step(1)
    assert first.hit == 0


def test_covering_is_the_current_hit_under_the_caret_in_that_document() -> None:
    cursor = HitCursor(result(hit("a", (10, 20)), hit("b", (4, 4))))
    assert cursor.covering("a", 10) == (10, 20) and cursor.covering("a", 19) == (10, 20)
    assert cursor.covering("a", 20) is None and cursor.covering("a", 9) is None
    assert cursor.covering("b", 10) is None  # another document
    empty, _ = cursor.step(1)
    assert empty.covering("b", 4) == (4, 4)  # an empty span counts at its start


def anchored(start: int, end: int, minutes: int = 0) -> Anchored:
    doc = open_corpus(None).load("001_b23a58cccaa29fe1.txt")
    ann = Annotation.new(doc, start, end)
    ann = replace(ann, created=ann.created + dt.timedelta(minutes=minutes))
    return Anchored(ann, start, end, Status.ANCHORED)


def test_the_innermost_annotation_wins_then_the_latest() -> None:
    outer, inner, later = anchored(0, 100), anchored(10, 20), anchored(10, 20, minutes=5)
    assert annotation_at([outer, inner], 15) is inner
    assert annotation_at([outer, inner], 50) is outer
    assert annotation_at([outer, inner, later], 15) is later
    assert annotation_at([outer], 100) is None


def test_next_and_previous_annotation_wrap_at_the_ends() -> None:
    anchors = [anchored(10, 20), anchored(50, 60), anchored(50, 55)]
    assert step_target(anchors, 0, 1) == (10, False)
    assert step_target(anchors, 10, 1) == (50, False)
    assert step_target(anchors, 50, 1) == (10, True)
    assert step_target(anchors, 50, -1) == (10, False)
    assert step_target(anchors, 10, -1) == (50, True)
    assert step_target([], 0, 1) is None
