"""`index/lru.py`: the one LRU every in-memory cache keeps its entries in."""

from __future__ import annotations

import threading

from folio_reader.index.lru import LRU


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: LRU[str, int] = LRU(2)
    cache.set("a", 1)
    cache.set("b", 2)
    assert cache.get("a") == 1  # read: now the newest
    cache.set("c", 3)
    assert cache.keys() == ["a", "c"] and cache.get("b") is None
    cache.set("a", 10)  # set again: replaced, not doubled
    assert len(cache) == 2 and cache.get("a") == 10
    cache.discard("a")
    cache.discard("missing")
    assert cache.keys() == ["c"]
    cache.clear()
    assert len(cache) == 0


def test_a_weighted_cache_holds_at_most_its_weight_but_always_the_newest_entry() -> None:
    cache: LRU[str, list[str]] = LRU(5, weigh=len)
    cache.set("two", ["x", "y"])
    cache.set("three", ["x", "y", "z"])
    assert cache.keys() == ["two", "three"]  # 5 in all
    cache.set("one", ["x"])
    assert cache.keys() == ["three", "one"]  # "two" dropped: 6 > 5
    cache.set("three", ["x"])  # replaced by a lighter value: its old weight is given back
    cache.set("two", ["x", "y"])
    assert cache.keys() == ["one", "three", "two"]
    cache.set("big", list("abcdefgh"))  # heavier than the bound: kept alone
    assert cache.keys() == ["big"]
    cache.discard("big")
    cache.set("a", ["x", "y", "z", "w", "v"])
    assert cache.keys() == ["a"]


def test_threads_sharing_a_cache_never_exceed_its_bound() -> None:
    cache: LRU[int, int] = LRU(50)
    errors: list[BaseException] = []

    def work(start: int) -> None:
        try:
            for n in range(start, start + 2_000):
                cache.set(n % 97, n)
                cache.get((n * 7) % 97)
                if n % 13 == 0:
                    cache.discard(n % 97)
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(k * 10_000,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(cache) <= 50
