"""`folio list`, through the installed command: every document with its metadata, every file
skipped with its reason, on a corpus never indexed and from the index's listing once it is."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

from rich.cells import cell_len

from folio_reader.index.corpus import open_corpus
from folio_reader.index.inert import inert_label
from folio_reader.index.listing import LISTING, load_listing, save_listing
from tests.helpers import SEED_NAMES
from tests.hostile import FOLIO, HostileCorpus, Pty

KEYS = ["path", "title", "author", "outlet", "date", "words"]


def folio_list(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(FOLIO), "list", *args], capture_output=True, text=True, timeout=300)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def listed(*args: str) -> dict:
    done = folio_list(*args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_seeds_with_their_metadata_as_the_corpus_reads_it(tmp_path: Path) -> None:
    data = listed("--index-dir", str(tmp_path / "ix"))
    corpus = open_corpus()
    assert [d["path"] for d in data["documents"]] == SEED_NAMES and data["skipped"] == []
    for row in data["documents"]:
        assert list(row) == KEYS
        meta = corpus.load(row["path"]).meta
        assert (row["title"], row["author"], row["outlet"], row["words"]) == (
            meta.title,
            meta.author,
            meta.outlet,
            meta.words,
        )
        assert row["date"] == (meta.date.isoformat() if meta.date else None)
    assert data["documents"][0]["outlet"] == "World Socialist Web Site"  # from the catalog


def test_a_hostile_corpus_never_indexed_lists_every_document_and_every_reason(
    small_hostile_corpus: HostileCorpus, tmp_path: Path
) -> None:
    hc = small_hostile_corpus
    args = ["--corpus", str(hc.root), "--index-dir", str(tmp_path / "ix")]
    data = listed(*args)
    assert {d["path"] for d in data["documents"]} == set(hc.readable)
    reasons = {s["path"]: s["reason"] for s in data["skipped"]}
    assert set(reasons) == set(hc.unreadable)
    assert all(reasons[rel].startswith(why) for rel, why in hc.unreadable.items()), reasons
    assert not (tmp_path / "ix").exists()  # listing writes nothing
    text = folio_list(*args)
    assert text.returncode == 0
    lines = text.stdout.split("\n")
    for rel in [*hc.readable, *hc.unreadable]:  # each on one line, inert
        assert any(line.startswith(inert_label(rel)) for line in lines), rel
    assert lines[0].split() == ["PATH", "TITLE", "WORDS"]  # (no author, outlet or date in this corpus)
    assert f"{len(hc.readable)} documents, {len(hc.unreadable)} skipped" in text.stdout


def test_after_indexing_the_listing_is_used_and_says_the_same(seed_copy: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    args = ["--corpus", str(seed_copy), "--index-dir", str(index_dir)]
    (seed_copy / "bin.txt").write_bytes(b"\0" * 100 + b"\1" * 100)
    (seed_copy / "extra.md").write_text("# An extra document\n\nNot in the catalog.\n")
    before, before_text = listed(*args), folio_list(*args).stdout
    assert subprocess.run([str(FOLIO), "index", *args], capture_output=True, timeout=300).returncode == 0
    assert listed(*args) == before and folio_list(*args).stdout == before_text

    # the listing is what is read for an unchanged file (here edited behind the index's back) ...
    metas, problems = load_listing(index_dir)
    uncatalogued = next(m for m in metas if m.rel == "extra.md")
    uncatalogued.title = "Title from the listing"
    save_listing(index_dir, metas, problems)
    titles = {d["path"]: d["title"] for d in listed(*args)["documents"]}
    assert titles[uncatalogued.rel] == "Title from the listing"

    # ... and the file itself once it changed, or once its catalog entry did
    changed = seed_copy / uncatalogued.rel
    changed.write_text("# A changed title\n\nNew text.\n")
    catalog = seed_copy / "catalog.toml"
    catalog.write_text(catalog.read_text().replace("In White House meeting, Canada", "Retitled: Canada", 1))
    titles = {d["path"]: d["title"] for d in listed(*args)["documents"]}
    assert titles[uncatalogued.rel] == "A changed title"
    assert titles[SEED_NAMES[0]].startswith("Retitled: Canada")


def test_a_damaged_listing_is_not_trusted(seed_copy: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "ix"
    args = ["--corpus", str(seed_copy), "--index-dir", str(index_dir)]
    expected = listed(*args)
    index_dir.mkdir()
    for damage in ("[" * 100_000, '{"documents": [{"rel": 3}]}', "not json"):
        (index_dir / LISTING).write_text(damage)
        assert listed(*args) == expected


def test_a_single_file_and_an_empty_folder(tmp_path: Path) -> None:
    one = tmp_path / "one.md"
    one.write_text("# Only one\n\nText.\n")
    data = listed("--corpus", str(one), "--index-dir", str(tmp_path / "ix"))
    assert [(d["path"], d["title"]) for d in data["documents"]] == [("one.md", "Only one")]
    (tmp_path / "empty").mkdir()
    done = folio_list("--corpus", str(tmp_path / "empty"), "--index-dir", str(tmp_path / "ix2"))
    assert done.returncode == 0 and done.stdout.strip() == "0 documents, 0 skipped"
    missing = folio_list("--corpus", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr


def test_in_a_terminal_the_table_fits_its_width(tmp_path: Path) -> None:
    term = Pty.folio("list", "--index-dir", str(tmp_path / "ix"), rows=24, cols=80, env={"COLUMNS": "80"})
    try:
        assert term.wait_exit() == 0
    finally:
        term.close()
    rows = [line for line in term.text().split("\n") if line.strip()]
    assert rows[0].split()[:2] == ["PATH", "TITLE"] and rows[-1].strip() == "5 documents, 0 skipped"
    raw = bytes(term.raw).decode()
    printed = [line for line in raw.replace("\r", "").split("\n") if line.strip()]
    assert all(cell_len(_plain(line)) <= 80 for line in printed), printed
    assert "…" in term.text()  # the long seed titles are cut to fit


def _plain(line: str) -> str:
    """A line written to the terminal, without its SGR sequences."""
    return re.sub(r"\x1b\[[0-9;]*m", "", line)


def test_a_catalog_nested_too_deeply_or_that_is_a_fifo_is_ignored_with_its_reason(tmp_path: Path) -> None:
    """The catalog is read with the bounds of every other file Folio reads (issue 13 item 2's
    class): tomllib recurses, so 100,000 nested arrays raised RecursionError through `folio list`
    (a traceback); a FIFO named catalog.toml made it wait forever for a writer."""
    (tmp_path / "a.txt").write_text("A document\n\nwith a few words.\n")
    catalog = tmp_path / "catalog.toml"
    catalog.write_text("a = " + "[" * 100_000 + "\n")
    found = listed("--corpus", str(tmp_path))
    assert [d["path"] for d in found["documents"]] == ["a.txt"]
    assert {"path": "catalog.toml", "reason": "catalog ignored: nested too deeply"} in found["skipped"]
    catalog.unlink()
    os.mkfifo(catalog)
    found = listed("--corpus", str(tmp_path))
    assert [d["path"] for d in found["documents"]] == ["a.txt"]
    assert any(s["path"] == "catalog.toml" and "not a regular file" in s["reason"] for s in found["skipped"]), found
