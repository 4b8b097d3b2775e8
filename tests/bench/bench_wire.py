#!/usr/bin/env python3
"""Bytes on the wire (issue 17), run by hand, never by pytest:

    python tests/bench/bench_wire.py [--n 8] [--idle 10] [--no-relay] [--no-peers] [--baseline PYTHON]

The installed `folio` in a pseudo-terminal at 120x40 (TERM=xterm-256color) on a copy of the
bundled seeds: the bytes it writes to the terminal for each key, counted from the key to the
moment the output has been quiet for a while: caret moves in the reader (`j`, `w`, `)`, `}`; `}`
both where it scrolls the view and where it does not),
`down` in the document list, page down (`space`), `G`, each character of a query typed into the
search box, opening a hit, and idle time in the reader and with the search box focused; and the
time from the last key of a query to its results on the screen (issue 15, item 1). `less`
(and `vim -R`, where installed) on the same document are the baselines, in the same run.

Then the keystroke-to-screen latency through a link throttled to 64 kbit/s and to 1 Mbit/s,
100 ms each way: a relay between this process and the pty reads the app's output no faster
than the link carries it (so the kernel's pty buffer pushes back on the app as a real link
would), and delivers each chunk 100 ms after it was read; a key reaches the app 100 ms after it
is pressed. The latency is from the key to the delivery of the last byte of its answer.

`--baseline PYTHON` measures, in the same run and alternating with it, the `folio` installed
beside another interpreter (a venv with the code before a change), in a column of its own.

Every run gets its own XDG folders (a temporary home). Byte counts are nearly deterministic (a
caret move always repaints the same rows); latencies depend on the machine's load.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

import pexpect
import pyte

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from folio_reader.index.corpus import seeds_path  # noqa: E402

FOLIO = Path(sys.executable).with_name("folio")
ROWS, COLS = 40, 120
DOCUMENT = "000_4516db8e315558cc.txt"  #: the first in the list (by path), the longest seed
QUERY = "tariff"
QUIET = 0.6  #: output quiet this long: the key's answer is complete
DOWN, SPACE = "\x1b[B", " "
SSH = "192.0.2.1 50000 192.0.2.2 22"  #: SSH_CONNECTION, as over SSH: no cursor blink


class Term:
    """A command in a pty at 120x40; its output counted and fed to a pyte screen."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.child = pexpect.spawn(argv[0], argv[1:], env=env, dimensions=(ROWS, COLS))

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def feed(self, data: bytes) -> None:
        with contextlib.suppress(TypeError):  # pyte does not know a sequence vim sends: the count stands
            self.stream.feed(data)

    def drain(self, quiet: float = QUIET, limit: float = 20.0) -> int:
        """Read until nothing has come for `quiet` seconds; the bytes read."""
        n, last, end = 0, time.monotonic(), time.monotonic() + limit
        while time.monotonic() < end and time.monotonic() - last < quiet:
            try:
                data = self.child.read_nonblocking(65536, timeout=0.02)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                break
            n += len(data)
            last = time.monotonic()
            self.feed(data)
        return n

    def wait_for(self, needle: str, timeout: float = 90) -> None:
        end = time.monotonic() + timeout
        while needle not in self.text():
            if time.monotonic() > end:
                raise SystemExit(f"{needle!r} never shown; the screen:\n{self.text()}")
            self.drain(quiet=0.1, limit=0.5)

    def key(self, keys: str) -> int:
        self.child.send(keys)
        return self.drain()

    def close(self) -> None:
        if self.child.isalive():
            try:
                self.child.close(force=True)
            except pexpect.ExceptionPexpect:  # (under load it may outlast pexpect's patience)
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.child.pid, 9)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(self.child.pid, 0)


def keys(term: Term, key: str, n: int) -> list[int]:
    return [term.key(key) for _ in range(n)]


def idle(term: Term, seconds: float) -> int:
    return term.drain(quiet=seconds + 1, limit=seconds)


def median(xs: list[int]) -> str:
    if not xs:
        return "–"
    lo, hi, mid = min(xs), max(xs), statistics.median(xs)
    return f"{mid:,.0f}" if lo == hi else f"{mid:,.0f} ({lo:,}–{hi:,})"


