"""`folio list [--corpus DIR] [--json]`: every document with its metadata, and the files skipped.

Text: an aligned table (path, title, author, outlet, date, words), then the skipped files with
their reasons; in a terminal the table fits its width (titles, then paths, are cut with "…"),
piped it is whole. Every value is inert. `--json`: an object with `documents` (each with `path`,
`title`, `author`, `outlet`, `date`, `words`) and `skipped` (each with `path` and `reason`).
The metadata comes from the index's listing where it is fresh, else from the files
(`index/inventory.py`): a corpus never indexed works too.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from folio_reader.index import locations
from folio_reader.index.corpus import DocMeta
from folio_reader.index.inert import inert_label
from folio_reader.index.inventory import Inventory, take_inventory
from folio_reader.tui.commands.common import (
    add_corpus_argument,
    add_index_dir_argument,
    console,
    corpus_from_args,
    print_json,
)

COLUMNS = ("path", "title", "author", "outlet", "date", "words")
#: The order columns give up width when a terminal is too narrow, and the least each keeps.
SHRINK = (("title", 16), ("path", 16), ("outlet", 8), ("author", 8))
GAP = "  "


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_corpus_argument(parser)
    add_index_dir_argument(parser)
    parser.add_argument("--json", action="store_true", help="print an object with documents and skipped")


def run(args: argparse.Namespace) -> int:
    corpus = corpus_from_args(args)
    inventory = take_inventory(corpus, locations.index_dir(Path(corpus.label), args.index_dir))
    if args.json:
        print_json(to_json(inventory))
    else:
        print_table(inventory)
    return 0


def to_json(inventory: Inventory) -> dict[str, Any]:
    return {
        "documents": [
            {
                "path": m.rel,
                "title": m.title,
                "author": m.author,
                "outlet": m.outlet,
                "date": m.date.isoformat() if m.date else None,
                "words": m.words,
            }
            for m in inventory.documents
        ],
        "skipped": [{"path": p.rel, "reason": p.reason} for p in inventory.skipped],
    }


def _cells(meta: DocMeta) -> dict[str, str]:
    return {
        "path": inert_label(meta.rel),
        "title": inert_label(meta.title),
        "author": inert_label(meta.author or ""),
        "outlet": inert_label(meta.outlet or ""),
        "date": meta.date.isoformat() if meta.date else "",
        "words": f"{meta.words:,}",
    }


def column_widths(rows: Sequence[dict[str, str]], width: int | None) -> dict[str, int]:
    """Each column as wide as its widest cell; within `width` (if given) by narrowing the
    columns of SHRINK in turn, none below its floor. Empty columns are dropped (width 0)."""
    widths = {c: max((cell_len(r[c]) for r in rows), default=0) for c in COLUMNS}
    widths = {c: max(w, len(c)) if w else 0 for c, w in widths.items()}
    if width is None:
        return widths
    for column, floor in SHRINK:
        shown = [w for w in widths.values() if w]
        excess = sum(shown) + len(GAP) * (len(shown) - 1) - width
        if excess <= 0:
            break
        if widths[column]:
            widths[column] = max(floor, widths[column] - excess)
    return widths


def _line(cells: dict[str, str], widths: dict[str, int]) -> str:
    parts = []
    for column in COLUMNS:
        w = widths[column]
        if not w:
            continue
        value = cells[column]
        if cell_len(value) > w:
            value = set_cell_size(value, w - 1) + "…"
        parts.append(value.rjust(w) if column == "words" else set_cell_size(value, w))
    return GAP.join(parts).rstrip()


def print_table(inventory: Inventory) -> None:
    out = console()
    rows = [_cells(m) for m in inventory.documents]
    docs, skipped = len(inventory.documents), len(inventory.skipped)
    if rows:
        widths = column_widths(rows, out.width if out.is_terminal else None)
        header = _line({c: c.upper() for c in COLUMNS}, widths)
        out.print(Text(header, style="bold"), no_wrap=True, overflow="ignore", crop=False)
        out.print(Text("\n".join(_line(r, widths) for r in rows)), no_wrap=True, overflow="ignore", crop=False)
    if skipped:
        names = [inert_label(p.rel) for p in inventory.skipped]
        width = max(len("SKIPPED"), *(cell_len(n) for n in names))
        out.print(Text(f"\n{set_cell_size('SKIPPED', width)}{GAP}REASON", style="bold"))
        lines = (
            f"{set_cell_size(n, width)}{GAP}{inert_label(p.reason)}"
            for n, p in zip(names, inventory.skipped, strict=True)
        )
        out.print(Text("\n".join(lines)), no_wrap=True, overflow="ignore", crop=False)
    summary = f"{docs:,} document{'s' if docs != 1 else ''}, {skipped:,} skipped"
    out.print(Text(summary, style="dim"))
