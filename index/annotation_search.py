"""Search over annotations: their quotes, notes and tags, with the same query language.

A small Whoosh index in memory, rebuilt when the annotations change (thousands of annotations
index in well under a second). Queries are validated as document queries are.
"""

from __future__ import annotations

from collections.abc import Iterable

from whoosh import fields, qparser
from whoosh.filedb.filestore import RamStorage

from folio_reader.index.analysis import name_analyzer, text_analyzer
from folio_reader.index.annotations import Annotation
from folio_reader.index.search.query import DOCUMENT_FIELDS, QueryError, normalise_query, validate_query

FIELDS = ("quote", "note", "tags")


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
        self._ix = RamStorage().create_index(_schema())
        self.rebuild(annotations)

    def rebuild(self, annotations: Iterable[Annotation]) -> None:
        self._ix = RamStorage().create_index(_schema())
        with self._ix.writer() as writer:
            for ann in annotations:
                if not ann.deleted:
                    writer.add_document(id=ann.id, quote=ann.exact, note=ann.note, tags=" ".join(ann.tags))

    def search(self, text: str, limit: int = 20) -> list[str]:
        """Ids of the matching annotations, best first; [] for a query that cannot run here.

        Field queries meant for documents (title:, date:…) match no annotation.
        """
        text = normalise_query(text)
        try:
            validate_query(text, DOCUMENT_FIELDS)
        except QueryError:
            return []
        parser = qparser.MultifieldParser(list(FIELDS), self._ix.schema, group=qparser.AndGroup)
        parser.add_plugin(qparser.FuzzyTermPlugin())
        try:
            query = parser.parse(text)
        except Exception:  # whoosh's parser raises assorted errors on odd input
            return []
        with self._ix.searcher() as searcher:
            return [hit["id"] for hit in searcher.search(query, limit=limit)]
