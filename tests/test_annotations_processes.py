"""The annotation store across processes: killed writers, concurrent writers, a held lock, a read-only folder."""

from __future__ import annotations

import ctypes
import json
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from folio_reader.index.annotations import Annotation, AnnotationStore, AnnotationStoreError, decode
from folio_reader.index.corpus import open_corpus

CHILD = Path(__file__).with_name("helpers_annotations_child.py")


def child(*args: str, **kwargs: Any) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(CHILD), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def wait_for(proc: subprocess.Popen[str], line: str) -> None:
    assert proc.stdout is not None
    got = proc.stdout.readline().strip()
    assert got == line, f"child said {got!r}; stderr: {proc.stderr.read() if proc.stderr else ''}"


def live_ids(path: Path) -> set[str]:
    annotations, problems = decode(path.read_bytes())
    assert problems == []
    return {a.id for a in annotations if not a.deleted}


def test_writer_killed_at_random_moments_never_loses_a_saved_annotation(tmp_path: Path) -> None:
    path = tmp_path / "annotations.json"
    rng = random.Random(20261121)
    saved: set[str] = set()
    deadline = time.monotonic() + 25
    rounds = 0
    while rounds < 20 or (rounds < 30 and time.monotonic() < deadline):  # 20 at least, however slow the machine
        proc = child("crash-loop", str(path))
        wait_for(proc, "ready")
        time.sleep(rng.uniform(0.0, 0.25))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        assert proc.returncode == -signal.SIGKILL
        saved.update(line for line in out.split("\n")[:-1] if line)  # a cut last line was not acknowledged
        if path.exists():
            assert saved <= live_ids(path), f"round {rounds}: saved annotations missing"
        rounds += 1
    assert len(saved) > rounds
    store = AnnotationStore(path)
    loaded, warnings = store.load()
    assert warnings == [] and saved <= {a.id for a in loaded}
    doc = open_corpus(None).load(loaded[0].source)
    store.add(Annotation.new(doc, 0, 5))
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"], "temporary files of killed writers remain"


def test_two_processes_adding_and_deleting_at_once(tmp_path: Path) -> None:
    path = tmp_path / "annotations.json"
    procs = [child("mix", str(path), tag, "40", stdin=subprocess.PIPE) for tag in ("left", "right")]
    for proc in procs:
        wait_for(proc, "ready")
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outputs = [proc.communicate(timeout=60) for proc in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
    added: list[set[str]] = [set(), set()]
    deleted: list[set[str]] = [set(), set()]
    for i, (out, _) in enumerate(outputs):
        for line in out.splitlines():
            verb, ann_id = line.split()
            (added if verb == "add" else deleted)[i].add(ann_id)
    assert [len(a) for a in added] == [40, 40]
    assert deleted[0] & added[1] and deleted[1] & added[0], "each process deletes some of the other's"
    all_added, all_deleted = added[0] | added[1], deleted[0] | deleted[1]
    assert live_ids(path) == all_added - all_deleted
    annotations, _ = decode(path.read_bytes())
    assert {a.id for a in annotations if a.deleted} == all_deleted


def test_lock_held_by_another_process_gives_a_clear_error_and_keeps_the_change(tmp_path: Path) -> None:
    path = tmp_path / "annotations.json"
    doc = open_corpus(None).load(open_corpus(None).scan().entries[0].rel)
    holder = child("hold-lock", str(path))
    try:
        wait_for(holder, "locked")
        store = AnnotationStore(path, lock_timeout=0.5)
        ann = Annotation.new(doc, 10, 40, note="wait for me")
        started = time.monotonic()
        with pytest.raises(AnnotationStoreError, match=r"locked by another program \(waited 0.5 s\).*kept"):
            store.add(ann)
        assert 0.4 < time.monotonic() - started < 3
        assert store.pending and store.get(ann.id) == ann
    finally:
        holder.kill()
        holder.communicate()
    store.save()
    assert not store.pending
    assert AnnotationStore(path).load().annotations == [ann]


def _without_file_permission_override() -> None:
    """For a child of root: drop the capabilities that ignore file permissions (in the bounding set)."""
    libc = ctypes.CDLL(None, use_errno=True)
    pr_capbset_drop = 24
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(pr_capbset_drop, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


@pytest.mark.skipif(sys.platform != "linux", reason="uses Linux permissions and capabilities")
def test_read_only_folder_gives_a_clear_error_and_keeps_the_change(tmp_path: Path) -> None:
    folder = tmp_path / "annotations"
    folder.mkdir()
    path = folder / "corpus.json"
    doc = open_corpus(None).load(open_corpus(None).scan().entries[0].rel)
    AnnotationStore(path).add(Annotation.new(doc, 0, 20))
    before = path.read_bytes()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        preexec = _without_file_permission_override if os.geteuid() == 0 else None
        proc = child("read-only", str(path), preexec_fn=preexec)
        out, err = proc.communicate(timeout=30)
    finally:
        folder.chmod(stat.S_IRWXU)
    assert proc.returncode == 0, err
    result = json.loads(out)
    assert result["loaded"] == 1
    assert "Cannot save annotations" in result["error"] and "read-only" in result["error"]
    assert result["pending"] and result["in_memory"] and result["leftovers"] == []
    assert path.read_bytes() == before
