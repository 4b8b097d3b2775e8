"""Full-text search over a corpus: the Whoosh index, queries, hits, snippets, did-you-mean.

The package's parts, each with one job:

- `folio_index`: `FolioIndex`, what callers use (open, update, search);
- `storage`: the index folder (open, damage, move aside, in memory);
- `update`: what changed since the last update, written and committed in batches;
- `build`: the fields of a document, batches, merge policy, worker processes;
- `searching`: the shared searcher, hits with exact spans, more like this;
- `query`: the query language, validated and parsed for an index's fields;
- `snippets`: the excerpt around a document's hits;
- `spelling`: the vocabulary and did-you-mean;
- `schema`: the fields and their analysis (`index.analysis`), the schema version;
- `results`: hits, search results, update reports;
- `whoosh_ext`: every use of Whoosh's internals, each saying what it relies on.
"""

from folio_reader.index.search.build import PARALLEL_MIN_DOCS
from folio_reader.index.search.folio_index import FolioIndex
from folio_reader.index.search.query import QueryError, normalise_query, validate_query
from folio_reader.index.search.results import Hit, SearchResult, UpdateReport
from folio_reader.index.search.schema import SCHEMA_VERSION, make_schema
from folio_reader.index.search.snippets import make_snippet

__all__ = [
    "PARALLEL_MIN_DOCS",
    "SCHEMA_VERSION",
    "FolioIndex",
    "Hit",
    "QueryError",
    "SearchResult",
    "UpdateReport",
    "make_schema",
    "make_snippet",
    "normalise_query",
    "validate_query",
]
