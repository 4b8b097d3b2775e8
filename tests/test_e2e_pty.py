"""The installed `folio` command in a real pseudo-terminal, read through a terminal emulator."""

from __future__ import annotations

from pathlib import Path

import pexpect
import pytest

from folio_reader.index.corpus import open_corpus
from folio_reader.tui import input_guard
from tests.helpers import COLS, ROWS, SEED_NAMES, Terminal
from tests.hostile import Pty

pytestmark = pytest.mark.e2e


def test_search_open_a_hit_and_quit_restores_the_terminal() -> None:
    term = Terminal()
    try:
        term.wait_for("In White House meeting")  # the seed titles are listed
        term.send("/", settle=0.5)
        term.send('"golden dome"')
        term.wait_for("2 documents")
        term.send("\r")
        term.wait_for("hit 1/1")
        assert "Golden Dome" in term.text()
        term.send("q")
        term.wait_exit(20)  # (read to the end into `raw`: pexpect's own expect keeps what it reads)
    finally:
        term.child.close(force=True)
    assert term.child.exitstatus == 0
    raw = bytes(term.raw)
    entered = raw.rfind(b"\x1b[?1049h")
    assert entered != -1, "the app used the alternate screen"
    after = raw[entered:]
    assert b"\x1b[?1049l" in after and b"\x1b[?25h" in after  # screen and cursor given back
    assert b"Traceback" not in raw


def test_annotate_a_found_phrase_quit_restart_and_find_it_again(tmp_path: Path) -> None:
    notes = tmp_path / "notes.json"
    term = Terminal("--annotations", str(notes))
    try:
        term.wait_for("In White House meeting")
        term.send("/", settle=0.5)
        term.send('"golden dome"')
        term.wait_for("2 documents")
        term.send("\r")
        term.wait_for("hit 1/1")
        term.send("a", settle=0.8)
        term.wait_for("Note (Markdown")
        term.send("walrus shield", settle=0.3)
        term.send("\x13")  # ctrl+s
        term.wait_for("✎ walrus shield")  # the note panel: the caret is on the new annotation
        term.send("q")
        term.child.expect(pexpect.EOF, timeout=20)
    finally:
        term.child.close(force=True)
    import json

    saved = [a for a in json.loads(notes.read_text())["annotations"] if not a.get("folio:deleted")]
    assert [a["target"]["selector"][0]["exact"].lower() for a in saved] == ["golden dome"]

    again = Terminal("--annotations", str(notes))
    try:
        again.wait_for("Canada-US talks resume")  # reopened on the last document, where it was
        again.wait_for("✎ Arctic; and pay")  # the note's mark in the margin, on its line
        again.send("/", settle=0.5)
        again.send("walrus")
        again.wait_for("1 annotation")
        again.send("\r")
        again.wait_for("✎ walrus shield")
        again.send("q")
        again.child.expect(pexpect.EOF, timeout=20)
    finally:
        again.child.close(force=True)
    assert again.child.exitstatus == 0


def test_bytes_that_are_not_utf8_arrive_as_replacement_characters() -> None:
    """Issue 13 item 9: 0xFC (what a Latin-1 terminal sends for "ü") in the search box, and a
    paste of binary, killed Textual's input thread: a traceback, and exit status 0."""
    term = Terminal()
    try:
        term.wait_for("In White House meeting")
        term.send("/", settle=0.5)
        term.send(b"f\xfcr", settle=0.5)
        term.wait_for("f\ufffdr")  # in the search box
        term.send(b"\x1b[200~" + bytes(range(0x80, 0x100)) + b" \xc3( \xed\xa0\x80\x1b[201~", settle=0.5)
        term.send("\x15", settle=0.3)  # ctrl+u, then a query that finds something: input still works
        term.send("carney", settle=0.3)
        term.wait_for("documents")
        assert term.child.isalive()
        term.send("\x1b", settle=0.3)
        term.send("q")
        status = term.wait_exit()
    finally:
        term.close()
    raw = bytes(term.raw)
    assert status == 0 and b"Traceback" not in raw and b"UnicodeDecodeError" not in raw


def test_the_input_guard_still_reaches_textuals_decoder() -> None:
    """What tui/input_guard.py relies on in Textual: if an upgrade changes it, this fails (and
    then the guard may be dropped, if Textual decodes leniently itself)."""
    from textual.drivers import linux_driver

    assert "getincrementaldecoder" in linux_driver.LinuxDriver.run_input_thread.__code__.co_names
    input_guard.install()
    decode = linux_driver.getincrementaldecoder("utf-8")().decode
    assert decode(b"f\xfcr") + decode(b"\xc3", final=False) + decode(b"\xbc") == "f\ufffdr\u00fc"
    assert linux_driver.getincrementaldecoder("utf-8")(errors="ignore").decode(b"a\xfcb") == "ab"


def test_a_note_typed_in_one_burst_reaches_the_editor(tmp_path: Path) -> None:
    """Regression (issue 13, item 16): `a`, a note and `ctrl+s` in one write (a laggy SSH link
    delivers typing so) put the letters into the reader and saved an empty note."""
    import json

    notes = tmp_path / "notes.json"
    term = Terminal("--annotations", str(notes))
    try:
        term.wait_for("In White House meeting")
        term.send("\r", settle=0.5)
        term.wait_until(lambda: "%" in term.screen.display[-2], "a document open")
        term.send("afolio-burst-note\x13", settle=0.5)
        term.wait_for("✎ folio-burst-note")  # saved, and the caret is on it
        term.send("q")
        term.child.expect(pexpect.EOF, timeout=20)
    finally:
        term.child.close(force=True)
    saved = [a for a in json.loads(notes.read_text())["annotations"] if not a.get("folio:deleted")]
    assert [a["body"][0]["value"] for a in saved] == ["folio-burst-note"]


