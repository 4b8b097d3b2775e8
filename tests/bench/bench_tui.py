#!/usr/bin/env python3
"""The reader's own figures at scale, through Textual's pilot (run by hand, never by pytest):

    python tests/bench/bench_tui.py --corpus DIR [--queries FILE] [--n 40]
    python tests/bench/bench_tui.py --large DIR [--seconds 20] [--query WORD]
    python tests/bench/bench_tui.py --corpus DIR --home HOME [--pty] [--queries FILE] [--n 40]

--corpus DIR   its index is built first (by `folio index`, in another process, untimed); then
               search as you type: each query typed key by key into the search box, timed from
               the last key to the moment Library.Searched has been handled (the results
               are in the pane), with the part before the debounced QueryChanged message shown
               apart; then the resident memory of this process (VmRSS / VmHWM from
               /proc/self/status) with the corpus open, its index open and those searches done.
               Each answer's time is split: to the QueryChanged message, waiting for the
               search worker, the search call (scoring, then building the hits: spans, field
               counts, the snippets' reads and parses, or the suggestion), the wait for the UI
               thread to take the answer, `SearchPane.show`, and the UI thread's paint (to the
               first `App._display` after it).
--home HOME    use the XDG folders under HOME (cache/, data/, state/, config/) with the index
               already built there, instead of a temporary home and `folio index` (a 50,000
               build takes most of an hour). The app's start updates that index as usual.
--pty          the same queries through the installed `folio` (beside this interpreter) in a
               pseudo-terminal at 120x40 fed to a pyte screen, as a user sees it: all but the
               last key of a query written at once (and its answer waited for), then the last
               key's byte timed from its write to the pty until the rows under the search box
               show the new answer (not "searching…"), and to the answer's last byte.
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
import gc
import inspect
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


def pct(values: list[float], q: float) -> float | None:
    """The q-quantile of `values` (ms, rounded), by rank as the figures before it were."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, int(len(ordered) * q) - 1)], 1)


class Timeline:
    """When each part of a query's answer happened, from hooks set for the run (bench only):
    the search worker (`Session.search`), the scoring inside it (`whoosh_ext.top_documents`),
    the Searched message taken by the UI thread, `SearchPane.show`, and the next paint."""

    def __init__(self) -> None:
        self.marks: dict[str, dict[str, float]] = {}
        self._painting: str | None = None

    def mark(self, query: str, what: str, at: float | None = None) -> None:
        self.marks.setdefault(query, {}).setdefault(what, time.perf_counter() if at is None else at)

    def forget(self, query: str) -> None:
        self.marks.pop(query, None)

    def install(self) -> list:
        import threading

        from folio_reader.index import session as session_module
        from folio_reader.index.search import whoosh_ext
        from folio_reader.tui.app import FolioApp
        from folio_reader.tui.widgets.search_pane import SearchPane

        undo = []
        local = threading.local()

        def patch(owner, name, wrapper) -> None:
            original = getattr(owner, name)
            setattr(owner, name, wrapper(original))
            undo.append((owner, name, original))

        def search(original):
            def wrapped(self, query, *args, **kwargs):
                self_marks = timeline.marks.setdefault(query, {})
                self_marks.setdefault("worker", time.perf_counter())
                local.query = query
                try:
                    return original(self, query, *args, **kwargs)
                finally:
                    local.query = None
                    self_marks.setdefault("worker_done", time.perf_counter())

            return wrapped

        def top_documents(original):
            def wrapped(*args, **kwargs):
                query = getattr(local, "query", None)
                started = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    if query is not None:
                        marks = timeline.marks.setdefault(query, {})
                        marks.setdefault("scored_from", started)
                        marks.setdefault("scored", time.perf_counter())

            return wrapped

        def show(original):
            def wrapped(self, result, annotations=None):
                timeline.mark(result.query, "show")
                original(self, result, annotations)
                timeline.mark(result.query, "shown")
                timeline._painting = result.query

            return wrapped

        def display(original):
            def wrapped(self, screen, renderable):
                original(self, screen, renderable)
                if renderable is not None and timeline._painting is not None:
                    timeline.mark(timeline._painting, "painted")
                    timeline._painting = None

            return wrapped

        timeline = self
        patch(session_module.IndexSession, "search", search)
        patch(whoosh_ext, "top_documents", top_documents)
        patch(SearchPane, "show", show)
        patch(FolioApp, "_display", display)
        return undo


def split(marks: dict[str, float], typed: float) -> dict[str, float] | None:
    """A query's answer in parts (ms), from the last key."""
    need = ("changed", "worker", "worker_done", "searched", "show", "shown", "painted")
    if any(k not in marks for k in need):
        return None
    ms = {
        "to QueryChanged": marks["changed"] - typed,
        "to the worker": marks["worker"] - marks["changed"],
        "search call": marks["worker_done"] - marks["worker"],
        "to the UI thread": marks["searched"] - marks["worker_done"],
        "show": marks["shown"] - marks["show"],
        "paint": marks["painted"] - marks["shown"],
        "total": marks["painted"] - typed,
    }
    if "scored" in marks:
        ms["scoring"] = marks["scored"] - marks["scored_from"]
        ms["hits"] = ms["search call"] - ms["scoring"]
    return {k: v * 1000 for k, v in ms.items()}


