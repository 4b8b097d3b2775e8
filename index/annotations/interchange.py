"""W3C interchange: the AnnotationCollection Folio exports, and reading annotations to import.

Export (`collection`): one `AnnotationCollection` with one embedded `AnnotationPage`, as the W3C
Web Annotation Data Model (sections 3-5) requires: the W3C JSON-LD context first, then Folio's
own terms (`folio:color`, `folio:contentHash`) defined under the `urn:folio:` namespace; the
collection's `id` a `urn:uuid:` kept with the corpus's annotations (`AnnotationStore.collection_id`),
its `label` naming the corpus by its folder name only (never where it lives); the page's own `id`,
`partOf` and `startIndex`, and no page at all when there is nothing to list.

Import (`read_import`, `place`): a file holding a W3C `Annotation`, a list of them, an
`AnnotationPage`, an `AnnotationCollection` (pages embedded, followed by `next`) or a Folio
annotations file, from Folio or another tool. What Folio does not use is kept (see
`Annotation.foreign`). `place` anchors each one on a corpus: in the document its source names
(a path relative to the corpus, or a `file:` IRI inside it), else by its quote across the
corpus, else it is an orphan (kept with its source, re-attachable in the app).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from folio_reader.index.annotations.anchoring import Status, anchor
from folio_reader.index.annotations.fileformat import FORMAT, by_id
from folio_reader.index.annotations.model import Annotation, InvalidAnnotation, context, shown
from folio_reader.index.atomic_io import BoundedReadError, loads_bounded, read_bounded
from folio_reader.index.corpus import Corpus, Document, UnreadableError

#: A file to import larger than this is refused unread.
MAX_IMPORT_BYTES = 256 * 1024 * 1024
#: Pages of a collection followed at most (each embedded in the one before).
MAX_PAGES = 10_000


class NotImportable(ValueError):
    """The file cannot be imported at all; the message says why (nothing was written)."""


def collection(annotations: Iterable[Annotation], corpus_name: str, collection_id: str) -> dict[str, Any]:
    """The W3C AnnotationCollection of these annotations, with one embedded page of them all."""
    items = []
    for ann in annotations:
        item = ann.to_w3c()
        del item["@context"]  # they take the collection's
        items.append(item)
    result: dict[str, Any] = {
        "@context": context(),
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"Folio annotations: {corpus_name}",
        "total": len(items),
    }
    if items:
        page_id = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, collection_id + '/page/0')}"
        result["first"] = {
            "id": page_id,
            "type": "AnnotationPage",
            "partOf": collection_id,
            "startIndex": 0,
            "items": items,
        }
        result["last"] = page_id
    return result


@dataclass
class ImportFile:
    """What a file to import holds: the annotations read (of duplicate ids the newest) and what
    could not be read."""

    kind: str  #: what the file is, in words
    annotations: list[Annotation]
    unreadable: list[str] = field(default_factory=list)  #: one reason per entry that is no annotation
    duplicates: int = 0  #: entries whose id another entry has too


def read_import(path: Path) -> ImportFile:
    """Read a file to import; raises `NotImportable` when it is not one (not JSON, too large, not
    annotations), saying why."""
    try:
        raw = loads_bounded(read_bounded(path, MAX_IMPORT_BYTES))
    except (BoundedReadError, UnicodeDecodeError) as exc:
        raise NotImportable(f"Cannot import {path}: {exc}.") from None
    except ValueError as exc:
        raise NotImportable(f"Cannot import {path}: it is not JSON ({exc}).") from None
    except OSError as exc:
        raise NotImportable(f"Cannot import {path}: {exc.strerror or exc}.") from None
    kind, entries = _entries(raw)
    annotations: list[Annotation] = []
    unreadable: list[str] = []
    for n, entry in enumerate(entries, 1):
        try:
            annotations.append(Annotation.from_w3c(_as_path_source(entry)))
        except InvalidAnnotation as exc:
            ident = entry.get("id") if isinstance(entry, dict) else None
            unreadable.append(f"entry {n}{f' ({shown(ident)})' if ident else ''}: {exc}")
    unique = list(by_id(annotations).values())
    return ImportFile(kind, unique, unreadable, len(annotations) - len(unique))


def _entries(raw: object) -> tuple[str, list[object]]:
    if isinstance(raw, list):
        return "a list of W3C annotations", raw
    if not isinstance(raw, dict):
        raise NotImportable(f"it holds {type(raw).__name__} JSON, not annotations")
    if raw.get("format") == FORMAT and isinstance(raw.get("annotations"), list):
        return "a Folio annotations file", raw["annotations"]
    kinds = raw.get("type")
    types = set(kinds) if isinstance(kinds, list) else {kinds}
    if "Annotation" in types:
        return "a W3C annotation", [raw]
    if "AnnotationPage" in types:
        return "a W3C AnnotationPage", list(_page_items(raw))
    if "AnnotationCollection" in types:
        first = raw.get("first")
        if isinstance(first, str):
            raise NotImportable("its pages are links (Folio reads only pages embedded in the file)")
        return "a W3C AnnotationCollection", list(_page_items(first)) if first is not None else []
    raise NotImportable(f"its type is {shown(kinds)}, not Annotation, AnnotationPage or AnnotationCollection")


def _page_items(page: object) -> Iterator[object]:
    """The items of a page and of the pages embedded after it (`next`)."""
    for _ in range(MAX_PAGES):
        if not isinstance(page, dict):
            return
        items = page.get("items")
        if isinstance(items, list):
            yield from items
        page = page.get("next")


def _as_path_source(entry: object) -> object:
    """The entry with its target's source made a corpus path where it can be: `file:` IRIs and
    other absolute IRIs keep their path here (what `place` matches against the corpus), and the
    source as it was is kept as `folio:importedSource`."""
    if not isinstance(entry, dict):
        return entry
    target = entry.get("target")
    single = target[0] if isinstance(target, list) and len(target) == 1 else target
    if not isinstance(single, dict):
        return entry
    source = single.get("source")
    if not isinstance(source, str) or not _is_iri(source):
        return entry
    path = unquote(urlsplit(source).path).lstrip("/")
    if not path:
        return entry
    new_target = {**single, "source": path, "folio:importedSource": source}
    return {**entry, "target": new_target}


def _is_iri(source: str) -> bool:
    scheme, sep, _ = source.partition(":")
    return bool(sep) and scheme.isascii() and scheme.replace("+", "").replace("-", "").replace(".", "").isalnum()


class Placement:
    """How an imported annotation was placed on the corpus."""

    BY_SOURCE = "by its source"
    BY_QUOTE = "by its quote"
    ORPHAN = "not placed"


@dataclass(frozen=True)
class Placed:
    annotation: Annotation  #: placed on this corpus (source, positions, context, content hash)
    how: str  #: a `Placement`


def place(annotations: Iterable[Annotation], corpus: Corpus) -> list[Placed]:
    """Anchor each annotation on the corpus: by its source, else by its quote, else an orphan."""
    docs = _Documents(corpus)
    result: list[Placed] = []
    for ann in annotations:
        rel = docs.resolve(ann.source)
        doc = docs.get(rel) if rel else None
        if doc is not None and rel is not None:
            found = anchor(replace(ann, source=rel), doc.text, doc.meta.content_hash)
            if found.status is not Status.ORPHAN:
                result.append(Placed(found.annotation, Placement.BY_SOURCE))
                continue
        by_quote = _by_quote(ann, docs)
        if by_quote is not None:
            result.append(Placed(by_quote, Placement.BY_QUOTE))
        else:  # kept with its source (a path: `from_w3c` saw to it), re-attachable in the app
            result.append(Placed(replace(ann, source=rel or ann.source), Placement.ORPHAN))
    return result


def _by_quote(ann: Annotation, docs: _Documents) -> Annotation | None:
    """The best place of the annotation's exact quote in any document of the corpus."""
    best: tuple[float, Annotation] | None = None
    for doc in docs.all():
        at = doc.text.find(ann.exact)
        if at < 0:
            continue
        found = anchor(replace(ann, source=doc.rel, start=at, end=at + len(ann.exact)), doc.text, doc.meta.content_hash)
        if found.start is None or found.end is None:
            continue
        context = _matching(ann.prefix, doc.text[max(0, found.start - len(ann.prefix)) : found.start])
        context += _matching(ann.suffix[::-1], doc.text[found.end : found.end + len(ann.suffix)][::-1])
        if best is None or context > best[0]:
            best = (context, found.annotation)
    return None if best is None else best[1]


