"""The corpus loader: canonical text, metadata, paragraphs and every unreadable-file class."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from folio_reader.index import corpus as corpus_mod
from folio_reader.index import walk as walk_mod
from folio_reader.index.corpus import (
    UnreadableError,
    canonical_text,
    decode,
    find_date,
    find_title,
    open_corpus,
    paragraphs,
)
from tests.conftest import SEED_NAMES

SEED_META = {
    "000_4516db8e315558cc.txt": (
        "In White House meeting, Canada's Carney lauds America's would-be führer",
        "World Socialist Web Site",
        "Our reporter",
        dt.date(2025, 10, 10),
    ),
    "001_b23a58cccaa29fe1.txt": (
        "White House meeting between Trump and Carney underscores historic breakdown",
        "World Socialist Web Site",
        "Roger Jordan",
        dt.date(2025, 5, 7),
    ),
    "002_7e2b7b2634023611.txt": ("Canada-US talks resume", "World Socialist Web Site", None, dt.date(2025, 7, 2)),
    "003_8d5592569a17af2b.txt": ("Carney meets Trump at the White House", "CBC News", None, dt.date(2025, 5, 5)),
    "004_a5ef03112a72fcee.txt": (
        "Carney prepares for pivotal second White House meeting",
        None,
        None,
        dt.date(2025, 10, 5),
    ),
}


def test_seeds_are_found_in_order_with_their_catalog_metadata() -> None:
    corpus = open_corpus()
    scan = corpus.scan()
    assert [e.rel for e in scan.entries] == SEED_NAMES
    assert scan.problems == []
    for entry in scan.entries:
        meta = corpus.load(entry).meta
        title, outlet, author, date = SEED_META[entry.rel]
        assert meta.title.startswith(title)
        assert (meta.outlet, meta.author, meta.date, meta.date_source) == (outlet, author, date, "catalog")
        assert meta.words > 1000 and meta.encoding == "utf-8"


def test_seed_metadata_read_off_the_text_without_a_catalog(seed_copy: Path) -> None:
    (seed_copy / "catalog.toml").unlink()
    corpus = open_corpus(seed_copy)
    m0 = corpus.load("000_4516db8e315558cc.txt").meta
    assert (m0.title_source, m0.author, m0.date, m0.date_source) == (
        "first line",
        "Our reporter",
        dt.date(2025, 10, 10),
        "text",
    )
    m1 = corpus.load("001_b23a58cccaa29fe1.txt").meta
    assert m1.title.startswith("White House meeting between Trump") and m1.title_source == "heading"
    assert (m1.author, m1.date) == ("Roger Jordan", dt.date(2025, 5, 7))
    m3 = corpus.load("003_8d5592569a17af2b.txt").meta
    assert m3.title == "Prime Minister Mark Carney will meet his U.S. counterpart Tuesday…"
    assert (m3.date, m3.date_source) == (None, "none")
    # the date 004 mentions in its body is not taken for its publication date
    assert corpus.load("004_a5ef03112a72fcee.txt").meta.date is None


def test_one_line_per_paragraph_and_blank_line_paragraphs() -> None:
    corpus = open_corpus()
    doc3 = corpus.load("003_8d5592569a17af2b.txt")
    assert len(doc3.paragraphs) == doc3.text.strip().count("\n") + 1  # one line, one paragraph
    doc1 = corpus.load("001_b23a58cccaa29fe1.txt")
    first = [doc1.text[s:e] for s, e in doc1.paragraphs[:3]]
    assert first[0].startswith("# White House meeting")
    assert first[2].startswith("Tuesday's White House meeting")
    wrapped = "A hard-wrapped paragraph\nthat goes on here.\n\nSecond one\nalso wrapped.\n- item one\n- item two\n"
    spans = paragraphs(wrapped)
    assert [wrapped[s:e] for s, e in spans] == [
        "A hard-wrapped paragraph\nthat goes on here.",
        "Second one\nalso wrapped.",
        "- item one",
        "- item two",
    ]


def test_canonical_text_keeps_offsets_and_makes_controls_inert() -> None:
    raw = "a\r\nb\rc\x1b[2J\x1b]0;title\x07\x00\x7f\x85\td\n"
    text = canonical_text(raw)
    assert text == "a\nb\nc\u241b[2J\u241b]0;title\u2407\u2400\u2421\ufffd\td\n"
    assert not any(ord(ch) < 32 and ch not in "\t\n" for ch in text)


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        ("caf\u00e9".encode(), "caf\u00e9", "utf-8"),
        (b"\xef\xbb\xbfhi\r\nthere", "hi\r\nthere", "utf-8-sig"),
        ("caf\u00e9 na\u00efve".encode("latin-1"), "caf\u00e9 na\u00efve", "windows-1252"),
        ("ok".encode("utf-16"), "ok", "utf-16"),
        (b"x" * 300 + b"\xff" + b"y" * 300, "x" * 300 + "\ufffd" + "y" * 300, "utf-8 (1 invalid byte replaced)"),
    ],
)
def test_decoding_with_fallbacks(data: bytes, text: str, encoding: str) -> None:
    assert decode(data) == (text, encoding)


def test_dates_and_titles_in_common_formats() -> None:
    assert find_date("Posted May 7, 2025 by x") == dt.date(2025, 5, 7)
    assert find_date("10 October 2025") == dt.date(2025, 10, 10)
    assert find_date("on 2025-05-07.") == dt.date(2025, 5, 7)
    assert find_date("Sept. 3 2024 and 2025-01-01") == dt.date(2024, 9, 3)
    assert find_date("no date here, 31 February 2025") is None
    assert find_title("Title\n=====\n\nbody") == ("Title", "heading")
    assert find_title("## **Bold** heading\ntext") == ("Bold heading", "heading")


def _make_hostile(root: Path) -> None:
    (root / "ok.md").write_text("# Fine\n\nA readable document.\n")
    (root / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (root / "garbage.txt").write_bytes(bytes(range(1, 32)) * 50)
    (root / "empty.txt").write_bytes(b"")
    (root / "blank.md").write_text("\n   \n\t\n")
    (root / "folder.txt").mkdir()
    (root / "folder.txt" / "inner.txt").write_text("inside a folder named like a file\n")
    (root / "broken.txt").symlink_to(root / "missing.txt")
    (root / "loop1.txt").symlink_to(root / "loop2.txt")
    (root / "loop2.txt").symlink_to(root / "loop1.txt")
    (root / "outside.txt").symlink_to("/etc/passwd")
    (root / "inside-link.txt").symlink_to(root / "ok.md")
    (root / "dirloop").mkdir()
    (root / "dirloop" / "up").symlink_to(root)
    (root / ".hidden").mkdir()
    (root / ".hidden" / "secret.txt").write_text("not scanned\n")
    (root / "image.png").write_bytes(b"\x89PNG")


def test_every_unreadable_class_is_reported_not_fatal(tmp_path: Path) -> None:
    _make_hostile(tmp_path)
    corpus = open_corpus(tmp_path)
    scan = corpus.scan()
    readable, unreadable = {}, {p.rel: p.reason for p in scan.problems}
    for entry in scan.entries:
        try:
            readable[entry.rel] = corpus.load(entry)
        except UnreadableError as exc:
            unreadable[entry.rel] = str(exc)
    assert set(readable) == {"ok.md", "inside-link.txt", "folder.txt/inner.txt"}
    assert unreadable["binary.txt"] == "binary file, not text"
    assert unreadable["garbage.txt"] == "binary file, not text"
    assert unreadable["empty.txt"] == "empty file"
    assert unreadable["blank.md"].startswith("no text")
    assert unreadable["folder.txt"].startswith("is a folder")
    assert unreadable["broken.txt"].startswith("broken symlink")
    assert unreadable["loop1.txt"].startswith("symlink loop")
    assert unreadable["outside.txt"] == "symlink leads outside the corpus: not followed"
    assert unreadable["dirloop/up"].startswith("symlink loop")
    assert not any(".hidden" in rel for rel in [*readable, *unreadable])


def test_too_large_files_are_refused_with_a_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus_mod, "MAX_FILE_BYTES", 1024)
    (tmp_path / "big.txt").write_text("word " * 1000)
    problems = open_corpus(tmp_path).scan().problems
    assert [p.rel for p in problems] == ["big.txt"] and problems[0].reason.startswith("too large")


def test_a_file_grown_past_the_limit_since_the_scan_is_refused_on_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # read_bytes reads as much as the open file's size says, then on to the limit: a file that
    # grew after it was opened is read whole up to the limit, never cut at the size it had
    monkeypatch.setattr(corpus_mod, "MAX_FILE_BYTES", 1024)
    (tmp_path / "grows.txt").write_text("word " * 10)
    corpus = open_corpus(tmp_path)
    entry = corpus.scan().entries[0]
    assert corpus.read_bytes(entry) == b"word " * 10
    (tmp_path / "grows.txt").write_text("word " * 1000)
    with pytest.raises(UnreadableError, match="too large"):
        corpus.read_bytes(entry)
    real_fstat = os.fstat
    grown: list[int] = []

    def fstat_before_growing(fd: int) -> os.stat_result:
        st = real_fstat(fd)
        if not grown:  # the file grows between the fstat and the read
            grown.append(st.st_size)
            (tmp_path / "grows.txt").write_text("more " * 100)
        return os.stat_result((st.st_mode, *st[1:6], 10, *st[7:]))

    (tmp_path / "grows.txt").write_text("word " * 2)
    monkeypatch.setattr(corpus_mod.os, "fstat", fstat_before_growing)
    assert corpus.read_bytes(entry) == b"more " * 100


def test_permission_denied_is_reported(tmp_path: Path) -> None:
    root = tmp_path
    (root / "open.txt").write_text("readable\n")
    (root / "closed.txt").write_text("secret\n")
    os.chmod(root / "open.txt", 0o644)
    os.chmod(root / "closed.txt", 0o000)
    (root / "locked").mkdir(mode=0o000)
    script = (
        "import sys; from index.corpus import open_corpus, UnreadableError\n"
        "c = open_corpus(sys.argv[1]); s = c.scan()\n"
        "out = {p.rel: p.reason for p in s.problems}\n"
        "for e in s.entries:\n"
        "    try: c.load(e)\n"
        "    except UnreadableError as x: out[e.rel] = str(x)\n"
        "print(out)\n"
    )
    # root reads anything: take away its power to bypass file permissions for the child
    prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    repo = Path(__file__).resolve().parent.parent
    out = subprocess.run(
        [*prefix, sys.executable, "-c", script, str(root)],
        capture_output=True,
        text=True,
        cwd=str(repo),
        env={**os.environ, "PYTHONPATH": str(repo)},
        check=True,
    ).stdout
    assert "'closed.txt': 'permission denied'" in out
    assert "'locked': 'folder cannot be read: permission denied'" in out
    assert "open.txt" not in out


def test_single_file_corpus(tmp_path: Path) -> None:
    (tmp_path / "one.md").write_text("# One\n\ntext\n")
    (tmp_path / "two.md").write_text("# Two\n")
    corpus = open_corpus(tmp_path / "one.md")
    assert [e.rel for e in corpus.scan().entries] == ["one.md"]
    with pytest.raises(UnreadableError):
        open_corpus(tmp_path / "nope")


def test_bad_catalog_is_a_problem_not_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Hello\n")
    (tmp_path / "catalog.toml").write_text("[broken\n")
    scan = open_corpus(tmp_path).scan()
    assert [e.rel for e in scan.entries] == ["a.txt"]
    assert scan.problems[0].rel == "catalog.toml" and "catalog ignored" in scan.problems[0].reason


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_give_inert_text_or_a_reason(data: bytes) -> None:
    text, _ = decode(data)
    canon = canonical_text(text)
    assert not any((ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) < 0xA0 for c in canon)
    # one code point for one: only newline normalisation changes the length
    assert len(canon) == len(text.replace("\r\n", "\n"))
    for start, end in paragraphs(canon):
        assert 0 <= start < end <= len(canon) and canon[start:end].strip()


@pytest.mark.timeout(20)
def test_title_detection_is_linear_on_long_lines() -> None:
    """A 400,000-character line: the old setext pattern backtracked quadratically (hours)."""
    line = "word " * 80_000
    assert find_title(line + "\nnext line\n")[1] == "first sentence"


# -- the walk (issue 13, items 11 and 12) -------------------------------------------------------


def test_a_thousand_nested_folders_are_walked_without_recursion(tmp_path: Path) -> None:
    """The recursive walk raised RecursionError here and the corpus showed nothing."""
    folder = tmp_path
    for _ in range(1000):
        folder = folder / "d"
        os.mkdir(folder)  # Path.mkdir(parents=True) recurses too: make them one at a time
    (folder / "deep.txt").write_text("At the bottom.\n")
    (tmp_path / "top.txt").write_text("At the top.\n")
    try:
        scan = open_corpus(tmp_path).scan()
        assert [e.rel for e in scan.entries] == ["d/" * 1000 + "deep.txt", "top.txt"]
        assert scan.problems == []
    finally:  # shutil.rmtree (pytest's clean-up) recurses too: take it down from the bottom
        (folder / "deep.txt").unlink()
        while folder != tmp_path:
            os.rmdir(folder)
            folder = folder.parent


def test_symlinked_folders_are_visited_once_each(tmp_path: Path) -> None:
    """d0..dN, each with one file and two links to the next: 2**(N+1) - 1 paths to d16's file
    before (262,125 documents from 17 files); now each real folder once, the links skipped."""
    n = 16
    for i in range(n + 1):
        (tmp_path / f"d{i}").mkdir()
        (tmp_path / f"d{i}" / f"f{i}.txt").write_text(f"File {i}.\n")
    for i in range(n):
        for link in ("a", "b"):
            os.symlink(f"../d{i + 1}", tmp_path / f"d{i}" / link)
    scan = open_corpus(tmp_path).scan()
    assert sorted(e.rel for e in scan.entries) == sorted(f"d{i}/f{i}.txt" for i in range(n + 1))
    reasons = {p.rel: p.reason for p in scan.problems}
    assert set(reasons) == {f"d{i}/{link}" for i in range(n) for link in ("a", "b")}
    assert reasons["d0/a"] == "same folder as d1: not scanned twice"


def test_a_linked_folder_outside_the_real_tree_is_scanned_under_one_path(tmp_path: Path) -> None:
    (tmp_path / ".store").mkdir()  # hidden, so reached only through the links
    (tmp_path / ".store" / "kept.md").write_text("# Kept\n")
    os.symlink(".store", tmp_path / "one")
    os.symlink(".store", tmp_path / "two")
    scan = open_corpus(tmp_path).scan()
    assert len(scan.entries) == 1 and scan.entries[0].rel in ("one/kept.md", "two/kept.md")
    other = "two" if scan.entries[0].rel.startswith("one") else "one"
    assert [(p.rel, p.reason) for p in scan.problems] == [
        (other, f"same folder as {scan.entries[0].rel.split('/')[0]}: not scanned twice")
    ]


def test_a_real_folder_wins_over_a_link_to_it(tmp_path: Path) -> None:
    (tmp_path / "z-real").mkdir()
    (tmp_path / "z-real" / "doc.txt").write_text("Text.\n")
    os.symlink("z-real", tmp_path / "a-link")  # sorts first, yet the real path is kept
    scan = open_corpus(tmp_path).scan()
    assert [e.rel for e in scan.entries] == ["z-real/doc.txt"]
    assert [(p.rel, p.reason) for p in scan.problems] == [("a-link", "same folder as z-real: not scanned twice")]


def test_the_walk_is_bounded_with_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(walk_mod, "MAX_WALK_FOLDERS", 5)
    for i in range(10):
        (tmp_path / f"f{i}").mkdir()
        (tmp_path / f"f{i}" / "x.txt").write_text("x\n")
    scan = open_corpus(tmp_path).scan()
    assert len(scan.entries) == 4  # the root and four folders
    assert [p.rel for p in scan.problems] == ["."]
    assert scan.problems[0].reason.startswith("scan stopped after 5 folders")


@pytest.mark.timeout(120)
@pytest.mark.skipif(not Path("/sys/devices").is_dir(), reason="no sysfs here")
def test_sys_is_walked_to_the_end() -> None:
    """/sys links its folders to each other everywhere: the walk never finished before."""
    scan = open_corpus("/sys").scan()
    assert not any(p.reason.startswith("scan stopped") for p in scan.problems)
    assert any(p.reason.startswith(("same folder as", "symlink loop")) for p in scan.problems)


def test_entry_by_name_relative_to_the_corpus_or_to_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text("in the corpus\n")
    (root / "empty.txt").write_text("")
    corpus = open_corpus(root)
    entry = corpus.entry("sub/a.txt")
    assert (entry.rel, entry.location, entry.size) == ("sub/a.txt", str(root / "sub" / "a.txt"), 14)
    assert corpus.entry("./sub//a.txt").rel == "sub/a.txt"
    with pytest.raises(UnreadableError, match="empty file"):
        corpus.entry("empty.txt")
    with pytest.raises(UnreadableError, match="no such file"):
        corpus.entry("sub/gone.txt")
    monkeypatch.chdir(root / "sub")  # a name that is not under the corpus but is here: this file
    assert corpus.entry("a.txt").rel == "sub/a.txt"
    (tmp_path / "outside.txt").write_text("not in the corpus\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UnreadableError, match="not in the corpus"):
        corpus.entry("outside.txt")
