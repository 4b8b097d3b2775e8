"""A burst of keys into the search box sends one repaint of the results (issue 17).

The installed `folio` in a pty at 120x40, over SSH as it were (no cursor blink). The test answers
Textual's query for synchronized output, as most terminals do, so that each frame the app writes
comes between `ESC[?2026h` and `ESC[?2026l`: the frames are counted, not guessed from timings.
A repaint of the results is a frame that writes rows of the list below the status line (which
lies over its top rows and may change alone, by a few bytes).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.hostile import Pty
from tests.test_wire import SSH, open_reader, quiet_count

pytestmark = pytest.mark.e2e

SYNC_START = b"\x1b[?2026h"
#: what a terminal that has synchronized output answers to Textual's DECRQM query
SYNC_SUPPORTED = "\x1b[?2026;2$y"
#: bytes `tariff` typed at once after ctrl+u may write: 23,074-25,167 before the list was drawn
#: only where it changed; 10,162-17,857 when an early answer (to `t`) was drawn, or the list and
#: its scrollbar a second time by a layout between the answer and its repaint; 9,750 since
BURST_BUDGET = 12_000
#: the rows (1-based) and columns of the results list under the status line (3 rows at most)
LIST_ROWS, LIST_COLUMNS = range(7, 39), range(1, 41)


def list_repaints(data: bytes) -> int:
    """The frames in `data` that write any cell of the results list below the status line."""
    frames = data.split(SYNC_START)[1:]
    moves = (re.finditer(rb"\x1b\[(\d+);(\d+)H", frame) for frame in frames)
    return sum(any(int(m[1]) in LIST_ROWS and int(m[2]) in LIST_COLUMNS for m in frame_moves) for frame_moves in moves)


def burst(term: Pty, keys: str, shown: str) -> bytes:
    """`keys` written at once; the bytes until `shown` is on screen and all is quiet."""
    start = len(term.raw)
    term.send(keys, settle=0)
    term.wait_for(shown)
    quiet_count(term, quiet=1)
    return bytes(term.raw[start:])


@pytest.mark.wire_budget
@pytest.mark.timeout(240)
def test_a_burst_into_the_search_box_sends_one_repaint_of_the_results(tmp_path: Path) -> None:
    term = open_reader(tmp_path, SSH)
    try:
        term.send(SYNC_SUPPORTED, settle=0)
        term.send("/", settle=0)
        term.wait_until(lambda: term.input_focused(1), "the search box focused")
        quiet_count(term, quiet=1)
        assert SYNC_START in term.raw, "the app never took up synchronized output"
        fresh = burst(term, "tariff", "5 documents")
        assert list_repaints(fresh) == 1
        term.send("\x15", settle=0)  # ctrl+u: the box emptied, the list cleared
        term.wait_gone("5 documents")
        quiet_count(term, quiet=1)
        # the first key searches at once; its answer (`t`: none) comes while the rest is typed
        again = burst(term, "tariff", "5 documents")
        assert (list_repaints(again), len(again) <= BURST_BUDGET) == (1, True), len(again)
        # into a box holding a query: the first key's answer (`tariffx`: no matches) would clear
        # the list before the newest query's results were drawn
        start = len(term.raw)
        term.send("x OR carney", settle=0)
        term.wait_until(
            lambda: "carney" in term.screen.display[1] and "documents ·" in term.screen.display[3], "carney's results"
        )
        quiet_count(term, quiet=1)
        assert list_repaints(bytes(term.raw[start:])) == 1
    finally:
        term.close()
