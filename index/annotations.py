"""Annotations: highlights and notes on passages, their anchoring, and the JSON store.

The model
    An `Annotation` is a quote of a document (`exact`, with 32 characters of `prefix` and
    `suffix`) at code-point offsets `start`..`end` of its canonical text, plus an optional
    Markdown `note`, `tags` and a highlight `color`. It is stored as a W3C Web Annotation
    (`to_w3c` / `from_w3c`); `from_w3c` tolerates unknown keys and raises `InvalidAnnotation`
    for an entry it cannot use. A deleted annotation is kept as a tombstone (id, `modified`,
    `"folio:deleted": true`) so that a merge with another copy of the file never revives it.

Anchoring (`anchor`, `anchor_document`, `anchor_corpus`)
    Finds each annotation in the current text of its document. `Anchored.status` is
    `anchored` (found where it was), `moved` (found elsewhere, or its words changed) or
    `orphan` (not found, or its document is gone: kept, listed, re-attachable with
    `Annotation.reattached`). When the document is unchanged (same content hash) the stored
    position is verified and used. Otherwise candidates are the exact occurrences of the quote
    nearest the old position, then approximate matches (rapidfuzz) in a window around it, then
    in a wider one; each is scored as the Hypothesis client scores them (50 quote similarity,
    20 prefix, 20 suffix, 2 nearness; the edge of the text counts as context). A candidate is
    accepted when its quote is at least 70% similar and enough characters of quote and context
    match (so a short word that was deleted does not jump to another occurrence of it in
    unrelated surroundings). The work per annotation is bounded whatever the size of the
    document. `Anchored.annotation` is the annotation as it should now be stored (new
    position, context and content hash; `modified` untouched): `AnnotationStore.accept` keeps
    those for the next save. `anchor_corpus` loads each annotated document once and returns
    a `DocumentAnchors` per document (its metadata, or why it could not be loaded).

The store (`AnnotationStore`)
    One JSON file per corpus (`AnnotationStore.for_corpus`: in the user data dir unless
    overridden): `{"format": "folio-annotations", "version": 1, "documents": {rel:
    {"content_hash": ...}}, "annotations": [W3C annotation, ...]}`, one annotation a line.

        store = AnnotationStore.for_corpus(corpus)      # or AnnotationStore(path)
        annotations, warnings = store.load()            # read (again), merged with memory
        store.all(); store.for_document(rel); store.get(id)
        store.add(ann); store.update(ann); store.delete(id) -> old; store.restore(old)
        store.accept(anchored)                          # keep re-anchored positions
        store.save()                                    # retry after AnnotationStoreError
        store.pending; store.take_warnings()

    Every change is saved at once. A save takes a `filelock` on `<file>.lock` (waiting at most
    `lock_timeout` seconds), reads what another process wrote since (a version already in
    memory is recognised by inode, size and mtime and not parsed again), merges by id (the
    newest `modified` wins; at a tie a tombstone, then the unsaved change), keeps the previous
    file as `<file>.bak`, and writes a temporary file in the same folder (mode 0600) that is
    flushed, fsynced and renamed over the file before the folder is fsynced. A save that fails
    raises `AnnotationStoreError` with a readable message and loses nothing: the change stays
    in memory and the next save writes it. A file that cannot be parsed or holds invalid
    entries is never overwritten: it is renamed to `<file>.corrupt-<UTC timestamp>`, a warning
    says where, and the valid entries recovered from it are written back (an emptied file, from
    which nothing can be recovered, gives way to the backup).

    A program that must end with changes it could not save (`store.rescue()`: the lock never
    came free, a full or read-only disk) writes them to `<file>.unsaved-<time>-<pid>-<id>.json`
    beside the store, else in the user state dir; the next save by any Folio merges them like
    another process's changes (the newest version wins) and removes the file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import threading
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import filelock
import platformdirs
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from folio_reader.index import locations
from folio_reader.index.atomic_io import fsync_dir, loads_bounded, write_atomic
from folio_reader.index.corpus import Corpus, DocMeta, Document, UnreadableError, inert_label, inert_text

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
FORMAT = "folio-annotations"
VERSION = 1
COLORS = ("yellow", "green", "blue", "pink", "purple")
DEFAULT_COLOR = "yellow"
#: Characters of context kept on each side of a quote.
CONTEXT_CHARS = 32
#: Seconds a save waits for another process holding the lock.
LOCK_TIMEOUT = 5.0

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_ONE_MICROSECOND = dt.timedelta(microseconds=1)


class InvalidAnnotation(ValueError):
    """An entry that is not a usable annotation; the message says why."""


class AnnotationStoreError(Exception):
    """The annotations file cannot be read or written; the message is meant for the user."""


# -- the model ----------------------------------------------------------------------------------


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def format_time(when: dt.datetime) -> str:
    """ISO 8601 in UTC with microseconds: 2026-11-21T10:45:01.123456Z."""
    return when.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_time(value: object) -> dt.datetime:
    if not isinstance(value, str):
        raise InvalidAnnotation(f"time is not a string: {value!r}")
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidAnnotation(f"not an ISO 8601 time: {value!r}") from None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


def _later(previous: dt.datetime) -> dt.datetime:
    """Now, or just after `previous` if the clock says otherwise: a new version always wins."""
    return max(utc_now(), previous + _ONE_MICROSECOND)


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags stripped, without empties and duplicates, in their order; control characters made
    visible (they are shown on one line in a terminal)."""
    return tuple(dict.fromkeys(inert_label(t.strip()) for t in tags if t.strip()))


