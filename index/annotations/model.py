"""The annotation model: a highlight or note on a quoted passage, and its W3C Web Annotation form.

An `Annotation` is a quote of a document (`exact`, with 32 characters of `prefix` and `suffix`)
at code-point offsets `start`..`end` of its canonical text, plus an optional Markdown `note`,
`tags` and a highlight `color`. It is stored as a W3C Web Annotation (`to_w3c` / `from_w3c`);
`from_w3c` tolerates unknown keys and raises `InvalidAnnotation` for an entry it cannot use. A
deleted annotation is kept as a tombstone (id, `modified`, `"folio:deleted": true`) so that a
merge with another copy of the file never revives it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from folio_reader.index.corpus import Document, inert_label, inert_text

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
COLORS = ("yellow", "green", "blue", "pink", "purple")
DEFAULT_COLOR = "yellow"
#: Characters of context kept on each side of a quote.
CONTEXT_CHARS = 32

#: The time of an annotation that has none.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_ONE_MICROSECOND = dt.timedelta(microseconds=1)


class InvalidAnnotation(ValueError):
    """An entry that is not a usable annotation; the message says why."""


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


def later(previous: dt.datetime) -> dt.datetime:
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
    created: dt.datetime = EPOCH
    modified: dt.datetime = EPOCH
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
        return Annotation(id=self.id, source="", start=0, end=0, exact="", modified=later(self.modified), deleted=True)

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
            created=created or modified or EPOCH,
            modified=modified or created or EPOCH,
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