def _matching(expected: str, actual: str) -> float:
    """Characters of context that agree, read from the quote outwards."""
    n = 0
    for a, b in zip(reversed(expected), reversed(actual), strict=False):
        if a != b:
            break
        n += 1
    return float(n)


class _Documents:
    """The corpus's documents, each loaded once."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.root = Path(os.path.realpath(corpus.root))
        self._loaded: dict[str, Document | None] = {}
        self._rels: list[str] | None = None

    def rels(self) -> list[str]:
        if self._rels is None:
            self._rels = [e.rel for e in self.corpus.scan().entries]
        return self._rels

    def resolve(self, source: str) -> str | None:
        """The document of the corpus a source names: the path itself, or its longest tail that
        is one (an absolute path or IRI of a file inside this corpus, or of a copy elsewhere)."""
        known = set(self.rels())
        parts = [p for p in source.split("/") if p]
        for i in range(len(parts)):
            candidate = "/".join(parts[i:])
            if candidate in known:
                return candidate
        return None

    def get(self, rel: str) -> Document | None:
        if rel not in self._loaded:
            try:
                self._loaded[rel] = self.corpus.load(rel)
            except UnreadableError:
                self._loaded[rel] = None
        return self._loaded[rel]

    def all(self) -> Iterator[Document]:
        for rel in self.rels():
            doc = self.get(rel)
            if doc is not None:
                yield doc
