"""`folio show`: a document as the reader lays it out, through the installed command."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.hostile import FOLIO, Pty

REST = """\
=========
The Title
=========

Some *emphasis* and ``code``.

::

    def f(x):
        return x  # a long comment that goes on well past a narrow measure

=====  =====
col1   col2
=====  =====
x      y
=====  =====
"""


def show(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(FOLIO), "show", *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_piped_it_prints_the_layout_as_plain_text(tmp_path: Path) -> None:
    (tmp_path / "page.rst").write_text(REST)
    done = show("page.rst", "--corpus", str(tmp_path), "--width", "40")
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout
    assert done.stdout.splitlines() == [
        "  The Title",
        "",
        "  Some emphasis and code.",
        "",
        "  def f(x):",
        "      return x  # a long comment that go",
        "↪ es on well past a narrow measure",
        "",
        "  col1 │ col2",
        "  ─────┼─────",
        "  x    │ y",
    ]


def test_raw_prints_the_canonical_text_and_a_path_outside_any_corpus(tmp_path: Path) -> None:
    page = tmp_path / "page.rst"
    page.write_text(REST)
    done = show(str(page), "--raw", "--width", "200")
    assert done.returncode == 0, done.stderr
    assert [line[2:] for line in done.stdout.splitlines()] == REST.rstrip("\n").split("\n")


def test_a_missing_document_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = show("nothere.md", "--corpus", str(tmp_path))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("folio: ") and len(done.stderr.splitlines()) == 1


def test_in_a_terminal_it_is_styled_at_the_terminal_width(tmp_path: Path) -> None:
    (tmp_path / "page.rst").write_text(REST)
    pty = Pty.folio("show", "page.rst", "--corpus", str(tmp_path), rows=30, cols=60)
    assert pty.wait_exit() == 0
    assert b"\x1b[" in pty.raw  # styled
    rows = pty.screen.display
    title = next(i for i, row in enumerate(rows) if "The Title" in row)
    assert pty.screen.buffer[title][2].bold and pty.screen.buffer[title][2].underscore
    assert any("return x  # a long comment that goes on well past a" in row for row in rows)  # 58 cells