def environment(home: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SSH_CONNECTION", "TMUX")}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", LESS="", HOME=home)
    for var, sub in (
        ("XDG_CACHE_HOME", "c"),
        ("XDG_DATA_HOME", "d"),
        ("XDG_STATE_HOME", "s"),
        ("XDG_CONFIG_HOME", "f"),
    ):
        env[var] = f"{home}/{sub}"
    return env


def open_folio(corpus: Path, env: dict[str, str], folio: Path = FOLIO) -> Term:
    term = Term([str(folio), str(corpus)], env)
    term.wait_for("documents ·")
    end = time.monotonic() + 90
    while "index" in term.screen.display[-2] and time.monotonic() < end:  # indexing, then "Index updated"
        term.drain(quiet=0.2, limit=1)
    term.drain(quiet=3, limit=15)  # the toasts time out
    return term


def measure_folio(
    corpus: Path, env: dict[str, str], n: int, idle_s: float, folio: Path = FOLIO
) -> dict[str, list[int]]:
    """Every key, over SSH as it were (SSH_CONNECTION set): the search box's cursor does not
    blink, so a key's count is its answer's (with the blink, every 0.5 s wrote the box again and
    a key was never followed by `QUIET`: its count ran on to the drain's limit)."""
    term = open_folio(corpus, {**env, "SSH_CONNECTION": SSH}, folio)
    out: dict[str, list[int]] = {}
    try:
        out["idle in the list"] = [idle(term, idle_s)]
        out["down in the list"] = keys(term, DOWN, n)
        term.key("g")  # back to the first document (the list's own g: top)
        term.key("\x1b[H")
        out["open a document (enter)"] = [term.key("\r")]
        term.drain(quiet=3, limit=10)
        out["j"] = keys(term, "j", n)
        out["w"] = keys(term, "w", n)
        out[")"] = keys(term, ")", n)
        out["} (each scrolls: the caret is near the bottom)"] = keys(term, "}", n)
        term.key("g")
        out["} (from the top: no scroll)"] = keys(term, "}", min(n, 4))
        term.key("g")
        out["space (page down)"] = keys(term, SPACE, max(2, n // 2))
        out["G"] = [term.key("G")]
        out["idle in the reader"] = [idle(term, idle_s)]
        out["/ (search box)"] = [term.key("/")]
        out["idle in the search box, SSH_CONNECTION set"] = [idle(term, idle_s)]
        out[f"typing {QUERY!r}, per key"] = [term.key(c) for c in QUERY]
        term.key("\x15")  # ctrl+u: an empty box
        out[f"{QUERY!r} typed at once (a burst)"] = [term.key(QUERY)]
        out["open the first hit (enter)"] = [term.key("\r")]
    finally:
        term.close()
    with tempfile.TemporaryDirectory(prefix="folio-bench-wire-hidden-") as home:
        out["space (page down), the list hidden"] = measure_page_hidden(corpus, environment(home), folio)
    return out


def measure_page_hidden(corpus: Path, env: dict[str, str], folio: Path) -> list[int]:
    """Page down in the first document with the list hidden (as tests/test_wire_page.py has it),
    in a home of its own (no reading position kept from the run before)."""
    term = open_folio(corpus, {**env, "SSH_CONNECTION": SSH}, folio)
    try:
        term.key("\r")
        term.drain(quiet=2, limit=10)
        term.key("d")  # to the list, then the list hidden: the reader takes the width
        term.key("d")
        term.key("g")
        return keys(term, SPACE, 4)  # (the longest seed is about six pages at 40 rows)
    finally:
        term.close()


def measure_idle_locally(corpus: Path, env: dict[str, str], idle_s: float) -> int:
    """Idle with the search box focused, SSH_CONNECTION not set (its cursor blinks)."""
    term = open_folio(corpus, env)
    try:
        term.key("/")
        return idle(term, idle_s)
    finally:
        term.close()


def measure_less(path: Path, env: dict[str, str], n: int) -> dict[str, list[int]] | None:
    if not shutil.which("less"):
        return None
    term = Term(["less", str(path)], env)
    try:
        term.drain(quiet=1)
        out = {"j": keys(term, "j", n), "space (page down)": keys(term, SPACE, 2)}
        term.key("g")
        out["G"] = [term.key("G")]
        term.key("g")
        out["typing a search (/tariff), per key"] = [term.key(c) for c in "/" + QUERY]
        out["open the first hit (enter)"] = [term.key("\r")]
    finally:
        term.close()
    return out


def measure_vim(path: Path, env: dict[str, str], n: int) -> dict[str, list[int]] | None:
    if not shutil.which("vim"):
        return None
    term = Term(["vim", "-R", "-u", "NONE", "-N", str(path)], env)
    try:
        term.drain(quiet=1)
        out = {k: keys(term, k, n) for k in ("j", "w", ")", "}")}
        term.key("gg")
        out["space (page down)"] = keys(term, "\x06", 2)  # ctrl+f
        out["G"] = [term.key("G")]
        term.key("gg")
        out["typing a search (/tariff), per key"] = [term.key(c) for c in "/" + QUERY]
        out["open the first hit (enter)"] = [term.key("\r")]
    finally:
        term.close()
    return out


def measure_key_to_results(corpus: Path, env: dict[str, str], n: int) -> dict[str, list[float]]:
    """Keystroke to results on screen (issue 15, item 1), as a user sees it: `tarif` typed into
    the search box (its answer is "No matches."), then the last `f` timed from the moment it is
    written to the pty to the first screen that shows the results ("5 documents"), and to the
    last byte of that answer. SSH_CONNECTION is set, so no cursor blink keeps the box busy."""
    term = open_folio(corpus, {**env, "SSH_CONNECTION": SSH})
    out: dict[str, list[float]] = {"to the results shown": [], "to the last byte": []}
    try:
        term.key("/")
        for _ in range(n):
            term.key("\x15")  # ctrl+u: an empty box
            for c in QUERY[:-1]:
                term.key(c)
            pressed = time.monotonic()
            term.child.send(QUERY[-1])
            shown = last = None
            while time.monotonic() - pressed < 20:
                try:
                    data = term.child.read_nonblocking(65536, timeout=0.005)
                except pexpect.TIMEOUT:
                    if last is not None and time.monotonic() - last > QUIET:
                        break
                    continue
                last = time.monotonic()
                term.feed(data)
                if shown is None and "5 documents" in term.text():
                    shown = last
            if shown is not None and last is not None:
                out["to the results shown"].append(shown - pressed)
                out["to the last byte"].append(last - pressed)
        term.key("\x15")
        out["bytes of the whole query typed at once (a burst)"] = [float(term.key(QUERY))]
    finally:
        term.close()
    return out


class Link:
    """A relay standing for a slow link: output read from the pty no faster than `bps` allows
    and delivered `delay` s after it was read; keys delivered to the app `delay` s late."""

    def __init__(self, term: Term, bps: int, delay: float) -> None:
        self.term, self.rate, self.delay = term, bps / 8, delay
        self.in_flight: deque[tuple[float, bytes]] = deque()
        self.budget, self.clock = 0.0, time.monotonic()

    def pump(self, seconds: float) -> float | None:
        """Carry bytes for `seconds`; the time the last of them was delivered (None if none)."""
        last = None
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            now = time.monotonic()
            self.budget = min(self.budget + (now - self.clock) * self.rate, 4096)
            self.clock = now
            if self.budget >= 1:
                try:
                    data = self.term.child.read_nonblocking(int(self.budget), timeout=0.005)
                    self.budget -= len(data)
                    self.in_flight.append((now + self.delay, data))
                except pexpect.TIMEOUT:
                    pass
            else:
                time.sleep(0.002)
            while self.in_flight and self.in_flight[0][0] <= time.monotonic():
                _, data = self.in_flight.popleft()
                self.term.feed(data)
                last = time.monotonic()
        return last

    def latency(self, key: str, quiet: float = 1.0) -> float:
        """Seconds from pressing `key` to the last byte of its answer on the screen."""
        pressed = time.monotonic()
        self.pump(self.delay)  # the key on its way up
        self.term.child.send(key)
        last = None
        while True:
            got = self.pump(quiet)
            if got is None and not self.in_flight:
                break
            last = got or last
        return (last - pressed) if last else float("nan")


def measure_latency(corpus: Path, env: dict[str, str], bps: int, n: int) -> dict[str, list[float]]:
    term = open_folio(corpus, env)
    try:
        term.key("\r")
        term.drain(quiet=3, limit=10)
        link = Link(term, bps, 0.1)
        return {"j": [link.latency("j") for _ in range(n)], "}": [link.latency("}") for _ in range(n)]}
    finally:
        term.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=8, help="presses of each key (default 8)")
    parser.add_argument("--idle", type=float, default=10, help="seconds of idle measured (default 10)")
    parser.add_argument("--no-relay", action="store_true", help="skip the throttled-link latency")
    parser.add_argument("--no-peers", action="store_true", help="skip less, vim, the local idle and the timings")
    parser.add_argument("--baseline", metavar="PYTHON", help="also measure the folio beside this interpreter")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each folio, alternating (default 1)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="folio-bench-wire-") as home:
        corpus = Path(home) / "corpus"
        shutil.copytree(seeds_path(), corpus, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
        env = environment(home)
        runs: dict[str, dict[str, list[int]]] = {"folio": {}}
        if args.baseline:
            runs["baseline"] = {}
        for n in range(args.repeat):
            order = ["folio", "baseline"] if n % 2 == 0 else ["baseline", "folio"]
            for label in (x for x in order if x in runs):
                exe = FOLIO if label == "folio" else Path(args.baseline).with_name("folio")
                print(f"measuring {label} ({exe}), run {n + 1}", file=sys.stderr)
                with tempfile.TemporaryDirectory(prefix="folio-bench-wire-run-") as run_home:
                    # (a home of its own: no reading state, focus or index left by another run)
                    measured = measure_folio(corpus, environment(run_home), args.n, args.idle, exe)
                for name, values in measured.items():
                    runs[label].setdefault(name, []).extend(values)
        folio = runs["folio"]
        if not args.no_peers:
            folio["idle in the search box, not over SSH (its cursor blinks)"] = [
                measure_idle_locally(corpus, env, args.idle)
            ]
        less = None if args.no_peers else measure_less(corpus / DOCUMENT, env, args.n)
        vim = None if args.no_peers else measure_vim(corpus / DOCUMENT, env, args.n)
        print(f"bytes written per key, {COLS}x{ROWS}, TERM=xterm-256color, median (min–max) of {args.n}")
        before = runs.get("baseline")
        print(
            "| key | folio |"
            + (" baseline |" if before is not None else "")
            + " less | vim -R |\n|---|---:|"
            + ("---:|" if before is not None else "")
            + "---:|---:|"
        )
        alias = {"typing 'tariff', per key": "typing a search (/tariff), per key"}
        for name, values in folio.items():
            base = alias.get(name, name)
            row = [median(values)]
            if before is not None:
                row.append(median(before.get(name, [])))
            row += [median((less or {}).get(base, [])), median((vim or {}).get(base, []))]
            print(f"| {name} | " + " | ".join(row) + " |")
        if args.no_peers:
            return
        timed = measure_key_to_results(corpus, env, args.n)
        print(f"\nkeystroke to results on screen in the pty, the last key of {QUERY!r} (ms, median (min–max))")
        burst = timed.pop("bytes of the whole query typed at once (a burst)")
        for name, values in timed.items():
            ms = [v * 1000 for v in values]
            print(
                f"| {name} | {statistics.median(ms):.0f} ({min(ms):.0f}–{max(ms):.0f}) |" if ms else f"| {name} | – |"
            )
        print(f"| bytes of {QUERY!r} typed at once (a burst) | {burst[0]:,.0f} |")
        if args.no_relay:
            return
        print("\nkeystroke to screen through a throttled link, 100 ms each way (seconds, median (min–max))")
        print("| link | j | } |\n|---|---:|---:|")
        for label, bps in (("64 kbit/s", 64_000), ("1 Mbit/s", 1_000_000)):
            lat = measure_latency(corpus, env, bps, max(3, args.n // 2))
            cells = [f"{statistics.median(v):.2f} ({min(v):.2f}–{max(v):.2f})" for v in lat.values()]
            print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
