"""A small cache of the document list (metadata and problems) beside the index.

The reader shows its list from this file at start, before Whoosh is even imported; the index
rewrites it after each update. It is only a cache: missing or damaged, it is simply rebuilt.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from index.corpus import DocMeta, Problem
from index.state import read_json

LISTING = "listing.json"


def load_listing(index_dir: Path) -> tuple[list[DocMeta], list[Problem]]:
    data = read_json(index_dir / LISTING)
    metas: list[DocMeta] = []
    problems: list[Problem] = []
    try:
        for d in data.get("documents", []):
            metas.append(DocMeta.from_json(d))
        for rel, reason in data.get("problems", []):
            problems.append(Problem(rel, reason))
    except (TypeError, ValueError, AttributeError):
        return [], []
    return metas, problems


def save_listing(index_dir: Path, metas: list[DocMeta], problems: list[Problem]) -> None:
    """Write the listing atomically (temporary file, fsync, rename). Compact JSON in one
    `json.dumps`, which uses the C encoder: `json.dump` with an indent encodes in Python
    (50,000 documents: 2.8 s against 0.3 s)."""
    data = {"documents": [m.to_json() for m in metas], "problems": [[p.rel, p.reason] for p in problems]}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    path = index_dir / LISTING
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
