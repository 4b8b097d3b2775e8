"""Pieces every subcommand shares: the corpus argument, errors, and the one way to print.

Human-readable output goes through `console()`, whose consoles make every piece of text they
draw inert (`folio_reader.index.inert`): whatever a command passes, no control character from a
file name, title or query reaches the terminal, while Rich's own styling still does. Commands
still pass names through `inert_label` themselves, so that a name with a newline stays on its
line and columns are measured as they will be drawn. JSON goes through `print_json`.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from rich.console import Console, ConsoleOptions, ConsoleRenderable, RenderHook, RenderResult
from rich.measure import Measurement
from rich.segment import Segment

from folio_reader.index.corpus import Corpus, UnreadableError, open_corpus
from folio_reader.index.inert import inert_json, inert_lines

_SURROGATE_RE = re.compile("[\ud800-\udfff]")


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


class _Inert:
    """A renderable drawn as another is, with every piece of its text made inert (Rich's own
    control segments, such as a progress bar's cursor moves, pass unchanged)."""

    def __init__(self, renderable: ConsoleRenderable) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            if segment.control or not segment.text:
                yield segment
            else:
                yield Segment(inert_lines(segment.text), segment.style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.renderable)


class _InertHook(RenderHook):
    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [_Inert(r) for r in renderables]


class _Console(Console):
    """Rich's console, but a closed pipe (`folio search … | head -1`) is not an error: Rich's
    own handling exits with status 1, which `folio search` uses for "no results"; here the
    BrokenPipeError goes up to `folio`'s main, which ends quietly with status 0."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def console(*, stderr: bool = False) -> Console:
    """A Rich console for stdout (or stderr) whose text is inert; plain text when the stream is
    not a terminal or when NO_COLOR is set."""
    stream = sys.stderr if stderr else sys.stdout
    out = _Console(
        file=stream,
        highlight=False,
        no_color=bool(os.environ.get("NO_COLOR")) or None,
        soft_wrap=not stream.isatty(),
    )
    out.push_render_hook(_InertHook())
    return out


def print_json(value: object) -> None:
    """Print a value as indented JSON, exact and inert in a terminal, in any output encoding
    (characters that encoding lacks are written as \\u escapes, never replaced)."""
    text = inert_json(value)
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except (UnicodeEncodeError, LookupError):
        text = inert_json(value, ascii_only=True)
    sys.stdout.write(text + "\n")


def text_argument(value: str) -> str:
    """A text argument (a query) as the user typed it.

    Under a locale Python cannot decode the arguments with (a C locale without UTF-8 mode, over
    SSH), `führer` arrives as `f\\udcc3\\udcbchrer`: its bytes are read again as UTF-8, and what is
    not UTF-8 either becomes U+FFFD. (Paths are left alone: their bytes are the file's name.)
    """
    if not _SURROGATE_RE.search(value):
        return value
    return os.fsencode(value).decode("utf-8", "replace")
