"""`folio index`: build or update the search index, with a progress bar and a summary."""

from __future__ import annotations

import argparse

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from folio_reader.index.inert import inert_label
from folio_reader.index.search import FolioIndex
from folio_reader.tui.commands.common import add_corpus_argument, add_index_dir_argument, console, corpus_from_args


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_corpus_argument(parser)
    add_index_dir_argument(parser)
    parser.add_argument("--rebuild", action="store_true", help="start from an empty index")


def run(args: argparse.Namespace) -> int:
    corpus = corpus_from_args(args)
    out = console()
    err = console(stderr=True)
    with FolioIndex(corpus, args.index_dir) as ix:
        if args.rebuild:
            ix.rebuild()
        progress = Progress(
            TextColumn("indexing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[name]}", markup=False),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        )
        task = progress.add_task("index", total=None, name="")
        with progress:
            report = ix.update(
                lambda done, total, rel: progress.update(task, completed=done, total=total, name=inert_label(rel)),
                commit_every=None,
            )
        for message in ix.messages + report.messages:
            err.print(Text(f"folio: {inert_label(message)}"))
        where = "in memory" if ix.in_memory else str(ix.dir)
    out.print(
        Text(
            f"{report.added} added, {report.updated} updated, {report.deleted} deleted, "
            f"{report.unchanged} unchanged, {len(report.problems)} skipped in {report.seconds:.2f} s"
        )
    )
    out.print(Text(f"index: {inert_label(where)}", style="dim"))
    if report.problems:
        table = Table("skipped", "reason", box=None, show_header=True, header_style="bold")
        for problem in report.problems:
            table.add_row(Text(inert_label(problem.rel)), Text(inert_label(problem.reason)))
        out.print(table)
    return 0
