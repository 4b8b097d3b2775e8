"""Pieces every subcommand shares: the corpus argument, errors and the console."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from rich.console import Console

from folio_reader.index.corpus import Corpus, UnreadableError, open_corpus


class CommandError(Exception):
    """A usage or input error: its message is printed as one line on stderr, exit code 2."""


def add_corpus_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--corpus",
        metavar="DIR",
        type=Path,
        default=None,
        help="folder (or single file) of documents; default: the bundled seeds",
    )


def add_index_dir_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--index-dir",
        metavar="DIR",
        type=Path,
        default=None,
        help="where the search index lives; default: the user cache dir",
    )


def corpus_from_args(args: argparse.Namespace) -> Corpus:
    try:
        return open_corpus(getattr(args, "corpus", None))
    except UnreadableError as exc:
        raise CommandError(str(exc)) from None


def console(*, stderr: bool = False) -> Console:
    """A Rich console that writes plain text when not a terminal or when NO_COLOR is set."""
    stream = sys.stderr if stderr else sys.stdout
    return Console(
        file=stream,
        highlight=False,
        no_color=bool(os.environ.get("NO_COLOR")) or None,
        soft_wrap=not stream.isatty(),
    )
