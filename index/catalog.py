"""`catalog.toml`: titles, outlets, authors, dates and notes a user gives documents by path.

Read bounded (a FIFO, a device or a huge file is refused); a bad catalog is a problem listed with
the files skipped, never an error.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .atomic_io import read_bounded
from .text import canonical_text
from .walk import Problem

CATALOG_NAME = "catalog.toml"


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    date: dt.date | None = None
    note: str | None = None


def load_catalog(root: Path) -> tuple[dict[str, CatalogEntry], Problem | None]:
    """Read `catalog.toml` at the root of a corpus; a bad catalog is a problem, not an error."""
    path = root / CATALOG_NAME
    try:  # bounded: a FIFO, a device or a huge file is refused, never waited on or read whole
        raw = tomllib.loads(read_bounded(path).decode("utf-8"))
    except FileNotFoundError:
        return {}, None
    except RecursionError:  # tomllib recurses into nested arrays and inline tables
        return {}, Problem(CATALOG_NAME, "catalog ignored: nested too deeply")
    except (OSError, ValueError) as exc:  # (TOMLDecodeError, UnicodeDecodeError, BoundedReadError)
        return {}, Problem(CATALOG_NAME, f"catalog ignored: {exc}")
    catalog: dict[str, CatalogEntry] = {}
    for rel, values in raw.items():
        if not isinstance(values, dict):
            continue
        date = values.get("date")
        if isinstance(date, str):
            try:
                date = dt.date.fromisoformat(date)
            except ValueError:
                date = None
        elif isinstance(date, dt.datetime):
            date = date.date()
        elif not isinstance(date, dt.date):
            date = None
        catalog[rel] = CatalogEntry(
            title=_str_or_none(values.get("title")),
            outlet=_str_or_none(values.get("outlet")),
            author=_str_or_none(values.get("author")),
            date=date,
            note=_str_or_none(values.get("note")),
        )
    return catalog, None


def _str_or_none(value: object) -> str | None:
    return canonical_text(value).strip() or None if isinstance(value, str) else None
