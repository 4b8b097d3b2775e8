"""Child processes for the annotation store tests (run as a script, never collected by pytest).

crash-loop FILE           add annotations forever, printing each id once its save returned
mix FILE TAG N            add N annotations tagged TAG, delete some of its own and of others'
                          (after "ready", waits for a line on stdin)
hold-lock FILE            hold the store's lock until killed (prints "locked")
read-only FILE            try to add to a store in a read-only folder; print what happened (JSON)
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from pathlib import Path

import filelock

from folio_reader.index.annotations import Annotation, AnnotationStore, AnnotationStoreError
from folio_reader.index.corpus import Document, open_corpus


def seed_document() -> Document:
    corpus = open_corpus(None)
    return corpus.load(corpus.scan().entries[0])


def span(doc: Document, n: int) -> tuple[int, int]:
    start, end = doc.paragraphs[n % len(doc.paragraphs)]
    return start, min(end, start + 80)


def crash_loop(path: Path) -> None:
    doc = seed_document()
    store = AnnotationStore(path)
    store.load()
    print("ready", flush=True)
    for n in itertools.count():
        ann = store.add(Annotation.new(doc, *span(doc, n), note=f"note {n}"))
        print(ann.id, flush=True)


def mix(path: Path, tag: str, count: int) -> None:
    doc = seed_document()
    store = AnnotationStore(path, lock_timeout=20)
    store.load()
    print("ready", flush=True)
    sys.stdin.readline()  # start together with the other process
    mine: list[str] = []
    for n in range(count):
        time.sleep(0.01)  # a pause between changes, as two people at two terminals: a save holds the lock
        ann = store.add(Annotation.new(doc, *span(doc, n), tags=[tag]))
        print("add", ann.id, flush=True)
        mine.append(ann.id)
        if n % 3 == 2:
            gone = mine.pop(0)
            if store.get(gone) is not None:  # unless the other process deleted it first
                store.delete(gone)
                print("del", gone, flush=True)
        if n % 5 == 4:
            store.load()
            others = [a for a in store.all() if tag not in a.tags]
            if others:
                store.delete(others[0].id)
                print("del", others[0].id, flush=True)


def hold_lock(path: Path) -> None:
    with filelock.FileLock(f"{path}.lock"):
        print("locked", flush=True)
        time.sleep(3600)


def read_only(path: Path) -> None:
    doc = seed_document()
    store = AnnotationStore(path)
    loaded = store.load()
    ann = Annotation.new(doc, *span(doc, 1), note="kept in memory")
    try:
        store.add(ann)
        error = None
    except AnnotationStoreError as exc:
        error = str(exc)
    leftovers = sorted(p.name for p in path.parent.iterdir() if p.name.endswith(".tmp"))
    result = {
        "loaded": len(loaded.annotations),
        "error": error,
        "pending": store.pending,
        "in_memory": store.get(ann.id) is not None,
        "leftovers": leftovers,
    }
    print(json.dumps(result))


def main(argv: list[str]) -> None:
    command, path = argv[0], Path(argv[1])
    if command == "crash-loop":
        crash_loop(path)
    elif command == "mix":
        mix(path, argv[2], int(argv[3]))
    elif command == "hold-lock":
        hold_lock(path)
    elif command == "read-only":
        read_only(path)
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
