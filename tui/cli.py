"""The `folio` command: argument parsing outside the App, and the subcommands.

`folio [PATH]` opens the reader; `folio search|index|list|compare|show|annotations …` run headless and
never import Textual. A folder literally named like a subcommand opens with `folio ./search`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import os
import sys
from pathlib import Path
from typing import NoReturn, Protocol, cast

from folio_reader.index.inert import inert_label
from folio_reader.tui.commands.common import CommandError

#: subcommand -> (module under tui.commands, one-line help)
SUBCOMMANDS = {
    "search": ("search", "search the corpus and print ranked hits"),
    "index": ("index_cmd", "build or update the search index"),
    "list": ("list_cmd", "list the documents with their metadata, and the files skipped"),
    "compare": ("compare", "compare two documents: aligned passages and shared quotes"),
    "show": ("show", "print a document as the reader lays it out"),
    "annotations": ("annotations", "list, export or locate the annotations"),
}

EXIT_OK, EXIT_NO_RESULTS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """An argument parser whose error messages are inert: they quote what was typed
    (`unrecognized arguments: …`), and an argument can hold any byte."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {inert_label(message)}\n")


def _reader_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="folio",
        description="A keyboard-driven terminal reader for a folder of documents.",
        epilog="subcommands: "
        + "; ".join(f"folio {name}: {help_}" for name, (_, help_) in SUBCOMMANDS.items())
        + ". Run `folio SUBCOMMAND --help` for details.",
    )
    parser.add_argument("path", nargs="?", type=Path, help="folder or file to read (default: the bundled seeds)")
    parser.add_argument("--index-dir", metavar="DIR", type=Path, help="where the search index lives")
    parser.add_argument("--annotations", metavar="FILE", type=Path, help="the annotations file to use")
    parser.add_argument("--version", action="version", version=f"folio {_version()}")
    return parser


class _Command(Protocol):
    """What each module under tui.commands provides (and, optionally, `parse_args(parser, argv)`)."""

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace) -> int: ...


def _subcommand_parser(name: str) -> tuple[argparse.ArgumentParser, _Command]:
    module_name, help_ = SUBCOMMANDS[name]
    module = cast(_Command, importlib.import_module(f"folio_reader.tui.commands.{module_name}"))
    parser = _Parser(prog=f"folio {name}", description=help_)
    module.add_arguments(parser)
    return parser, module


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("folio-reader")
    except PackageNotFoundError:
        return "unknown"


def _never_fail_to_encode() -> None:
    """Whatever the locale or PYTHONIOENCODING says (ASCII, Latin-1), printing a character the
    output's encoding lacks writes a replacement ("?"), never a UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")


def _after_a_closed_pipe() -> None:
    """`folio search … | head -1`: the reader of the output went away, which is not an error.
    What is still buffered would fail again when Python flushes at exit (an "Exception
    ignored" message and status 120), so both streams are pointed at /dev/null first."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a stream without a descriptor (replaced, closed)
            os.dup2(devnull, stream.fileno())
    os.close(devnull)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    _never_fail_to_encode()
    try:
        if argv and argv[0] in SUBCOMMANDS:
            parser, module = _subcommand_parser(argv[0])
            parse = getattr(module, "parse_args", None)  # a command with its own rules for words
            args = parse(parser, argv[1:]) if parse else parser.parse_args(argv[1:])
            return module.run(args)
        args = _reader_parser().parse_args(argv)
        from folio_reader.tui.commands.read import run as run_reader

        return run_reader(args)
    except CommandError as exc:
        print(f"folio: {inert_label(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _after_a_closed_pipe()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
