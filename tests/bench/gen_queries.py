#!/usr/bin/env python3
"""Write a benchmark query file (one query per line, Folio/Whoosh syntax) drawn from a corpus.

    python tests/bench/gen_queries.py --corpus DIR --out FILE [--n 300] [--seed S]

Queries use the corpus's own words so most of them have hits: single terms (frequent and
rare), several terms, phrases taken from real text, OR / NOT combinations, field queries
(title:, author:), prefixes (word*), fuzzy terms (word~) and a few that match nothing.
The same corpus and seed give the same file.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_DOCS = 400
HEADER_LINES = 8
WORD = re.compile(r"[^\W\d_]+")
# Whoosh's default stop words: the Folio index drops these, so queries avoid them.
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "for",
        "from",
        "have",
        "if",
        "in",
        "is",
        "it",
        "may",
        "not",
        "of",
        "on",
        "or",
        "tbd",
        "that",
        "the",
        "this",
        "to",
        "us",
        "we",
        "when",
        "will",
        "with",
        "yet",
        "you",
        "your",
    ]
)
DATE_LINE = re.compile(r"\d{4}-\d\d-\d\d|\d{1,2} [A-Z][a-z]+ \d{4}|[A-Z][a-z]+ \d{1,2}, \d{4}")
NAME_LINE = re.compile(r"^[A-Z][^\W\d_]+ [A-Z][^\W\d_]+$")

# Share of each kind of query in the file.
SHARES: dict[str, float] = {
    "frequent": 0.10,
    "rare": 0.10,
    "terms": 0.15,
    "phrase": 0.15,
    "or": 0.08,
    "not": 0.07,
    "mixed": 0.04,
    "title": 0.07,
    "author": 0.05,
    "prefix": 0.08,
    "fuzzy": 0.08,
    "nomatch": 0.03,
}


def corpus_files(root: Path) -> list[Path]:
    """The documents under root, in a stable order: exactly the files Folio indexes (its own
    scan: `.txt`, `.md`, `.markdown`, `.rst` in any case, hidden files and folders left out,
    symlinks out of the corpus not followed), so that every engine reads the same files."""
    from folio_reader.index.corpus import open_corpus

    return sorted(root / entry.rel for entry in open_corpus(root).scan().entries)


def read_header(text: str) -> tuple[str, list[str]]:
    """Title and authors read off the first lines of a document (heading or plain line, 'By' line)."""
    lines = [line.strip() for line in text.splitlines()[:HEADER_LINES]]
    title = ""
    authors: list[str] = []
    for line in lines:
        if not line:
            continue
        if not title and line.startswith("# "):
            title = line[2:].strip()
        elif (
            not title
            and len(line) < 150
            and not line.endswith((".", "?", "!", '"', "”"))
            and not DATE_LINE.fullmatch(line)
        ):
            title = line
        elif line.startswith("By "):
            authors = [a.strip() for a in line[3:].split(" and ")]
        elif NAME_LINE.match(line) and not DATE_LINE.search(line):
            authors = [line]
    return title, authors


@dataclass
class Doc:
    title: str
    authors: list[str]
    words: list[str]
    segments: list[list[str]]


@dataclass
class Sample:
    docs: list[Doc]
    counts: Counter[str] = field(default_factory=Counter)

    def __post_init__(self) -> None:
        for doc in self.docs:
            self.counts.update(doc.words)
        ranked = [w for w, _ in self.counts.most_common() if w not in STOP_WORDS and len(w) > 2]
        self.frequent = ranked[:300]
        self.middle = ranked[300:3000] or ranked
        self.rare = ranked[-300:]


def load_doc(path: Path) -> Doc:
    text = path.read_text(encoding="utf-8", errors="replace")
    title, authors = read_header(text)
    segments = [seg.split() for seg in re.split(r"[.,;:!?—\"“”()\n*_#>]+", text)]
    plain = [[w.lower() for w in seg] for seg in segments if all(w.isalpha() for w in seg)]
    return Doc(title, authors, WORD.findall(text.lower()), [s for s in plain if len(s) >= 2])


def load_sample(root: Path, rng: random.Random) -> Sample:
    files = corpus_files(root)
    if not files:
        raise SystemExit(f"no documents under {root}")
    chosen = rng.sample(files, min(SAMPLE_DOCS, len(files)))
    return Sample([load_doc(p) for p in chosen])


def content_words(doc: Doc) -> list[str]:
    return sorted({w for w in doc.words if w not in STOP_WORDS and len(w) > 2})


class QueryMaker:
    """One builder method per kind of query; each returns a query or None to try again."""

    def __init__(self, sample: Sample, rng: random.Random) -> None:
        self.sample = sample
        self.rng = rng

    def doc(self) -> Doc:
        return self.rng.choice(self.sample.docs)

    def doc_terms(self, k: int) -> list[str] | None:
        words = content_words(self.doc())
        return self.rng.sample(words, k) if len(words) >= k else None

    def frequent(self) -> str:
        return self.rng.choice(self.sample.frequent)

    def rare(self) -> str:
        return self.rng.choice(self.sample.rare)

    def terms(self) -> str | None:
        words = self.doc_terms(self.rng.randint(2, 4))
        return " ".join(words) if words else None

    def phrase(self) -> str | None:
        segments = self.doc().segments
        if not segments:
            return None
        seg = self.rng.choice(segments)
        size = min(len(seg), self.rng.choice((2, 2, 3)))
        start = self.rng.randrange(len(seg) - size + 1)
        words = seg[start : start + size]
        if words[0] in STOP_WORDS or words[-1] in STOP_WORDS:
            return None
        return '"' + " ".join(words) + '"'

    def or_(self) -> str | None:
        words = self.doc_terms(self.rng.randint(2, 3))
        return " OR ".join(words) if words else None

    def not_(self) -> str | None:
        words = self.doc_terms(1)
        other = self.rng.choice(self.sample.middle)
        return f"{words[0]} NOT {other}" if words and other != words[0] else None

    def mixed(self) -> str | None:
        words = self.doc_terms(3)
        if not words:
            return None
        a, b, c = words
        return self.rng.choice((f"({a} OR {b}) {c}", f"{a} {b} NOT {c}", f"{a} OR ({b} {c})"))

    def title(self) -> str | None:
        words = [w for w in WORD.findall(self.doc().title.lower()) if w not in STOP_WORDS and len(w) > 2]
        return f"title:{self.rng.choice(words)}" if words else None

    def author(self) -> str | None:
        authors = self.doc().authors
        if not authors:
            return None
        name = self.rng.choice(authors)
        return f'author:"{name}"' if self.rng.random() < 0.3 else f"author:{name.split()[-1].lower()}"

    def prefix(self) -> str | None:
        word = self.rng.choice(self.sample.middle + self.sample.frequent)
        if len(word) < 5:
            return None
        return word[: self.rng.randint(3, min(6, len(word) - 1))] + "*"

    def fuzzy(self) -> str | None:
        word = self.rng.choice(self.sample.middle)
        if len(word) < 5:
            return None
        return (word if self.rng.random() < 0.5 else self.misspell(word)) + "~"

    def misspell(self, word: str) -> str:
        i = self.rng.randrange(1, len(word) - 1)
        edit = self.rng.randrange(3)
        if edit == 0:
            return word[:i] + word[i + 1 :]
        if edit == 1:
            return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        return word[:i] + self.rng.choice("aeiouy") + word[i + 1 :]

    def nomatch(self) -> str | None:
        word = "".join(self.rng.choice(part) for part in ("zxq", "aeiou", "vjk", "uo", "qzx", "ei"))
        return None if word in self.sample.counts else word

    def builders(self) -> dict[str, Callable[[], str | None]]:
        return {
            "frequent": self.frequent,
            "rare": self.rare,
            "terms": self.terms,
            "phrase": self.phrase,
            "or": self.or_,
            "not": self.not_,
            "mixed": self.mixed,
            "title": self.title,
            "author": self.author,
            "prefix": self.prefix,
            "fuzzy": self.fuzzy,
            "nomatch": self.nomatch,
        }


def quotas(n: int) -> dict[str, int]:
    """Split n among the kinds by SHARES (largest remainder), every kind at least one."""
    raw = {kind: n * share / sum(SHARES.values()) for kind, share in SHARES.items()}
    counts = {kind: max(1, int(value)) for kind, value in raw.items()}
    by_remainder = sorted(raw, key=lambda kind: raw[kind] - int(raw[kind]), reverse=True)
    for kind in by_remainder[: max(0, n - sum(counts.values()))]:
        counts[kind] += 1
    return counts


def make_kind(build: Callable[[], str | None], count: int, seen: set[str]) -> Iterator[str]:
    made = 0
    for _ in range(count * 50):
        if made == count:
            return
        query = build()
        if query and query not in seen:
            seen.add(query)
            made += 1
            yield query


def make_queries(corpus: Path, n: int, seed: int) -> tuple[list[str], dict[str, int]]:
    rng = random.Random(f"folio-queries:{seed}")
    maker = QueryMaker(load_sample(corpus, rng), rng)
    seen: set[str] = set()
    queries: list[str] = []
    made: dict[str, int] = {}
    for kind, count in quotas(n).items():
        batch = list(make_kind(maker.builders()[kind], count, seen))
        made[kind] = len(batch)
        queries.extend(batch)
    rng.shuffle(queries)
    return queries, made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    queries, made = make_queries(args.corpus, args.n, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("".join(q + "\n" for q in queries), encoding="utf-8")
    print(f"{len(queries)} queries in {args.out}: " + ", ".join(f"{k} {v}" for k, v in made.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
