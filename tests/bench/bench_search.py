#!/usr/bin/env python3
"""Search latency against SQLite FTS5, interleaved query by query, on a built index.

    python tests/bench/bench_search.py --corpus DIR --queries FILE --index DIR [--work DIR]
        [--baseline-path DIR] [--rounds 2]

Each engine answers in a process of its own (this script with `--serve`): Folio opens the index
at `--index` (`FolioIndex.update()` first: it builds the index when there is none, which takes
long at 50,000 documents), FTS5 its database in `--work` (built once from exactly the files
Folio indexes, `gen_queries.corpus_files`). `--baseline-path DIR` adds the Folio whose
`folio_reader` package is in DIR (put first on `PYTHONPATH`), e.g. the code before a change:

    mkdir -p /tmp/before/folio_reader && touch /tmp/before/folio_reader/__init__.py
    git archive main index tui seeds | tar -x -C /tmp/before/folio_reader

The parent sends every query to each engine in turn, the order rotating, so that load on a
shared machine falls on all alike; each engine times its own search, by the wall clock and by
its CPU time (what load on a shared machine changes least). Folio: the whole of
`FolioIndex.search(q, limit=20)` (parse, top 20, spans, snippets); FTS5: `MATCH … ORDER BY rank
LIMIT 20` with `snippet()`. Prints each engine's p50/p95/max and their ratios to FTS5's, with
the load average at the start and the end.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from peers import FTS_SCHEMA, LIMIT, Gaps, fts5_search, fts5_sync, latency_figures, load_queries, to_fts5

HERE = Path(__file__).resolve().parent
WARM = 20


def serve_folio(corpus: Path, index_dir: Path) -> None:
    from folio_reader.index.corpus import open_corpus
    from folio_reader.index.search import FolioIndex

    index = FolioIndex(open_corpus(corpus), index_dir=index_dir)
    index.update()

    def search(query: str) -> bool:
        result = index.search(query, limit=LIMIT)
        for hit in result.hits:
            _ = hit.snippet, hit.spans
        return result.error is None

    answer(search)


def serve_fts5(corpus: Path, db: Path) -> None:
    new = not db.exists()
    con = sqlite3.connect(db)
    if new:
        con.executescript(FTS_SCHEMA)
    fts5_sync(con, corpus)
    gaps = Gaps()

    def search(query: str) -> bool | None:
        match = to_fts5(query, gaps)
        return None if match is None else fts5_search(con, match)

    answer(search)


def answer(search: object) -> None:
    """One query a line on stdin; on stdout its seconds (wall clock, then this process's CPU)
    and whether it ran (`skip`: not run)."""
    print("ready", flush=True)
    for line in sys.stdin:
        query = line.rstrip("\n")
        started, cpu = time.perf_counter(), time.process_time()
        ok = search(query)  # type: ignore[operator]
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"{seconds:.6f} {cpu:.6f} {'skip' if ok is None else ok}", flush=True)


class Engine:
    def __init__(self, name: str, args: list[str], env: dict[str, str]) -> None:
        self.name = name
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        self.seconds: list[float] = []
        self.cpu: list[float] = []
        self.failed = 0

    def wait_ready(self) -> None:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if line.strip() != "ready":
            raise SystemExit(f"{self.name} did not start: {line!r}")

    def ask(self, query: str, *, record: bool = True) -> None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(query + "\n")
        self.proc.stdin.flush()
        seconds, cpu, ok = self.proc.stdout.readline().split()
        if not record or ok == "skip":
            return
        self.seconds.append(float(seconds))
        self.cpu.append(float(cpu))
        self.failed += ok != "True"

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=60)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--queries", type=Path)
    parser.add_argument("--index", type=Path, required=True, help="Folio's index folder (built when missing)")
    parser.add_argument("--work", type=Path, help="where FTS5's database goes (default: a temporary folder)")
    parser.add_argument("--baseline-path", type=Path, help="a folder holding the folio_reader package to compare")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--serve", choices=("folio", "fts5"), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    corpus = args.corpus.resolve()
    if args.serve == "folio":
        serve_folio(corpus, args.index.resolve())
        return 0
    if args.serve == "fts5":
        serve_fts5(corpus, args.db)
        return 0
    if args.queries is None:
        parser.error("--queries is required")
    queries = load_queries(args.queries)
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        common = ["--corpus", str(corpus), "--index", str(args.index.resolve())]
        env = dict(os.environ)
        engines = [Engine("folio", [*common, "--serve", "folio"], env)]
        if args.baseline_path is not None:
            before = env | {
                "PYTHONPATH": os.pathsep.join([str(args.baseline_path.resolve()), env.get("PYTHONPATH", "")])
            }
            engines.append(Engine("folio (baseline)", [*common, "--serve", "folio"], before))
        engines.append(Engine("sqlite_fts5", [*common, "--serve", "fts5", "--db", str(work / "fts5.db")], env))
        load_start = os.getloadavg()
        print(f"[bench_search] opening {len(engines)} engines ...", file=sys.stderr, flush=True)
        for engine in engines:
            engine.wait_ready()
        for query in queries[:WARM]:
            for engine in engines:
                engine.ask(query, record=False)
        for r in range(args.rounds):
            print(f"[bench_search] round {r + 1} of {args.rounds} ...", file=sys.stderr, flush=True)
            for n, query in enumerate(queries):
                turn = (n + r) % len(engines)
                for engine in engines[turn:] + engines[:turn]:
                    engine.ask(query)
        for engine in engines:
            engine.close()
        load_end = os.getloadavg()
    print(
        f"{len(queries)} queries x {args.rounds} rounds, interleaved; load average {load_start[0]:.1f} at the start,"
        f" {load_end[0]:.1f} at the end"
    )
    for clock in ("seconds", "cpu"):
        fts5 = latency_figures(getattr(engines[-1], clock))
        print(f"\n{'wall clock' if clock == 'seconds' else 'CPU time of the engine process'}:\n")
        print("| engine | queries timed | p50 ms | p95 ms | max ms | p50 / FTS5 | p95 / FTS5 |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for engine in engines:
            times = getattr(engine, clock)
            f = latency_figures(times)
            print(
                f"| {engine.name} | {len(times)} | {f['search_p50_ms']} | {f['search_p95_ms']} | {f['search_max_ms']} |"
                f" {f['search_p50_ms'] / fts5['search_p50_ms']:.2f}x | {f['search_p95_ms'] / fts5['search_p95_ms']:.2f}x |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