@pytest.mark.parametrize(
    "env", [{"PYTHONIOENCODING": "ascii"}, {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}], ids=["ascii", "c-locale"]
)
def test_the_app_draws_in_utf8_whatever_the_locale(env: dict[str, str]) -> None:
    """Issue 13 item 10, in the app: Python's ASCII output turned every box character into
    `\\u2588` and broke the layout. Typed UTF-8 reaches the search box whole."""
    term = Pty.folio(rows=ROWS, cols=COLS, env=env)
    try:
        term.wait_for("5 documents · by path")
        assert "\\u" not in term.text()
        term.send("/", settle=0.5)
        term.send("führer")
        term.wait_for("2 documents")
        term.send("\x1b", settle=0.3)
        term.send("q")
        assert term.wait_exit() == 0
    finally:
        term.close()
    assert b"Traceback" not in bytes(term.raw)


def test_y_copies_through_osc_52_and_inside_tmux_through_its_passthrough(tmp_path: Path) -> None:
    """The clipboard write reaches the terminal: OSC 52 (Textual's), and inside tmux also wrapped
    in tmux's DCS passthrough (Folio's one use of Textual's private driver: tui/clipboard.py)."""
    import base64

    term = Pty.folio(rows=24, cols=80, env={"TMUX": "/tmp/tmux-0/default,1,0"})
    try:
        term.wait_for("In White House meeting")
        term.send("\r", settle=0.5)
        term.wait_until(lambda: "%" in term.screen.display[-2], "a document open")
        term.send("g", settle=0.3)
        term.send("vw", settle=0.3)
        term.send("y", settle=0.5)
        term.wait_for("Copied")
        term.send("q")
        term.wait_exit(20)  # (read to the end into `raw`: pexpect's own expect keeps what it reads)
    finally:
        term.child.close(force=True)
    raw = bytes(term.raw)
    start = raw.index(b"\x1b]52;c;") + len(b"\x1b]52;c;")
    payload = raw[start : raw.index(b"\x07", start)]
    copied = base64.b64decode(payload).decode()
    assert copied.strip() and copied in open_corpus(None).load(SEED_NAMES[0]).text
    wrapped = b"\x1bPtmux;\x1b\x1b]52;c;" + payload + b"\x07\x1b\\"
    assert wrapped in raw


def test_folio_compare_in_a_terminal_survives_bytes_that_are_not_utf8() -> None:
    term = Pty.folio("compare", "000_4516db8e315558cc.txt", "001_b23a58cccaa29fe1.txt", rows=24, cols=80)
    try:
        term.wait_for(" pairs · ", timeout=60)  # the comparison is drawn (its status line)
        term.send(b"\xfc", settle=0)
        term.send("x", settle=0)  # a key after it: with a dead input thread the app panics
        term.pump(5)
        alive = term.child.isalive()
    finally:
        term.close()
    assert alive and b"UnicodeDecodeError" not in bytes(term.raw)


def test_a_day_at_80x24_open_a_file_filter_search_down_and_a_keymap(tmp_path: Path) -> None:
    """Issue 14: `folio FILE` opens the file; the list filtered and a match opened with one
    enter; escape back to the reader; `down` from the search box into the results; a user
    keymap moves `/` to ctrl+f; the footer keeps `? Help` and `q Quit` at 80 columns."""
    import json

    from folio_reader.index import locations
    from folio_reader.index.corpus import seeds_path

    settings = locations.settings_path()
    settings.parent.mkdir(parents=True, exist_ok=True)
    settings.write_text(json.dumps({"keymap": {"main.search": "ctrl+f"}}))
    one = Terminal(str(seeds_path() / SEED_NAMES[3]))  # folio FILE
    try:
        one.wait_until(lambda: "%" in one.screen.display[-2], "the file open")
        assert "Carney meets Trump" in one.text()
        assert "? Help" in one.screen.display[-1] and "q Quit" in one.screen.display[-1]
        one.send("q")
        assert one.wait_exit() == 0
    finally:
        one.close()
    term = Terminal()
    try:
        term.wait_for("CBC News")  # the list with its titles (the index open), over the reader
        term.send("f", settle=0.3)
        term.send("resume\r", settle=0.5)  # one enter in the filter opens the match
        term.wait_until(lambda: "Canada-US talks resume" in term.screen.display[-2], "the match open")
        term.send("\x1b", settle=0.5)
        term.wait_until(lambda: "v Select" in term.screen.display[-1], "back in the reader")
        term.send("\x06", settle=0.5)  # ctrl+f: the search, by the keymap
        term.send("carney", settle=0.5)
        term.wait_for("5 documents ·")
        term.send("\x1b[B", settle=0.3)  # down, from the box
        term.send("\r", settle=0.5)
        term.wait_for("hit 1/")
        status = term.screen.display[-2]
        term.send("q")
        assert term.wait_exit() == 0
    finally:
        term.close()
    from folio_reader.index.search import FolioIndex

    with FolioIndex(open_corpus(None)) as index:  # (the one folio built, in the test's cache dir)
        second = index.search("carney", limit=50).hits[1].title
    assert second[:40] in status  # the second result opened
