"""Issue 15 items 2-3: a first start on a large tree. The installed `folio` in tmux on a private
socket (`tmux -L folio-bench`) at 120x40, fresh XDG folders each run (no index, no listing
cache), the screen polled every 50 ms; the process is found by its command line and watched in
/proc.

    python tests/bench/bench_list_100k.py CORPUS [--folio FOLIO] [--runs 3] [--quit-at 2,8,20]
                                                 [--searchable]

Each run prints the seconds from launch to the first frame with the list, to the whole list
drawn, whether `/` then `escape` then `q` are answered (and how fast), and, with `--quit-at`,
one run per time T: `q` sent T seconds after launch (during the start or the indexing), the
seconds from the key to the process gone. `--searchable` waits for the index to be built
(the status line's "indexing" gone) and prints that time instead of pressing keys.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TMUX = ["tmux", "-L", "folio-bench"]


def capture() -> str:
    return subprocess.run([*TMUX, "capture-pane", "-p", "-t", "m"], capture_output=True, text=True).stdout


def keys(*names: str) -> None:
    subprocess.run([*TMUX, "send-keys", "-t", "m", *names])


def wait(ready: Callable[[], bool], limit: float) -> float | None:
    """Seconds until `ready()`, polled every 50 ms; None after `limit`."""
    since = time.monotonic()
    while time.monotonic() - since < limit:
        if ready():
            return time.monotonic() - since
        time.sleep(0.05)
    return None


def folio_pid(corpus: str) -> int | None:
    """The folio process running on `corpus` (its command line: python FOLIO CORPUS)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if len(argv) >= 3 and argv[1].endswith(b"folio") and argv[2] == corpus.encode():
                return int(entry.name)
    return None


def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"


def launch(folio: str, corpus: str, home: str) -> tuple[float, int | None]:
    subprocess.run([*TMUX, "kill-server"], capture_output=True)
    env = " ".join(f"XDG_{v}_HOME={home}/{v.lower()}" for v in ("CACHE", "STATE", "CONFIG", "DATA"))
    start = time.monotonic()
    subprocess.run([*TMUX, "new-session", "-d", "-s", "m", "-x", "120", "-y", "40", f"env {env} {folio} {corpus}"])
    pid = None
    found = wait(lambda: folio_pid(corpus) is not None, 10)
    if found is not None:
        pid = folio_pid(corpus)
    return start, pid


def one_run(folio: str, corpus: str, quit_at: float | None, searchable: bool) -> None:
    home = tempfile.mkdtemp(prefix="folio-bench-")
    try:
        start, pid = launch(folio, corpus, home)
        if pid is None:
            print("folio did not start")
            return
        if quit_at is not None:
            time.sleep(max(0.0, quit_at - (time.monotonic() - start)))
            status = capture().splitlines()[-2:] if capture() else []
            keys("q")
            took = wait(lambda: gone(pid), 30)
            shown = " ".join(s.strip() for s in status)[-40:]
            print(f"q at {quit_at:.1f} s ({shown!r}): " + (f"gone after {took:.2f} s" if took else "NOT gone in 30 s"))
            return
        first = wait(lambda: "documents" in (c := capture()) and "by path" in c, 200)
        print(f"first frame with the list: {first:.2f} s" if first is not None else "no list in 200 s")
        full = wait(lambda: "100,000 documents" in capture(), 200)
        print(f"the full list drawn: {time.monotonic() - start:.2f} s" if full is not None else "no full list")
        if searchable:
            done = wait(lambda: "indexing" not in (c := capture()) and "opening the index" not in c, 3600)
            print(f"a searchable index: {time.monotonic() - start:.1f} s" if done is not None else "not built")
            keys("q")
            print(f"`q` -> gone after {wait(lambda: gone(pid), 30)}")
            return
        keys("/")
        print(f"`/` answered after {wait(lambda: 'a phrase' in capture(), 90)}")
        keys("Escape")
        time.sleep(0.3)
        keys("q")
        took = wait(lambda: gone(pid), 90)
        print(f"`escape`, `q` -> gone after {took:.2f} s" if took is not None else "`q` NOT acted on in 90 s")
    finally:
        subprocess.run([*TMUX, "kill-server"], capture_output=True)
        pid = folio_pid(corpus)
        if pid is not None:
            os.kill(pid, 9)
        shutil.rmtree(home, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--folio", default="folio")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--quit-at", default="", help="seconds after launch to send q, comma-separated")
    parser.add_argument("--searchable", action="store_true")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.1f}")
    times = [float(t) for t in args.quit_at.split(",") if t]
    for _ in range(args.runs):
        for at in times or [None]:
            one_run(args.folio, args.corpus, at, args.searchable)


if __name__ == "__main__":
    main()
