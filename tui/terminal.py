"""What the app needs from the terminal, whatever the locale says, and what it spares it.

`prepare()` is called by every command that runs the app, before `App.run`:

- input: a byte that is not UTF-8 (a Latin-1 terminal's "ü", pasted binary) arrives as "�"
  instead of killing Textual's input thread (`input_guard`, which says what it relies on);
- output: the app draws with box and block characters, which Textual writes as UTF-8 only;
  under a C locale (SSH without a forwarded locale) or PYTHONIOENCODING=ascii Python would turn
  each into `\\u2588` and break the layout, so the terminal's streams are made UTF-8.

And what the app sends the terminal unasked: a blinking text cursor repaints its box twice a
second (about 770 bytes a second with the search box focused, at 120x40), which over a slow SSH
link is all the link does while the user reads. `cursor_blink` says whether text cursors blink:
not when SSH_CONNECTION is set, unless `"cursor_blink": true` in settings.json says so
(`false` turns it off everywhere).
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Mapping

from textual.widget import Widget
from textual.widgets import Input, TextArea

from folio_reader.tui import input_guard


def prepare() -> None:
    input_guard.install()
    for stream in (sys.__stdout__, sys.__stderr__):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(encoding="utf-8", errors="replace")


def cursor_blink(settings: Mapping[str, object], environ: Mapping[str, str] = os.environ) -> bool:
    """Whether text cursors blink: the `cursor_blink` setting when it is true or false, else
    yes but over SSH."""
    chosen = settings.get("cursor_blink")
    if isinstance(chosen, bool):
        return chosen
    return not environ.get("SSH_CONNECTION")


def apply_cursor_blink(widget: Widget, blink: bool) -> None:
    """Give a text box (an Input, a TextArea) the app's cursor blink as it takes the focus."""
    if isinstance(widget, (Input, TextArea)) and widget.cursor_blink != blink:
        widget.cursor_blink = blink
