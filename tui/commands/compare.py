"""`folio compare DOC_A DOC_B [--corpus DIR] [--json]`: aligned passages and shared quotes.

With `--json`, print the comparison as JSON (offsets into the canonical texts; control
characters in names escaped, so the JSON is exact and inert in a terminal). Otherwise, in a
terminal, open the app's compare screen; when stdout is not a terminal (or the app is not
available), print a plain-text report.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from folio_reader.index.compare import compare, format_report, to_json
from folio_reader.index.corpus import Corpus, Document, UnreadableError
from folio_reader.tui.commands.common import CommandError, add_corpus_argument, corpus_from_args, print_json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("doc_a", metavar="DOC_A", help="first document: a path, or a name relative to the corpus")
    parser.add_argument("doc_b", metavar="DOC_B", help="second document, likewise")
    add_corpus_argument(parser)
    parser.add_argument("--json", action="store_true", help="print the comparison as JSON")


def run(args: argparse.Namespace) -> int:
    corpus = corpus_from_args(args)
    a, b = _load(corpus, args.doc_a), _load(corpus, args.doc_b)
    if not args.json and sys.stdout.isatty():
        screen = _compare_screen()
        if screen is not None:
            return screen(corpus, a.rel, b.rel)
    comparison = compare(a, b)
    if args.json:
        print_json(to_json(comparison, a, b))  # exact, and C1 controls in names escaped
    else:
        sys.stdout.write(format_report(comparison, a, b))
    return 0


def _load(corpus: Corpus, name: str) -> Document:
    try:
        entry = corpus.entry(name)
    except UnreadableError as exc:
        raise CommandError(str(exc)) from None
    try:
        return corpus.load(entry)
    except UnreadableError as exc:
        raise CommandError(f"{entry.rel}: {exc}") from None


def _compare_screen() -> Callable[[Corpus, str, str], int] | None:
    """The app's compare screen, or None when the app (or Textual) cannot be imported."""
    try:
        from folio_reader.tui.app import run_compare
    except ImportError:
        return None
    return run_compare
