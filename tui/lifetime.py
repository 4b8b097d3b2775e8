"""How the reader's process ends: soon after the app does, whatever its threads and index
worker processes are doing, and on its own when the terminal is gone.

Blocking work runs in the threads of asyncio's default executor (`tui/tasks.py`), which Python
joins at exit however long they take: a folder scan of 100,000 files cannot be interrupted, and
a document or an index batch can take seconds. So after the app's last screen is gone, `wind_down`
gives the work `STOP_WAIT` seconds to see that it should stop and kills the index worker
processes still running, and the `folio` command ends the process there (`end_now`: `os._exit`,
the streams flushed; not `FolioApp.run` itself, which a test runner also calls); the app has saved
what it keeps (reading position, annotations, drafts) and given the terminal back by then, and
the index is made to survive a kill at any moment (tests/test_signals.py).

The terminal can go without a SIGHUP reaching Folio (Folio in another session or process group
than the one the kernel signals, a shell that does not pass it on): the terminal Textual reads
is then hung up, its reads at end of file (Textual's input thread spins on it) and its calls
failing with EIO. `TerminalWatch` is a daemon thread that looks at the terminal every `POLL`
seconds and, once it is gone, asks the app to end (`gone`, on the UI thread); if the app has not
ended `GRACE` seconds later (its UI thread held), `stuck` runs on the watch's thread, to keep
what is unsaved and end the process.
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sys
import termios
import threading
import time
from collections.abc import Callable
from typing import NoReturn

from folio_reader.tui import tasks

#: Seconds the blocking work gets to stop after the app has ended, before the process ends anyway.
STOP_WAIT = 0.25
#: Seconds between two looks at the terminal.
POLL = 0.2
#: Seconds the app gets to end once its terminal is gone, before the watch ends the process.
GRACE = 1.5


def terminal_gone(fd: int) -> bool:
    """The terminal on `fd` has hung up (its master closed): its calls fail with EIO. Not a
    terminal (ENOTTY: a pipe, or pointed at /dev/null after a hang-up) is not gone."""
    try:
        termios.tcgetattr(fd)
    except termios.error as exc:
        return bool(exc.args[0] == errno.EIO)
    except (OSError, ValueError):
        return False
    return False


class TerminalWatch:
    """See the module docstring. `gone` is called once, from the watch's thread (it must hand
    the work to the UI thread itself), unless the app said first that the terminal is gone
    (`alarm`: a SIGHUP); `stuck` once more if the process is still there `GRACE` seconds later.
    The terminal is watched through a descriptor of the watch's own, which the app pointing
    0, 1 and 2 at /dev/null on a hang-up does not change."""

    def __init__(self, gone: Callable[[], object], stuck: Callable[[], object], fd: int = 0) -> None:
        self._gone, self._stuck = gone, stuck
        self._fd = os.dup(fd)
        self._alarm = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="folio-terminal-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def alarm(self) -> None:
        """The app knows the terminal is gone and is ending: the `GRACE` seconds start now."""
        self._alarm.set()

    def _watch(self) -> None:
        while not self._alarm.wait(POLL):
            if terminal_gone(self._fd):
                self._gone()
                break
        time.sleep(GRACE)
        self._stuck()


def worker_processes() -> list[int]:
    """The index worker processes this process started that are still running."""
    build = sys.modules.get("folio_reader.index.search.build")
    if build is None:  # (never imported: no worker was started)
        return []
    command = build.WORKER_COMMAND.encode()
    me = os.getpid()
    found = []
    try:
        entries = [e.name for e in os.scandir("/proc") if e.name.isdigit()]
    except OSError:
        return []
    for name in entries:
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                parent = int(f.read().rsplit(b")", 1)[1].split()[1])
            if parent != me:
                continue
            with open(f"/proc/{name}/cmdline", "rb") as f:
                if command in f.read():
                    found.append(int(name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def stop_workers() -> None:
    """Kill the index worker processes still running (they hold only a staging segment, which
    the next build clears)."""
    for pid in worker_processes():
        with contextlib.suppress(OSError):  # (ended meanwhile)
            os.kill(pid, signal.SIGKILL)


def end_now(code: int) -> NoReturn:
    """End the process at once: worker processes killed, the streams flushed, no thread waited for."""
    stop_workers()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):  # (closed, detached, None)
            stream.flush()
    os._exit(code)


def wind_down(stop: Callable[[], None]) -> None:
    """After the app has ended (and kept what it keeps): `stop` the blocking work, give it
    `STOP_WAIT` seconds, and kill the index worker processes still running. The `folio`
    command then calls `end_now`, which also spares Python's teardown of everything the app
    held (at 50,000 documents with the index open, `q` took 2.0 s to end the process that way,
    0.5-0.6 s this way)."""
    stop()
    end = time.monotonic() + STOP_WAIT
    while tasks.running() and time.monotonic() < end:
        time.sleep(0.02)
    stop_workers()
