"""Anchoring: finding each annotation in the current text of its document.

`Anchored.status` is `anchored` (found where it was), `moved` (found elsewhere, or its words
changed) or `orphan` (not found, or its document is gone: kept, listed, re-attachable with
`Annotation.reattached`). When the document is unchanged (same content hash) the stored position
is verified and used. Otherwise candidates are the exact occurrences of the quote nearest the old
position, then approximate matches (rapidfuzz) in a window around it, then in a wider one; each is
scored as the Hypothesis client scores them (50 quote similarity, 20 prefix, 20 suffix, 2
nearness; the edge of the text counts as context). A candidate is accepted when its quote is at
least 70% similar and enough characters of quote and context match (so a short word that was
deleted does not jump to another occurrence of it in unrelated surroundings). The work per
annotation is bounded whatever the size of the document. `Anchored.annotation` is the annotation
as it should now be stored (new position, context and content hash; `modified` untouched):
`AnnotationStore.accept` keeps those for the next save. `anchor_corpus` loads each annotated
document once and returns a `DocumentAnchors` per document (its metadata, or why it could not be
loaded).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from folio_reader.index.annotations.model import CONTEXT_CHARS, Annotation
from folio_reader.index.corpus import Corpus, DocMeta, Document, UnreadableError


class Status(StrEnum):
    ANCHORED = "anchored"  #: where it was
    MOVED = "moved"  #: re-anchored elsewhere, or its words changed
    ORPHAN = "orphan"  #: not found: kept and listed, can be re-attached


@dataclass(frozen=True, slots=True)
class Anchored:
    """An annotation found (or not) in the current text of its document."""

    annotation: Annotation  #: as it should now be stored (updated when re-anchored)
    start: int | None
    end: int | None
    status: Status


#: Weights of the Hypothesis client's matchQuote: quote, prefix, suffix, nearness.
_WEIGHTS = (50.0, 20.0, 20.0, 2.0)
#: A match's quote must be at least this similar to the stored one (1 - edits / length).
MIN_QUOTE_SIMILARITY = 0.7
#: Matching characters (quote and context, weighted by similarity) a candidate needs.
MIN_EVIDENCE = 28
#: Exact occurrences examined on each side of the old position.
_EXACT_CANDIDATES = 100
#: Approximate matching looks this far on each side of the old position, then this far.
_NEAR_WINDOW = 16_384
_FAR_WINDOW = 262_144
#: Text handed to one approximate search (at least four quote lengths).
_CHUNK = 2_048


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    quote: float
    prefix: float
    suffix: float
    score: float


def anchor(ann: Annotation, text: str, content_hash: str) -> Anchored:
    """Find `ann` in `text` (the current canonical text of its document, whose hash is given)."""
    if ann.deleted:
        raise ValueError(f"{ann.id} is deleted: there is nothing to anchor")
    if ann.content_hash == content_hash and ann.end <= len(text) and text[ann.start : ann.end] == ann.exact:
        return Anchored(ann, ann.start, ann.end, Status.ANCHORED)  # (a slice past the end is shorter)
    best = _locate(ann, text)
    if best is None:
        return Anchored(ann, None, None, Status.ORPHAN)
    placed = ann.reattached(text, best.start, best.end, content_hash)
    same_place = (best.start, best.end, placed.exact) == (ann.start, ann.end, ann.exact)
    return Anchored(placed, best.start, best.end, Status.ANCHORED if same_place else Status.MOVED)


def anchor_document(annotations: Iterable[Annotation], doc: Document | None) -> list[Anchored]:
    """Anchor the annotations of one document; None (a document that is gone) makes orphans."""
    if doc is None:
        return [Anchored(a, None, None, Status.ORPHAN) for a in annotations]
    return [anchor(a, doc.text, doc.meta.content_hash) for a in annotations]


@dataclass(frozen=True, slots=True)
class DocumentAnchors:
    """The anchored annotations of one document of a corpus."""

    rel: str
    meta: DocMeta | None  #: None when the document is gone or cannot be read
    problem: str  #: why the document could not be loaded ("" when it was)
    anchored: list[Anchored]


def anchor_corpus(annotations: Iterable[Annotation], corpus: Corpus) -> list[DocumentAnchors]:
    """Anchor live annotations across a corpus, loading each document once, by document and place."""
    by_source: dict[str, list[Annotation]] = defaultdict(list)
    for ann in annotations:
        if not ann.deleted:
            by_source[ann.source].append(ann)
    result: list[DocumentAnchors] = []
    for rel in sorted(by_source):
        try:
            doc: Document | None = corpus.load(rel)
            problem = ""
        except UnreadableError as exc:
            doc, problem = None, str(exc)
        anchored = sorted(anchor_document(by_source[rel], doc), key=_reading_order)
        result.append(DocumentAnchors(rel, doc.meta if doc else None, problem, anchored))
    return result


def _reading_order(a: Anchored) -> tuple[bool, int, str]:
    """Found ones by place, then orphans by their old place."""
    return (a.start is None, a.annotation.start if a.start is None else a.start, a.annotation.id)


def _locate(ann: Annotation, text: str) -> _Candidate | None:
    """The best acceptable place for the annotation's quote in `text`, or None."""
    exact = [_score(ann, text, s, s + len(ann.exact), 0) for s in _exact_starts(text, ann.exact, ann.start)]
    best = _best(ann, exact)
    if best is not None:
        return best
    for window in (_NEAR_WINDOW, _FAR_WINDOW):
        best = _best(ann, exact + _fuzzy(ann, text, window))
        if best is not None or window >= max(ann.start, len(text) - ann.end):
            return best
    return None


