"""Faults: the index damaged between runs and while the app runs; the annotations file on a
read-only or full disk, replaced by garbage, or locked by a process that never lets go.

Through Textual's pilot on real files (the app's own paths); a full or read-only disk is a tiny
tmpfs (root, or CAP_SYS_ADMIN, is needed to mount one: the tests say so and skip otherwise).
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from folio_reader.index.annotations import AnnotationStore, decode, encode
from folio_reader.index.corpus import open_corpus
from folio_reader.tui.app import FolioApp
from folio_reader.tui.screens.main import MainScreen
from tests.helpers import Notifications, settle, type_query
from tests.hostile import Pty

CHILD = Path(__file__).with_name("helpers_annotations_child.py")
REPO = Path(__file__).resolve().parent.parent


def on_disk(path: Path) -> list:
    annotations, problems = decode(path.read_bytes())
    assert problems == []
    return [a for a in annotations if not a.deleted]


def make_app(seed_copy: Path, tmp_path: Path, notes: Path | None = None, **kwargs) -> FolioApp:
    return FolioApp(
        open_corpus(seed_copy),
        index_dir=tmp_path / "index",
        annotations_path=notes or tmp_path / "notes.json",
        **kwargs,
    )


async def until(pilot, condition, seconds: float = 10.0) -> None:
    """Wait (a tenth of a second at a time) until `condition()` holds, or `seconds` pass."""
    for _ in range(int(seconds * 10)):
        if condition():
            return
        await pilot.pause(0.1)


async def open_first(pilot) -> MainScreen:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    return pilot.app.screen


def hold_lock(notes: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, str(CHILD), "hold-lock", str(notes)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


# -- the index ------------------------------------------------------------------------------------


def damage(index_dir: Path, how: str) -> None:
    files = [p for p in index_dir.iterdir() if p.is_file() and p.name != "listing.json"]
    assert files
    for path in files:
        if how == "deleted":
            path.unlink()
        elif how == "truncated":
            os.truncate(path, path.stat().st_size // 3)
        elif how == "garbage":
            path.write_bytes(os.urandom(max(64, path.stat().st_size)))


@pytest.mark.parametrize("how", ["deleted", "truncated", "garbage"])
async def test_an_index_damaged_between_runs_is_rebuilt_and_said(
    how: str, seed_copy: Path, tmp_path: Path, notifications: Notifications
) -> None:
    async with make_app(seed_copy, tmp_path).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
    damage(tmp_path / "index", how)
    app = make_app(seed_copy, tmp_path)
    async with app.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
        await settle(pilot)
        await type_query(pilot, '"golden dome"')
        screen: MainScreen = app.screen
        assert len(screen.search_pane.result.hits) == 2  # serving again
        assert len([i for i in screen.documents.items if i.problem is None]) == 5
        if how != "deleted":  # (a missing index is simply built)
            messages = notifications.messages
            assert any("damaged" in m and "moved aside" in m for m in messages), messages
            assert list(tmp_path.glob("index.broken-*"))


@pytest.mark.parametrize("how", ["deleted", "garbage"])
async def test_an_index_damaged_while_the_app_runs_is_rebuilt_and_said(
    how: str, seed_copy: Path, tmp_path: Path, notifications: Notifications
) -> None:
    app = make_app(seed_copy, tmp_path)
    async with app.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
        screen = await open_first(pilot)
        damage(tmp_path / "index", how)
        await type_query(pilot, "fentanyl")  # finds the index unreadable: rebuilt
        await settle(pilot)
        assert notifications.count("rebuilt"), notifications.messages
        await pilot.press("ctrl+u")
        await type_query(pilot, "")
        await pilot.press(*"tariff")
        await pilot.pause(0.3)
        await settle(pilot)
        assert screen.search_pane.result is not None and len(screen.search_pane.result.hits) >= 3
        assert screen.document is not None and app.is_running  # what was open stays open


TRUNCATE_WHILE_SEARCHING = """
import os, sys
from pathlib import Path
from folio_reader.index.corpus import open_corpus
from folio_reader.index.search import FolioIndex
index = FolioIndex(open_corpus(None), Path(sys.argv[1]))
index.update()
assert index.search("carney").hits
for path in Path(sys.argv[1]).iterdir():
    if path.is_file() and path.name != "listing.json":
        os.truncate(path, path.stat().st_size // 3)
result = index.search("golden dome")
print("damaged" if result.damaged else "fine", flush=True)
"""


def test_an_index_truncated_under_a_running_search_is_reported_not_fatal(tmp_path: Path) -> None:
    """In a child process: the way it could fail would take the test runner down with it (Whoosh
    maps compound segment files into memory: a read past a truncated end is SIGBUS). Seen once
    while index/search.py was being reworked; a guard since."""
    out = subprocess.run(
        [sys.executable, "-c", TRUNCATE_WHILE_SEARCHING, str(tmp_path / "index")],
        capture_output=True,
        text=True,
        cwd=str(REPO),
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
    )
    assert out.returncode != -signal.SIGBUS, "killed by SIGBUS"
    assert out.returncode == 0 and out.stdout.strip() in ("damaged", "fine"), out.stderr


# -- the annotations file -------------------------------------------------------------------------


@pytest.mark.e2e
def test_a_change_made_just_before_quitting_is_saved(tmp_path: Path) -> None:
    """Regression: `h` then `q` at once (one write to the terminal) lost the highlight every
    time: the change was left to a worker that the app's exit cancelled before it ran. (The
    pilot does not reproduce it: the installed folio in a pty does.)"""
    notes = tmp_path / "notes.json"
    for round_ in range(1, 3):
        term = Pty.folio("--annotations", str(notes))
        try:
            term.wait_for("In White House meeting")
            term.send("\r", settle=0.5)
            term.wait_until(lambda: "%" in term.screen.display[-2], "a document open")
            term.send("hq", settle=0)
            assert term.wait_exit() == 0
        finally:
            term.close()
        assert len(on_disk(notes)) == round_


async def test_a_file_replaced_by_garbage_while_running_is_set_aside_and_nothing_lost(
    seed_copy: Path, tmp_path: Path, notifications: Notifications
) -> None:
    notes = tmp_path / "notes.json"
    app = make_app(seed_copy, tmp_path)
    async with app.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
        screen = await open_first(pilot)
        for offset in (10, 400):
            screen.reader.move_caret(offset)
            await pilot.press("h")
            await settle(pilot)
        garbage = b'{"format": "folio-annotations", "annot\x00\xff garbage'
        notes.write_bytes(garbage)
        screen.reader.move_caret(900)
        await pilot.press("h")
        await settle(pilot)
        messages = notifications.messages
        assert any("damaged" in m and "corrupt-" in m for m in messages), messages
        assert len(on_disk(notes)) == 3 and not app.store.pending
        [aside] = tmp_path.glob("notes.json.corrupt-*")
        assert aside.read_bytes() == garbage  # set aside as it was, never overwritten


async def test_a_lock_that_never_comes_free_loses_nothing(
    seed_copy: Path, tmp_path: Path, notifications: Notifications
) -> None:
    """Another process holds the lock for good: the save times out with a clear message, the note
    stays in the app (and is retried), and when the app must end it is kept in a file of its own,
    which the next start saves. (A lock held then released: tests/test_app_annotations.py.)"""
    notes = tmp_path / "notes.json"
    holder = hold_lock(notes)
    try:
        app = make_app(seed_copy, tmp_path, store=AnnotationStore(notes, lock_timeout=0.3), retry_seconds=0.5)
        async with app.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
            screen = await open_first(pilot)
            screen.reader.move_caret(10)
            await pilot.press("a")
            await pilot.pause()
            await pilot.press(*"a note to keep", "ctrl+s")
            await settle(pilot)
            assert app.store.pending and app.store.all()[0].note == "a note to keep"
            assert any("Not saved yet" in m and "locked by another program" in m for m in notifications.messages)
            tried = notifications.count("Not saved yet")
            await until(pilot, lambda: notifications.count("Not saved yet") > tried)  # the retry, on its timer
            assert notifications.count("Not saved yet") > tried  # tried again: still locked, still kept
            await settle(pilot)
            assert app.store.pending and len(app.store.all()) == 1
        [rescued] = tmp_path.glob("notes.json.unsaved-*.json")
        assert not notes.exists()
    finally:
        holder.kill()
        holder.wait()
    notifications.clear()
    again = make_app(seed_copy, tmp_path)
    async with again.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
        await settle(pilot)
        assert [a.note for a in again.store.all()] == ["a note to keep"]
        assert notifications.count("saved now")
    assert [a.note for a in on_disk(notes)] == ["a note to keep"] and not rescued.exists()


def test_a_rescued_change_never_brings_back_what_was_deleted_since(tmp_path: Path) -> None:
    """Rescued changes merge like another process's: the newest version wins."""
    doc = open_corpus(None).load("001_b23a58cccaa29fe1.txt")
    from folio_reader.index.annotations import Annotation

    notes = tmp_path / "notes.json"
    mine = AnnotationStore(notes, lock_timeout=0.2)
    kept = mine.add(Annotation.new(doc, 0, 20, note="first"))
    holder = hold_lock(notes)
    try:
        from folio_reader.index.annotations import AnnotationStoreError

        with pytest.raises(AnnotationStoreError):
            mine.update(kept.edited(note="edited, then deleted elsewhere"))
        with pytest.raises(AnnotationStoreError):
            mine.add(Annotation.new(doc, 30, 60, note="new"))
        assert mine.rescue() is not None
    finally:
        holder.kill()
        holder.wait()
    other = AnnotationStore(notes)
    other.load()  # merges the rescued file ...
    other.delete(kept.id)  # ... then deletes the edited annotation: newer than the edit
    assert [a.note for a in AnnotationStore(notes).load().annotations] == ["new"]
    assert not list(tmp_path.glob("*.unsaved-*"))


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 64 KB tmpfs: to fill up, or to make read-only."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(
            f"cannot mount a tmpfs to fill up or make read-only (needs root or CAP_SYS_ADMIN): {done.stderr.strip()}"
        )
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"x" * 512)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


