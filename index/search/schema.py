"""What a Folio index holds: its fields, how each is analysed, and the version of that layout.

An index folder is Folio's own when it holds `MARKER` (a small JSON file naming the schema
version and the corpus); an index of another schema version is rebuilt.
"""

from __future__ import annotations

from whoosh import fields

from folio_reader.index.locations import INDEX_MARKER
from folio_reader.index.search.query import DOCUMENT_FIELDS
from folio_reader.index.search.whoosh_ext import BodyField, name_analyzer, text_analyzer

#: Bumped whenever what is indexed changes: an index of another version is rebuilt.
#: 6: identifiers whole and in parts, CJK bigrams, the searchable `path` (key now `rel`), and
#: only the displayed words of a Markdown or reST body.
SCHEMA_VERSION = 6
#: The file that marks a folder as a Folio index (and says its schema version).
MARKER = INDEX_MARKER
#: Only this many characters of a document's body are indexed (the rest is still readable).
MAX_INDEXED_CHARS = 8 * 1024 * 1024

#: The field that keys a document: its corpus-relative path, as is.
KEY = "rel"
#: How much a match in the title, or in the file and folder names, weighs against the body.
TITLE_BOOST = 3.0
PATH_BOOST = 3.0

__all__ = ["DOCUMENT_FIELDS", "KEY", "MARKER", "MAX_INDEXED_CHARS", "SCHEMA_VERSION", "make_schema", "path_text"]


def path_text(rel: str) -> str:
    """What the `path` field indexes of a corpus-relative path: its folder and file names, each
    a token of its own (`memory-barriers.txt` whole, and `memory barriers txt`)."""
    return rel.replace("/", " ")


def make_schema() -> fields.Schema:
    """The fields of a document: `rel` is its key, `path` its searchable file and folder
    names, `meta` its stored metadata (JSON)."""
    stem = text_analyzer()
    names = name_analyzer()
    return fields.Schema(
        rel=fields.ID(unique=True, stored=True),
        path=fields.TEXT(analyzer=stem, field_boost=PATH_BOOST),
        title=fields.TEXT(analyzer=stem, field_boost=TITLE_BOOST),
        author=fields.TEXT(analyzer=names),
        outlet=fields.TEXT(analyzer=names),
        date=fields.DATETIME(),
        body=BodyField(analyzer=stem, phrase=True, chars=True),
        meta=fields.STORED(),
    )
