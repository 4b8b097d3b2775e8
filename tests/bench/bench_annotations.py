#!/usr/bin/env python3
"""Benchmark annotation loading and anchoring (run by hand; not a pytest file).

    python tests/bench/bench_annotations.py [--annotations N] [--corpus DIR] [--docs N] [--seed S]

1. The seeds: N annotations (default 10,000) on random passages of the five seed documents,
   written as one annotations file. Times `json.loads` of it (the baseline), `AnnotationStore.load`
   with the file parsed and with it unchanged since the last load (its decoded annotations kept in
   the user cache dir: `index/annotations/cache.py`), anchoring against the
   unchanged documents, anchoring against edited ones (in each document four paragraphs
   inserted and four short deletions at random places; of all annotated passages 4% changed:
   a quarter of them deleted, the others with a word replaced), `anchor_corpus` (documents
   loaded from disk included), and one change saved with N annotations in the file.
2. A large corpus: `--corpus DIR`, or a generated one of `--docs` files (default 5,000) in a
   temporary folder (removed afterwards), with N annotations spread over it; the same figures.
The same seed gives the same annotations and edits. Times are the best of three runs.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import platformdirs

from folio_reader.index.annotations import (
    Anchored,
    Annotation,
    AnnotationStore,
    Loaded,
    anchor_corpus,
    anchor_document,
    encode,
)
from folio_reader.index.corpus import Corpus, Document, open_corpus

T = TypeVar("T")
#: Of the annotated passages, the share that an edit deletes or changes a word in.
EDITED_PERCENT = 4


def best_of(runs: int, fn: Callable[[], T]) -> tuple[float, T]:
    """The best time of `runs` calls, and the last result."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def random_annotations(docs: list[Document], count: int, rng: random.Random) -> list[Annotation]:
    """`count` annotations on random passages (10 to 200 characters) of the documents."""
    annotations = []
    for n in range(count):
        doc = docs[n % len(docs)]
        length = rng.randint(10, min(200, len(doc.text) - 1))
        start = rng.randrange(0, len(doc.text) - length)
        note = f"Note {n}: worth a second look." if rng.random() < 0.5 else ""
        tags = rng.sample(["trade", "tariffs", "quote", "check", "later"], rng.randint(0, 2))
        annotations.append(Annotation.new(doc, start, start + length, note=note, tags=tags))
    return annotations


