"""`folio [PATH]`: open the reader (Textual is imported only here)."""

from __future__ import annotations

import argparse
import io
import sys

from folio_reader.tui.commands.common import corpus_from_args


def run(args: argparse.Namespace) -> int:
    args.corpus = args.path
    corpus = corpus_from_args(args)
    from folio_reader.tui import input_guard
    from folio_reader.tui.app import FolioApp

    input_guard.install()
    _speak_utf8_to_the_terminal()
    app = FolioApp(corpus, index_dir=args.index_dir, annotations_path=args.annotations)
    app.run()
    return app.return_code or 0


def _speak_utf8_to_the_terminal() -> None:
    """The app draws with box and block characters, which Textual writes as UTF-8 only: under a
    C locale (SSH without a forwarded locale) or PYTHONIOENCODING=ascii Python would turn every
    one into `\\u2588` and break the layout. The terminal gets UTF-8, whatever the locale says."""
    for stream in (sys.__stdout__, sys.__stderr__):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors="replace")