def clean_note(note: str) -> str:
    """A note with its control characters but newline and tab made visible, one for one: a note
    read from a file (or pasted) may hold ESC, and notes are shown in a terminal."""
    return inert_text(note)


@dataclass(frozen=True, slots=True)
class Annotation:
    """A highlight or note on `exact` = text[start:end] of the document `source`."""

    id: str
    source: str  #: the document's corpus-relative path
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""
    note: str = ""  #: Markdown; empty for a plain highlight
    tags: tuple[str, ...] = ()
    color: str = DEFAULT_COLOR
    created: dt.datetime = _EPOCH
    modified: dt.datetime = _EPOCH
    content_hash: str = ""  #: of the document when the position was last found
    deleted: bool = False

    @classmethod
    def new(
        cls,
        doc: Document,
        start: int,
        end: int,
        *,
        note: str = "",
        tags: Iterable[str] = (),
        color: str = DEFAULT_COLOR,
    ) -> Annotation:
        """A new annotation on doc.text[start:end]; raises ValueError for an empty or bad span."""
        _check_color(color)
        now = utc_now()
        blank = cls(id=f"urn:uuid:{uuid.uuid4()}", source=doc.rel, start=0, end=0, exact="")
        placed = blank.reattached(doc.text, start, end, doc.meta.content_hash)
        return replace(placed, note=clean_note(note), tags=clean_tags(tags), color=color, created=now, modified=now)

    def reattached(self, text: str, start: int, end: int, content_hash: str) -> Annotation:
        """This annotation placed on text[start:end] (quote and context taken from the text)."""
        if not 0 <= start < end <= len(text):
            raise ValueError(f"span {start}..{end} is not a non-empty span of a text of {len(text)} characters")
        return replace(
            self,
            start=start,
            end=end,
            exact=text[start:end],
            prefix=text[max(0, start - CONTEXT_CHARS) : start],
            suffix=text[end : end + CONTEXT_CHARS],
            content_hash=content_hash,
        )

    def edited(
        self, *, note: str | None = None, tags: Iterable[str] | None = None, color: str | None = None
    ) -> Annotation:
        """This annotation with a new note, tags or colour (None keeps the current one)."""
        if color is not None:
            _check_color(color)
        return replace(
            self,
            note=self.note if note is None else clean_note(note),
            tags=self.tags if tags is None else clean_tags(tags),
            color=self.color if color is None else color,
        )

    def tombstone(self) -> Annotation:
        """The record of this annotation's deletion."""
        return Annotation(id=self.id, source="", start=0, end=0, exact="", modified=_later(self.modified), deleted=True)

    def to_w3c(self) -> dict[str, Any]:
        if self.deleted:
            return {
                "@context": W3C_CONTEXT,
                "type": "Annotation",
                "id": self.id,
                "modified": format_time(self.modified),
                "folio:deleted": True,
            }
        body: list[dict[str, str]] = []
        if self.note:
            body.append({"type": "TextualBody", "value": self.note, "format": "text/markdown", "purpose": "commenting"})
        body.extend({"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in self.tags)
        obj: dict[str, Any] = {
            "@context": W3C_CONTEXT,
            "type": "Annotation",
            "id": self.id,
            "motivation": "commenting" if self.note else "highlighting",
            "created": format_time(self.created),
            "modified": format_time(self.modified),
            "folio:color": self.color,
        }
        if body:
            obj["body"] = body
        obj["target"] = {
            "source": self.source,
            "folio:contentHash": self.content_hash,
            "selector": [
                {"type": "TextQuoteSelector", "exact": self.exact, "prefix": self.prefix, "suffix": self.suffix},
                {"type": "TextPositionSelector", "start": self.start, "end": self.end},
            ],
        }
        return obj

    @classmethod
    def from_w3c(cls, obj: object, hashes: Mapping[str, str] | None = None) -> Annotation:
        """Read a W3C annotation; `hashes` (rel → content hash) fills in a missing content hash.

        Unknown keys are ignored; raises `InvalidAnnotation` when the entry cannot be used.
        """
        if not isinstance(obj, dict):
            raise InvalidAnnotation("not a JSON object")
        kinds = obj.get("type")
        if kinds != "Annotation" and not (isinstance(kinds, list) and "Annotation" in kinds):
            raise InvalidAnnotation(f"type is {kinds!r}, not 'Annotation'")
        ann_id = obj.get("id")
        if not isinstance(ann_id, str) or not ann_id.strip():
            raise InvalidAnnotation("no id")
        created = parse_time(obj["created"]) if "created" in obj else None
        modified = parse_time(obj["modified"]) if "modified" in obj else None
        if obj.get("folio:deleted") is True:
            if modified is None:
                raise InvalidAnnotation(f"{ann_id}: deletion without a 'modified' time")
            return cls(id=ann_id, source="", start=0, end=0, exact="", modified=modified, deleted=True)
        target = _single_target(obj.get("target"))
        source = _source(target.get("source"))
        exact, prefix, suffix, start, end = _selectors(target.get("selector"))
        note, tags = _bodies(obj.get("body"))
        color = obj.get("folio:color")
        content_hash = target.get("folio:contentHash")
        if not isinstance(content_hash, str):
            content_hash = (hashes or {}).get(source, "")
        return cls(
            id=ann_id,
            source=source,
            start=start,
            end=end,
            exact=exact,
            prefix=prefix,
            suffix=suffix,
            note=note,
            tags=tags,
            color=color if color in COLORS else DEFAULT_COLOR,
            created=created or modified or _EPOCH,
            modified=modified or created or _EPOCH,
            content_hash=content_hash,
        )


def _check_color(color: str) -> None:
    if color not in COLORS:
        raise ValueError(f"unknown colour {color!r}: use one of {', '.join(COLORS)}")


def _single_target(target: object) -> dict[str, Any]:
    if isinstance(target, list) and len(target) == 1:
        target = target[0]
    if not isinstance(target, dict):
        raise InvalidAnnotation("target is not one object with a source and selectors")
    return target


def _source(source: object) -> str:
    """A corpus-relative path; anything that could lead outside the corpus is refused."""
    if not isinstance(source, str) or not source:
        raise InvalidAnnotation("target has no source")
    parts = source.split("/")
    if "\\" in source or "\0" in source or not parts[0] or ".." in parts or ":" in parts[0]:
        raise InvalidAnnotation(f"source {source!r} is not a path relative to the corpus")
    return source


def _selectors(selectors: object) -> tuple[str, str, str, int, int]:
    """(exact, prefix, suffix, start, end) from a selector or a list of them."""
    items = selectors if isinstance(selectors, list) else [selectors]
    quote = next((s for s in items if isinstance(s, dict) and s.get("type") == "TextQuoteSelector"), None)
    if quote is None:
        raise InvalidAnnotation("no TextQuoteSelector")
    exact, prefix, suffix = quote.get("exact"), quote.get("prefix", ""), quote.get("suffix", "")
    if not isinstance(exact, str) or not exact:
        raise InvalidAnnotation("TextQuoteSelector without an exact quote")
    if not isinstance(prefix, str) or not isinstance(suffix, str):
        raise InvalidAnnotation("TextQuoteSelector prefix or suffix is not a string")
    # quotes are of canonical text, which holds no control characters: a foreign one is made so
    exact, prefix, suffix = inert_text(exact), inert_text(prefix), inert_text(suffix)
    position = next((s for s in items if isinstance(s, dict) and s.get("type") == "TextPositionSelector"), None)
    if position is None:
        return exact, prefix, suffix, 0, len(exact)
    start, end = position.get("start"), position.get("end")
    if type(start) is not int or type(end) is not int or not 0 <= start <= end:
        raise InvalidAnnotation(f"TextPositionSelector start {start!r} and end {end!r} are not offsets")
    return exact, prefix, suffix, start, end


def _bodies(body: object) -> tuple[str, tuple[str, ...]]:
    """(note, tags) from the bodies; bodies of other kinds are ignored."""
    items = body if isinstance(body, list) else [] if body is None else [body]
    notes: list[str] = []
    tags: list[str] = []
    for item in items:
        if not isinstance(item, dict) or item.get("type") != "TextualBody":
            continue
        value = item.get("value")
        if not isinstance(value, str):
            raise InvalidAnnotation("a TextualBody value is not a string")
        (tags if item.get("purpose") == "tagging" else notes).append(value)
    return clean_note("\n\n".join(notes)), clean_tags(tags)


# -- anchoring ----------------------------------------------------------------------------------


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


# -- the file format ----------------------------------------------------------------------------


def encode(annotations: Iterable[Annotation], cache: dict[str, tuple[Annotation, str]] | None = None) -> bytes:
    """The file: a small header, then one annotation a line (so a damaged file salvages well).

    `cache` (id → (annotation, its line)) is read and filled: unchanged annotations are not
    serialised again.
    """
    cache = {} if cache is None else cache
    items = sorted(annotations, key=lambda a: (a.deleted, a.source, a.start, a.id))
    hashes: dict[str, Counter[str]] = defaultdict(Counter)
    for ann in items:
        if not ann.deleted and ann.content_hash:
            hashes[ann.source][ann.content_hash] += 1
    documents = {rel: {"content_hash": c.most_common(1)[0][0]} for rel, c in sorted(hashes.items())}
    lines = [
        f'{{"format": "{FORMAT}", "version": {VERSION},',
        f' "documents": {json.dumps(documents, ensure_ascii=False)},',
        ' "annotations": [',
        ",\n".join(_line(a, cache) for a in items),
        "]}\n",
    ]
    # A lone surrogate (possible in a Python str) becomes its \\uXXXX escape: still valid JSON.
    return "\n".join(lines).encode("utf-8", "backslashreplace")


def _line(ann: Annotation, cache: dict[str, tuple[Annotation, str]]) -> str:
    cached = cache.get(ann.id)
    if cached is not None and cached[0] is ann:
        return cached[1]
    line = json.dumps(ann.to_w3c(), ensure_ascii=False)
    cache[ann.id] = (ann, line)
    return line


def decode(data: bytes) -> tuple[list[Annotation], list[str]]:
    """The annotations of a file and its problems (empty when the file is sound).

    With problems, the annotations are what could be salvaged: the valid entries of a file that
    parses, or the lines that parse as valid entries of one that does not.
    """
    try:
        raw = loads_bounded(data.decode("utf-8"))
    except ValueError as exc:  # UnicodeDecodeError, JSONDecodeError, BoundedReadError
        return _salvage_lines(data), [f"not valid JSON ({exc})"]
    problems: list[str] = []
    if isinstance(raw, list):
        entries, hashes = raw, {}
        problems.append("a bare list of annotations, not a Folio annotations file")
    elif isinstance(raw, dict) and raw.get("format") == FORMAT and isinstance(raw.get("annotations"), list):
        entries, hashes = raw["annotations"], _hashes(raw.get("documents"))
        if raw.get("version") != VERSION:
            problems.append(f"format version {raw.get('version')!r}, this Folio reads version {VERSION}")
    else:
        return [], ["not a Folio annotations file"]
    annotations: list[Annotation] = []
    for i, entry in enumerate(entries):
        try:
            annotations.append(Annotation.from_w3c(entry, hashes))
        except InvalidAnnotation as exc:
            problems.append(f"entry {i + 1}: {exc}")
    return annotations, problems


def _decode_file(data: bytes, fingerprint: _Fingerprint | None) -> tuple[list[Annotation], list[str]]:
    """`decode` for what `_read` returned: no file is no annotations, but a file that exists and
    is empty is damaged (Folio never writes one), so it is set aside rather than taken as the
    truth, and the backup of the last good version is not overwritten by it."""
    if data:
        return decode(data)
    return [], [] if fingerprint is None else ["the file is empty"]


def _hashes(documents: object) -> dict[str, str]:
    if not isinstance(documents, dict):
        return {}
    return {
        rel: info["content_hash"]
        for rel, info in documents.items()
        if isinstance(info, dict) and isinstance(info.get("content_hash"), str)
    }


_DECODER = json.JSONDecoder()


def _salvage_lines(data: bytes) -> list[Annotation]:
    """Each line that starts with a whole annotation object (whatever follows it on the line:
    a comma, or the junk a damaged file ends with)."""
    salvaged: list[Annotation] = []
    for raw_line in data.decode("utf-8", errors="replace").splitlines():
        line = raw_line.strip()
        if not line.startswith("{"):
            continue
        try:
            obj, _ = _DECODER.raw_decode(line)
            salvaged.append(Annotation.from_w3c(obj))
        except (json.JSONDecodeError, RecursionError, InvalidAnnotation):
            continue
    return salvaged


def merge(ours: Mapping[str, Annotation], theirs: Mapping[str, Annotation], prefer: set[str]) -> dict[str, Annotation]:
    """Both sets by id: the newest `modified` wins; at a tie a tombstone, then ids in `prefer` ours."""
    merged = dict(theirs)
    for ann_id, mine in ours.items():
        other = merged.get(ann_id)
        if other is None or _wins(mine, other, ann_id in prefer):
            merged[ann_id] = mine
    return merged


def _wins(a: Annotation, b: Annotation, at_tie: bool) -> bool:
    if a.modified != b.modified:
        return a.modified > b.modified
    if a.deleted != b.deleted:
        return a.deleted
    return at_tie


def _by_id(annotations: Iterable[Annotation]) -> dict[str, Annotation]:
    """Annotations by id; of duplicates the winner of a merge stays."""
    result: dict[str, Annotation] = {}
    for ann in annotations:
        other = result.get(ann.id)
        if other is None or _wins(ann, other, at_tie=False):
            result[ann.id] = ann
    return result


# -- the store ----------------------------------------------------------------------------------


class Loaded(NamedTuple):
    annotations: list[Annotation]
    warnings: list[str]


#: What tells one version of the file from another: inode, size and modification time.
_Fingerprint = tuple[int, int, int]


class AnnotationStore:
    """The annotations of one corpus, in memory and in their JSON file (see the module docstring).

    Safe to use from several threads; other processes are kept in step through the file.
    """

    def __init__(self, path: str | os.PathLike[str], lock_timeout: float = LOCK_TIMEOUT) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self._lock = filelock.FileLock(f"{self.path}.lock", timeout=lock_timeout, mode=0o600, poll_interval=0.01)
        self._mutex = threading.RLock()
        self._items: dict[str, Annotation] = {}  #: live annotations and tombstones, by id
        self._dirty: set[str] = set()  #: ids changed since the last successful save
        self._warnings: list[str] = []
        self._seen: _Fingerprint | None = None  #: the version of the file memory holds (not parsed again)
        self._lines: dict[str, tuple[Annotation, str]] = {}  #: each annotation's last JSON line

    def __repr__(self) -> str:
        return f"AnnotationStore({str(self.path)!r})"

    @classmethod
    def for_corpus(cls, corpus: Corpus, override: Path | None = None) -> AnnotationStore:
        """The store of a corpus: in the user data dir, keyed like its search index, unless overridden."""
        return cls(locations.annotations_path(Path(corpus.label), override))

    # reading

    def load(self) -> Loaded:
        """Read the file and merge it into memory (unsaved changes are kept)."""
        with self._mutex:
            first_warning = len(self._warnings)
            read = self._read()
            if read is not None:
                data, fingerprint = read
                annotations, problems = _decode_file(data, fingerprint)
                self._items = merge(self._items, _by_id(annotations), self._dirty)
                if problems:
                    self._repair(problems)
                else:
                    self._seen = fingerprint
            if self._rescued_files():  # changes an earlier session could not save: save them now
                try:
                    self._sync()
                except AnnotationStoreError as exc:
                    self._warnings.append(f"Unsaved annotations of an earlier session are not merged yet. {exc}")
            return Loaded(self.all(), self._warnings[first_warning:])

    def all(self) -> list[Annotation]:
        """The live annotations, by document and position."""
        with self._mutex:
            live = [a for a in self._items.values() if not a.deleted]
        return sorted(live, key=lambda a: (a.source, a.start, a.end, a.id))

    def for_document(self, rel: str) -> list[Annotation]:
        return [a for a in self.all() if a.source == rel]

    def get(self, ann_id: str) -> Annotation | None:
        """A live annotation by id."""
        ann = self._items.get(ann_id)
        return None if ann is None or ann.deleted else ann

    @property
    def pending(self) -> bool:
        """True while some change is not saved (after a failed save)."""
        return bool(self._dirty)

    def unsaved(self) -> list[Annotation]:
        """The changes not saved yet (annotations and tombstones)."""
        with self._mutex:
            return [self._items[i] for i in sorted(self._dirty) if i in self._items]

    def rescue(self) -> Path | None:
        """Keep the unsaved changes when the program must end without saving them (the lock never
        came free, the disk is full or read-only): write them to a file of their own, beside the
        store or else in the user state dir. A new name needs no lock. The next save by any Folio
        on this store merges them (the newest version of each annotation wins, so nothing deleted
        since comes back) and removes the file. Returns where they are (None when nothing was
        pending); raises `AnnotationStoreError` when they could be written nowhere."""
        pending = self.unsaved()
        if not pending:
            return None
        data = encode(pending)
        stamp = utc_now().strftime("%Y%m%dT%H%M%S")
        errors: list[str] = []
        for folder in self._rescue_dirs():
            path = folder / f"{self.path.name}.unsaved-{stamp}-{os.getpid()}-{uuid.uuid4().hex[:8]}.json"
            try:
                folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                _write_new(path, data)
                return path
            except OSError as exc:
                errors.append(f"{folder}: {_reason(exc)}")
        raise AnnotationStoreError(f"Cannot keep the unsaved annotations anywhere ({'; '.join(errors)}).")

    def _rescue_dirs(self) -> list[Path]:
        key = hashlib.sha256(str(self.path.absolute()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
        return [self.path.parent, Path(platformdirs.user_state_dir(locations.APP)) / "unsaved" / key]

    def _rescued_files(self) -> list[Path]:
        pattern = f"{self.path.name}.unsaved-*.json"
        return sorted(p for folder in self._rescue_dirs() if folder.is_dir() for p in folder.glob(pattern))

    def take_warnings(self) -> list[str]:
        """Warnings not yet taken: a damaged file set aside, recovered entries."""
        with self._mutex:
            taken, self._warnings = self._warnings, []
        return taken

    # changes: each is kept in memory, then saved

    def add(self, ann: Annotation) -> Annotation:
        with self._mutex:
            if ann.id in self._items:
                raise ValueError(f"annotation {ann.id} already exists")
            return self._put(ann)

    def update(self, ann: Annotation) -> Annotation:
        """Store a new version of a live annotation (its `modified` time is set)."""
        with self._mutex:
            current = self.get(ann.id)
            if current is None:
                raise KeyError(ann.id)
            return self._put(replace(ann, modified=_later(current.modified)))

    def delete(self, ann_id: str) -> Annotation:
        """Delete a live annotation, leaving a tombstone; returns it as it was (for undo)."""
        with self._mutex:
            current = self.get(ann_id)
            if current is None:
                raise KeyError(ann_id)
            self._put(current.tombstone())
            return current

    def restore(self, ann: Annotation) -> Annotation:
        """Bring back a version of an annotation (undo of a delete or an edit), deleted or not."""
        if ann.deleted:
            raise ValueError("a tombstone cannot be restored: pass the annotation that delete() returned")
        with self._mutex:
            current = self._items.get(ann.id)
            modified = _later(max(ann.modified, current.modified if current else ann.modified))
            return self._put(replace(ann, modified=modified, deleted=False))

    def accept(self, anchored: Iterable[Anchored]) -> int:
        """Keep re-anchored positions (written by the next save); returns how many changed.

        A result is ignored when the annotation was edited since it was anchored.
        """
        changed = 0
        with self._mutex:
            for result in anchored:
                new = result.annotation
                current = self._items.get(new.id)
                if current is not None and current.modified == new.modified and not current.deleted and current != new:
                    self._items[new.id] = new
                    self._dirty.add(new.id)
                    changed += 1
        return changed

    def _put(self, ann: Annotation) -> Annotation:
        self._items[ann.id] = ann
        self._dirty.add(ann.id)
        self.save()
        return ann

    # writing

    def save(self) -> None:
        """Write unsaved changes, merged with the file; raises `AnnotationStoreError`, keeping them."""
        with self._mutex:
            if self._dirty:
                self._sync()

    def _repair(self, problems: list[str]) -> None:
        """Set a damaged file aside and write what was recovered; a failure is a warning."""
        try:
            self._sync()
        except AnnotationStoreError as exc:
            self._warnings.append(
                f"The annotations file {self.path} is damaged ({_summary(problems)}) and was left as it is "
                f"(what could be read from it is shown). {exc}"
            )

    def _sync(self) -> None:
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            with self._lock.acquire(timeout=self.lock_timeout):
                self._remove_stale_temporaries()
                self._items = merge(self._items, self._read_locked(), self._dirty)
                rescued, rescue_files = self._read_rescued()
                self._items = merge(rescued, self._items, set())  # a rescued version wins only if newer
                self._write(encode(self._items.values(), self._lines))
                for done in rescue_files:
                    with contextlib.suppress(FileNotFoundError):
                        done.unlink()
                if rescue_files:
                    n = len(rescued)
                    self._warnings.append(
                        f"{n} unsaved change{'s' if n != 1 else ''} left by an earlier session "
                        f"({', '.join(str(f) for f in rescue_files)}) {'were' if n != 1 else 'was'} saved now."
                    )
        except filelock.Timeout:
            raise AnnotationStoreError(
                f"Cannot save annotations: {self.path} is locked by another program "
                f"(waited {self.lock_timeout:g} s). Your changes are kept; try again."
            ) from None
        except OSError as exc:
            raise AnnotationStoreError(
                f"Cannot save annotations to {self.path}: {_reason(exc)}. Your changes are kept; try again."
            ) from exc
        self._dirty.clear()

    def _read(self) -> tuple[bytes, _Fingerprint | None] | None:
        """The file and its fingerprint (b"" when there is none); None when memory already holds it."""
        try:
            with open(self.path, "rb") as f:
                fingerprint = _fingerprint(os.fstat(f.fileno()))
                return None if fingerprint == self._seen else (f.read(), fingerprint)
        except FileNotFoundError:
            return b"", None
        except OSError as exc:
            raise AnnotationStoreError(f"Cannot read annotations from {self.path}: {_reason(exc)}.") from exc

    def _read_locked(self) -> dict[str, Annotation]:
        """What the file holds that memory may not, read under the lock.

        A damaged file is set aside and the entries recovered from it are marked to be written.
        """
        read = self._read()
        if read is None:
            return {}
        data, fingerprint = read
        annotations, problems = _decode_file(data, fingerprint)
        found = _by_id(annotations)
        if problems:
            aside = self._set_aside()
            recovered = f"{len(found)} annotation{'s' if len(found) != 1 else ''} recovered from it"
            if not found:  # emptied or replaced: the backup is the last good version
                found = self._backup()
                if found:
                    recovered = f"nothing could be read from it, so the {len(found)} of the backup {self._backup_path} were restored"
            self._warnings.append(
                f"The annotations file {self.path} was damaged ({_summary(problems)}). It was moved to {aside}; {recovered}."
            )
            self._dirty.update(found)
        else:
            self._seen = fingerprint
        return found

    def _read_rescued(self) -> tuple[dict[str, Annotation], list[Path]]:
        """The changes left by sessions that could not save them (see `rescue`), and their files.
        A rescued file that cannot be read is left where it is, with a warning."""
        rescued: list[Annotation] = []
        files: list[Path] = []
        for path in self._rescued_files():
            try:
                annotations, problems = decode(path.read_bytes())
            except OSError as exc:
                annotations, problems = [], [_reason(exc)]
            if problems:
                self._warnings.append(
                    f"Unsaved annotations left in {path} cannot be read ({_summary(problems)}); it is kept."
                )
                continue
            rescued += annotations
            files.append(path)
        return _by_id(rescued), files

    @property
    def _backup_path(self) -> Path:
        return self.path.with_name(self.path.name + ".bak")

    def _backup(self) -> dict[str, Annotation]:
        """The annotations of the backup, when it is sound (else none)."""
        try:
            data = self._backup_path.read_bytes()
        except OSError:
            return {}
        annotations, problems = decode(data) if data else ([], ["empty"])
        return {} if problems else _by_id(annotations)

    def _set_aside(self) -> Path:
        stamp = utc_now().strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while aside.exists():
            n += 1
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
        os.rename(self.path, aside)
        fsync_dir(self.path.parent)
        return aside

    def _write(self, data: bytes) -> None:
        """Replace the file atomically, keeping the previous one as the backup."""
        written = write_atomic(
            self.path, data, temp_prefix=self._temp_prefix, before_replace=lambda _target: self._keep_backup()
        )
        self._seen = _fingerprint(written)

    def _keep_backup(self) -> None:
        """Make the current file the backup: a hard link renamed over `<file>.bak`."""
        if not self.path.exists():
            return
        link = self.path.parent / f"{self._temp_prefix}{uuid.uuid4().hex}.tmp"
        try:
            os.link(self.path, link)
            os.replace(link, self._backup_path)
        finally:
            # Gone after the rename, except when the backup already was this file (a writer
            # killed between its backup and its rename): rename() then leaves both names.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(link)

    @property
    def _temp_prefix(self) -> str:
        return f".{self.path.name}."

    def _remove_stale_temporaries(self) -> None:
        """Temporary files left by a writer that was killed (only writers holding the lock make them)."""
        for stale in _glob_temporaries(self.path.parent, self._temp_prefix):
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()


def _write_new(path: Path, data: bytes) -> None:
    """Write a new file atomically (private to its user), named `path` only once complete."""
    write_atomic(path, data, temp_prefix=".unsaved-", mode=0o600)


def _fingerprint(st: os.stat_result) -> _Fingerprint:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _summary(problems: list[str]) -> str:
    more = len(problems) - 3
    return "; ".join(problems[:3]) + (f"; and {more} more" if more > 0 else "")


def _glob_temporaries(folder: Path, prefix: str) -> Iterator[Path]:
    return (p for p in folder.iterdir() if p.name.startswith(prefix) and p.name.endswith(".tmp"))


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno == errno.EDQUOT:
        return "the disk quota is exceeded"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if isinstance(exc, PermissionError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"permission denied{where}: the file or its folder is read-only"
    return exc.strerror or str(exc)
