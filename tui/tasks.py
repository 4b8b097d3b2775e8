"""Blocking work off the UI thread, with one place where every failure is reported.

`run_blocking` starts a Textual thread worker (`exit_on_error=False`: a failure never takes the
app down) whose body reports any exception it raises as a `TaskFailed` message to the app, with
its traceback; `FolioApp.on_task_failed` is the one handler that tells the user and logs it.
Results travel back as messages the work posts itself: a worker never assigns a screen's
attributes. The work is given a `should_stop()` to poll (the worker was cancelled: a newer search
replaced it, its screen went away, the app is ending). `running()` says how many bodies are at
work now (the app's way out waits for them a bounded time: tui/lifetime.py).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable

from textual.dom import DOMNode
from textual.message import Message
from textual.worker import Worker, get_current_worker

StopCheck = Callable[[], bool]

_running = 0
_running_lock = threading.Lock()


def running() -> int:
    """How many blocking tasks are at work now."""
    return _running


def _count(step: int) -> None:
    global _running
    with _running_lock:
        _running += step


class TaskFailed(Message):
    """A blocking task raised: `name` says which, `error` what, `trace` where."""

    def __init__(self, name: str, error: Exception, trace: str) -> None:
        super().__init__()
        self.name, self.error, self.trace = name, error, trace


def run_blocking(
    node: DOMNode, work: Callable[[StopCheck], object], *, name: str, group: str, exclusive: bool = True
) -> Worker[None]:
    """Run `work(should_stop)` in a thread worker of `node` (cancelled with it)."""
    app = node.app

    def body() -> None:
        worker = get_current_worker()
        _count(1)
        try:
            work(lambda: worker.is_cancelled)
        except Exception as exc:
            app.post_message(TaskFailed(name, exc, traceback.format_exc()))
            raise  # (the worker ends in the ERROR state; exit_on_error=False keeps the app)
        finally:
            _count(-1)

    return node.run_worker(body, name=name, group=group, exclusive=exclusive, thread=True, exit_on_error=False)
