#!/usr/bin/env python3
"""Benchmark Folio against its peers on one corpus folder and one query file.

    python tests/bench/bench.py --corpus DIR --queries FILE [--json]
        [--engines folio,sqlite_fts5,recoll,ripgrep] [--work DIR] [--folio-serial]
        [--repeat N] [--baseline PYTHON]

Every engine runs on the same documents and queries in the same run. The table gives each
figure per engine and the Folio/peer ratios (above 1: Folio is slower or bigger); --json
prints one object keyed by engine instead. Index builds and updates work on copies of the
corpus under the work folder (a temporary one, removed at the end, unless --work is given).

--repeat N measures Folio N times, each in a process of its own; --baseline PYTHON measures,
in the same run and interleaved with it (A B B A …), the Folio that PYTHON imports (a venv
with the code before a change): the table gives the median and the range of each figure for
both, and their ratio, so a change is judged against the run-to-run noise of one machine.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from peers import (
    FIGURE_KEYS,
    LIMIT,
    PEERS,
    Figures,
    copy_corpus,
    dir_size_mb,
    empty_figures,
    latency_figures,
    load_queries,
    run_queries,
    timed,
    touch_files,
)

FOLIO_UPDATES = (1, 10, 100)
TABLE_KEYS = (
    *FIGURE_KEYS,
    "index_1proc_s",
    "update_1_cold_s",
    "update_10_s",
    "update_100_s",
    "rss_mb",
    "startup_ms",
)
SERIAL = False  #: --folio-serial: also time a build in one process


def rss_mb() -> float:
    """This process's resident memory (VmRSS), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def measure_folio(corpus: Path, queries: list[str], work: Path) -> Figures:
    """Folio through its own API: full build, size, open, searches, updates of 1/10/100 files."""
    try:
        from folio_reader.index.corpus import open_corpus
        from folio_reader.index.search import FolioIndex, whoosh_ext
    except ImportError as exc:
        return {"missing": f"Folio search API not importable: {exc}"}
    figures = empty_figures()
    copy = copy_corpus(corpus, work / "folio-corpus")
    index_dir = work / "folio-index"
    notes: list[str] = []
    if SERIAL:
        shutil.rmtree(index_dir, ignore_errors=True)
        figures["index_1proc_s"], _ = timed(lambda: FolioIndex(open_corpus(copy), index_dir=index_dir).update(procs=1))
    shutil.rmtree(index_dir, ignore_errors=True)

    def open_index() -> FolioIndex:
        index = FolioIndex(open_corpus(copy), index_dir=index_dir)
        index.update()
        return index

    figures["index_s"], index = timed(open_index)
    notes.append(
        f"index_s: the default build ({len(whoosh_ext.segments(index.whoosh_index))} segments;"
        f" worker processes from 400 files, one per CPU: {os.cpu_count()} here)"
    )
    index.close()
    figures["index_mb"] = dir_size_mb(index_dir)
    figures["open_s"], index = timed(open_index)

    def search(query: str) -> bool:
        result = index.search(query, limit=LIMIT)
        for hit in result.hits:
            _ = hit.snippet, hit.spans
        return result.error is None

    latencies, failed = run_queries(queries, search)
    figures |= latency_figures(latencies)
    figures["rss_mb"] = rss_mb()
    notes.append(f"{failed} of {len(queries)} queries answered with an error")
    notes.append("rss_mb: this process after the searches (Folio runs first; includes the harness)")
    for offset, count in enumerate(FOLIO_UPDATES):
        touch_files(copy, count, offset)
        figures[f"update_{count}_s"], report = timed(index.update)
        if report.updated != count:
            notes.append(f"update after touching {count} files reported {report.updated} updated")
    index.close()
    touch_files(copy, 1, len(FOLIO_UPDATES))
    figures["update_1_cold_s"], _ = timed(lambda: open_index().close())
    figures["notes"] = [
        *notes,
        "open_s = construct FolioIndex + update() with nothing to do",
        "update_N_s: on the index open since open_s; update_1_cold_s: one file changed, then a new"
        " FolioIndex + update() (what the index holds read from every segment again)",
    ]
    return figures


ENGINES = {"folio": measure_folio} | PEERS