async def test_a_full_disk_keeps_the_note_says_so_and_saves_it_when_there_is_room(
    seed_copy: Path, tmp_path: Path, tiny_disk: Path, notifications: Notifications
) -> None:
    notes = tiny_disk / "notes.json"
    app = make_app(seed_copy, tmp_path, notes, retry_seconds=0.5)
    async with app.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
        screen = await open_first(pilot)
        screen.reader.move_caret(10)
        await pilot.press("h")
        await settle(pilot)
        filler = fill(tiny_disk)
        screen.reader.move_caret(400)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"written on a full disk", "ctrl+s")
        await settle(pilot)
        messages = notifications.messages
        assert any("Not saved yet" in m and "the disk is full" in m for m in messages), messages
        assert app.store.pending and len(app.store.all()) == 2
        assert len(on_disk(notes)) == 1 and not list(tiny_disk.glob(".*.tmp"))  # the old file intact
        filler.unlink()
        await until(pilot, lambda: not app.store.pending)  # the retry, on its timer
        await settle(pilot)
        assert not app.store.pending and {a.note for a in on_disk(notes)} == {"", "written on a full disk"}


async def test_a_read_only_disk_keeps_the_note_and_on_quitting_puts_it_where_it_can(
    seed_copy: Path, tmp_path: Path, tiny_disk: Path, isolated_dirs: Path, notifications: Notifications
) -> None:
    notes = tiny_disk / "notes.json"
    app = make_app(seed_copy, tmp_path, notes)
    async with app.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
        screen = await open_first(pilot)
        screen.reader.move_caret(10)
        await pilot.press("h")
        await settle(pilot)
        subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
        screen.reader.move_caret(400)
        await pilot.press("h")
        await settle(pilot)
        messages = notifications.messages
        assert any("Not saved yet" in m and "read-only" in m for m in messages), messages
        assert app.store.pending and len(app.store.all()) == 2
    # the app ended with it unsaved: kept in the user state dir, the store's folder being read-only
    [rescued] = (isolated_dirs / "state" / "folio" / "unsaved").glob("*/notes.json.unsaved-*.json")
    subprocess.run(["mount", "-o", "remount,rw", str(tiny_disk)], check=True)
    store = AnnotationStore(notes)
    assert len(store.load().annotations) == 2 and len(on_disk(notes)) == 2 and not rescued.exists()


