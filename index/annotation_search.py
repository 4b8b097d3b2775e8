"""Search over annotations: their quotes, notes and tags, with the same query language.

A small Whoosh index in memory, rebuilt when the annotations change (thousands of annotations
index in well under a second). Queries are validated and parsed for the annotation fields
(`quote:`, `note:`, `tags:`); a field of documents (`title:`, `date:`…) matches no annotation.
"""

from __future__ import annotations

from collections.abc import Iterable

from whoosh import fields

from folio_reader.index.annotations import Annotation
from folio_reader.index.search.query import ANNOTATION_FIELDS, DOCUMENT_FIELDS, QueryError, QueryParser
from folio_reader.index.search.whoosh_ext import name_analyzer, ram_index, text_analyzer

FIELDS = ANNOTATION_FIELDS


def _schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(stored=True, unique=True),
        quote=fields.TEXT(analyzer=text_analyzer()),
        note=fields.TEXT(analyzer=text_analyzer(), field_boost=2.0),
        tags=fields.TEXT(analyzer=name_analyzer()),
    )


class AnnotationSearch:
    """Ranked search over a set of annotations; `rebuild` when they change."""

    def __init__(self, annotations: Iterable[Annotation] = ()) -> None:
        self._ix = ram_index(_schema())
        self._parser = QueryParser(self._ix.schema, FIELDS, FIELDS, elsewhere=DOCUMENT_FIELDS)
        self.rebuild(annotations)

    def rebuild(self, annotations: Iterable[Annotation]) -> None:
        self._ix = ram_index(_schema())
        with self._ix.writer() as writer:
            for ann in annotations:
                if not ann.deleted:
                    writer.add_document(id=ann.id, quote=ann.exact, note=ann.note, tags=" ".join(ann.tags))

    def search(self, text: str, limit: int = 20) -> list[str]:
        """Ids of the matching annotations, best first; [] for a query that cannot run here
        (a field of documents among them)."""
        try:
            query = self._parser.parse(text)
        except QueryError:
            return []
        with self._ix.searcher() as searcher:
            return [hit["id"] for hit in searcher.search(query, limit=limit)]