def run_engine(name: str, corpus: Path, queries: list[str], work: Path) -> Figures:
    print(f"[bench] {name} ...", file=sys.stderr, flush=True)
    started = time.perf_counter()
    work.mkdir(parents=True, exist_ok=True)
    try:
        figures = ENGINES[name](corpus, queries, work)
    except Exception as exc:  # one engine failing must not lose the others' figures
        traceback.print_exc()
        figures = {"error": f"{type(exc).__name__}: {exc}"}
    print(f"[bench] {name} done in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return figures


def cell(value: object) -> str:
    if value is None:
        return "-"
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def ratio(folio: Figures, peer: Figures, key: str) -> str:
    a, b = folio.get(key), peer.get(key)
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or b == 0:
        return "-"
    return f"{a / b:.2f}x"


def format_row(row: list[str], widths: list[int]) -> str:
    """First column left-aligned, figures right-aligned."""
    return "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))


def table(results: dict[str, Figures]) -> str:
    measured = {name: f for name, f in results.items() if not ({"missing", "error"} & f.keys())}
    peers = [name for name in measured if name != "folio"] if "folio" in measured else []
    header = ["figure"] + list(measured) + [f"folio/{p}" for p in peers]
    rows = [header]
    for key in TABLE_KEYS:
        if all(f.get(key) is None for f in measured.values()):
            continue
        row = [key] + [cell(f.get(key)) for f in measured.values()]
        rows.append(row + [ratio(measured["folio"], measured[p], key) for p in peers])
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [format_row(row, widths) for row in rows]
    for name, figures in results.items():
        reason = figures.get("missing") or figures.get("error")
        if reason:
            lines.append(f"{name}: not measured: {reason}")
        notes = figures.get("notes")
        lines.extend(f"{name}: {note}" for note in (notes if isinstance(notes, list) else []))
    return "\n".join(lines)


REPEATED_KEYS = (
    "index_s",
    "index_mb",
    "open_s",
    "search_p50_ms",
    "search_p95_ms",
    "search_max_ms",
    "update_1_s",
    "update_1_cold_s",
    "update_10_s",
    "update_100_s",
    "rss_mb",
)


def folio_in_process(python: str, corpus: Path, queries: Path, work: Path) -> Figures:
    """Folio's figures measured by `python` running this script in a process of its own."""
    work.mkdir(parents=True, exist_ok=True)
    args = [python, __file__, "--corpus", str(corpus), "--queries", str(queries), "--engines", "folio", "--json"]
    done = subprocess.run([*args, "--work", str(work)], capture_output=True, text=True, check=False)
    shutil.rmtree(work, ignore_errors=True)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    figures: Figures = json.loads(done.stdout)["folio"]
    return figures


def repeated(corpus: Path, queries: Path, work: Path, repeat: int, baseline: str | None) -> dict[str, list[Figures]]:
    """Folio (and the baseline) measured `repeat` times, interleaved A B B A …"""
    variants = {"folio": sys.executable} | ({"baseline": baseline} if baseline else {})
    runs: dict[str, list[Figures]] = {name: [] for name in variants}
    for n in range(repeat):
        order = list(variants) if n % 2 == 0 else list(reversed(variants))
        for name in order:
            print(f"[bench] {name} run {n + 1} of {repeat} ...", file=sys.stderr, flush=True)
            figures = folio_in_process(variants[name], corpus, queries, work / f"{name}-{n}")
            runs[name].append(figures)
            print(f"[bench] {name} run {n + 1}: {json.dumps(figures)}", file=sys.stderr, flush=True)
    return runs


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.3g} ({min(values):.3g}–{max(values):.3g})"


def repeated_table(runs: dict[str, list[Figures]]) -> str:
    names = list(runs)
    header = ["figure"] + [f"{name} median (range)" for name in names] + (["folio/baseline"] if len(names) > 1 else [])
    rows = [header]
    for key in REPEATED_KEYS:
        values = {name: [f[key] for f in runs[name] if isinstance(f.get(key), (int, float))] for name in names}
        if not all(values.values()):
            continue
        row = [key] + [spread(values[name]) for name in names]
        if len(names) > 1:
            row.append(f"{statistics.median(values['folio']) / statistics.median(values['baseline']):.2f}x")
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [format_row(row, widths) for row in rows]
    for name in names:
        errors = {str(f["error"]) for f in runs[name] if "error" in f}
        lines.extend(f"{name}: a run failed: {e}" for e in errors)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--work", type=Path)
    parser.add_argument("--folio-serial", action="store_true", help="also time a Folio build in one process")
    parser.add_argument("--repeat", type=int, default=1, help="measure Folio this many times (own processes)")
    parser.add_argument("--baseline", metavar="PYTHON", help="also measure the Folio this Python imports")
    args = parser.parse_args(argv)
    global SERIAL
    SERIAL = args.folio_serial
    names = [n.strip() for n in args.engines.split(",") if n.strip()]
    unknown = [n for n in names if n not in ENGINES]
    if unknown:
        parser.error(f"unknown engines {unknown}; choose from {list(ENGINES)}")
    corpus = args.corpus.resolve()
    queries = load_queries(args.queries)
    work = args.work.resolve() if args.work else Path(tempfile.mkdtemp(prefix="folio-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    several = args.repeat > 1 or args.baseline is not None
    try:
        if several:
            runs = repeated(corpus, args.queries.resolve(), work, args.repeat, args.baseline)
            names = [n for n in names if n != "folio"]
        results = {name: run_engine(name, corpus, queries, work / name) for name in names}
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    if several:
        print(json.dumps({"runs": runs, "peers": results}, indent=2) if args.json else repeated_table(runs))
        if results and not args.json:
            print(table(results))
        return 0
    print(json.dumps(results, indent=2) if args.json else table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