# -- damage and defects: warned, reported, never lost (issue 13, item 2) ----------------------------

DEEP = "[" * 100_000


def nested_in_one_entry(notes: Path) -> None:
    """A valid annotations file of two notes, one of them carrying 100,000 nested lists."""
    from folio_reader.index.annotations import Annotation, encode

    doc = open_corpus(None).load("001_b23a58cccaa29fe1.txt")
    text = encode([Annotation.new(doc, 0, 30, note="kept one"), Annotation.new(doc, 40, 80, note="deep one")]).decode()
    notes.write_text(text.replace('"deep one"', '"deep one", "x": ' + DEEP + "]" * 100_000))


@pytest.mark.parametrize("where", ["the whole file", "one entry"])
async def test_a_deeply_nested_annotations_file_is_warned_about_once_and_new_notes_are_saved(
    where: str, seed_copy: Path, tmp_path: Path, notifications: Notifications
) -> None:
    """Regression: `[` x 100,000 as the file, or inside one note of it, gave a RecursionError; the
    panel said "0 annotations" with no warning. Now: one warning (it appeared twice: the loaded
    warnings were shown, then taken again from the store), the file set aside as it was, what
    can be read kept, and a new note saved."""
    from folio_reader.index import locations

    notes = locations.annotations_path(seed_copy)  # Folio's own place: its damage is set aside
    notes.parent.mkdir(parents=True, exist_ok=True)
    if where == "the whole file":
        notes.write_text(DEEP)
    else:
        nested_in_one_entry(notes)
    original = notes.read_bytes()
    app = make_app(seed_copy, tmp_path, notes)
    async with app.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
        screen = await open_first(pilot)
        assert notifications.count("damaged") == 1, notifications.messages
        [warning] = [m for m in notifications.messages if "damaged" in m]
        assert "nested too deeply" in warning and "corrupt-" in warning
        screen.reader.move_caret(400)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        heading = str(app.screen.query_one("#panel-heading").render())
        kept = 1 if where == "one entry" else 0
        assert heading.startswith(f"{kept + 1} annotation"), heading
    [aside] = notes.parent.glob(f"{notes.name}.corrupt-*")
    assert aside.read_bytes() == original  # set aside as it was
    assert len(on_disk(notes)) == kept + 1


