"""Passage alignment and shared quotes between two documents.

`compare(a, b)` answers three questions a reader asks of two accounts of the same events:

* **Aligned passages**: which paragraphs of B say what a paragraph of A says (`align`)?
* **Only-here passages**: paragraphs with no counterpart (`align`).
* **Shared quotes**: runs of words found in both texts, with every occurrence (`quotes`).

The package's modules, one job each:

* `model`: what a comparison is (`Comparison`, `Pair`, `SharedQuote`), and its JSON.
* `align`: paragraph alignment (TF-IDF cosine through an inverted index) and `AlignSettings`.
* `quotes`: the shared quotes.
* `progress`: progress reports and cancelling (`ComparisonCancelled`), shared by the stages.
* `engine`: `compare`, the stages in order.
* `cache`: `ComparisonCache`, comparisons kept by content in memory and in the user cache dir.
* `report`: the plain-text report.

Offsets are code-point offsets into the canonical texts (`Document.text`), like every offset in
Folio. This package is headless: it never imports textual, rich or tui.
"""

from folio_reader.index.compare.align import AlignSettings
from folio_reader.index.compare.cache import ComparisonCache, shared_cache
from folio_reader.index.compare.engine import ALGORITHM_VERSION, compare
from folio_reader.index.compare.model import Comparison, Pair, SharedQuote, Span, to_json
from folio_reader.index.compare.progress import ComparisonCancelled
from folio_reader.index.compare.quotes import MAX_SEED_OCCURRENCES, MIN_QUOTE_WORDS, shared_quotes
from folio_reader.index.compare.report import format_report

__all__ = [
    "ALGORITHM_VERSION",
    "MAX_SEED_OCCURRENCES",
    "MIN_QUOTE_WORDS",
    "AlignSettings",
    "Comparison",
    "ComparisonCache",
    "ComparisonCancelled",
    "Pair",
    "SharedQuote",
    "Span",
    "compare",
    "format_report",
    "shared_cache",
    "shared_quotes",
    "to_json",
]
