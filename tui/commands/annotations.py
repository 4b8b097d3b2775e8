"""`folio annotations list|export|import|path`: the annotations of a corpus, anchored in its current text.

`list` prints a table (or, with `--json`, W3C annotations each with its `status`: anchored,
moved or orphan); `export --format md` prints a Markdown report (by document: the quoted
passage, then the note and tags); `export --format w3c` a W3C AnnotationCollection; `import
FILE` merges the annotations of a W3C export (Folio's or another tool's) into the corpus's, each
placed on the corpus's text, and reports what it added, updated, left alone and could not place
(`--dry-run`: the same report, nothing written); `path` where the annotations file is. Nothing
but `import` writes the file, except that a damaged one of Folio's own is set aside and what
could be recovered from it is written back (the store always does that), and that the first
W3C export keeps the collection's id in it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.text import Text

from folio_reader.index.annotations import (
    Anchored,
    AnnotationStore,
    AnnotationStoreError,
    DocumentAnchors,
    Status,
    anchor_corpus,
)
from folio_reader.index.annotations.interchange import NotImportable, Placement, collection, place, read_import
from folio_reader.index.corpus import Corpus
from folio_reader.index.inert import inert_json, inert_label, inert_text
from folio_reader.tui.commands.common import CommandError, add_corpus_argument, console, corpus_from_args

EXIT_OK = 0
_STATUS_STYLE = {Status.ANCHORED: "green", Status.MOVED: "yellow", Status.ORPHAN: "red"}
_QUOTE_CHARS = 70


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="list the annotations and whether each is still found")
    listing.add_argument("--json", action="store_true", help="print W3C annotations, each with its status")
    export = actions.add_parser("export", help="print the annotations as a Markdown report or W3C JSON")
    export.add_argument("--format", choices=("md", "w3c"), default="md", help="md (default) or w3c")
    bring = actions.add_parser("import", help="merge the annotations of a W3C export into this corpus's")
    bring.add_argument("file", metavar="FILE", type=Path, help="a W3C Annotation, a list of them, or a collection")
    bring.add_argument("--dry-run", action="store_true", help="say what would change, and write nothing")
    where = actions.add_parser("path", help="print where the annotations file is")
    for sub in (listing, export, bring, where):
        add_corpus_argument(sub)
        sub.add_argument("--annotations", metavar="FILE", type=Path, help="the annotations file to use")


def run(args: argparse.Namespace) -> int:
    corpus = corpus_from_args(args)
    store = AnnotationStore.for_corpus(corpus, args.annotations)
    if args.action == "path":
        print(store.path)
        return EXIT_OK
    try:
        annotations, warnings = store.load()
    except AnnotationStoreError as exc:
        raise CommandError(str(exc)) from None
    err = console(stderr=True)
    for warning in warnings:
        err.print(Text(f"folio: {warning}"))
    if args.action == "import":
        return import_file(args.file, corpus, store, dry_run=args.dry_run)
    documents = anchor_corpus(annotations, corpus)
    if args.action == "list":
        if args.json:
            print(inert_json([_with_status(a) for d in documents for a in d.anchored]))
        else:
            print_table(documents)
    elif args.format == "w3c":
        anchored = [a.annotation for d in documents for a in d.anchored]
        print(inert_json(collection(anchored, corpus.root.name, store.collection_id())))
    else:
        print(markdown(documents), end="")
    return EXIT_OK


def import_file(path: Path, corpus: Corpus, store: AnnotationStore, *, dry_run: bool) -> int:
    """Read, place and merge the annotations of `path`; print what happened to each kind."""
    try:
        found = read_import(path)
    except NotImportable as exc:
        raise CommandError(f"{inert_label(str(exc))} Nothing was imported.") from None
    placed = place(found.annotations, corpus)
    try:
        merged = store.merge_in((p.annotation for p in placed), dry_run=dry_run)
    except AnnotationStoreError as exc:
        raise CommandError(f"{exc} Nothing was imported.") from None
    out = console()
    n = len(found.annotations) + len(found.unreadable) + found.duplicates
    out.print(Text(f"{inert_label(str(path))}: {found.kind}, {n} entr{'ies' if n != 1 else 'y'}"))
    rows = [
        ("added", len(merged.added), ""),
        ("updated", len(merged.updated), "newer than the version here"),
        ("left alone", len(merged.unchanged), "the same or older than the version here, or deleted here since"),
    ]
    for label, count, why in rows:
        out.print(Text(f"  {label:<16}{count:>6}" + (f"  ({why})" if count and why else "")))
    by_quote = [p for p in placed if p.how == Placement.BY_QUOTE]
    orphans = [p for p in placed if p.how == Placement.ORPHAN]
    if by_quote:
        out.print(Text(f"  {'placed by quote':<16}{len(by_quote):>6}  (their source is not a document of this corpus)"))
    out.print(
        Text(
            f"  {'could not place':<16}{len(orphans):>6}"
            + ("  (kept as orphans: re-attach them with r in the annotations panel)" if orphans else "")
        )
    )
    for p in orphans:
        out.print(
            Text(f"    {_excerpt(p.annotation.exact, _QUOTE_CHARS)}  ({inert_label(p.annotation.source)})", style="dim")
        )
    if found.duplicates:
        out.print(Text(f"  {'duplicate ids':<16}{found.duplicates:>6}  (of each id the newest was taken)"))
    if found.unreadable:
        out.print(Text(f"  {'not annotations':<16}{len(found.unreadable):>6}  (left out)"))
        for reason in found.unreadable:
            out.print(Text(f"    {inert_label(reason)}", style="dim"))
    unshown = [(p.annotation, p.annotation.unshown_bodies()) for p in placed if p.annotation.unshown_bodies()]
    if unshown:
        out.print(Text(f"  bodies Folio cannot show (kept, and exported again): {len(unshown)} annotations"))
        for ann, bodies in unshown:
            out.print(Text(f"    {inert_label(ann.id)}: {inert_label(', '.join(bodies))}", style="dim"))
    if dry_run:
        out.print(Text("Dry run: nothing was written."))
    return EXIT_OK


def _with_status(anchored: Anchored) -> dict[str, Any]:
    return {**anchored.annotation.to_w3c(), "status": str(anchored.status)}


def markdown(documents: list[DocumentAnchors]) -> str:
    """A report to paste: a heading per document, each passage quoted, its note and tags under it."""
    if not documents:
        return "# Annotations\n\nNo annotations.\n"
    parts = ["# Annotations\n"]
    for doc in documents:
        missing = f": document not found ({inert_label(doc.problem)})" if doc.meta is None else ""
        parts += [f"## {inert_label(_title(doc))}\n", f"`{inert_label(doc.rel)}`{missing}", ""]
        for anchored in doc.anchored:
            parts.extend(_markdown_entry(anchored))
    return "\n".join(parts)


def _markdown_entry(anchored: Anchored) -> list[str]:
    ann = anchored.annotation
    lines = [("> " + line).rstrip() for line in inert_text(ann.exact).strip().split("\n")]
    if anchored.status is Status.ORPHAN:
        lines += [">", "> *(this passage is no longer found in the document)*"]
    lines.append("")
    if ann.note:
        lines += [inert_text(ann.note).strip(), ""]
    if ann.tags:
        lines += ["Tags: " + ", ".join(f"`{inert_label(t)}`" for t in ann.tags), ""]
    return lines


def print_table(documents: list[DocumentAnchors]) -> None:
    out = console()
    total = sum(len(d.anchored) for d in documents)
    if not total:
        out.print(Text("No annotations."))
        return
    for doc in documents:
        heading = Text(inert_label(_title(doc)), style="bold")
        where = inert_label(doc.rel) if doc.meta else f"document not found: {inert_label(doc.problem)}"
        heading.append(f"  {where}", style="dim")
        out.print(heading)
        for anchored in doc.anchored:
            out.print(_row(anchored))
    counts = {s: sum(a.status is s for d in documents for a in d.anchored) for s in Status}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    out.print(Text(f"{total} annotation{'s' if total != 1 else ''}: {summary}", style="dim"))


def _row(anchored: Anchored) -> Text:
    ann = anchored.annotation
    where = f"{anchored.start}-{anchored.end}" if anchored.start is not None else "-"
    row = Text("  ")
    row.append(f"{anchored.status:<8}", style=_STATUS_STYLE[anchored.status])
    row.append(f"  {where:>13}  ")
    row.append(f"{ann.color:<6}", style=ann.color if ann.color != "pink" else "magenta")
    row.append(f"  “{_excerpt(ann.exact, _QUOTE_CHARS)}”")
    if ann.note:
        row.append(f"\n{'':36}note: {_excerpt(ann.note, _QUOTE_CHARS)}", style="italic")
    if ann.tags:
        row.append(f"\n{'':36}tags: {inert_label(', '.join(ann.tags))}", style="cyan")
    return row


def _title(doc: DocumentAnchors) -> str:
    return doc.meta.title if doc.meta else doc.rel


def _excerpt(text: str, limit: int) -> str:
    flat = " ".join(inert_text(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
