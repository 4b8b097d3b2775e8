"""`folio [PATH]`: open the reader (Textual is imported only here)."""

from __future__ import annotations

import argparse

from folio_reader.tui.commands.common import corpus_from_args


def run(args: argparse.Namespace) -> int:
    args.corpus = args.path
    corpus = corpus_from_args(args)
    from folio_reader.tui import terminal
    from folio_reader.tui.app import FolioApp

    terminal.prepare()
    from folio_reader.tui import lifetime

    app = FolioApp(corpus, index_dir=args.index_dir, annotations_path=args.annotations, settles_heap=True)
    app.run()
    lifetime.end_now(app.return_code or 0)  # (everything is kept: no thread is waited for, nothing torn down)
