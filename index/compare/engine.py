"""`compare(a, b)`: the whole comparison of two documents, its progress and its cancelling.

The paragraphs are aligned (`align`), then the shared quotes found (`quotes`). Progress is
reported as a fraction from 0 to 1, and `ComparisonCancelled` raised as soon as `should_stop()`
returns true: a partial comparison is never returned.
"""

from __future__ import annotations

from collections.abc import Callable

from folio_reader.index.compare.align import DEFAULT_SETTINGS, AlignSettings, align
from folio_reader.index.compare.model import Comparison
from folio_reader.index.compare.progress import Monitor
from folio_reader.index.compare.quotes import MIN_QUOTE_WORDS, find_shared_quotes
from folio_reader.index.corpus import Document

#: Bump when the algorithm changes what it returns: cached comparisons are then recomputed.
ALGORITHM_VERSION = 1


def compare(
    a: Document,
    b: Document,
    *,
    settings: AlignSettings = DEFAULT_SETTINGS,
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Comparison:
    """Align the paragraphs of `a` and `b` (as `settings` say) and find the quotes they share.

    `progress(fraction)` is called now and then with a number from 0 to 1; when `should_stop()`
    returns true the work stops and `ComparisonCancelled` is raised.
    """
    monitor = Monitor(progress, should_stop)
    monitor.report(0.0)
    alignment = align(a, b, settings, monitor)
    quotes = find_shared_quotes(a.text, b.text, MIN_QUOTE_WORDS, monitor)
    monitor.report(1.0)
    return Comparison(
        alignment=alignment.pairs,
        only_in_a=alignment.only_in_a,
        only_in_b=alignment.only_in_b,
        shared_quotes=quotes,
    )
