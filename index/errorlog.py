"""The log of unexpected errors: a fault in Folio shows the user one line, and its traceback
goes to a file in the user state dir (`locations.log_path()`) for whoever fixes it.

The log is Folio's own file; past `MAX_LOG_BYTES` it is renamed to `folio.log.1` (replacing
the previous one) and started again, so it never grows without bound.
"""

from __future__ import annotations

import os
import time
import traceback
from pathlib import Path

from folio_reader.index import locations

MAX_LOG_BYTES = 1 << 20


def record(exc: BaseException, doing: str) -> Path | None:
    """Append `exc` with its traceback to the log; the log's path, or None if it cannot be
    written (then the error is only reported, never raised again)."""
    path = locations.log_path()
    entry = f"--- {time.strftime('%Y-%m-%dT%H:%M:%S%z')} pid {os.getpid()}: {doing}\n" + "".join(
        traceback.format_exception(exc)
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            if path.stat().st_size > MAX_LOG_BYTES:
                path.replace(path.with_name(path.name + ".1"))
        except FileNotFoundError:
            pass
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8", errors="replace") as f:
            f.write(entry)
    except OSError:
        return None
    return path


def one_line(exc: BaseException, doing: str) -> str:
    """Log `exc` and say so in one line: what failed, the error, where the details are."""
    where = record(exc, doing)
    details = f"; details in {where}" if where is not None else ""
    first = str(exc).splitlines()[0] if str(exc) else ""
    return f"{doing} failed: {type(exc).__name__}{': ' + first if first else ''} (a fault in Folio{details})"
