"""What opening a comparison needs, as the screen that asks for one hands it over.

`CompareRequest` says which document is A and where it opens (`Place`: where it is being read,
when it is the open document), and which is B, or otherwise what the
picker of the second document needs: the documents as listed and a way to rank them by
similarity (`Similar`, the search index's "more like this"), or None while the index is not open.
Kept apart from the compare screens so that asking for a comparison imports neither them nor the
comparison's core (Whoosh's stemmer stays off the start path).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from folio_reader.index.corpus import Document
from folio_reader.index.listing import ListItem

#: Documents most similar to one, best first, as (path, score), at most the number given.
Similar = Callable[[Document, int], list[tuple[str, float]]]


@dataclass(frozen=True, slots=True)
class Place:
    """Where a pane opens: the caret's offset, and the offset shown on the top row."""

    caret: int
    top: int


@dataclass(frozen=True, slots=True)
class CompareRequest:
    """A comparison to open (see the module docstring)."""

    a_rel: str
    b_rel: str | None = None
    documents: Sequence[ListItem] = ()
    similar: Similar | None = None
    place: Place | None = None  #: where A opens; None: at its top
