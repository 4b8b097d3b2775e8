"""A folder of extraction results, one JSON file per `cache_key`, so no file is extracted twice.

The key covers the file's content hash and the extractor version (Folio's revision and the
library versions), so a changed file or an upgraded library misses and is extracted again. A
file in the cache that cannot be read or does not parse is a miss, never an error, and is
replaced by the next `put`. Writes are atomic (`atomic_io`); two processes writing the same key
write the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..atomic_io import read_json_file, write_atomic
from .assemble import MAX_TEXT_CHARS
from .model import Extracted

#: A cached result is JSON of at most MAX_TEXT_CHARS characters of text (up to 6 bytes each
#: escaped) and its sections.
MAX_ENTRY_BYTES = 6 * MAX_TEXT_CHARS + 16 * 1024 * 1024


class ExtractCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> Extracted | None:
        try:
            data = read_json_file(self.path(key), max_bytes=MAX_ENTRY_BYTES)
            return Extracted.from_json(data) if isinstance(data, dict) else None
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, extracted: Extracted) -> None:
        """Store a result; raises `OSError` when the folder cannot be written."""
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, json.dumps(extracted.to_json(), ensure_ascii=False, separators=(",", ":")), mode=0o600)
