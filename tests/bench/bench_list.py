#!/usr/bin/env python3
"""How long `folio list` takes on a corpus, beside what it cannot go below, in one run.

    python tests/bench/bench_list.py --corpus DIR [--index-dir DIR] [--runs 3]

Rows: the scan alone and reading every file's bytes (the floors); `take_inventory` in this
process with one process and with worker processes, on a corpus never indexed; the installed
`folio list --json` and the text table likewise; and, with `--index-dir` of a built index, the
same commands answered from its listing. Medians of `--runs`, wall clock.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from folio_reader.index.corpus import open_corpus
from folio_reader.index.inventory import take_inventory

FOLIO = Path(sys.executable).with_name("folio")


def median_seconds(runs: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index-dir", type=Path, help="a built index of the corpus (for the listing rows)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    corpus = open_corpus(args.corpus)
    entries = corpus.scan().entries
    empty = Path(tempfile.mkdtemp()) / "no-index"

    def read_all() -> None:
        for entry in entries:
            entry.path.read_bytes()

    def command(index_dir: Path, *extra: str) -> Callable[[], object]:
        argv = [str(FOLIO), "list", "--corpus", str(args.corpus), "--index-dir", str(index_dir), *extra]
        return lambda: subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)

    rows: list[tuple[str, Callable[[], object]]] = [
        ("scan (stat every file)", corpus.scan),
        ("read every file's bytes", read_all),
        ("take_inventory, 1 process, never indexed", lambda: take_inventory(corpus, None, procs=1)),
        ("take_inventory, workers, never indexed", lambda: take_inventory(corpus, None)),
        ("folio list --json, never indexed", command(empty, "--json")),
        ("folio list, never indexed", command(empty)),
    ]
    if args.index_dir:
        rows += [
            ("take_inventory, from the listing", lambda: take_inventory(corpus, args.index_dir)),
            ("folio list --json, from the listing", command(args.index_dir, "--json")),
            ("folio list, from the listing", command(args.index_dir)),
        ]
    print(f"{len(entries):,} files in {args.corpus}, median of {args.runs}")
    for label, fn in rows:
        print(f"{label:<45} {median_seconds(args.runs, fn):8.2f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