def edited(doc: Document, targets: list[Annotation], rng: random.Random) -> Document:
    """A revised version of the document: four paragraphs inserted and four short deletions at
    random places; of the target passages, one in four deleted and the others with a word changed."""
    text = doc.text
    for i, at in enumerate(sorted(rng.sample(range(len(text)), k=8), reverse=True)):
        if i % 2:
            text = text[:at] + text[at + rng.randint(1, 120) :]
        else:
            text = text[:at] + "\n\nA paragraph added in a later revision of the article.\n\n" + text[at:]
    for ann in targets:
        words = ann.exact.split()
        if rng.random() < 0.25 or len(words) < 4:
            text = text.replace(ann.exact, "", 1)
        else:
            words[len(words) // 2] = "revised"
            text = text.replace(ann.exact, " ".join(words), 1)
    return Document(dataclasses.replace(doc.meta, content_hash=f"edited-{doc.meta.content_hash}"), text)


def anchor_all(docs: list[Document], by_source: dict[str, list[Annotation]]) -> list[Anchored]:
    return [a for doc in docs for a in anchor_document(by_source.get(doc.rel, []), doc)]


def report(label: str, seconds: float, results: list[Anchored] | None = None) -> None:
    line = f"  {label:<44} {seconds * 1000:9.1f} ms"
    if results is not None:
        counts = Counter(str(r.status) for r in results)
        line += "   " + ", ".join(f"{counts[s]} {s}" for s in ("anchored", "moved", "orphan"))
    print(line)


def bench(corpus: Corpus, count: int, rng: random.Random, work: Path) -> None:
    started = time.perf_counter()
    docs = [corpus.load(e) for e in corpus.scan().entries]
    characters = sum(len(d.text) for d in docs)
    elapsed = time.perf_counter() - started
    print(f"  {len(docs)} documents, {characters:,} characters, loaded in {elapsed:.1f} s; {count} annotations")
    annotations = random_annotations(docs, count, rng)
    path = work / "annotations.json"
    path.write_bytes(encode(annotations))
    print(f"  annotations file: {path.stat().st_size / 1e6:.1f} MB")

    data = path.read_bytes()
    seconds, _ = best_of(3, lambda: json.loads(data))
    report("baseline: json.loads of the file", seconds)

    def cold_load() -> Loaded:
        for kept in (Path(platformdirs.user_cache_dir("folio")) / "annotations").glob("*.marshal"):
            kept.unlink()
        return AnnotationStore(path).load()

    seconds, loaded = best_of(3, cold_load)
    report("AnnotationStore.load, file parsed", seconds)
    cold = seconds
    seconds, loaded = best_of(3, lambda: AnnotationStore(path).load())
    report("AnnotationStore.load, unchanged file", seconds)
    warm = seconds
    by_source: dict[str, list[Annotation]] = {}
    for ann in loaded.annotations:
        by_source.setdefault(ann.source, []).append(ann)
    seconds, results = best_of(3, lambda: anchor_all(docs, by_source))
    report("anchor, documents unchanged", seconds, results)
    report("load + anchor, file parsed (issue 15: < 300 ms)", cold + seconds)
    report("load + anchor, unchanged file (< 300 ms)", warm + seconds)
    targets: dict[str, list[Annotation]] = {}
    for ann in rng.sample(loaded.annotations, k=len(loaded.annotations) * EDITED_PERCENT // 100):
        targets.setdefault(ann.source, []).append(ann)
    changed = [edited(doc, targets.get(doc.rel, []), rng) for doc in docs]
    seconds, results = best_of(3, lambda: anchor_all(changed, by_source))
    report("anchor, documents edited", seconds, results)
    seconds, _ = best_of(1, lambda: anchor_corpus(loaded.annotations, corpus))
    report("anchor_corpus (loads the documents)", seconds)

    store = AnnotationStore(path)
    store.load()
    seconds, _ = best_of(3, lambda: store.add(random_annotations(docs[:1], 1, rng)[0]))
    report(f"one change saved ({count} in the file)", seconds)


def generate_corpus(folder: Path, docs: int, rng: random.Random) -> None:
    """Simple documents of random seed words: a heading and paragraphs, 1 to 20 KB each."""
    words = sorted({w for p in open_corpus(None).root.glob("*.txt") for w in p.read_text().split()})
    for n in range(docs):
        sub = folder / f"part{n % 50:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        paragraphs = [" ".join(rng.choices(words, k=rng.randint(20, 120))) for _ in range(rng.randint(2, 25))]
        (sub / f"doc{n:05d}.md").write_text(f"# Document {n}\n\n" + "\n\n".join(paragraphs) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--annotations", type=int, default=10_000, metavar="N")
    parser.add_argument("--corpus", type=Path, help="a large corpus to use instead of a generated one")
    parser.add_argument("--docs", type=int, default=5_000, help="documents of the generated corpus")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="folio-bench-annotations-") as tmp:
        work = Path(tmp)
        os.environ["XDG_CACHE_HOME"] = str(work / "cache")  # the decoded-file cache, thrown away after
        print("seeds")
        bench(open_corpus(None), args.annotations, rng, work)
        if args.corpus:
            corpus = open_corpus(args.corpus)
        else:
            started = time.perf_counter()
            generate_corpus(work / "corpus", args.docs, rng)
            print(f"generated {args.docs} documents in {time.perf_counter() - started:.1f} s")
            corpus = open_corpus(work / "corpus")
        print(f"corpus {corpus.label}")
        bench(corpus, args.annotations, rng, work)
        shutil.rmtree(work / "corpus", ignore_errors=True)


if __name__ == "__main__":
    main()
