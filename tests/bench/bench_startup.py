"""Time from launching `folio` to the first frame that shows the document list.

Run by hand (never in CI):

    python tests/bench/bench_startup.py [--corpus DIR] [--runs 5] [--home DIR]
        [--baseline PYTHON --baseline-home DIR]

Each run starts the installed `folio` in a pseudo-terminal, feeds its output to a terminal
emulator and stops the clock when the list heading ("N documents") is on screen. The same run
times `python -c "import textual"` as the baseline this machine gives (shared, noisy machines:
compare the ratio, not the absolute figures). The index is built (or brought up to date) before
timing, in a temporary home, or in `--home` (XDG folders kept between runs: build a 50,000-file
index once). `--baseline` times, in the same runs and alternating with it, the `folio` beside
another interpreter (a venv of the code before a change), with its own `--baseline-home`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pexpect
import pyte

FOLIO = Path(sys.executable).with_name("folio")


def first_frame(args: list[str], env: dict[str, str], needle: str = "documents", folio: Path = FOLIO) -> float:
    screen = pyte.Screen(120, 40)
    stream = pyte.ByteStream(screen)
    started = time.perf_counter()
    child = pexpect.spawn(str(folio), args, env=env, dimensions=(40, 120))
    try:
        while time.perf_counter() - started < 60:
            try:
                stream.feed(child.read_nonblocking(65536, timeout=0.01))
            except pexpect.TIMEOUT:
                continue
            if any(needle in line for line in screen.display[:3]):
                return time.perf_counter() - started
        raise RuntimeError("the list never appeared")
    finally:
        child.sendcontrol("q")
        child.close(force=True)


def import_textual() -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import textual.app"], check=True)
    return time.perf_counter() - started


def xdg(home: str) -> dict[str, str]:
    return {
        **os.environ,
        "TERM": "xterm-256color",
        "XDG_CACHE_HOME": f"{home}/cache",
        "XDG_STATE_HOME": f"{home}/state",
        "XDG_CONFIG_HOME": f"{home}/config",
        "PYTHONDONTWRITEBYTECODE": "",  # (compiled once, as an installed folio runs)
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--home", type=Path, default=None, help="XDG folders to keep (the index built once)")
    parser.add_argument("--baseline", type=Path, default=None, help="another interpreter (its folio is timed too)")
    parser.add_argument("--baseline-home", type=Path, default=None, help="the baseline's XDG folders")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary, tempfile.TemporaryDirectory() as other:
        folios = {"now": (FOLIO, xdg(str(args.home or temporary)))}
        if args.baseline:
            folios["baseline"] = (args.baseline.with_name("folio"), xdg(str(args.baseline_home or other)))
        corpus = [str(args.corpus)] if args.corpus else []
        for folio, env in folios.values():
            subprocess.run(
                [str(folio), "index", *(["--corpus", str(args.corpus)] if args.corpus else [])],
                env=env,
                check=True,
                capture_output=True,
            )
        frames: dict[str, list[float]] = {name: [] for name in folios}
        imports = []
        for run in range(args.runs):
            imports.append(import_textual())
            for name in list(folios) if run % 2 == 0 else list(folios)[::-1]:
                folio, env = folios[name]
                frames[name].append(first_frame(corpus, env, folio=folio))
    i = statistics.median(imports)
    print(f"corpus: {args.corpus or 'bundled seeds'}  runs: {args.runs}  load average: {os.getloadavg()[0]:.1f}")
    print(f"python -c 'import textual.app': median {i * 1000:.0f} ms")
    for name, seconds in frames.items():
        f = statistics.median(seconds)
        print(
            f"{name}: first frame with the list: median {f * 1000:.0f} ms (min {min(seconds) * 1000:.0f}, "
            f"max {max(seconds) * 1000:.0f}); ratio {f / i:.2f}x the import of textual"
        )


if __name__ == "__main__":
    main()