async def keystrokes(corpus: Path, queries: list[str]) -> dict:
    from folio_reader.index.corpus import open_corpus
    from folio_reader.tui.app import FolioApp
    from folio_reader.tui.library import Library
    from folio_reader.tui.screens.main import MainScreen
    from folio_reader.tui.widgets.search_pane import DEBOUNCE, SearchPane

    timeline = Timeline()

    def hook(message) -> None:
        if isinstance(message, SearchPane.QueryChanged):
            timeline.mark(message.query, "changed")
        elif isinstance(message, Library.Searched):
            timeline.mark(message.result.query, "searched")

    undo = timeline.install()
    full: list[float] = []  # the garbage collector's full collections while the queries run (ms)
    collecting: list[float] = []

    def collected(phase: str, info: dict) -> None:
        if phase == "start":
            collecting[:] = [time.perf_counter()]
        elif info["generation"] == 2 and collecting and measuring:
            full.append((time.perf_counter() - collecting[0]) * 1000)

    measuring = False
    gc.callbacks.append(collected)
    rows = []
    started = time.perf_counter()
    # as the `folio` command opens it (a checkout before FolioApp took settles_heap: without)
    settles = {"settles_heap": True} if "settles_heap" in inspect.signature(FolioApp).parameters else {}
    app = FolioApp(open_corpus(corpus), **settles)
    try:
        async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
            screen: MainScreen = app.screen
            await wait_for(lambda: screen.index is not None and not screen.status.activity, 600, pilot, 0.05)
            opened = time.perf_counter() - started
            measuring = True
            await pilot.press("slash")
            for query in queries:
                box = screen.search_pane.input
                box.value = ""
                await pilot.pause(DEBOUNCE + 0.05)
                for key in query[:-1]:
                    await pilot.press(key)
                await wait_for(lambda: not screen.search_pane.searching, 30, pilot)
                timeline.forget(query)
                typed = time.perf_counter()
                await pilot.press(query[-1])
                done = await wait_for(lambda: "painted" in timeline.marks.get(query, {}), 30, pilot)
                result = screen.search_pane.result
                parts = split(timeline.marks.get(query, {}), typed) if done else None
                rows.append((query, parts, len(result.hits) if result and result.query == query else 0))
            rss, hwm = rss_mb()
            measuring = False
            tracked = len(gc.get_objects())
    finally:
        gc.callbacks.remove(collected)
        for owner, name, original in undo:
            setattr(owner, name, original)
    timed = [(q, parts, n) for q, parts, n in rows if parts is not None]
    figures: dict = {"queries": len(rows), "answered": len(timed), "open_s": round(opened, 2)}
    for part in (
        "total",
        "to QueryChanged",
        "to the worker",
        "search call",
        "scoring",
        "hits",
        "to the UI thread",
        "show",
        "paint",
    ):
        values = [parts[part] for _, parts, _ in timed if part in parts]
        figures[f"{part} median / p95 ms"] = (
            (round(statistics.median(values), 1), pct(values, 0.95)) if values else None
        )
    figures["hits shown median"] = statistics.median(n for _, _, n in timed) if timed else None
    figures["debounce_ms"] = DEBOUNCE * 1000
    figures["full collections (gc, gen 2) n / median / max ms"] = (
        (len(full), round(statistics.median(full), 1), round(max(full), 1)) if full else (0, None, None)
    )
    figures["objects the collector tracks"] = tracked
    figures["rss_mb"] = round(rss, 1)
    figures["peak_rss_mb"] = round(hwm, 1)
    figures["slowest"] = sorted(((round(p["total"], 1), q) for q, p, _ in timed), reverse=True)[:5]
    if os.environ.get("BENCH_TUI_EACH"):  # every query's parts
        for q, p, _ in timed:
            print(f"    {q!r}: " + ", ".join(f"{k} {v:.1f}" for k, v in p.items()))
    return figures


# -- the same, through the installed folio in a pty ----------------------------------------------


