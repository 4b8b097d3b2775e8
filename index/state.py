"""Reading state (where each document was left, the last open document) and app settings.

Positions are keyed by content hash, with the path as a fallback, so a moved file keeps its
place and an edited file keeps it by path. Files are written atomically; a damaged state file
is treated as empty (it holds nothing a person wrote, unlike annotations).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MAX_POSITIONS = 5000


def read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_json_atomic(path: Path, data: dict) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@dataclass
class ReadingState:
    path: Path
    positions: dict[str, dict] = field(default_factory=dict)  #: hash -> {"rel", "offset"}
    last: dict | None = None  #: {"rel", "hash"} of the last open document

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
        """Where the document was left: by content, else by path, else the top."""
        entry = self.positions.get(content_hash)
        if entry is None:
            entry = next((e for e in self.positions.values() if e.get("rel") == rel), None)
        offset = entry.get("offset") if isinstance(entry, dict) else None
        return offset if isinstance(offset, int) and offset >= 0 else 0

    def remember(self, rel: str, content_hash: str, offset: int) -> None:
        for key in [k for k, e in self.positions.items() if e.get("rel") == rel and k != content_hash]:
            del self.positions[key]  # the file changed: its old position no longer applies
        self.positions.pop(content_hash, None)
        self.positions[content_hash] = {"rel": rel, "offset": offset}
        while len(self.positions) > MAX_POSITIONS:
            del self.positions[next(iter(self.positions))]
        self.last = {"rel": rel, "hash": content_hash}

    def save(self) -> None:
        write_json_atomic(self.path, {"version": 1, "positions": self.positions, "last": self.last})
