"""The terminal-safety boundary (`index/inert.py`) and the command line's console built on it."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st
from rich.table import Table
from rich.text import Text

from folio_reader.index.corpus import canonical_text
from folio_reader.index.inert import inert_inline, inert_json, inert_label, inert_lines, inert_text
from folio_reader.tui.commands import common

#: any text, with the characters that matter here (controls, C1, lone surrogates) made common
HOSTILE_TEXT = st.text(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\x1b", "\x07", "\n", "\r", "\t", "\x7f", "\x9b", "\x9d", "\ud800", "\udcff", "]", "["]),
    ),
    max_size=60,
)
UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


@given(HOSTILE_TEXT)
def test_every_function_leaves_nothing_a_terminal_acts_on_and_keeps_offsets(text: str) -> None:
    for inert, kept in ((inert_label, ""), (inert_lines, "\n"), (inert_inline, "")):
        shown = inert(text)
        assert len(shown) == len(text)  # one code point for one: offsets into it still hold
        assert not UNSAFE.search(shown.replace(kept, "") if kept else shown), repr(shown)
    assert not UNSAFE.search(re.sub("[\t\n]", "", inert_text(text)))


@given(HOSTILE_TEXT)
def test_inert_text_is_the_canonical_text_rule(text: str) -> None:
    """Document text and other text of several lines follow one rule (lone surrogates aside)."""
    assert inert_text(text) == re.sub("[\ud800-\udfff]", "\ufffd", canonical_text(text))


def test_what_each_form_shows() -> None:
    name = "esc\x1b]0;owned\x07\nline\ttab\r\x9b\udcff.txt"
    assert inert_label(name) == "esc␛]0;owned␇␊line␉tab␍\ufffd\ufffd.txt"
    assert inert_lines("a\x1b\nb") == "a␛\nb"
    assert inert_inline("note\nsecond\tline\r") == "note second line "
    assert inert_text("a\r\nb\x1bc\x00") == "a\nb␛c␀"
    assert inert_label("plain, wide 宽, emoji 😀") == "plain, wide 宽, emoji 😀"


@given(
    st.recursive(
        HOSTILE_TEXT | st.integers() | st.none(), lambda kids: st.lists(kids) | st.dictionaries(HOSTILE_TEXT, kids)
    )
)
def test_inert_json_is_exact_and_inert(value: object) -> None:
    text = inert_json(value)
    assert not UNSAFE.search(text.replace("\n", ""))
    assert json.loads(text) == value


def test_json_dumps_alone_leaves_c1_raw() -> None:
    """Why `inert_json` exists: ensure_ascii=False escapes ESC but not the 8-bit CSI."""
    assert json.dumps("\x1b\x9b", ensure_ascii=False) == '"\\u001b\x9b"'
    assert inert_json("\x1b\x9b\ud800") == '"\\u001b\\u009b\\ud800"'


def test_the_module_imports_neither_textual_nor_rich() -> None:
    code = "import sys, folio_reader.index.inert; print(sorted({'textual', 'rich'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_console_draws_every_renderable_inert_and_keeps_its_own_styles(monkeypatch) -> None:
    """Whatever a command hands the console (a Text, a table cell, a plain string), a control
    character in it reaches the terminal visible, while Rich's styling still does."""
    stream = _Terminal()
    monkeypatch.setattr(sys, "stdout", stream)
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = common.console()
    table = Table("name", "reason")
    table.add_row(Text("cell\x1b]0;owned-cell\x07"), "why\x1b[2J")
    out.print(Text("bold\x1b]52;c;eA==\x07", style="bold"))
    out.print(table)
    out.print("plain\x9b2J", markup=False)
    written = stream.getvalue()
    assert "\x1b[1m" in written  # Rich's bold
    assert not re.search("\x1b[^\\[]|\x1b\\[2J|[\x07\x9b]", written), repr(written)
    for shown in ("bold␛]52;c;eA==", "cell␛]0;owned-cell", "why␛[2J", "plain\ufffd2J"):  # (Rich drops BEL)
        assert shown in written
