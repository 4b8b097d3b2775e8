"""Progress reports and cancelling of a comparison, shared by its stages.

A `Monitor` is handed to each stage of `compare`; each calls `report(fraction)` now and then. It
raises `ComparisonCancelled` as soon as `should_stop()` returns true, so a partial comparison is
never returned. `STAGES` says which share of the progress bar each stage takes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: Share of the progress bar taken by each stage: paragraph vectors, scoring pairs, quotes.
VECTORS, SCORING, QUOTES = 0.2, 0.45, 0.35


class ComparisonCancelled(Exception):
    """Raised by `compare` when `should_stop()` returned true."""


@dataclass(slots=True)
class Monitor:
    """Passes progress on (as a fraction from 0 to 1) and stops the work when asked to."""

    progress: Callable[[float], None] | None = None
    should_stop: Callable[[], bool] | None = None

    def report(self, fraction: float) -> None:
        if self.should_stop is not None and self.should_stop():
            raise ComparisonCancelled
        if self.progress is not None:
            self.progress(min(1.0, fraction))