def _best(ann: Annotation, candidates: list[_Candidate]) -> _Candidate | None:
    accepted = [c for c in candidates if _acceptable(ann, c)]
    return max(accepted, key=lambda c: (c.score, -abs(c.start - ann.start)), default=None)


def _acceptable(ann: Annotation, c: _Candidate) -> bool:
    if c.quote < MIN_QUOTE_SIMILARITY:
        return False
    return c.quote * len(ann.exact) + (c.prefix + c.suffix) * CONTEXT_CHARS >= MIN_EVIDENCE


def _exact_starts(text: str, quote: str, hint: int) -> list[int]:
    """Where `quote` occurs, at most `_EXACT_CANDIDATES` on each side of `hint`."""
    starts: list[int] = []
    pos = text.find(quote, hint)
    while pos >= 0 and len(starts) < _EXACT_CANDIDATES:
        starts.append(pos)
        pos = text.find(quote, pos + 1)
    before: list[int] = []
    limit = min(len(text), hint + len(quote) - 1)
    pos = text.rfind(quote, 0, limit)
    while pos >= 0 and len(before) < _EXACT_CANDIDATES:
        before.append(pos)
        pos = text.rfind(quote, 0, pos + len(quote) - 1)
    return before[::-1] + starts


def _fuzzy(ann: Annotation, text: str, window: int) -> list[_Candidate]:
    """Approximate matches of the quote, the best of each chunk within `window` of the old place."""
    quote = ann.exact
    if not text:
        return []
    lo = max(0, ann.start - window)
    hi = min(len(text), ann.end + window)
    if hi - lo <= len(quote):
        return [_refined(ann, text, lo, hi)]
    step = max(_CHUNK, 4 * len(quote))
    overlap = 2 * len(quote)  # so that a match lies whole in the chunk where it starts
    found: dict[int, _Candidate] = {}
    for a in range(lo, hi - len(quote), step):
        b = min(hi, a + step + overlap)
        # Indel similarity is at least the Levenshtein one: this cut-off loses no acceptable match.
        hit = fuzz.partial_ratio_alignment(quote, text[a:b], score_cutoff=100 * MIN_QUOTE_SIMILARITY)
        if hit is not None:
            cand = _refined(ann, text, a + hit.dest_start, a + hit.dest_end)
            if cand.start not in found or cand.score > found[cand.start].score:
                found[cand.start] = cand  # a match cut by a chunk's end is found whole in the next
    return list(found.values())


def _refined(ann: Annotation, text: str, start: int, end: int) -> _Candidate:
    """Move the ends of a rough match to where quote and context differ least from the text.

    A start is scored by the edits of the quote up to the end plus those of the prefix before
    it, an end by the edits of the quote from the start plus those of the suffix after it: so
    "signed in haste" matches all of "signed in a hurry" (its suffix follows), not the cheaper
    "signed in a ". Of equal places the one nearest the rough match wins.
    """
    quote, prefix, suffix = ann.exact, ann.prefix, ann.suffix

    def start_cost(s: int, end: int) -> int:
        before = text[max(0, s - len(prefix)) : s]
        return Levenshtein.distance(quote, text[s:end]) + Levenshtein.distance(prefix, before)

    def end_cost(e: int, start: int) -> int:
        return Levenshtein.distance(quote, text[start:e]) + Levenshtein.distance(suffix, text[e : e + len(suffix)])

    start = min(start, len(text) - 1)
    end = min(max(end, start + 1), len(text))
    for slack in (max(4, min(len(quote) // 8, 32)), 4):  # a wide pass, then a fine one
        start = min(_outwards(start, slack, 0, end - 1), key=partial(start_cost, end=end))
        end = min(_outwards(end, slack, start + 1, len(text)), key=partial(end_cost, start=start))
    return _score(ann, text, start, end, Levenshtein.distance(quote, text[start:end]))


def _outwards(middle: int, slack: int, lo: int, hi: int) -> list[int]:
    """Positions from `middle` outwards (middle, +1, -1, +2, ...) within lo..hi and `slack`."""
    steps = (middle + (d + 1) // 2 * (1 if d % 2 else -1) for d in range(2 * slack + 1))
    return [p for p in steps if lo <= p <= hi] or [min(max(middle, lo), hi)]


def _score(ann: Annotation, text: str, start: int, end: int, edits: int) -> _Candidate:
    quote = max(0.0, 1.0 - edits / len(ann.exact))
    if ann.prefix or ann.suffix:
        prefix = _similarity(_edge_before(ann.prefix), _edge_before(text[max(0, start - CONTEXT_CHARS) : start]))
        suffix = _similarity(_edge_after(ann.suffix), _edge_after(text[end : end + CONTEXT_CHARS]))
    else:  # no context recorded: it cannot tell candidates apart
        prefix = suffix = 1.0
    nearness = 1.0 - abs(start - ann.start) / max(1, len(text))
    wq, wp, ws, wn = _WEIGHTS
    score = (wq * quote + wp * prefix + ws * suffix + wn * nearness) / sum(_WEIGHTS)
    return _Candidate(start, end, quote, prefix, suffix, score)


#: Stands for the edge of the text in a context shorter than CONTEXT_CHARS (never in canonical text).
_EDGE = "\0"


def _edge_before(context: str) -> str:
    return context.rjust(CONTEXT_CHARS, _EDGE)


def _edge_after(context: str) -> str:
    return context.ljust(CONTEXT_CHARS, _EDGE)


def _similarity(expected: str, actual: str) -> float:
    """1 - edits / length, as Hypothesis scores context."""
    return max(0.0, 1.0 - Levenshtein.distance(expected, actual) / len(expected))
