"""The annotations file as the user's file system has it: a user's file named by mistake, devices,
FIFOs, folders, huge files, deep nesting, symlinks, a newer format (issue 13, items 1, 2, 5, 6).

Each runs the installed `folio` on real files (the app in a pty where the app is the point) and
checks the file system afterwards: Folio moves, renames or overwrites only what it wrote.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from folio_reader.index.annotations import (
    Annotation,
    AnnotationFileReadOnly,
    AnnotationFileRefused,
    AnnotationStore,
    decode,
    encode,
)
from folio_reader.index.corpus import open_corpus
from tests.hostile import Pty

FOLIO = Path(sys.executable).with_name("folio")


def folio(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(FOLIO), "annotations", *args], capture_output=True, text=True, timeout=timeout)


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.is_symlink()}


def seed_annotations(n: int) -> list[Annotation]:
    corpus = open_corpus(None)
    doc = corpus.load(corpus.scan().entries[0])
    out = []
    for i in range(n):
        start, end = doc.paragraphs[3 + i]
        out.append(Annotation.new(doc, start, min(end, start + 50), note=f"note {i}", tags=["t"]))
    return out


def default_path() -> Path:
    """The annotations file of the bundled seeds in the (test's own) user data dir."""
    return Path(folio("path").stdout.strip())


# -- item 1: a file that is not Folio's is never renamed, replaced or written beside ---------------


@pytest.mark.parametrize("action", [["list"], ["list", "--json"], ["export"], ["export", "--format", "w3c"]])
def test_a_mistyped_annotations_path_leaves_the_users_file_alone(tmp_path: Path, action: list[str]) -> None:
    """Regression: `--annotations thesis.md` renamed thesis.md to thesis.md.corrupt-<time>, wrote an
    empty annotations file in its place and left thesis.md.lock beside it, exiting 0."""
    thesis = tmp_path / "thesis.md"
    thesis.write_text("# thesis\n")
    done = folio(*action, "--annotations", str(thesis))
    assert done.returncode == 2, done
    assert "not a Folio annotations file" in done.stderr and "leaves it as it is" in done.stderr
    assert "Traceback" not in done.stderr
    assert listing(tmp_path) == {"thesis.md": b"# thesis\n"}


def test_the_app_leaves_a_mistyped_annotations_file_alone(tmp_path: Path) -> None:
    thesis = tmp_path / "thesis.md"
    thesis.write_text("# thesis\n")
    term = Pty.folio("--annotations", str(thesis), "--index-dir", str(tmp_path / "cache" / "ix"))
    term.wait_until(lambda: "Carney" in term.text() or "carney" in term.text().lower(), "the document list")
    term.pump(1.0)
    term.child.send("q")
    term.child.expect(pexpect.EOF, timeout=30)
    assert {p.name for p in tmp_path.iterdir()} == {"thesis.md", "cache"}
    assert thesis.read_bytes() == b"# thesis\n"


def test_a_list_of_w3c_annotations_is_refused_and_import_suggested(tmp_path: Path) -> None:
    path = tmp_path / "theirs.json"
    path.write_text(json.dumps([a.to_w3c() for a in seed_annotations(2)]))
    before = path.read_bytes()
    done = folio("list", "--annotations", str(path))
    assert done.returncode == 2 and "folio annotations import" in done.stderr
    assert listing(tmp_path) == {"theirs.json": before}


def test_an_empty_file_that_is_not_folios_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    path.touch()
    done = folio("list", "--annotations", str(path))
    assert done.returncode == 2 and "the file is empty" in done.stderr
    assert listing(tmp_path) == {"new.json": b""}


@pytest.mark.parametrize("kind", ["folder", "device", "fifo"])
def test_devices_fifos_and_folders_are_refused_at_once(tmp_path: Path, kind: str) -> None:
    """Regression: /dev/zero and a FIFO fed by `yes` were read until MemoryError (1.9 GB)."""
    writer = None
    if kind == "folder":
        path = tmp_path / "folder.json"
        path.mkdir()
    elif kind == "device":
        path = Path("/dev/zero")
    else:
        path = tmp_path / "fifo.json"
        os.mkfifo(path)
        writer = subprocess.Popen(f"exec yes > {path}", shell=True, start_new_session=True)
    try:
        done = folio("list", "--annotations", str(path), timeout=30)
    finally:
        if writer is not None:
            os.killpg(writer.pid, signal.SIGKILL)
            writer.wait()
    assert done.returncode == 2, done
    assert "not a regular file" in done.stderr and "Traceback" not in done.stderr
    assert not Path(f"{path}.lock").exists() and not Path(f"{path}.bak").exists()
    if kind != "device":
        assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_a_file_too_large_is_refused_unread(tmp_path: Path) -> None:
    """A sparse 300 MB file beginning as Folio's own: refused for its size, never read whole."""
    path = tmp_path / "huge.json"
    with open(path, "wb") as f:
        f.write(b'{"format": "folio-annotations", "version": 1, "annotations": [')
        f.truncate(300 * 1024 * 1024)
    done = folio("list", "--annotations", str(path))
    assert done.returncode == 2 and "too large" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["huge.json"]


def test_a_store_refused_keeps_changes_and_rescues_them_elsewhere(tmp_path: Path) -> None:
    """The API the app relies on: every save fails with `AnnotationFileRefused` (nothing written),
    the change stays pending, and `rescue` keeps it in the user state dir, not beside the file."""
    thesis = tmp_path / "thesis.md"
    thesis.write_text("# thesis\n")
    store = AnnotationStore(thesis)
    with pytest.raises(AnnotationFileRefused):
        store.load()
    assert store.read_only and "not a Folio annotations file" in store.read_only
    ann = seed_annotations(1)[0]
    with pytest.raises(AnnotationFileRefused):
        store.add(ann)
    assert store.pending and store.get(ann.id) == ann
    where = store.rescue()
    assert where is not None and not where.is_relative_to(tmp_path)
    assert listing(tmp_path) == {"thesis.md": b"# thesis\n"}
    assert [a.id for a in decode(where.read_bytes())[0]] == [ann.id]


# -- item 2: deep nesting is damage, reported, never a traceback or a silent "0 annotations" -----


def _file_with(entries_json: list[str]) -> bytes:
    head = '{"format": "folio-annotations", "version": 1, "documents": {}, "annotations": [\n'
    return (head + ",\n".join(entries_json) + "\n]}\n").encode()


def test_deep_nesting_as_the_whole_file_is_damage_with_a_warning() -> None:
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"[" * 100_000)
    done = folio("list")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "damaged" in done.stderr and "nested too deeply" in done.stderr and ".corrupt-" in done.stderr
    assert [p.read_bytes() for p in path.parent.glob("*.corrupt-*")] == [b"[" * 100_000]


