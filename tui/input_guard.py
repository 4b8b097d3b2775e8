"""Keep Textual's input thread alive when the terminal sends bytes that are not UTF-8.

Textual's Linux driver decodes what it reads from the terminal strictly: one byte that is not
UTF-8 (0xFC, which a Latin-1 terminal sends for "ü"; pasted binary) raises
`UnicodeDecodeError` in its input thread, the thread dies and the app panics with a traceback
(and exits 0). `install()` makes that decoder replace such bytes with U+FFFD instead, so the
key arrives as "�" and the app carries on. `tui/terminal.py` installs it before the app starts.
Reported upstream: docs/upstream-textual-utf8.md.

What this relies on, exactly (tests/test_e2e_pty.py checks both, and fails if an upgrade of
Textual changes them): `textual.drivers.linux_driver.LinuxDriver.run_input_thread` makes its
decoder with `getincrementaldecoder("utf-8")()`, looking the name `getincrementaldecoder` up
in its module's globals when the input thread starts. `install()` replaces that one module
global with a factory whose decoders default to `errors="replace"`; nothing else in that module
uses the name, and an explicit `errors=` (an upstream fix) is honoured. No subclass, no copy of
the driver's loop.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from types import ModuleType

_driver_module: ModuleType | None
try:
    from textual.drivers import linux_driver as _driver_module
except ImportError:  # no termios (Windows): Textual uses another driver there
    _driver_module = None


def _lenient_decoder_factory(encoding: str) -> Callable[..., codecs.IncrementalDecoder]:
    """`codecs.getincrementaldecoder`, whose decoders replace invalid input unless told otherwise."""
    decoder_class = codecs.getincrementaldecoder(encoding)

    def make(errors: str = "strict") -> codecs.IncrementalDecoder:
        return decoder_class("replace" if errors == "strict" else errors)

    return make


def install() -> None:
    """Make the Linux driver's input decoding lenient (idempotent; before the app starts)."""
    if _driver_module is not None:
        # the one private detail relied on (see the module docstring): the name is not exported
        _driver_module.getincrementaldecoder = _lenient_decoder_factory  # type: ignore[attr-defined]
