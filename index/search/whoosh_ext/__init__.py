"""Every place Folio relies on Whoosh's internals, in one package: `storing` (writing and
keeping the index), `querying` (analysis, parsing, matching), `bulk` (the top hits of a
query scored a block of postings at a time) and `kept` (what that scoring read, kept for the
hits' spans and counts).

Whoosh (whoosh-reloaded 2.7.5, a frozen release) is fast enough here only with a few of its
hot paths replaced, and searches identifiers, CJK text and `-word` only with a parser and an
analyzer of Folio's. Each class or function says which private behaviour it relies on;
`tests/test_whoosh_ext.py` checks each against Whoosh's own result (or that the private name
is still there), so that an upgrade that changes one fails there, not in a user's index.
Nothing outside this package subclasses a Whoosh class or touches a private attribute.

Whoosh is untyped: its classes are `Any` to mypy, hence the `type: ignore[misc]` on each
subclass.
"""

from folio_reader.index.search.whoosh_ext.bulk import TopDocuments, top_documents
from folio_reader.index.search.whoosh_ext.kept import Read, hit_counts, hit_spans
from folio_reader.index.search.whoosh_ext.querying import (
    CountingTopCollector,
    FolioQueryParser,
    FolioTokenizer,
    FuzzyTermPlugin,
    MinusPlugin,
    Phrase,
    TimeLimit,
    expand,
    match_counts,
    name_analyzer,
    spans_in,
    text_analyzer,
)
from folio_reader.index.search.whoosh_ext.storing import (
    WHOOSH_NAME_PREFIXES,
    BodyField,
    adopt_segment,
    current_searcher,
    is_damage,
    merge_tiny_segments,
    ram_index,
    segments,
    unlocked_writer,
)

__all__ = [
    "WHOOSH_NAME_PREFIXES",
    "BodyField",
    "CountingTopCollector",
    "FolioQueryParser",
    "FolioTokenizer",
    "FuzzyTermPlugin",
    "MinusPlugin",
    "Phrase",
    "Read",
    "TimeLimit",
    "TopDocuments",
    "adopt_segment",
    "current_searcher",
    "expand",
    "hit_counts",
    "hit_spans",
    "is_damage",
    "match_counts",
    "merge_tiny_segments",
    "name_analyzer",
    "ram_index",
    "segments",
    "spans_in",
    "text_analyzer",
    "top_documents",
    "unlocked_writer",
]
