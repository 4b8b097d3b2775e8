#!/usr/bin/env python3
"""The reader's own figures at scale, through Textual's pilot (run by hand, never by pytest):

    python tests/bench/bench_tui.py --corpus DIR [--queries FILE] [--n 40]
    python tests/bench/bench_tui.py --large DIR [--seconds 20] [--query WORD]

--corpus DIR   its index is built first (by `folio index`, in another process, untimed); then
               search as you type: each query typed key by key into the search box, timed from
               the last key to the moment Library.Searched has been handled (the results
               are in the pane), with the part before the debounced QueryChanged message shown
               apart; then the resident memory of this process (VmRSS / VmHWM from
               /proc/self/status) with the corpus open, its index open and those searches done.
--large DIR    an unindexed corpus (e.g. 50,000 documents): time to the app's first frame and
               to the list, that indexing reports progress, that a search answers while it
               runs (and says how much it saw: timed from its last key), and how late a 50 ms
               UI timer fires meanwhile (indexing must never block the UI).

Every run gets its own XDG folders (a temporary home), so nothing touches the real ones.
Machine figures are noisy on a shared machine: run twice and compare.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def rss_mb() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MB."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


def isolated_home() -> tempfile.TemporaryDirectory:
    home = tempfile.TemporaryDirectory(prefix="folio-bench-tui-")
    for var, sub in (
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CONFIG_HOME", "config"),
    ):
        os.environ[var] = f"{home.name}/{sub}"
    return home


async def wait_for(predicate, timeout: float, pilot, step: float = 0.005) -> float | None:
    """Wait until predicate() is true; the time it became true, or None after `timeout`."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if predicate():
            return time.perf_counter()
        await pilot.pause(step)
    return None


