"""The one least-recently-used mapping every in-memory cache of Folio keeps its entries in (the
layout's drawn blocks, the reader's strips, the comparisons, the fuzzy-term lexicons, ...).

Written here rather than taken from `functools.lru_cache` because the caches are keyed by
values the caller computes (not by a function's arguments), some are bounded by a weight (the
words of a lexicon) rather than a count, and entries are dropped on purpose (`discard`).
Safe to share between threads: every operation holds the mapping's lock."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class LRU(Generic[K, V]):
    """A mapping of at most `maxsize` entries, or, given `weigh`, of entries weighing at most
    `maxsize` in all (the newest entry is kept whatever it weighs); the least recently read or
    set goes first."""

    def __init__(self, maxsize: int, *, weigh: Callable[[V], int] | None = None) -> None:
        self.maxsize = maxsize
        self._weigh = weigh
        self._weight = 0
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def set(self, key: K, value: V) -> None:
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None and self._weigh is not None:
                self._weight -= self._weigh(old)
            self._data[key] = value
            if self._weigh is None:
                while len(self._data) > self.maxsize:
                    self._data.popitem(last=False)
                return
            self._weight += self._weigh(value)
            while self._weight > self.maxsize and len(self._data) > 1:
                _, dropped = self._data.popitem(last=False)
                self._weight -= self._weigh(dropped)

    def discard(self, key: K) -> None:
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None and self._weigh is not None:
                self._weight -= self._weigh(old)

    def keys(self) -> list[K]:
        """A copy of the keys, least recently used first (safe to discard from while walking)."""
        with self._lock:
            return list(self._data)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._weight = 0

    def __len__(self) -> int:
        return len(self._data)
