#!/usr/bin/env python3
"""One-file updates of a built index, beside a baseline Folio, interleaved, in one run.

    python tests/bench/bench_list_update.py --corpus DIR --index-dir IX [--updates 9] [--rounds 2]
        [--baseline PYTHON --baseline-index-dir IX2]

Each round starts, for this interpreter and the baseline's (alternating which goes first), a
process that opens the index, brings it up to date (the cold update: every segment's stored
fields read once), then changes one file `--updates` times (a line appended) and updates after
each: the CPU time of each update (`time.process_time`, the update runs in this process), and
of its parts: the folder scan and the listing's save. Every eighth update or so merges the tiny
segments earlier updates left (`build.merge_tiny`): the per-update figures show it. The two
interpreters share the corpus (each brings its own index up to date at its start); build each
index first (`folio index --corpus DIR --index-dir IX`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def child(corpus_dir: Path, index_dir: Path, updates: int, label: str) -> dict[str, Any]:
    from folio_reader.index.corpus import Corpus, open_corpus
    from folio_reader.index.search import FolioIndex
    from folio_reader.index.search.update import Updater

    parts: dict[str, float] = {"scan": 0.0, "listing": 0.0}
    real_scan, real_save = Corpus.scan, Updater.save_listing

    def scan(self: Corpus) -> Any:
        started = time.process_time()
        try:
            return real_scan(self)
        finally:
            parts["scan"] += time.process_time() - started

    def save(self: Updater, *args: Any, **kwargs: Any) -> None:
        started = time.process_time()
        try:
            real_save(self, *args, **kwargs)
        finally:
            parts["listing"] += time.process_time() - started

    Corpus.scan, Updater.save_listing = scan, save  # type: ignore[method-assign]
    corpus = open_corpus(corpus_dir)
    index = FolioIndex(corpus, index_dir)
    started = time.process_time()
    index.update()
    cold = time.process_time() - started
    target = corpus.root / corpus.scan().entries[0].rel
    seen: list[dict[str, float]] = []
    for n in range(updates):
        with target.open("a", encoding="utf-8") as f:
            f.write(f"\nOne more line, {label} update {n} at {time.time()}.\n")
        parts.update(scan=0.0, listing=0.0)
        started = time.process_time()
        report = index.update()
        seen.append({"cpu": time.process_time() - started, **parts})
        assert report.updated == 1, report
    return {"cold": cold, "updates": seen}


def run(python: str, args: argparse.Namespace, index_dir: Path, label: str) -> dict[str, Any]:
    argv = [python, __file__, "--child", "--corpus", str(args.corpus), "--index-dir", str(index_dir)]
    argv += ["--updates", str(args.updates), "--label", label]
    out = subprocess.run(
        argv, check=True, capture_output=True, text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""}
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--index-dir", type=Path, required=True)
    parser.add_argument("--updates", type=int, default=9)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--baseline", help="another interpreter's Folio (e.g. a venv of the code before)")
    parser.add_argument("--baseline-index-dir", type=Path)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--label", default="now", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.corpus, args.index_dir, args.updates, args.label)))
        return 0
    runs: list[tuple[str, str, Path]] = [("now", sys.executable, args.index_dir)]
    if args.baseline:
        runs.append(("baseline", args.baseline, args.baseline_index_dir or args.index_dir))
    results: dict[str, list[dict[str, Any]]] = {label: [] for label, _, _ in runs}
    for r in range(args.rounds):
        for label, python, index_dir in runs if r % 2 == 0 else runs[::-1]:
            print(f"round {r + 1}: {label} … load average {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
            results[label].append(run(python, args, index_dir, label))
    print(
        f"{args.corpus}: {args.rounds} rounds of {args.updates} one-file updates, CPU s; load {os.getloadavg()[0]:.1f}"
    )
    for label, rounds in results.items():
        every = [u for one in rounds for u in one["updates"]]
        colds = ", ".join(f"{one['cold']:.2f}" for one in rounds)
        cpu = [u["cpu"] for u in every]
        print(
            f"{label:>9}: update median {statistics.median(cpu):.2f} (min {min(cpu):.2f}, max {max(cpu):.2f});"
            f" scan median {statistics.median(u['scan'] for u in every):.2f};"
            f" listing median {statistics.median(u['listing'] for u in every):.2f};"
            f" cold first update {colds}"
        )
        for n, one in enumerate(rounds):
            print(f"{'':>11}round {n + 1}: " + " ".join(f"{u['cpu']:.2f}" for u in one["updates"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
