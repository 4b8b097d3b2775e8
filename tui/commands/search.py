"""`folio search QUERY…`: ranked hits with snippets, as text or JSON.

The query is every word that is not an option, joined with spaces, wherever they stand among
the options (`folio search carney tariff --limit 5`). A word that starts with one `-` is a query
word (`folio search -carney`), `-h` aside; after `--` every argument is a query word.
"""

from __future__ import annotations

import argparse

from rich.text import Text

from folio_reader.index.inert import inert_label
from folio_reader.index.search import FolioIndex, SearchResult
from folio_reader.tui.commands.common import (
    CommandError,
    add_corpus_argument,
    add_index_dir_argument,
    console,
    corpus_from_args,
    print_json,
    text_argument,
)

EXIT_OK, EXIT_NO_RESULTS = 0, 1
#: put before a word starting with "-" so that argparse takes it for a query word (no argument
#: can hold a NUL, so the mark cannot be mistaken for anything typed)
_WORD_MARK = "\0"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "query",
        nargs="+",
        metavar="QUERY",
        help='a Whoosh query, in one argument or several words: words, "phrases", OR/NOT, -word, '
        "title:/author:/outlet:/date:/path:, pre*, fuzzy~ (a word may start with -; after -- every "
        "argument is a query word)",
    )
    add_corpus_argument(parser)
    add_index_dir_argument(parser)
    parser.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits (default 20)")
    parser.add_argument("--json", action="store_true", help="print a JSON array of hits")


def parse_args(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """Parse `folio search` arguments: the query words (see the module docstring) joined into one."""
    marked, options_end = [], False
    for arg in argv:
        if arg == "--" and not options_end:
            options_end = True  # (handled here: parse_intermixed_args loses what follows -- in 3.11)
            continue
        is_word = arg.startswith("-") and (options_end or (not arg.startswith("--") and arg != "-h"))
        marked.append(_WORD_MARK + arg if is_word else arg)
    args = parser.parse_intermixed_args(marked)
    args.query = " ".join(text_argument(word.removeprefix(_WORD_MARK)) for word in args.query)
    return args


def run(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise CommandError("--limit must be at least 1")
    corpus = corpus_from_args(args)
    err = console(stderr=True)
    with FolioIndex(corpus, args.index_dir) as ix:
        report = ix.update()
        for message in ix.messages + report.messages:
            err.print(Text(f"folio: {inert_label(message)}"))
        result = ix.search(args.query, limit=args.limit)
    if result.error:
        if args.json:
            print_json([])
        raise CommandError(result.error)
    if args.json:
        print_json([h.to_json() for h in result.hits])
    else:
        print_hits(result)
    if not result.hits:
        if result.suggestion:
            err.print(Text(f"no results; did you mean: {inert_label(result.suggestion)}"))
        return EXIT_NO_RESULTS
    return EXIT_OK


def print_hits(result: SearchResult) -> None:
    out = console()
    if not result.hits:
        out.print(Text(f"No documents match “{inert_label(result.query)}”."))
        return
    for n, hit in enumerate(result.hits, 1):
        line = Text(f"{n}. ", style="dim")
        line.append(inert_label(hit.title), style="bold")
        details = inert_label(" · ".join(x for x in (hit.outlet, hit.date.isoformat() if hit.date else None) if x))
        if details:
            line.append(f"  {details}", style="dim")
        line.append(f"  {hit.describe_matches()}", style="cyan")
        out.print(line)
        out.print(Text(f"   {inert_label(hit.rel)}", style="dim"))
        snippet = Text("   " + inert_label(hit.snippet))  # one code point for one: the spans still hold
        for start, end in hit.snippet_spans:
            snippet.stylize("bold reverse", start + 3, end + 3)
        out.print(snippet)
    out.print(Text(f"{len(result.hits)} of {result.total} documents, {result.seconds * 1000:.0f} ms", style="dim"))
