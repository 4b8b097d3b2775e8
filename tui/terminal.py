"""What the app needs from the terminal before it starts, whatever the locale says.

`prepare()` is called by every command that runs the app, before `App.run`:

- input: a byte that is not UTF-8 (a Latin-1 terminal's "ü", pasted binary) arrives as "�"
  instead of killing Textual's input thread (`input_guard`, which says what it relies on);
- output: the app draws with box and block characters, which Textual writes as UTF-8 only;
  under a C locale (SSH without a forwarded locale) or PYTHONIOENCODING=ascii Python would turn
  each into `\\u2588` and break the layout, so the terminal's streams are made UTF-8.
"""

from __future__ import annotations

import io
import sys

from folio_reader.tui import input_guard


def prepare() -> None:
    input_guard.install()
    for stream in (sys.__stdout__, sys.__stderr__):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors="replace")
