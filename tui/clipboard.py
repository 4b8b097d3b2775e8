"""OSC 52 clipboard sequences, wrapped for tmux passthrough when running inside tmux.

OSC 52 reaches the clipboard of the terminal the user sits at, so it works over SSH. Inside tmux
the sequence must be wrapped in a DCS passthrough (`\\ePtmux;…\\e\\\\`, every ESC doubled) unless
tmux's `set-clipboard` is on; Folio sends both forms there.
"""

from __future__ import annotations

import base64
from typing import Any

from textual.app import App

#: Terminals cap OSC 52 payloads (xterm: 100,000 bytes); longer text is cut, and we say so.
MAX_CLIPBOARD_BYTES = 74_000


def osc52(text: str) -> str:
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f"\x1b]52;c;{payload}\x07"


def tmux_passthrough(sequence: str) -> str:
    return "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"


def clip(text: str) -> tuple[str, bool]:
    """The text cut to what a terminal accepts, and whether it was cut."""
    data = text.encode("utf-8")
    if len(data) <= MAX_CLIPBOARD_BYTES:
        return text, False
    return data[:MAX_CLIPBOARD_BYTES].decode("utf-8", "ignore"), True


def write_raw(app: App[Any], sequence: str) -> bool:
    """Write `sequence` to the terminal as it is, after what Textual has queued; False when there
    is no terminal (headless).

    The one place Folio uses a private part of Textual: Textual has no public call that writes
    bytes to the terminal (its own `App.copy_to_clipboard` writes OSC 52 through the same
    driver), and writing to the terminal's file directly would interleave with Textual's writer
    thread mid-sequence. tests/test_e2e_pty.py checks, through a real pty, that the tmux form of
    OSC 52 reaches the terminal, so a Textual upgrade that changes this fails there.
    """
    driver = app._driver  # (private: see above)
    if driver is None:
        return False
    driver.write(sequence)
    return True
