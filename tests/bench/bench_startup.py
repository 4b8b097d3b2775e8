"""Time from launching `folio` to the first frame that shows the document list.

Run by hand (never in CI):

    python tests/bench/bench_startup.py [--corpus DIR] [--runs 5] [--home DIR]
        [--baseline PYTHON --baseline-home DIR]

Each run starts the installed `folio` in a pseudo-terminal, feeds its output to a terminal
emulator and stops the clock when the list heading ("N documents") is on screen; the CPU time
the process has used by then is read from `/proc` (on a loaded machine the wall clock is mostly
waiting for a core: compare the CPU ratio too). The same run
times `python -c "import textual"` as the baseline this machine gives (shared, noisy machines:
compare the ratio, not the absolute figures). The index is built (or brought up to date) before
timing, in a temporary home, or in `--home` (XDG folders kept between runs: build a 50,000-file
index once). `--baseline` times, in the same runs and alternating with it, the `folio` beside
another interpreter (a venv of the code before a change), with its own `--baseline-home`.
"""

from __future__ import annotations

import argparse
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pexpect
import pyte

FOLIO = Path(sys.executable).with_name("folio")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process so far (Linux `/proc`)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_frame(
    args: list[str], env: dict[str, str], needle: str = "documents", folio: Path = FOLIO
) -> tuple[float, float]:
    """(wall, CPU) seconds from the launch to the list on screen."""
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
                return time.perf_counter() - started, cpu_seconds(child.pid)
        raise RuntimeError("the list never appeared")
    finally:
        child.sendcontrol("q")
        try:
            child.close(force=True)
        except pexpect.ExceptionPexpect:  # (slow to go on a loaded machine)
            os.kill(child.pid, signal.SIGKILL)
            child.wait()


def import_textual() -> tuple[float, float]:
    """(wall, CPU) seconds of `python -c "import textual.app"`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": ""}  # (compiled once, as folio is timed)
    subprocess.run([sys.executable, "-c", "import textual.app"], check=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


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
    parser.add_argument(
        "--listing-only",
        action="store_true",
        help="no `folio index` first: the homes hold a listing already (the first frame reads nothing else)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary, tempfile.TemporaryDirectory() as other:
        folios = {"now": (FOLIO, xdg(str(args.home or temporary)))}
        if args.baseline:
            folios["baseline"] = (args.baseline.with_name("folio"), xdg(str(args.baseline_home or other)))
        corpus = [str(args.corpus)] if args.corpus else []
        for folio, env in folios.values() if not args.listing_only else ():
            subprocess.run(
                [str(folio), "index", *(["--corpus", str(args.corpus)] if args.corpus else [])],
                env=env,
                check=True,
                capture_output=True,
            )
        frames: dict[str, list[tuple[float, float]]] = {name: [] for name in folios}
        imports: list[tuple[float, float]] = []
        for run in range(args.runs):
            imports.append(import_textual())
            for name in list(folios) if run % 2 == 0 else list(folios)[::-1]:
                folio, env = folios[name]
                frames[name].append(first_frame(corpus, env, folio=folio))
    i, i_cpu = (statistics.median(x[k] for x in imports) for k in (0, 1))
    print(f"corpus: {args.corpus or 'bundled seeds'}  runs: {args.runs}  load average: {os.getloadavg()[0]:.1f}")
    print(f"python -c 'import textual.app': median {i * 1000:.0f} ms, CPU {i_cpu * 1000:.0f} ms")
    for name, timed in frames.items():
        walls, cpus = [w for w, _ in timed], [c for _, c in timed]
        f, f_cpu = statistics.median(walls), statistics.median(cpus)
        print(
            f"{name}: first frame with the list: median {f * 1000:.0f} ms (min {min(walls) * 1000:.0f}, "
            f"max {max(walls) * 1000:.0f}), ratio {f / i:.2f}x; CPU median {f_cpu * 1000:.0f} ms "
            f"({min(cpus) * 1000:.0f}-{max(cpus) * 1000:.0f}), ratio {f_cpu / i_cpu:.2f}x the import's CPU"
        )


if __name__ == "__main__":
    main()