async def test_a_file_that_is_not_folios_is_said_once_and_changes_are_kept_not_retried(
    seed_copy: Path, tmp_path: Path, notifications: Notifications
) -> None:
    """`--annotations` naming a user's own file: the store refuses it (index/annotations). The app
    says so in the store's words (not as a failed task), keeps new notes for the session without
    retrying a save that cannot work, and puts them aside at the end, never beside that file."""
    thesis = tmp_path / "thesis.md"
    thesis.write_text("# thesis\n")
    app = make_app(seed_copy, tmp_path, thesis, retry_seconds=0.2)
    async with app.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
        screen = await open_first(pilot)
        assert notifications.count("is not a Folio annotations file") == 1, notifications.messages
        assert not notifications.count("failed")
        for offset in (10, 400):
            screen.reader.move_caret(offset)
            await pilot.press("h")
            await settle(pilot)
        await pilot.pause(0.6)
        assert notifications.count("Not saved") == 1 and not notifications.count("retried")
        assert len(app.store.all()) == 2 and app.store.pending
    assert thesis.read_text() == "# thesis\n" and {p.name for p in tmp_path.iterdir()} >= {"thesis.md"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("thesis.md.")]


async def test_a_fault_in_one_change_is_reported_and_the_next_change_still_saved(
    seed_copy: Path, tmp_path: Path, notifications: Notifications, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: a change that raised anything but the store's own error died with its worker,
    silently (`exit_on_error=False` and no handler). Now the one handler says what failed, and
    the changes queued after it still go."""
    real_add = AnnotationStore.add
    calls = {"n": 0}

    def add_failing_once(self, ann):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("a defect in Folio")
        return real_add(self, ann)

    monkeypatch.setattr(AnnotationStore, "add", add_failing_once)
    app = make_app(seed_copy, tmp_path)
    async with app.run_test(size=(120, 40), message_hook=notifications.hook) as pilot:
        screen = await open_first(pilot)
        screen.reader.move_caret(10)
        await pilot.press("h")
        await settle(pilot)
        assert any("failed" in m and "RuntimeError: a defect in Folio" in m for m in notifications.messages), (
            notifications.messages
        )
        screen.reader.move_caret(400)
        await pilot.press("h")
        await settle(pilot)
        assert app.is_running and len(on_disk(tmp_path / "notes.json")) == 1


async def test_a_save_that_raises_on_the_way_out_keeps_the_change_in_a_file(
    seed_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """Regression: on `q` the save raised from `on_unmount` (a RecursionError, not the store's
    own error), so the note was neither saved nor kept in an `.unsaved` file. Any error on the
    way out now ends in the rescue file, which the next start saves."""

    def save_raising(self) -> None:
        raise RecursionError("maximum recursion depth exceeded while decoding a JSON array")

    app = make_app(seed_copy, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first(pilot)
        monkeypatch.setattr(AnnotationStore, "save", save_raising)
        screen.reader.move_caret(10)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"a note that must survive", "ctrl+s")
        await settle(pilot)
        assert app.store.pending
    assert "annotations not saved" in capfd.readouterr().err
    [rescued] = tmp_path.glob("notes.json.unsaved-*.json")
    monkeypatch.undo()
    assert [a.note for a in AnnotationStore(tmp_path / "notes.json").load().annotations] == ["a note that must survive"]
    assert not rescued.exists()


async def test_what_is_said_on_the_way_out_is_inert(
    seed_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """Regression: the messages printed after the app (a save that failed, where the change was
    kept, the change itself as JSON) name paths and notes, which hold what a folder's name or a
    note holds: an ESC or a C1 control reached the terminal raw. They are shown inert now, and
    the JSON escapes DEL and C1 so that it still reads back as the same annotations."""
    hostile = "\x1b]0;pwned\x07 \x9b31m"

    def save_raising(self) -> None:
        raise OSError(errno.EIO, "cannot write", f"/data/{hostile}/notes.json")

    def rescue_raising(self) -> Path:
        raise OSError(errno.ENOSPC, "no space", f"/data/{hostile}/notes.json.unsaved")

    app = make_app(seed_copy, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first(pilot)
        monkeypatch.setattr(AnnotationStore, "save", save_raising)
        monkeypatch.setattr(AnnotationStore, "rescue", rescue_raising)
        screen.reader.move_caret(10)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"note", "ctrl+s")
        await settle(pilot)
        [made] = app.store.unsaved()
        with contextlib.suppress(OSError):  # (the save fails: the change stays pending)
            app.store.update(dataclasses.replace(made, note=f"a note {hostile}"))
        [held] = app.store.unsaved()
    err = capfd.readouterr().err
    assert "annotations not saved" in err and "Here they are" in err
    assert "\x1b" not in err and "\x9b" not in err and "\x07" not in err
    assert err.count("pwned") == 3  # the path twice and the note, made visible
    kept = err[err.index("Here they are") :].split("\n", 1)[1]
    decoded, problems = decode(kept.encode())
    # the same data as the annotations file would hold (reading a file makes controls visible)
    assert [a.note for a in decoded] == [a.note for a in decode(encode([held]))[0]] and not problems


@pytest.mark.parametrize("what", ["state", "settings"])
async def test_a_deeply_nested_state_or_settings_file_does_not_stop_the_app(
    what: str, seed_copy: Path, tmp_path: Path
) -> None:
    """The reading state and settings.json are read with bounds (index/atomic_io): `[` x 100,000
    in either is read as empty, and the app starts, lists, opens and remembers."""
    from folio_reader.index import locations

    path = locations.state_path(seed_copy) if what == "state" else locations.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(DEEP)
    app = make_app(seed_copy, tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_first(pilot)
        assert len(screen.documents.items) == 5 and screen.document is not None
    if what == "state":  # Folio's own file, rewritten whole
        assert json.loads(path.read_text())["last"]["rel"] == screen.document.rel
