"""`folio show DOC [--corpus DIR] [--width N] [--raw]`: a document as the reader lays it out.

The rows are the reader's (`tui.layout.DocLayout`): headings without their adornment, prose
wrapped, code line for line with `↪` beside a continued line, tables as columns. In a terminal
they are styled; piped, they are plain text with no escape sequence. `--width` is the whole
line's width (default: the terminal's, else 80), two cells of it the margin; `--raw` prints the
canonical text line for line. DOC is a path, or a name relative to the corpus (a file outside
any corpus given is read on its own).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

from rich.style import Style
from rich.text import Text

from folio_reader.index.corpus import Corpus, Document, UnreadableError, open_corpus
from folio_reader.tui.commands.common import CommandError, add_corpus_argument, console
from folio_reader.tui.layout import DocLayout

#: Cells left of the text, where a continued verbatim line is marked.
MARGIN = 2
CONTINUED = "↪"

#: The reader's component classes as terminal styles (the reader takes them from its theme).
STYLES = {
    "reader--h1": "bold underline",
    "reader--h2": "bold",
    "reader--h3": "bold",
    "reader--strong": "bold",
    "reader--emphasis": "italic",
    "reader--code": "cyan",
    "reader--code-block": "yellow",
    "reader--link": "underline blue",
    "reader--marker": "dim",
    "reader--strike": "strike",
    "reader--bullet": "magenta",
    "reader--field": "bold magenta",
    "reader--quote": "magenta",
    "reader--admonition": "bold cyan",
    "reader--rule": "dim",
    "reader--table-rule": "dim",
    "reader--table-header": "bold",
    "reader--term": "bold",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("doc", metavar="DOC", help="the document: a path, or a name relative to the corpus")
    add_corpus_argument(parser)
    parser.add_argument("--width", type=int, metavar="N", default=None, help="line width (default: the terminal's)")
    parser.add_argument("--raw", action="store_true", help="the canonical text, line for line")


def run(args: argparse.Namespace) -> int:
    document = _load(args.corpus, args.doc)
    width = args.width if args.width is not None else _terminal_width()
    if width < MARGIN + 1:
        raise CommandError(f"--width must be at least {MARGIN + 1}")
    layout = DocLayout(
        document.text,
        document.paragraphs,
        width - MARGIN,
        structure=document.structure,
        view="raw" if args.raw else "layout",
    )
    out = console()
    if layout.note:
        print(f"folio: {document.rel}: {layout.note}", file=sys.stderr)
    styled = sys.stdout.isatty()
    for line in rows(layout, styled=styled):
        if styled:
            out.print(line, soft_wrap=True, overflow="ignore", crop=False)
        else:
            out.print(line.plain, soft_wrap=True, markup=False, highlight=False)
    return 0


def rows(layout: DocLayout, *, styled: bool = True) -> Iterator[Text]:
    """Every display row of the document, margin included, as styled text."""
    cache: dict[str, Style] = {}

    def style(name: str) -> Style:
        if name not in cache:
            cache[name] = Style.parse(STYLES.get(name, "none"))
        return cache[name]

    for block in range(layout.block_count):
        spans = layout.styles(block) if styled else []
        for row in range(layout.row_count_of(block)):
            line = Text(no_wrap=True, end="")
            line.append((CONTINUED if layout.continued(block, row) else "").ljust(MARGIN), style("reader--marker"))
            for cell in layout.cells(block, row):
                if cell.end == cell.offset:
                    line.append(cell.text, style(cell.style) if cell.style else None)
                    continue
                cell_style = Style()
                for s, e, name in spans:
                    if s <= cell.offset < e:
                        cell_style += style(name)
                line.append(cell.text, cell_style)
            line.rstrip()
            yield line
        if layout.gap_after(block):
            yield Text(end="")


def _terminal_width() -> int:
    if sys.stdout.isatty():
        return shutil.get_terminal_size((80, 24)).columns
    return 80


def _load(corpus_dir: Path | None, name: str) -> Document:
    path = Path(name)
    try:
        corpus: Corpus
        if corpus_dir is None and path.is_file():
            corpus = open_corpus(path)  # a single file: a corpus of its own
            entry = corpus.entry(path.resolve())
        else:
            corpus = open_corpus(corpus_dir)
            entry = corpus.entry(name)
        return corpus.load(entry)
    except UnreadableError as exc:
        raise CommandError(str(exc)) from None