@pytest.mark.parametrize("depth", [100_000, 900])
def test_deep_nesting_inside_one_entry_loses_only_that_entry(depth: int) -> None:
    """100,000 levels: the file cannot be parsed and its other lines are salvaged; 900 (parsed):
    the entry nests deeper than Folio keeps and is set aside. Either way a warning says so and
    every other annotation is kept."""
    good = seed_annotations(3)
    deep = {**good.pop().to_w3c(), "extra": "@@"}  # a whole annotation, but for one key
    entry = json.dumps(deep).replace('"@@"', "[" * depth + "]" * depth)
    lines = [json.dumps(good[0].to_w3c()), entry, json.dumps(good[1].to_w3c())]
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_file_with(lines))
    done = folio("list", "--json")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "damaged" in done.stderr
    assert {a["id"] for a in json.loads(done.stdout)} == {a.id for a in good}
    assert {a.id for a in decode(path.read_bytes())[0]} == {a.id for a in good}


def test_deep_nesting_in_a_field_gives_a_short_reason() -> None:
    """A value nested 980 deep where a time belongs: the warning names it in a few characters
    (the plain repr of it was 2,000 characters, and deeper in the stack it raises RecursionError)."""
    good = seed_annotations(1)[0]
    bad = json.dumps({**good.to_w3c(), "id": "urn:x:bad", "created": "@@"}).replace('"@@"', "[" * 980 + "]" * 980)
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_file_with([json.dumps(good.to_w3c()), bad]))
    done = folio("list")
    assert done.returncode == 0 and "time is not a string" in done.stderr
    assert len(done.stderr) < 1_000


# -- item 5: a symlinked annotations file is written through --------------------------------------


def test_a_symlinked_annotations_file_keeps_receiving_changes(tmp_path: Path) -> None:
    """Regression: the first save replaced the link by a file and `.bak` became the link."""
    real_dir = tmp_path / "synced"
    real_dir.mkdir()
    real = real_dir / "notes.json"
    first, second = seed_annotations(2)
    AnnotationStore(real).add(first)
    link = tmp_path / "notes.json"
    link.symlink_to(real)
    store = AnnotationStore(link)
    store.load()
    store.add(second)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert {a.id for a in decode(real.read_bytes())[0]} == {first.id, second.id}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.json", "synced"]
    assert sorted(p.name for p in real_dir.iterdir()) == ["notes.json", "notes.json.bak", "notes.json.lock"]
    assert not (real_dir / "notes.json.bak").is_symlink()


