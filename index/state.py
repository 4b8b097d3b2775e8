"""Reading state (where each document was left, the last open document) and app settings.

Positions are keyed by content hash, with the path as a fallback, so a moved file keeps its
place and an edited file keeps it by path. Files are written atomically; a damaged state file
is treated as empty (it holds nothing a person wrote, unlike annotations).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic_io import read_json_file, write_json_atomic

__all__ = ["MAX_POSITIONS", "ReadingState", "read_json", "write_json_atomic"]

MAX_POSITIONS = 5000


#: Reading state and settings are small; a larger file is not Folio's and is read as empty.
MAX_STATE_BYTES = 16 * 1024 * 1024


def read_json(path: Path) -> dict[str, Any]:
    """A JSON object read with bounds; {} when missing, unreadable, malformed or not an object."""
    try:
        data = read_json_file(path, max_bytes=MAX_STATE_BYTES)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@dataclass
class ReadingState:
    path: Path
    positions: dict[str, dict[str, Any]] = field(default_factory=dict)  #: hash -> {"rel", "offset", "caret"}
    last: dict[str, Any] | None = None  #: {"rel", "hash"} of the last open document

    @classmethod
    def load(cls, path: Path) -> ReadingState:
        data = read_json(path)
        positions = data.get("positions")
        last = data.get("last")
        return cls(
            path,
            positions if isinstance(positions, dict) else {},
            last if isinstance(last, dict) else None,
        )

    def position(self, rel: str, content_hash: str) -> int:
        """Where the document was left (the offset at the top of the view): by content, else by
        path, else the top."""
        offset = self._entry(rel, content_hash).get("offset")
        return offset if isinstance(offset, int) and offset >= 0 else 0

    def caret(self, rel: str, content_hash: str) -> int | None:
        """Where the caret was left, when it was recorded."""
        caret = self._entry(rel, content_hash).get("caret")
        return caret if isinstance(caret, int) and caret >= 0 else None

    def _entry(self, rel: str, content_hash: str) -> dict[str, Any]:
        entry = self.positions.get(content_hash)
        if entry is None:
            entry = next((e for e in self.positions.values() if e.get("rel") == rel), None)
        return entry if isinstance(entry, dict) else {}

    def remember(self, rel: str, content_hash: str, offset: int, caret: int | None = None) -> None:
        for key in [k for k, e in self.positions.items() if e.get("rel") == rel and k != content_hash]:
            del self.positions[key]  # the file changed: its old position no longer applies
        self.positions.pop(content_hash, None)
        self.positions[content_hash] = {"rel": rel, "offset": offset}
        if caret is not None:
            self.positions[content_hash]["caret"] = caret
        while len(self.positions) > MAX_POSITIONS:
            del self.positions[next(iter(self.positions))]
        self.last = {"rel": rel, "hash": content_hash}

    def save(self) -> None:
        write_json_atomic(self.path, {"version": 1, "positions": self.positions, "last": self.last}, indent=1)