def load_queries(path: Path | None, n: int) -> list[str]:
    if path is None:
        return [
            "tariff",
            "government",
            '"prime minister"',
            "minist*",
            "elecion~",
            "trade OR border",
            "carney NOT trump",
        ][:n]
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    step = max(1, len(lines) // n)
    return lines[::step][:n]


# -- search as you type -------------------------------------------------------------------------


async def keystrokes(corpus: Path, queries: list[str]) -> dict:
    from folio_reader.index.corpus import open_corpus
    from folio_reader.tui.app import FolioApp
    from folio_reader.tui.screens.main import MainScreen
    from folio_reader.tui.widgets.search_pane import DEBOUNCE, SearchPane

    shown: dict[str, float] = {}
    changed: dict[str, float] = {}
    original_show = SearchPane.show

    def show(self, result, notes=None):  # the last thing MainScreen's Library.Searched handler does
        original_show(self, result, notes)
        shown.setdefault(result.query, time.perf_counter())

    def hook(message) -> None:
        if isinstance(message, SearchPane.QueryChanged):
            changed.setdefault(message.query, time.perf_counter())

    SearchPane.show = show
    rows = []
    started = time.perf_counter()
    app = FolioApp(open_corpus(corpus))
    try:
        async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
            screen: MainScreen = app.screen
            await wait_for(lambda: screen.index is not None and not screen.status.activity, 120, pilot, 0.05)
            opened = time.perf_counter() - started
            await pilot.press("slash")
            for query in queries:
                box = screen.search_pane.input
                box.value = ""
                await pilot.pause(DEBOUNCE + 0.05)
                shown.pop(query, None)
                changed.pop(query, None)
                for key in query[:-1]:
                    await pilot.press(key)
                typed = time.perf_counter()
                await pilot.press(query[-1])
                done = await wait_for(lambda: query in shown, 30, pilot)
                if done is None:
                    rows.append((query, None, None, None))
                    continue
                result = screen.search_pane.result
                rows.append(
                    (
                        query,
                        shown[query] - typed,
                        shown[query] - changed.get(query, typed),
                        result.seconds if result else 0.0,
                    )
                )
            rss, hwm = rss_mb()
    finally:
        SearchPane.show = original_show
    timed = [r for r in rows if r[1] is not None]
    total = [r[1] * 1000 for r in timed]
    after = [r[2] * 1000 for r in timed]
    search = [r[3] * 1000 for r in timed]
    return {
        "queries": len(rows),
        "answered": len(timed),
        "open_s": round(opened, 2),
        "key_to_results_median_ms": round(statistics.median(total), 1) if total else None,
        "key_to_results_p95_ms": round(sorted(total)[max(0, int(len(total) * 0.95) - 1)], 1) if total else None,
        "after_debounce_median_ms": round(statistics.median(after), 1) if after else None,
        "after_debounce_p95_ms": round(sorted(after)[max(0, int(len(after) * 0.95) - 1)], 1) if after else None,
        "search_call_median_ms": round(statistics.median(search), 1)
        if search
        else None,  # FolioIndex.search(limit=50) alone
        "debounce_ms": DEBOUNCE * 1000,
        "rss_mb": round(rss, 1),
        "peak_rss_mb": round(hwm, 1),
        "slowest": sorted(((round(r[1] * 1000, 1), r[0]) for r in timed), reverse=True)[:5],
    }


# -- an unindexed large corpus ------------------------------------------------------------------


async def large(corpus: Path, seconds: float, query: str) -> dict:
    from folio_reader.index.corpus import open_corpus
    from folio_reader.tui.app import FolioApp
    from folio_reader.tui.screens.main import MainScreen
    from folio_reader.tui.widgets.search_pane import SearchPane

    progress: list[tuple[float, int, int]] = []

    def hook(message) -> None:
        if isinstance(message, MainScreen.IndexProgress) and message.total:
            progress.append((time.perf_counter(), message.done, message.total))

    figures: dict = {}
    started = time.perf_counter()
    app = FolioApp(open_corpus(corpus))
    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        figures["first_frame_s"] = round(time.perf_counter() - started, 3)  # mounted and rendered (headless)
        screen: MainScreen = app.screen
        listed = await wait_for(lambda: len(screen.documents.items) > 0, 60, pilot)
        figures["list_s"] = round(listed - started, 3) if listed else None
        figures["listed"] = len(screen.documents.items)
        lags: list[float] = []
        last = [time.perf_counter()]

        def tick() -> None:
            now = time.perf_counter()
            lags.append(max(0.0, now - last[0] - 0.05))
            last[0] = now

        first = await wait_for(lambda: any(done for _, done, _ in progress), 60, pilot)
        figures["first_progress_s"] = round(first - started, 3) if first else None
        index_ready = await wait_for(
            lambda: screen.index is not None and 0 < screen.index.pending < screen.index.total, 120, pilot
        )
        figures["first_commit_s"] = round(index_ready - started, 3) if index_ready else None
        await pilot.press("slash")
        shown: dict[str, float] = {}
        original_show = SearchPane.show

        def show(self, result, notes=None):
            original_show(self, result, notes)
            shown.setdefault(result.query, time.perf_counter())

        SearchPane.show = show
        try:
            await pilot.press(*query[:-1])
            typed = time.perf_counter()
            await pilot.press(query[-1])
            done = await wait_for(lambda: query in shown, 30, pilot)
            result = screen.search_pane.result
            figures["search_during_indexing"] = {
                "key_to_results_ms": round((done - typed) * 1000, 1) if done else None,
                "hits": len(result.hits) if result else None,
                "total": result.total if result else None,
                "note": result.note if result else None,
            }
        finally:
            SearchPane.show = original_show
        last[0] = time.perf_counter()
        app.set_interval(0.05, tick)
        await pilot.pause(seconds)
        if progress:
            (t0, d0, total), (t1, d1, _) = progress[0], progress[-1]
            figures["indexed"] = (
                f"{d1:,} of {total:,} in {t1 - started:.1f} s ({(d1 - d0) / max(t1 - t0, 1e-9):.0f} docs/s)"
            )
        figures["ui_timer_lag_ms"] = {
            "median": round(statistics.median(lags) * 1000, 1) if lags else None,
            "p95": round(sorted(lags)[int(len(lags) * 0.95) - 1] * 1000, 1) if len(lags) > 20 else None,
            "max": round(max(lags) * 1000, 1) if lags else None,
            "ticks": len(lags),
        }
        figures["rss_mb"], figures["peak_rss_mb"] = (round(v, 1) for v in rss_mb())
        quit_started = time.perf_counter()
    figures["exit_s"] = round(time.perf_counter() - quit_started, 2)  # cancels the indexing worker
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--queries", type=Path)
    parser.add_argument("--n", type=int, default=40, help="queries typed (spread over the query file)")
    parser.add_argument("--large", type=Path)
    parser.add_argument("--seconds", type=float, default=20.0, help="how long to watch the large build")
    parser.add_argument("--query", default="government")
    args = parser.parse_args()
    if not args.corpus and not args.large:
        parser.error("give --corpus DIR and/or --large DIR")
    home = isolated_home()
    try:
        if args.corpus:
            corpus = args.corpus.resolve()
            folio = Path(sys.executable).with_name("folio")
            built = time.perf_counter()
            subprocess.run([str(folio), "index", "--corpus", str(corpus)], check=True, capture_output=True)
            print(
                f"corpus {corpus}: index built by `folio index` in {time.perf_counter() - built:.1f} s (untimed below)"
            )
            figures = asyncio.run(keystrokes(corpus, load_queries(args.queries, args.n)))
            for key, value in figures.items():
                print(f"  {key}: {value}")
        if args.large:
            corpus = args.large.resolve()
            print(f"large unindexed corpus {corpus}:")
            figures = asyncio.run(large(corpus, args.seconds, args.query))
            for key, value in figures.items():
                print(f"  {key}: {value}")
    finally:
        home.cleanup()


if __name__ == "__main__":
    main()
