"""What a Folio index holds: its fields, how each is analysed, and the version of that layout.

An index folder is Folio's own when it holds `MARKER` (a small JSON file naming the schema
version and the corpus); an index of another schema version is rebuilt.
"""

from __future__ import annotations

from whoosh import fields

from folio_reader.index.analysis import name_analyzer, text_analyzer
from folio_reader.index.search.query import DOCUMENT_FIELDS
from folio_reader.index.search.whoosh_ext import BodyField

#: Bumped whenever what is indexed changes: an index of another version is rebuilt.
SCHEMA_VERSION = 5
#: The file that marks a folder as a Folio index (and says its schema version).
MARKER = "folio-index.json"
#: Only this many characters of a document's body are indexed (the rest is still readable).
MAX_INDEXED_CHARS = 8 * 1024 * 1024

__all__ = ["DOCUMENT_FIELDS", "MARKER", "MAX_INDEXED_CHARS", "SCHEMA_VERSION", "make_schema"]


def make_schema() -> fields.Schema:
    """The fields of a document: `path` is its key, `meta` its stored metadata (JSON)."""
    stem = text_analyzer()
    names = name_analyzer()
    return fields.Schema(
        path=fields.ID(unique=True, stored=True),
        title=fields.TEXT(analyzer=stem, field_boost=3.0),
        author=fields.TEXT(analyzer=names),
        outlet=fields.TEXT(analyzer=names),
        date=fields.DATETIME(),
        body=BodyField(analyzer=stem, phrase=True, chars=True),
        meta=fields.STORED(),
    )
