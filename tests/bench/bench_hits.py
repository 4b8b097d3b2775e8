#!/usr/bin/env python3
"""What a search costs by the number of hits asked for: the app's 50 against what a pane shows.

    python tests/bench/bench_hits.py --corpus DIR --queries FILE [--limits 50,25,10] [--rounds 3]

Builds the index once (in a temporary folder), then runs every query at each limit, the limits
interleaved query by query (so load on a shared machine falls on all of them alike), `rounds`
times over. Each search is the whole of `FolioIndex.search`: parse, collect, spans, field
counts, snippets (which read the text of every hit). The first limit is the baseline; the table
gives each limit's p50/p95 and its ratio to the baseline's.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from peers import latency_figures, load_queries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--limits", default="50,25,10", help="hits asked for, the baseline first")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    from folio_reader.index.corpus import open_corpus
    from folio_reader.index.search import FolioIndex

    limits = [int(n) for n in args.limits.split(",")]
    queries = load_queries(args.queries)
    seconds: dict[int, list[float]] = {n: [] for n in limits}
    with (
        tempfile.TemporaryDirectory() as work,
        FolioIndex(open_corpus(args.corpus.resolve()), Path(work) / "ix") as index,
    ):
        print("[bench_hits] building the index ...", file=sys.stderr, flush=True)
        index.update()
        for q in queries[:20]:  # warm the searcher, the parser and the page cache
            index.search(q, limit=max(limits))
        for r in range(args.rounds):
            print(f"[bench_hits] round {r + 1} of {args.rounds} ...", file=sys.stderr, flush=True)
            for q in queries:
                order = limits if r % 2 == 0 else limits[::-1]
                for n in order:
                    started = time.perf_counter()
                    index.search(q, limit=n)
                    seconds[n].append(time.perf_counter() - started)
    base = latency_figures(seconds[limits[0]])
    print(f"{len(queries)} queries x {args.rounds} rounds; baseline limit {limits[0]}")
    print("| limit | p50 ms | p95 ms | max ms | p50 / baseline | p95 / baseline |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in limits:
        f = latency_figures(seconds[n])
        print(
            f"| {n} | {f['search_p50_ms']} | {f['search_p95_ms']} | {f['search_max_ms']} |"
            f" {f['search_p50_ms'] / base['search_p50_ms']:.2f}x | {f['search_p95_ms'] / base['search_p95_ms']:.2f}x |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
