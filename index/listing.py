"""A small cache of the document list (metadata and problems) beside the index.

The reader shows its list from this file at start, before Whoosh is even imported; the index
rewrites it after each update. It is only a cache: missing or damaged, it is simply rebuilt.
"""

from __future__ import annotations

from pathlib import Path

from index.corpus import DocMeta, Problem
from index.state import read_json, write_json_atomic

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
    write_json_atomic(
        index_dir / LISTING,
        {"documents": [m.to_json() for m in metas], "problems": [[p.rel, p.reason] for p in problems]},
    )
