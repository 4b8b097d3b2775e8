"""OSC 52 clipboard sequences, wrapped for tmux passthrough when running inside tmux.

OSC 52 reaches the clipboard of the terminal the user sits at, so it works over SSH. Inside tmux
the sequence must be wrapped in a DCS passthrough (`\\ePtmux;…\\e\\\\`, every ESC doubled) unless
tmux's `set-clipboard` is on; Folio sends both forms there.
"""

from __future__ import annotations

import base64

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
