"""A busy core-API process for tests/test_concurrency.py (run as a script, never collected).

    helpers_busy_child.py CORPUS INDEX_DIR NOTES TAG SECONDS SEED EDITS

searches, updates the index (editing documents when EDITS is "yes"), annotates and deletes, for
SECONDS, printing one JSON line per completed action and a last `{"done": counts}`.
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from folio_reader.index.annotations import Annotation, AnnotationStore, AnnotationStoreError
from folio_reader.index.corpus import open_corpus
from folio_reader.index.search import FolioIndex

QUERIES = [
    "carney",
    "tariff",
    '"golden dome"',
    "fentanyl OR steel",
    "trump NOT canada",
    "gover*",
    "date:2025-05",
    "title:carney",
]


def child(corpus: str, index_dir: str, notes: str, tag: str, seconds: str, seed: str, edits: str) -> None:
    """A busy process (run with `python -c`): prints one JSON line per completed action."""
    rng = random.Random(int(seed))
    corpus_ = open_corpus(corpus)
    docs = [corpus_.load(e) for e in corpus_.scan().entries if not e.rel.startswith("000")]  # folio's is 000
    store = AnnotationStore(notes)
    store.load()
    index = FolioIndex(corpus_, Path(index_dir))
    mine: list[str] = []
    counts = {"search": 0, "update": 0, "add": 0, "del": 0, "edit": 0}

    def say(**fields) -> None:
        print(json.dumps(fields), flush=True)

    deadline = time.monotonic() + float(seconds)
    while time.monotonic() < deadline:
        # a breath between actions: busy people, not a tight loop (back-to-back saves by three
        # processes keep the lock taken nearly all the time, and then a save may wait past its
        # 5 s timeout: the lock is polled, not queued)
        time.sleep(rng.uniform(0.01, 0.05))
        roll = rng.random()
        try:
            if roll < 0.35:
                result = index.search(rng.choice(QUERIES))
                if result.error is not None or result.damaged:
                    say(error=f"search: {result.error}")
                counts["search"] += 1
            elif roll < 0.45:
                if edits == "yes":  # this one also edits documents: the index has work to do
                    path = corpus_.root / rng.choice(docs).rel
                    path.write_text(path.read_text() + f"\nAn added line {rng.random()}.\n")
                    counts["edit"] += 1
                report = index.update(commit_every=None)
                if report.messages and not report.locked:
                    say(error=f"update: {report.messages}")
                counts["update"] += 1
            elif roll < 0.80 or not mine:
                doc = rng.choice(docs)
                start, end = rng.choice(doc.paragraphs)
                ann = store.add(Annotation.new(doc, start, min(end, start + 60), tags=[tag]))
                mine.append(ann.id)
                say(add=ann.id)
                counts["add"] += 1
            elif roll < 0.93:
                gone = mine.pop(rng.randrange(len(mine)))
                if store.get(gone) is not None:
                    store.delete(gone)
                    say(delete=gone)
                    counts["del"] += 1
            else:  # someone else's (never folio's, whose notes the test follows)
                store.load()
                others = [a for a in store.all() if a.tags and a.tags[0].startswith("child-") and tag not in a.tags]
                if others:
                    victim = rng.choice(others)
                    store.delete(victim.id)
                    say(delete=victim.id)
                    counts["del"] += 1
        except AnnotationStoreError as exc:  # what the user would see as "Not saved yet"
            say(error=f"store: {exc}")
    index.close()
    say(done=counts)


if __name__ == "__main__":
    child(*sys.argv[1:])
