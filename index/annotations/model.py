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
import json
import reprlib
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from folio_reader.index.corpus import Document, inert_label, inert_text

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: Where Folio's own terms are defined: `folio:color` is `urn:folio:color`.
FOLIO_NAMESPACE = "urn:folio:"
COLORS = ("yellow", "green", "blue", "pink", "purple")
DEFAULT_COLOR = "yellow"
#: Characters of context kept on each side of a quote.
CONTEXT_CHARS = 32

#: The time of an annotation that has none.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_ONE_MICROSECOND = dt.timedelta(microseconds=1)


class InvalidAnnotation(ValueError):
    """An entry that is not a usable annotation; the message says why."""


_SHOWN = reprlib.Repr()
_SHOWN.maxlevel, _SHOWN.maxstring, _SHOWN.maxother = 2, 60, 60


def shown(value: object) -> str:
    """A value in an error message: its repr, cut short and never deep (a file may nest
    thousands of levels, and the plain repr of that could exhaust the stack)."""
    return _SHOWN.repr(value)


def context() -> list[Any]:
    """The JSON-LD context of a Folio annotation (a new list each time): the W3C model's first,
    then the prefix of Folio's own terms (`folio:color`, `folio:contentHash`, `folio:deleted`)."""
    return [W3C_CONTEXT, {"folio": FOLIO_NAMESPACE}]


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def format_time(when: dt.datetime) -> str:
    """ISO 8601 in UTC with microseconds: 2026-11-21T10:45:01.123456Z."""
    return when.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def parse_time(value: object) -> dt.datetime:
    if not isinstance(value, str):
        raise InvalidAnnotation(f"time is not a string: {shown(value)}")
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise InvalidAnnotation(f"not an ISO 8601 time: {shown(value)}") from None
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
    #: what another tool (or a newer Folio) wrote that Folio keeps without using: canonical JSON
    #: of {"keys": {...}, "target": {...}, "selectors": [...], "bodies": [...]}, or ""
    foreign: str = ""

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
        """The W3C Web Annotation of this one (a tombstone for a deleted one), with the parts
        Folio does not use as they were read."""
        if self.deleted:
            return {
                "@context": context(),
                "type": "Annotation",
                "id": self.id,
                "modified": format_time(self.modified),
                "folio:deleted": True,
            }
        foreign: dict[str, Any] = json.loads(self.foreign) if self.foreign else {}
        body: list[Any] = []
        if self.note:
            body.append({"type": "TextualBody", "value": self.note, "format": "text/markdown", "purpose": "commenting"})
        body.extend({"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in self.tags)
        body.extend(foreign.get("bodies", ()))
        obj: dict[str, Any] = {
            "@context": context(),
            "type": "Annotation",
            "id": self.id,
            "motivation": "commenting" if self.note else "highlighting",
            "created": format_time(self.created),
            "modified": format_time(self.modified),
            "folio:color": self.color,
        }
        obj.update(foreign.get("keys", {}))
        if body:
            obj["body"] = body
        target: dict[str, Any] = {"source": self.source, "folio:contentHash": self.content_hash}
        target.update(foreign.get("target", {}))
        target["selector"] = [
            {"type": "TextQuoteSelector", "exact": self.exact, "prefix": self.prefix, "suffix": self.suffix},
            {"type": "TextPositionSelector", "start": self.start, "end": self.end},
            *foreign.get("selectors", ()),
        ]
        obj["target"] = target
        return obj

    def unshown_bodies(self) -> list[str]:
        """What Folio cannot show of this annotation's bodies (kept, written back): each one's
        type, or its IRI when it is a link to a resource."""
        if not self.foreign:
            return []
        bodies = json.loads(self.foreign).get("bodies", [])
        return [b if isinstance(b, str) else str(b.get("type", "body of no type")) for b in bodies]

    @classmethod
    def from_w3c(cls, obj: object, hashes: Mapping[str, str] | None = None) -> Annotation:
        """Read a W3C annotation; `hashes` (rel → content hash) fills in a missing content hash.

        What Folio does not use (other keys, target properties, selectors and bodies of other
        kinds) is kept in `foreign` and written back by `to_w3c`; raises `InvalidAnnotation` when
        the entry cannot be used.
        """
        if not isinstance(obj, dict):
            raise InvalidAnnotation("not a JSON object")
        kinds = obj.get("type")
        if kinds != "Annotation" and not (isinstance(kinds, list) and "Annotation" in kinds):
            raise InvalidAnnotation(f"type is {shown(kinds)}, not 'Annotation'")
        ann_id = obj.get("id")
        if not isinstance(ann_id, str) or not ann_id.strip():
            raise InvalidAnnotation("no id")
        created = parse_time(obj["created"]) if "created" in obj else None
        modified = parse_time(obj["modified"]) if "modified" in obj else None
        if obj.get("folio:deleted") is True:
            if modified is None:
                raise InvalidAnnotation(f"{ann_id}: deletion without a 'modified' time")
            return cls(id=ann_id, source="", start=0, end=0, exact="", modified=modified, deleted=True)
        foreign: dict[str, Any] = {}
        keys = {k: obj[k] for k in obj.keys() - _OWN_KEYS}
        if obj.get("motivation", "commenting") not in ("commenting", "highlighting"):
            keys["motivation"] = obj["motivation"]
        if keys:
            foreign["keys"] = keys
        target = _single_target(obj.get("target"))
        source = _source(target.get("source"))
        extra_target = {k: target[k] for k in target.keys() - _OWN_TARGET_KEYS}
        if extra_target:
            foreign["target"] = extra_target
        exact, prefix, suffix, start, end, other_selectors = _selectors(target.get("selector"))
        if other_selectors:
            foreign["selectors"] = other_selectors
        if "body" in obj:
            note, tags, other_bodies = _bodies(obj["body"])
        else:
            note, tags, other_bodies = _body_value(obj.get("bodyValue"))
        if other_bodies:
            foreign["bodies"] = other_bodies
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
            foreign=_foreign_json(foreign),
        )


#: The keys of an annotation and of its target that Folio reads (the others are kept as they are).
_OWN_KEYS = frozenset(
    {"@context", "type", "id", "motivation", "created", "modified", "body", "bodyValue", "target", "folio:color"}
)
_OWN_TARGET_KEYS = frozenset({"source", "selector", "folio:contentHash"})
#: Parts of an annotation Folio keeps without using them may nest at most this deep.
MAX_FOREIGN_DEPTH = 64


def _foreign_json(foreign: dict[str, Any]) -> str:
    """The parts Folio keeps without using, as canonical JSON ("" when there are none)."""
    if not foreign:
        return ""
    if _depth(foreign) > MAX_FOREIGN_DEPTH:
        raise InvalidAnnotation(f"its other properties nest more than {MAX_FOREIGN_DEPTH} levels deep")
    return json.dumps(foreign, ensure_ascii=False, sort_keys=True)


def _depth(value: object) -> int:
    """How deep lists and objects nest in `value` (without recursion: it may be very deep)."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_FOREIGN_DEPTH:
            return deepest
        stack.extend((child, level + 1) for child in children)
    return deepest


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
        raise InvalidAnnotation(f"source {shown(source)} is not a path relative to the corpus")
    return source


def _selectors(selectors: object) -> tuple[str, str, str, int, int, list[Any]]:
    """(exact, prefix, suffix, start, end, the other selectors) from a selector or a list of them."""
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
    others = [s for s in items if s is not quote and s is not position]
    if position is None:
        return exact, prefix, suffix, 0, len(exact), others
    start, end = position.get("start"), position.get("end")
    if type(start) is not int or type(end) is not int or not 0 <= start <= end:
        raise InvalidAnnotation(f"TextPositionSelector start {shown(start)} and end {shown(end)} are not offsets")
    return exact, prefix, suffix, start, end, others


def _bodies(body: object) -> tuple[str, tuple[str, ...], list[Any]]:
    """(note, tags, the bodies Folio cannot show) from the bodies: a textual body tagging is a
    tag, any other textual body part of the note."""
    items = body if isinstance(body, list) else [body]
    notes: list[str] = []
    tags: list[str] = []
    others: list[Any] = []
    for item in items:
        if not isinstance(item, dict) or item.get("type") != "TextualBody" or "value" not in item:
            others.append(item)
            continue
        value = item["value"]
        if not isinstance(value, str):
            raise InvalidAnnotation("a TextualBody value is not a string")
        (tags if item.get("purpose") == "tagging" else notes).append(value)
    return clean_note("\n\n".join(notes)), clean_tags(tags), others


def _body_value(value: object) -> tuple[str, tuple[str, ...], list[Any]]:
    """The note of an annotation whose body is given as `bodyValue` (a plain string)."""
    if value is None:
        return "", (), []
    if not isinstance(value, str):
        raise InvalidAnnotation("bodyValue is not a string")
    return clean_note(value), (), []
