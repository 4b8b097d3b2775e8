"""The comparison cache: comparisons kept by the content of their documents.

`ComparisonCache` keeps the last comparisons in memory and, given a folder (the user cache dir,
`locations.compare_cache_dir`), in JSON files there, so that the same pair opens at once next
time. A caller that shows a comparison first can ask for the file later: `compare(...,
save=False)`, then `save_pending()` once the result is on its way (writing a big pair's file
takes longer than showing it). `shared_cache(directory)` is the one cache of a folder for the life of the process (its
in-memory part shared by every screen that compares documents of that corpus).
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from folio_reader.index.atomic_io import read_json_file, write_json_atomic
from folio_reader.index.compare import engine
from folio_reader.index.compare.align import DEFAULT_SETTINGS, AlignSettings
from folio_reader.index.compare.model import Comparison, comparison_from_data, comparison_to_data
from folio_reader.index.compare.quotes import MIN_QUOTE_WORDS
from folio_reader.index.corpus import Document
from folio_reader.index.lru import LRU

_log = logging.getLogger(__name__)


class ComparisonCache:
    """Comparisons keyed by the content hashes of their documents and the settings.

    An in-process LRU of `size` entries, backed by JSON files in `directory` when one is given
    (written atomically; an unreadable or outdated file is recomputed and replaced, a file that
    cannot be written is logged and skipped). Safe to share between threads; two threads asking
    for the same pair at once may both compute it. The comparisons returned are shared: treat
    them as read-only.
    """

    def __init__(self, directory: Path | None = None, size: int = 16) -> None:
        self.directory = directory
        self.size = size
        self._entries: LRU[str, Comparison] = LRU(size)
        self._pending: dict[str, Comparison] = {}  #: computed, their files not written yet
        self._lock = threading.Lock()

    def compare(
        self,
        a: Document,
        b: Document,
        *,
        settings: AlignSettings = DEFAULT_SETTINGS,
        progress: Callable[[float], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
        save: bool = True,
    ) -> Comparison:
        """The cached comparison of `a` and `b`, computed (see `compare`) when not cached.

        A comparison computed here is written to its file before returning, or with `save` false
        only by the next `save_pending()`."""
        key = _cache_key(a, b, settings)
        found = self._remembered(key)
        if found is None:
            found = self._read(key)
        if found is None:
            found = engine.compare(a, b, settings=settings, progress=progress, should_stop=should_stop)
            if self.directory is not None:
                with self._lock:
                    self._pending[key] = found
        self._remember(key, found)
        if save:
            self.save_pending()
        return found

    def save_pending(self) -> None:
        """Write the files of the comparisons computed with `save` false (a file that cannot be
        written is logged and skipped: the comparison stays in memory)."""
        while True:
            with self._lock:
                if not self._pending:
                    return
                key, comparison = self._pending.popitem()
            try:
                self._write(key, comparison)
            except OSError as exc:
                _log.warning("comparison not cached in %s: %s", self.directory, exc)

    def _remembered(self, key: str) -> Comparison | None:
        return self._entries.get(key)

    def _remember(self, key: str, comparison: Comparison) -> None:
        self._entries.set(key, comparison)

    def _path(self, key: str) -> Path | None:
        return None if self.directory is None else self.directory / f"compare-{key}.json"

    def _read(self, key: str) -> Comparison | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            data = read_json_file(path)
            return comparison_from_data(data) if data.get("key") == key else None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # missing, unreadable or malformed: computed again and rewritten

    def _write(self, key: str, comparison: Comparison) -> None:
        path = self._path(key)
        if path is None:
            return
        write_json_atomic(path, {"key": key, **comparison_to_data(comparison)})


def _cache_key(a: Document, b: Document, settings: AlignSettings) -> str:
    """The content hashes, the paragraph spans (in case splitting changes) and the settings."""
    digest = hashlib.sha256()
    for part in (a.meta.content_hash, b.meta.content_hash, a.paragraphs, b.paragraphs):
        digest.update(f"{part}\0".encode())
    digest.update(json.dumps([engine.ALGORITHM_VERSION, MIN_QUOTE_WORDS, asdict(settings)]).encode())
    return digest.hexdigest()[:40]


_shared: dict[Path, ComparisonCache] = {}
_shared_lock = threading.Lock()


def shared_cache(directory: Path) -> ComparisonCache:
    """One cache (its in-memory part shared) per cache directory, for the life of the process."""
    with _shared_lock:
        cache = _shared.get(directory)
        if cache is None:
            cache = _shared[directory] = ComparisonCache(directory)
        return cache