def test_a_damaged_symlinked_file_is_set_aside_beside_its_target(tmp_path: Path) -> None:
    real_dir = tmp_path / "synced"
    real_dir.mkdir()
    real = real_dir / "notes.json"
    real.write_text('{"format": "folio-annotations", "version": 1, "annotations": [')
    link = tmp_path / "notes.json"
    link.symlink_to(real)
    done = folio("list", "--annotations", str(link))
    assert done.returncode == 0 and ".corrupt-" in done.stderr
    assert link.is_symlink() and decode(real.read_bytes()) == ([], [])
    assert any(p.name.startswith("notes.json.corrupt-") for p in real_dir.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.json", "synced"]


# -- item 6: a newer format is read, never downgraded; unknown fields travel ----------------------


def _newer_file(path: Path, annotations: list[Annotation]) -> bytes:
    raw = json.loads(encode(annotations))
    raw["version"] = 2
    raw["shelves"] = {"a": 1}
    for entry in raw["annotations"]:
        entry["folio:v2field"] = {"kept": True}
    data = json.dumps(raw).encode()
    path.write_bytes(data)
    return data


def test_a_newer_format_is_shown_read_only_and_never_rewritten(tmp_path: Path) -> None:
    """Regression: a version 2 file was called damaged, set aside and rewritten as version 1,
    dropping the fields this version does not know."""
    path = tmp_path / "notes.json"
    old = seed_annotations(2)
    data = _newer_file(path, old)
    done = folio("list", "--json", "--annotations", str(path))
    assert done.returncode == 0, done.stderr
    assert "newer Folio" in done.stderr and "damaged" not in done.stderr
    assert {a["id"] for a in json.loads(done.stdout)} == {a.id for a in old}
    assert listing(tmp_path) == {"notes.json": data}

    store = AnnotationStore(path)
    loaded = store.load()
    assert len(loaded.warnings) == 1 and store.read_only
    extra = seed_annotations(3)[2]
    with pytest.raises(AnnotationFileReadOnly):
        store.add(extra)
    assert path.read_bytes() == data and store.pending
    rescued = store.rescue()
    assert rescued is not None and rescued.parent == tmp_path  # beside it: it is Folio's own
    assert path.read_bytes() == data


def test_unknown_fields_of_entries_survive_a_rewrite(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    first, second = seed_annotations(2)
    raw = json.loads(encode([first]))
    entry = raw["annotations"][0]
    entry["creator"] = {"type": "Person", "name": "Ada"}
    entry["target"]["scope"] = "http://example.org/page"
    entry["target"]["selector"].append({"type": "FragmentSelector", "value": "para=4"})
    entry["body"].append({"type": "Image", "id": "http://example.org/fig.png"})
    path.write_text(json.dumps(raw))
    store = AnnotationStore(path)
    store.load()
    store.add(second)
    store.update(store.get(first.id).edited(note="changed"))
    [saved] = [e for e in json.loads(path.read_text())["annotations"] if e["id"] == first.id]
    assert saved["creator"] == {"type": "Person", "name": "Ada"}
    assert saved["target"]["scope"] == "http://example.org/page"
    assert {"type": "FragmentSelector", "value": "para=4"} in saved["target"]["selector"]
    assert {"type": "Image", "id": "http://example.org/fig.png"} in saved["body"]
    assert any(b.get("value") == "changed" for b in saved["body"])
    assert store.get(first.id).unshown_bodies() == ["Image"]


def test_each_warning_is_given_once(tmp_path: Path) -> None:
    """Regression: `load()` returned its warnings and left them for `take_warnings()`, so the app
    (which shows both) showed each "damaged" warning twice at start."""
    path = tmp_path / "notes.json"
    path.write_text('{"format": "folio-annotations", "version": 1, "annotations": [')
    store = AnnotationStore(path)
    loaded = store.load()
    assert len(loaded.warnings) == 1 and "damaged" in loaded.warnings[0]
    assert store.take_warnings() == []


def test_the_app_shows_a_damaged_warning_once(tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text('{"format": "folio-annotations", "version": 1, "annotations": [')
    term = Pty.folio("--annotations", str(path), "--index-dir", str(tmp_path / "ix"), rows=40, cols=120)
    term.wait_until(lambda: "damaged" in term.text(), "the warning")
    term.pump(1.5)
    shown = term.text().count("was damaged")
    term.child.send("q")
    term.child.expect(pexpect.EOF, timeout=30)
    assert shown == 1, term.text()
