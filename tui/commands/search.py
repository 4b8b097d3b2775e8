"""`folio search QUERY`: ranked hits with snippets, as text or JSON."""

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


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "query",
        type=text_argument,
        help='a Whoosh query: words, "phrases", OR/NOT, title:/author:/outlet:/date:, pre*, fuzzy~',
    )
    add_corpus_argument(parser)
    add_index_dir_argument(parser)
    parser.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits (default 20)")
    parser.add_argument("--json", action="store_true", help="print a JSON array of hits")


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
        line.append(f"  {hit.matches} match{'es' if hit.matches != 1 else ''}", style="cyan")
        out.print(line)
        out.print(Text(f"   {inert_label(hit.rel)}", style="dim"))
        snippet = Text("   " + inert_label(hit.snippet))  # one code point for one: the spans still hold
        for start, end in hit.snippet_spans:
            snippet.stylize("bold reverse", start + 3, end + 3)
        out.print(snippet)
    out.print(Text(f"{len(result.hits)} of {result.total} documents, {result.seconds * 1000:.0f} ms", style="dim"))
