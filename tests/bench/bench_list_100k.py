"""Issue 15 items 2-3: seconds from launch to the drawn list of a large tree, and whether `/`
and `q` answer. The installed `folio` in tmux on a private socket (`tmux -L tui`) at 120x40,
the screen polled every 50 ms.

    python tests/bench/bench_list_100k.py [CORPUS] [FOLIO]   (defaults: /tmp/formats-100k, folio)
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable

TMUX = ["tmux", "-L", "tui"]


def capture() -> str:
    return subprocess.run([*TMUX, "capture-pane", "-p", "-t", "m"], capture_output=True, text=True).stdout


def main() -> None:
    corpus = sys.argv[1] if len(sys.argv) > 1 else "/tmp/formats-100k"
    folio = sys.argv[2] if len(sys.argv) > 2 else "folio"
    subprocess.run([*TMUX, "kill-server"], capture_output=True)
    start = time.monotonic()
    subprocess.run([*TMUX, "new-session", "-d", "-s", "m", "-x", "120", "-y", "40", f"{folio} {corpus}; sleep 600"])

    def wait(ready: Callable[[str], bool], limit: float) -> float | None:
        since = time.monotonic()
        while time.monotonic() - since < limit:
            if ready(capture()):
                return time.monotonic() - since
            time.sleep(0.05)
        return None

    first = wait(lambda c: "documents" in c and "by path" in c, 200)
    print(f"first frame with the list: {first:.2f} s" if first is not None else "no list in 200 s")
    full = wait(lambda c: "100,000 documents" in c, 200)
    print(f"the full list drawn: {time.monotonic() - start:.2f} s" if full is not None else "no full list")
    subprocess.run([*TMUX, "send-keys", "-t", "m", "/"])
    print("`/` answered after", wait(lambda c: "a phrase" in c, 90))
    subprocess.run([*TMUX, "send-keys", "-t", "m", "Escape"])
    time.sleep(0.3)
    subprocess.run([*TMUX, "send-keys", "-t", "m", "q"])
    print("`q` quit after", wait(lambda c: "documents" not in c and "a phrase" not in c, 90))
    subprocess.run([*TMUX, "kill-server"], capture_output=True)


if __name__ == "__main__":
    main()