def pty_keystrokes(corpus: Path, queries: list[str], home: Path) -> dict:
    """Key to results as a user sees it: the installed `folio` in a pty (see --pty)."""
    import contextlib

    import pexpect
    import pyte

    rows_n, cols = 40, 120
    env = {k: v for k, v in os.environ.items() if k not in ("TMUX",)}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", SSH_CONNECTION="192.0.2.1 50000 192.0.2.2 22")
    # (SSH_CONNECTION: no cursor blink, so the box is quiet between answers)
    for var, sub in (
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CONFIG_HOME", "config"),
    ):
        env[var] = str(home / sub)
    screen = pyte.Screen(cols, rows_n)
    stream = pyte.ByteStream(screen)
    folio = Path(sys.executable).with_name("folio")
    started = time.perf_counter()
    child = pexpect.spawn(str(folio), [str(corpus)], env=env, dimensions=(rows_n, cols))

    def read(timeout: float) -> bool:
        try:
            data = child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return False
        with contextlib.suppress(TypeError):
            stream.feed(data)
        return True

    def drain(quiet: float, limit: float = 60.0) -> None:
        last, end = time.perf_counter(), time.perf_counter() + limit
        while time.perf_counter() < end and time.perf_counter() - last < quiet:
            if read(0.01):
                last = time.perf_counter()

    def text() -> str:
        return "\n".join(screen.display)

    out: dict = {}
    try:
        end = time.perf_counter() + 600
        while "documents ·" not in text() and time.perf_counter() < end:
            read(0.1)
        while "index" in screen.display[-2] and time.perf_counter() < end:  # opening, updating it
            drain(0.3, 1)
        drain(3, 15)  # the toasts time out
        out["open_s"] = round(time.perf_counter() - started, 2)
        child.send("/")
        drain(0.5)
        shown, last_byte, slowest = [], [], []
        for query in queries:
            child.send("\x15")  # ctrl+u: an empty box
            drain(0.3)
            child.send(query[:-1])
            drain(1.0)
            while "searching…" in text():
                drain(1.0)
            box = next((n for n, line in enumerate(screen.display) if query[:-1] in line), None)
            if box is None:
                continue
            before = screen.display[box + 2 :]  # under the box's bottom border
            pressed = time.perf_counter()
            child.send(query[-1])
            first = final = None
            while time.perf_counter() - pressed < 30:
                if read(0.002):
                    final = time.perf_counter()
                    now = screen.display[box + 2 :]
                    if first is None and now != before and "searching…" not in "\n".join(now[:3]):
                        first = final
                elif final is not None and first is not None and time.perf_counter() - final > 0.5:
                    break
            if first is not None and final is not None:
                shown.append((first - pressed) * 1000)
                last_byte.append((final - pressed) * 1000)
                slowest.append((round((first - pressed) * 1000, 1), query))
        out["answered"] = f"{len(shown)} of {len(queries)}"
        out["to the results shown median / p95 ms"] = (
            (round(statistics.median(shown), 1), pct(shown, 0.95)) if shown else None
        )
        out["to the last byte median / p95 ms"] = (
            (round(statistics.median(last_byte), 1), pct(last_byte, 0.95)) if last_byte else None
        )
        out["slowest"] = sorted(slowest, reverse=True)[:5]
    finally:
        if child.isalive():
            try:
                child.close(force=True)
            except pexpect.ExceptionPexpect:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(child.pid, 9)
    return out


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


def use_home(home: Path) -> None:
    for var, sub in (
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CONFIG_HOME", "config"),
    ):
        os.environ[var] = str(home / sub)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--queries", type=Path)
    parser.add_argument("--n", type=int, default=40, help="queries typed (spread over the query file)")
    parser.add_argument("--home", type=Path, help="XDG folders with the corpus's index built (see above)")
    parser.add_argument("--pty", action="store_true", help="also through the installed folio in a pty")
    parser.add_argument("--large", type=Path)
    parser.add_argument("--seconds", type=float, default=20.0, help="how long to watch the large build")
    parser.add_argument("--query", default="government")
    args = parser.parse_args()
    if not args.corpus and not args.large:
        parser.error("give --corpus DIR and/or --large DIR")
    if args.pty and not (args.corpus and args.home):
        parser.error("--pty needs --corpus and --home")
    home = None if args.home else isolated_home()
    if args.home:
        use_home(args.home.resolve())
    try:
        if args.corpus:
            corpus = args.corpus.resolve()
            queries = load_queries(args.queries, args.n)
            if args.home:
                print(f"corpus {corpus}: the index built under {args.home}")
            else:
                folio = Path(sys.executable).with_name("folio")
                built = time.perf_counter()
                subprocess.run([str(folio), "index", "--corpus", str(corpus)], check=True, capture_output=True)
                print(
                    f"corpus {corpus}: index built by `folio index` in {time.perf_counter() - built:.1f} s"
                    " (untimed below)"
                )
            print(f"through the pilot (load average {load_average()}):")
            figures = asyncio.run(keystrokes(corpus, queries))
            for key, value in figures.items():
                print(f"  {key}: {value}")
            if args.pty:
                print(f"the installed folio in a pty (load average {load_average()}):")
                for key, value in pty_keystrokes(corpus, queries, args.home.resolve()).items():
                    print(f"  {key}: {value}")
            print(f"load average at the end {load_average()}")
        if args.large:
            corpus = args.large.resolve()
            print(f"large unindexed corpus {corpus}:")
            figures = asyncio.run(large(corpus, args.seconds, args.query))
            for key, value in figures.items():
                print(f"  {key}: {value}")
    finally:
        if home is not None:
            home.cleanup()


if __name__ == "__main__":
    main()
