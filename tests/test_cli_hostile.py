"""Every command of the installed `folio` over a corpus of hostile file names.

Names (and catalog titles, notes, tags, queries, arguments) carry ESC, OSC, CSI, C1 controls and
newlines. Whatever a command prints, piped or to a terminal, no control character from them may
reach the output raw, each name a command mentions is shown whole on one line in its visible
form (`inert_label`), and JSON output parses back to the exact names.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from folio_reader.index.inert import inert_label
from tests.hostile import (
    FOLIO,
    HOSTILE_CATALOGUED,
    HOSTILE_GONE,
    HOSTILE_NAMES,
    HOSTILE_SKIPPED,
    HostileCorpus,
    Pty,
    build_hostile_names,
    leaked_controls,
    write_hostile_annotations,
)

#: what a terminal acts on, in output that is not meant for a terminal's styling: C0 but tab and
#: newline, DEL, and C1 controls encoded as UTF-8
RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")


@dataclass
class Setup:
    hc: HostileCorpus
    index_dir: Path
    notes: Path

    def corpus_args(self) -> list[str]:
        return ["--corpus", str(self.hc.root)]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    root = tmp_path_factory.mktemp("names")
    hc = build_hostile_names(root / "corpus")
    s = Setup(hc, root / "index", root / "notes.json")
    write_hostile_annotations(hc, s.notes)
    return s


def folio(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(FOLIO), *args], capture_output=True, timeout=120)


def assert_inert(done: subprocess.CompletedProcess[bytes], shown: list[str] = ()) -> str:
    """No raw control character in stdout or stderr; each of `shown` on one line, visible."""
    for stream in (done.stdout, done.stderr):
        assert RAW_CONTROL.findall(stream) == [], stream.decode("utf-8", "replace")
        assert b"Traceback" not in stream
    out = (done.stdout + done.stderr).decode("utf-8")
    lines = out.split("\n")
    for name in shown:
        assert any(inert_label(name) in line for line in lines), (inert_label(name), out)
    return out


READABLE = [*HOSTILE_NAMES, HOSTILE_CATALOGUED]
CATALOG_SHOWN = ["Cata\x1b]0;owned-cat\x07logued\ntitle", "Out\x1b[2Jlet\x9b"]


def test_index_lists_every_hostile_skipped_name_inert(setup: Setup) -> None:
    done = folio("index", *setup.corpus_args(), "--index-dir", str(setup.index_dir), "--rebuild")
    assert done.returncode == 0
    assert_inert(done, list(HOSTILE_SKIPPED))


def test_search_shows_hostile_names_and_catalog_metadata_inert(setup: Setup) -> None:
    done = folio("search", "committee", *setup.corpus_args(), "--index-dir", str(setup.index_dir), "--limit", "100")
    assert done.returncode == 0
    assert_inert(done, READABLE + CATALOG_SHOWN)


def test_search_json_is_exact_and_inert(setup: Setup) -> None:
    done = folio("search", "committee", *setup.corpus_args(), "--index-dir", str(setup.index_dir), "--json")
    assert done.returncode == 0
    assert_inert(done)
    hits = json.loads(done.stdout)
    assert {h["path"] for h in hits} == set(READABLE)  # the names exactly, C1 controls and all


def test_list_shows_hostile_names_and_catalog_metadata_inert(setup: Setup) -> None:
    done = folio("list", *setup.corpus_args(), "--index-dir", str(setup.index_dir))
    assert done.returncode == 0
    assert_inert(done, READABLE + list(HOSTILE_SKIPPED) + CATALOG_SHOWN)
    as_json = folio("list", *setup.corpus_args(), "--index-dir", str(setup.index_dir), "--json")
    assert as_json.returncode == 0
    assert_inert(as_json)
    data = json.loads(as_json.stdout)
    assert {d["path"] for d in data["documents"]} == set(READABLE)  # exactly, C1 controls and all
    assert {s["path"] for s in data["skipped"]} == set(HOSTILE_SKIPPED)


def test_a_hostile_query_and_a_hostile_argument_are_echoed_inert(setup: Setup) -> None:
    query = "zzqx\x1b]0;owned-query\x07\x9b2J"
    nothing = folio("search", query, *setup.corpus_args(), "--index-dir", str(setup.index_dir))
    assert nothing.returncode == 1
    assert_inert(nothing, [query])
    stray = "\x1b]0;owned-arg\x07\n"
    unknown = folio("index", *setup.corpus_args(), "--bogus", stray)  # argparse quotes what was typed
    assert unknown.returncode == 2
    assert_inert(unknown, [stray])
    missing = folio("compare", "nope" + stray, "osc-title", *setup.corpus_args())
    assert missing.returncode == 2
    assert_inert(missing, ["nope" + stray])


@pytest.mark.parametrize(
    "action", [["list"], ["list", "--json"], ["export", "--format", "md"], ["export", "--format", "w3c"]]
)
def test_annotations_output_is_inert(setup: Setup, action: list[str]) -> None:
    done = folio("annotations", *action, *setup.corpus_args(), "--annotations", str(setup.notes))
    assert done.returncode == 0
    assert_inert(done)
    if "--json" in action or "w3c" in action:
        json.loads(done.stdout)


@pytest.mark.parametrize("action", [["list"], ["export", "--format", "md"]], ids=["list", "md"])
def test_annotations_show_each_name_and_title_on_one_line(setup: Setup, action: list[str]) -> None:
    done = folio("annotations", *action, *setup.corpus_args(), "--annotations", str(setup.notes))
    assert done.returncode == 0
    assert_inert(done, ["tab\tcr\rdel\x7fbell\x07.txt", HOSTILE_GONE, CATALOG_SHOWN[0]])


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_compare_shows_hostile_names_inert(setup: Setup, as_json: bool) -> None:
    a, b = "c1\x9b2J\x9d0;owned-c1\x9c.txt", "new\nline.txt"
    done = folio("compare", a, b, *setup.corpus_args(), *(["--json"] if as_json else []))
    assert done.returncode == 0
    if as_json:
        assert_inert(done)
        data = json.loads(done.stdout)
        assert (data["a"]["path"], data["b"]["path"]) == (a, b)
    else:
        assert_inert(done, [a, b])


@pytest.mark.e2e
def test_search_and_index_in_a_terminal_write_no_raw_name(setup: Setup) -> None:
    """In a terminal Rich styles the output: its own sequences pass, nothing of a name does."""
    names = [*READABLE, *HOSTILE_SKIPPED, *CATALOG_SHOWN]
    for argv in (
        ["index", *setup.corpus_args(), "--index-dir", str(setup.index_dir), "--rebuild"],
        ["search", "committee", *setup.corpus_args(), "--index-dir", str(setup.index_dir), "--limit", "100"],
    ):
        term = Pty.folio(*argv, rows=60, cols=200)
        try:
            assert term.wait_exit() == 0
        finally:
            term.close()
        raw = bytes(term.raw)
        assert leaked_controls(raw, names) == [], raw
        shown = READABLE if argv[0] == "search" else list(HOSTILE_SKIPPED)
        assert all(inert_label(n) in term.text() for n in shown), term.text()
