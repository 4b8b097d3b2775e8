"""`folio annotations list|export|path`, run as the installed command."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from folio_reader.index.annotations import W3C_CONTEXT, Annotation, AnnotationStore
from folio_reader.index.corpus import open_corpus

FOLIO = Path(sys.executable).with_name("folio")


def folio(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(FOLIO), "annotations", *args], capture_output=True, text=True, timeout=60)


@pytest.fixture
def annotated(seed_copy: Path, tmp_path: Path) -> tuple[Path, Path, dict[str, Annotation]]:
    """A seed corpus copy with three annotations, then edited so that one moved and one is an orphan."""
    corpus = open_corpus(seed_copy)
    first, second = (corpus.load(e) for e in corpus.scan().entries[:2])
    store_path = tmp_path / "notes" / "annotations.json"
    store = AnnotationStore(store_path)
    p = first.paragraphs[4]  # 000 keeps its byline and date apart: one paragraph more before it
    kept = store.add(Annotation.new(first, p[0], p[0] + 80, note="Worth *quoting*.", tags=["praise", "politics"]))
    p = first.paragraphs[6]
    moved = store.add(Annotation.new(first, p[0], p[0] + 60, color="green"))
    p = second.paragraphs[4]
    orphan = store.add(Annotation.new(second, p[0], p[0] + 50, note="Gone later."))
    text = (seed_copy / first.rel).read_text(encoding="utf-8")
    insert_at = text.index(moved.exact) - 2
    (seed_copy / first.rel).write_text(text[:insert_at] + "\n\nA paragraph added later.\n" + text[insert_at:])
    (seed_copy / second.rel).unlink()
    return seed_copy, store_path, {"kept": kept, "moved": moved, "orphan": orphan}


def test_list_json_gives_w3c_annotations_with_their_status(annotated) -> None:
    corpus, store_path, anns = annotated
    done = folio("list", "--json", "--corpus", str(corpus), "--annotations", str(store_path))
    assert done.returncode == 0, done.stderr
    items = {item["id"]: item for item in json.loads(done.stdout)}
    statuses = {name: items[a.id]["status"] for name, a in anns.items()}
    assert statuses == {"kept": "anchored", "moved": "moved", "orphan": "orphan"}
    moved_position = items[anns["moved"].id]["target"]["selector"][1]
    assert moved_position["start"] == anns["moved"].start + len("\n\nA paragraph added later.\n")
    assert items[anns["kept"].id]["@context"][0] == W3C_CONTEXT  # then Folio's terms (issue 19)
    now = open_corpus(corpus).load(anns["kept"].source).meta.content_hash
    kept = Annotation.from_w3c({k: v for k, v in items[anns["kept"].id].items() if k != "status"})
    assert kept == dataclasses.replace(anns["kept"], content_hash=now)  # the document changed after it


def test_list_prints_a_readable_table(annotated) -> None:
    corpus, store_path, anns = annotated
    done = folio("list", "--corpus", str(corpus), "--annotations", str(store_path))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    title = open_corpus(corpus).load(anns["kept"].source).meta.title
    assert title in out
    assert "document not found" in out
    assert "note: Worth *quoting*." in out and "tags: praise, politics" in out
    assert out.strip().endswith("3 annotations: 1 anchored, 1 moved, 1 orphan")


def test_export_markdown_is_a_report(annotated) -> None:
    corpus, store_path, anns = annotated
    done = folio("export", "--format", "md", "--corpus", str(corpus), "--annotations", str(store_path))
    assert done.returncode == 0, done.stderr
    md = done.stdout
    title = open_corpus(corpus).load(anns["kept"].source).meta.title
    assert md.startswith("# Annotations\n")
    assert f"## {title}\n" in md
    # (each quoted line is right-stripped: the quote may end in a space, as it does since paragraphs
    # come from the document structure)
    assert f"> {anns['kept'].exact.rstrip()}\n\nWorth *quoting*.\n\nTags: `praise`, `politics`\n" in md
    assert md.index(anns["kept"].exact[:30]) < md.index(anns["moved"].exact[:30])
    assert f"## {anns['orphan'].source}\n" in md and "no longer found" in md


def test_export_w3c_is_an_annotation_collection(annotated) -> None:
    corpus, store_path, anns = annotated
    done = folio("export", "--format", "w3c", "--corpus", str(corpus), "--annotations", str(store_path))
    assert done.returncode == 0, done.stderr
    collection = json.loads(done.stdout)
    assert collection["@context"][0] == W3C_CONTEXT and collection["type"] == "AnnotationCollection"
    assert collection["total"] == 3
    page = collection["first"]
    assert page["type"] == "AnnotationPage"
    assert {item["id"] for item in page["items"]} == {a.id for a in anns.values()}
    assert all(item["type"] == "Annotation" and "status" not in item for item in page["items"])


def test_path_follows_the_override_and_the_user_data_dir(tmp_path: Path, isolated_dirs: Path) -> None:
    override = tmp_path / "mine.json"
    assert folio("path", "--annotations", str(override)).stdout.strip() == str(override)
    default = Path(folio("path").stdout.strip())
    assert default.is_relative_to(isolated_dirs / "data" / "folio" / "annotations")
    assert default.suffix == ".json" and not default.exists()


def test_no_annotations_and_bad_corpus(tmp_path: Path) -> None:
    empty = folio("list", "--annotations", str(tmp_path / "none.json"))
    assert (empty.returncode, empty.stdout.strip()) == (0, "No annotations.")
    assert json.loads(folio("list", "--json", "--annotations", str(tmp_path / "none.json")).stdout) == []
    bad = folio("list", "--corpus", str(tmp_path / "missing"))
    assert bad.returncode == 2 and "no such file or folder" in bad.stderr


def test_damaged_file_is_reported_on_stderr(tmp_path: Path) -> None:
    """A damaged file of Folio's own (it begins with Folio's format marker) is set aside and said
    so. (A file that does not say it is Folio's is refused instead: tests/test_annotations_files.py.)"""
    path = tmp_path / "annotations.json"
    path.write_text('{"format": "folio-annotations", "version": 1, {not json')
    done = folio("list", "--annotations", str(path))
    assert done.returncode == 0
    assert "moved to" in done.stderr and ".corrupt-" in done.stderr


def test_control_characters_in_notes_are_not_sent_to_the_terminal(seed_copy: Path, tmp_path: Path) -> None:
    corpus = open_corpus(seed_copy)
    doc = corpus.load(corpus.scan().entries[0])
    path = tmp_path / "annotations.json"
    AnnotationStore(path).add(Annotation.new(doc, 0, 30, note="evil \x1b[2J \x9b31m note", tags=["t\x07"]))
    for args in (["list"], ["export"], ["list", "--json"], ["export", "--format", "w3c"]):
        done = folio(*args, "--corpus", str(seed_copy), "--annotations", str(path))
        assert done.returncode == 0, done.stderr
        assert not any(c in done.stdout for c in "\x1b\x9b\x07"), args
