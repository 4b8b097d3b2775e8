#!/usr/bin/env python3
"""Benchmark and tune `index.compare` (run by hand; not a pytest file).

    python tests/bench/bench_compare.py [--paragraphs N] [--seed S] [--skip-app] [--skip-gold]

1. Speed: two generated documents of N paragraphs (default 5,000) of Zipf-distributed
   English-ish words. B holds copies of a fifth of A's paragraphs (half of them lightly edited)
   in another order, and 50 quotes of 8-30 words from A in curly quotes. Prints the time of
   `compare` and how many of the planted pairs and quotes it found. The same seed gives the
   same documents.
2. In the app: the same pair as files of a throwaway corpus (and throwaway XDG dirs), opened
   with `folio compare`'s screen under Textual's pilot: when each document shows, when the marks
   arrive, and, beside them, how long writing the comparison's cache file takes (which the marks
   no longer wait for) and when it is on disk.
3. Quality: precision and recall of the alignment on the hand-labelled gold set
   (tests/data/gold_alignment.json) for a range of thresholds, the defaults marked.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import random
import re
import tempfile
import time
from pathlib import Path

from gen_corpus import FUNCTION_WORDS

from folio_reader.index.atomic_io import write_json_atomic
from folio_reader.index.compare import AlignSettings, Comparison, compare
from folio_reader.index.compare.model import comparison_to_data
from folio_reader.index.corpus import Document, open_corpus

GOLD = Path(__file__).resolve().parent.parent / "data" / "gold_alignment.json"

#: the commonest English words (the corpus generator's) and the words of the seeds' news topic
NEWS_WORDS = [
    "government",
    "minister",
    "trade",
    "president",
    "country",
    "state",
    "people",
    "year",
    "week",
    "talks",
    "deal",
    "tariff",
    "border",
    "steel",
    "election",
    "party",
    "meeting",
    "relations",
    "economy",
    "workers",
    "industry",
    "security",
    "defence",
    "market",
    "policy",
    "war",
    "plan",
    "leader",
    "prime",
    "federal",
    "premier",
]
COMMON = [*FUNCTION_WORDS, *NEWS_WORDS]
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ner",
    "sta",
    "pol",
    "tri",
    "ven",
    "dor",
    "qua",
    "lis",
    "mar",
    "ton",
    "bel",
    "rin",
    "sud",
    "fal",
    "gor",
    "hep",
    "tix",
]


def _vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    words = list(dict.fromkeys(COMMON))
    while len(words) < size:
        words.append("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))))
    return list(dict.fromkeys(words))


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.words = _vocabulary(rng)
        weights = [1.0 / (rank + 1) ** 1.05 for rank in range(len(self.words))]
        total = 0.0
        self.cumulative = []
        for w in weights:
            total += w
            self.cumulative.append(total)

    def sentence(self) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cumulative, k=self.rng.randint(8, 22))
        return " ".join(words).capitalize() + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))

    def edit(self, paragraph: str) -> str:
        """Drop or replace about one word in eight."""
        out = []
        for word in paragraph.split():
            roll = self.rng.random()
            if roll < 0.06:
                continue
            out.append(self.rng.choice(self.words) if roll < 0.12 else word)
        return " ".join(out)


def _document(name: str, paras: list[str]) -> Document:
    return Document.from_text(name, "\n\n".join(paras) + "\n")


def generated_pair(count: int, seed: int) -> tuple[Document, Document, set[tuple[int, int]], list[str]]:
    """Documents A and B, the planted (i, j) paragraph pairs, and the planted quotes."""
    rng = random.Random(seed)
    writer = _Writer(rng)
    paras_a = [writer.paragraph() for _ in range(count)]
    copied = rng.sample(range(count), count // 5)
    paras_b = [writer.paragraph() for _ in range(count - len(copied))]
    sources: list[int | None] = [None] * len(paras_b)
    for n, i in enumerate(copied):
        paras_b.append(writer.edit(paras_a[i]) if n % 2 else paras_a[i])
        sources.append(i)
    order = list(range(len(paras_b)))
    rng.shuffle(order)
    paras_b = [paras_b[k] for k in order]
    planted = {(sources[k], j) for j, k in enumerate(order) if sources[k] is not None}
    quotes = []
    for _ in range(50):
        words = paras_a[rng.randrange(count)].rstrip(".").split()
        length = min(len(words), rng.randint(8, 30))
        start = rng.randrange(len(words) - length + 1)
        quote = " ".join(words[start : start + length])
        quotes.append(quote)
        j = rng.randrange(len(paras_b))
        paras_b[j] += f" As one said, “{quote}.” {writer.sentence()}"
    return _document("a.txt", paras_a), _document("b.txt", paras_b), planted, quotes


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _pairs(comparison: Comparison, a: Document, b: Document) -> set[tuple[int, int]]:
    index_a = {span: i for i, span in enumerate(a.paragraphs)}
    index_b = {span: j for j, span in enumerate(b.paragraphs)}
    return {(index_a[p.a], index_b[p.b]) for p in comparison.alignment}


def bench_speed(count: int, seed: int) -> None:
    a, b, planted, quotes = generated_pair(count, seed)
    print(f"Speed: {len(a.paragraphs)} vs {len(b.paragraphs)} paragraphs, {len(a.text) + len(b.text):,} characters")
    reports: list[float] = []
    started, started_cpu = time.perf_counter(), time.process_time()
    comparison = compare(a, b, progress=reports.append)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    found = _pairs(comparison, a, b)
    runs = {_words(q.text) for q in comparison.shared_quotes}
    quotes_found = sum(any(_words(q) in r for r in runs) for q in quotes)
    print(f"  compare: {elapsed:.2f} s wall, {cpu:.2f} s CPU ({len(reports)} progress reports)")
    print(
        f"  {len(comparison.alignment)} pairs; planted pairs found {len(found & planted)}/{len(planted)}; "
        f"only in A {len(comparison.only_in_a)}, only in B {len(comparison.only_in_b)}"
    )
    print(f"  {len(comparison.shared_quotes)} shared quotes; planted quotes found {quotes_found}/{len(quotes)}")
    short = _document("short.txt", [a.text[s:e] for s, e in a.paragraphs[:50]])
    started = time.perf_counter()
    compare(a, short)
    print(f"  {len(a.paragraphs)} vs {len(short.paragraphs)} paragraphs: {time.perf_counter() - started:.2f} s")


def bench_app(count: int, seed: int) -> None:
    a, b, _, _ = generated_pair(count, seed)
    with tempfile.TemporaryDirectory() as tmp:
        for var in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
            os.environ[var] = f"{tmp}/{var.lower()}"
        root = Path(tmp) / "corpus"
        root.mkdir()
        for doc in (a, b):
            (root / doc.rel).write_text(doc.text, encoding="utf-8")
        data = comparison_to_data(compare(a, b))
        started = time.perf_counter()
        write_json_atomic(Path(tmp) / "alone.json", data)
        print(f"In the app, {count:,} paragraphs each (writing the cache file alone: ", end="")
        print(f"{time.perf_counter() - started:.2f} s)")
        print(f"  {_app_timings(root)}")


def _app_timings(root: Path) -> str:
    """Seconds from the app's start to each stage, polled every 10 ms on the app's own loop."""
    from folio_reader.index import locations
    from folio_reader.tui.app import FolioApp
    from folio_reader.tui.screens.compare import CompareScreen

    cache_dir = locations.compare_cache_dir(root)
    started = time.perf_counter()
    app = FolioApp(open_corpus(root), start_compare=("a.txt", "b.txt"))

    async def run() -> str:
        seen: dict[str, float] = {}
        async with app.run_test(size=(160, 50)) as pilot:
            while len(seen) < 3:
                await pilot.pause(0.01)
                now = time.perf_counter() - started
                screen = app.screen
                if isinstance(screen, CompareScreen) and all(screen.documents.values()):
                    seen.setdefault("both documents shown", now)
                if isinstance(screen, CompareScreen) and screen.comparison is not None:
                    seen.setdefault("marks", now)
                if list(cache_dir.glob("compare-*.json")):
                    seen.setdefault("cache file on disk", now)
        return ", ".join(f"{stage} {at:.2f} s" for stage, at in seen.items())

    return asyncio.run(run())


def gold_scores(settings: AlignSettings) -> list[tuple[str, int, float, float]]:
    """(label, predicted pairs, precision, recall) per gold document pair, then overall."""
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    corpus = open_corpus(None)
    rows = []
    totals = [0, 0, 0, 0]  # predicted, correct, gold found, gold
    for entry in gold["documents"]:
        a, b = corpus.load(entry["a"]), corpus.load(entry["b"])
        predicted = _pairs(compare(a, b, settings=settings), a, b)
        wanted = {(p["a"], p["b"]) for p in entry["gold"]}
        allowed = wanted | {(p["a"], p["b"]) for p in entry["acceptable"]}
        counts = [len(predicted), len(predicted & allowed), len(predicted & wanted), len(wanted)]
        totals = [t + c for t, c in zip(totals, counts, strict=False)]
        rows.append((f"{entry['a'][:3]}/{entry['b'][:3]}", *_precision_recall(counts)))
    rows.append(("overall", *_precision_recall(totals)))
    return rows


def _precision_recall(counts: list[int]) -> tuple[int, float, float]:
    predicted, correct, found, wanted = counts
    return predicted, correct / predicted if predicted else 1.0, found / wanted


def bench_gold() -> None:
    print("Gold set: precision / recall (predicted pairs) per document pair; * = defaults")
    default = AlignSettings()
    for threshold in (0.06, 0.08, 0.10, 0.12, 0.14, 0.16, 0.20):
        for keep in (0.5, 0.7, 1.0):
            settings = dataclasses.replace(default, threshold=threshold, keep=keep)
            cells = "   ".join(f"{label} P {p:.2f} R {r:.2f} ({n:2})" for label, n, p, r in gold_scores(settings))
            mark = "*" if settings == default else " "
            print(f" {mark} threshold {threshold:.2f} keep {keep:.1f}:  {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paragraphs", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-app", action="store_true")
    parser.add_argument("--skip-gold", action="store_true")
    args = parser.parse_args()
    bench_speed(args.paragraphs, args.seed)
    if not args.skip_app:
        bench_app(args.paragraphs, args.seed)
    if not args.skip_gold:
        bench_gold()


if __name__ == "__main__":
    main()
