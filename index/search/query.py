"""The query language: validation and parsing, for the field set of the index a query runs on.

Folio's queries are Whoosh's query language (words ANDed, "phrases", OR/NOT, `field:`, `pre*`,
`word~`, date ranges), checked first for what Whoosh would silently misread, so that a query
that cannot be run says why in words (`QueryError`). The document index and the annotation
search each parse with their own schema and field names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from whoosh import qparser, query

from folio_reader.index.analysis import why_no_terms
from folio_reader.index.search.whoosh_ext import FolioQueryParser, FuzzyTermPlugin, MinusPlugin, Phrase, expand

MAX_QUERY_CHARS = 1000
MIN_WILDCARD_PREFIX = 2
#: A prefix, wildcard or fuzzy term is expanded to at most this many words for hit spans.
MAX_EXPANSION = 200

#: The fields a query may name in the document index, and in the annotation search.
DOCUMENT_FIELDS = ("title", "author", "outlet", "date", "body", "path")
ANNOTATION_FIELDS = ("quote", "note", "tags")

OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})

#: `name:` names a field, unless a `:` or `/` follows (`std::move`, `https://…`).
_FIELD_RE = re.compile(r"(?<![\w\"':])([A-Za-z_]+):(?![:/])")
_EMPTY_FIELD_RE = re.compile(r"(?<![\w\"':])([A-Za-z_]+):(?=\s|$|\))")
_WILDCARD_RE = re.compile(r"(?<![\w\"])([^\s\"()]*)[*?]")
_DATE_CLAUSE_RE = re.compile(r"date:(\[[^\]]*\]|\{[^}]*\}|[<>]=?\S+|\S+)")
_CURLY = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'"})
_DATE_HELP = "write 2025-05-07, 2025-05 or 2025, or a range such as date:[2025-05 to 2025-07] or date:>2025-06"


class QueryError(ValueError):
    """A query that cannot be run; the message says why in words."""


class OtherIndexQuery(QueryError):
    """A query naming a field of the other index (`note:` on documents, `title:` on
    annotations): it matches nothing here, and is no mistake. `field` is the first such."""

    def __init__(self, field: str) -> None:
        super().__init__(f"{field}: is a field of the other index")
        self.field = field


def normalise_query(text: str) -> str:
    """Curly quotes made straight, the ends stripped."""
    return text.translate(_CURLY).strip()


def outside_quotes(text: str) -> str:
    """The query with the inside of each quoted phrase blanked out (same length)."""
    return re.sub(r'"[^"]*"', lambda m: '"' + " " * (len(m.group()) - 2) + '"', text)


def validate_query(text: str, fields: Sequence[str], elsewhere: Sequence[str] = ()) -> None:
    """Raise `QueryError` for what Whoosh would silently misread, `fields` being the names a
    query may use on the index it runs on; `OtherIndexQuery` for a query that names one of
    `elsewhere`, the fields of the other index the same query language searches."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"query too long: {len(text):,} characters (the limit is {MAX_QUERY_CHARS:,})")
    if not text:
        raise QueryError("nothing to search for")
    if text.count('"') % 2:
        raise QueryError('unclosed quote: a phrase needs a closing "')
    bare = outside_quotes(text)
    other: str | None = None
    for m in _FIELD_RE.finditer(bare):
        name = m.group(1)
        if name in elsewhere:
            other = other or name
        elif name not in fields:
            known = ", ".join(f + ":" for f in (*fields, *elsewhere))
            raise QueryError(f"unknown field {name}: (fields are {known})")
    empty = _EMPTY_FIELD_RE.search(bare)
    if empty:
        raise QueryError(f"{empty.group(1)}: needs something to search for after the colon")
    for wildcard in _WILDCARD_RE.finditer(bare):
        stem = wildcard.group(1).split(":")[-1]
        if len(re.sub(r"\W", "", stem)) < MIN_WILDCARD_PREFIX:
            raise QueryError(f"a wildcard needs at least {MIN_WILDCARD_PREFIX} letters before * or ?")
    words = [w for w in re.findall(r"[^\s()]+", bare) if w not in OPERATORS]
    if not words:
        raise QueryError("nothing to search for: the query holds only operators")
    if other is not None:
        raise OtherIndexQuery(other)


def is_null(q: Any) -> bool:
    return isinstance(q, type(query.NullQuery))


class QueryParser:
    """Validates and parses queries for one schema: `fields` are the names a query may use,
    `default_fields` those a word without a field searches, `elsewhere` the fields of the
    other index (see `validate_query`). Stateless between parses, so one is made per schema
    (Whoosh's parser takes ~2 ms to make)."""

    def __init__(
        self, schema: Any, fields: Sequence[str], default_fields: Sequence[str], elsewhere: Sequence[str] = ()
    ) -> None:
        self.fields = tuple(fields)
        self.elsewhere = tuple(elsewhere)
        parser = FolioQueryParser(list(default_fields), schema, group=qparser.AndGroup, phraseclass=Phrase)
        parser.add_plugin(FuzzyTermPlugin())
        parser.add_plugin(MinusPlugin())
        if "date" in self.fields:
            parser.add_plugin(qparser.GtLtPlugin())
        self._parser = parser

    def parse(self, text: str) -> Any:
        """Validate and parse a query; raises `QueryError` with a readable reason."""
        text = normalise_query(text)
        validate_query(text, self.fields, self.elsewhere)
        if "date" in self.fields:
            self._check_dates(text)
        try:
            q = self._parser.parse(text)
        except Exception as exc:  # whoosh's parser raises assorted errors on odd input
            raise QueryError(f"cannot read the query: {exc}") from None
        if is_null(q):
            raise QueryError(f"nothing to search for: {why_no_terms(outside_quotes(text))}")
        for leaf in q.leaves():
            # date:"" parses as Term('date', ''), which fails only when searched
            if getattr(leaf, "fieldname", None) == "date" and not isinstance(leaf, query.NumericRange):
                raise QueryError(f"cannot read the date: {_DATE_HELP}")
        return q

    def _check_dates(self, text: str) -> None:
        for clause in _DATE_CLAUSE_RE.finditer(outside_quotes(text)):
            try:
                unreadable = is_null(self._parser.parse(clause.group()))
            except Exception:  # whoosh raises a bare Exception for some dates ('date:<0')
                unreadable = True
            if unreadable:
                raise QueryError(f"cannot read the date in {clause.group()!r}: {_DATE_HELP}")


def leaves(q: Any, *, negated: bool = False) -> Iterator[tuple[Any, bool]]:
    """The leaves of a parsed query (a phrase is a leaf), each with whether it is negated."""
    if isinstance(q, query.Not):
        yield from leaves(q.query, negated=not negated)
    elif isinstance(q, query.AndNot):
        yield from leaves(q.a, negated=negated)
        yield from leaves(q.b, negated=not negated)
    elif q.is_leaf() or isinstance(q, query.Phrase):
        yield q, negated
    else:
        for child in q.children():
            yield from leaves(child, negated=negated)


def positive_leaves(q: Any, fieldname: str, searcher: Any) -> Iterator[Any]:
    """The leaves on `fieldname` whose matches are hits (not under NOT), multi-terms expanded
    into the words they stand for (at most `MAX_EXPANSION`)."""
    for leaf, negated in leaves(q):
        if negated or getattr(leaf, "fieldname", None) != fieldname:
            continue
        if isinstance(leaf, query.MultiTerm):
            for word in expand(leaf, searcher)[:MAX_EXPANSION]:
                yield query.Term(fieldname, word)
        else:
            yield leaf
