"""Passage alignment and shared quotes between two documents.

`compare(a, b)` answers three questions a reader asks of two accounts of the same events:

* **Aligned passages**: which paragraphs of B say what a paragraph of A says? Paragraphs are
  compared as TF-IDF vectors of stemmed words without stopwords (the Whoosh stemming analyzer
  with its English stopword list), IDF taken over the paragraphs of both documents (smoothed),
  sublinear term frequency, cosine similarity. Order is ignored: outlets put facts in different
  orders. A pair counts when its score reaches `AlignSettings.threshold` and the two paragraphs
  share at least `AlignSettings.min_shared_terms` terms (one shared name or word is
  coincidence); it is kept when within `AlignSettings.keep` of the best score of either of its
  paragraphs, so a paragraph may have several counterparts. The settings were chosen on the
  hand-labelled gold set in tests/data/gold_alignment.json (see tests/bench/bench_compare.py).
* **Only-here passages**: paragraphs with no counterpart at or above the threshold.
* **Shared quotes**: maximal runs of at least `MIN_QUOTE_WORDS` words found in both texts once
  case, punctuation and curly/straight quotes and apostrophes are ignored, with every occurrence
  as an exact span of each canonical text (first word's start to last word's end).

Scoring never visits all pairs. An inverted index of B's paragraphs by term proposes, for each
paragraph of A, the `MAX_CANDIDATES` paragraphs of B sharing the most *uncommon* terms with it
(terms in at most `MIN_CANDIDATE_POSTINGS` paragraphs of B, or `COMMON_TERM_FRACTION` of them if
that is more; a paragraph with none proposes those sharing its rarest term). The candidates are
then scored in full, common terms included. Documents of up to 100 paragraphs are so compared
exhaustively; in longer ones a weak pair sharing only common words may be missed (measured on
generated 3,000-paragraph documents: 80% of the pairs found, the missed ones scoring a median
0.11), while pairs on a common point (rare words) are all found.

`compare` reports progress as a fraction and raises `ComparisonCancelled` as soon as it sees
`should_stop()` return true: a partial alignment is never returned.

Offsets are code-point offsets into the canonical texts (`Document.text`), like every offset in
Folio. This module is headless: it never imports textual or tui.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import logging
import math
import re
import textwrap
import threading
import unicodedata
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from itertools import chain
from pathlib import Path

from folio_reader.index import analysis
from folio_reader.index.atomic_io import read_json_file, write_json_atomic
from folio_reader.index.corpus import Document

Span = tuple[int, int]
_log = logging.getLogger(__name__)

#: Shortest run of words reported as a shared quote.
MIN_QUOTE_WORDS = 6
#: A word n-gram that occurs more often than this in either document (boilerplate) seeds no quote.
MAX_SEED_OCCURRENCES = 50
#: Terms in more than this many paragraphs of B (or this fraction of them, if more) are common:
#: they count in scores but do not propose candidates.
MIN_CANDIDATE_POSTINGS = 100
COMMON_TERM_FRACTION = 0.02
#: Candidates of each paragraph of A scored in full: those sharing the most uncommon terms.
MAX_CANDIDATES = 100
#: Bump when the algorithm changes what it returns: cached comparisons are then recomputed.
ALGORITHM_VERSION = 1

_REPORT_EVERY = 64  # paragraphs between two progress reports
_QUOTE_REPORT_EVERY = 8192  # words between two progress reports
# Share of the progress bar taken by each stage (vectors, scoring, quotes).
_STAGES = (0.2, 0.45, 0.35)


@dataclass(frozen=True, slots=True)
class AlignSettings:
    """How similar two paragraphs must be to count as counterparts."""

    #: Lowest cosine similarity (0 to 1) of two counterparts.
    threshold: float = 0.10
    #: Fewest terms two counterparts share (or all the terms of the shorter, if it has fewer).
    min_shared_terms: int = 3
    #: A pair is kept when its score is at least this fraction of the best score of one of its
    #: paragraphs: near-ties are all shown, weak echoes of a strong match are not.
    keep: float = 0.7


@dataclass(frozen=True, slots=True)
class Pair:
    """Two counterpart paragraphs, as spans of their canonical texts, and their similarity."""

    a: Span
    b: Span
    score: float


@dataclass(frozen=True, slots=True)
class SharedQuote:
    """A maximal run of words found in both documents, with all its occurrences in each.

    `text` is the run as it reads at its first occurrence in A, whitespace collapsed.
    """

    text: str
    a: list[Span]
    b: list[Span]


class ComparisonCancelled(Exception):
    """Raised by `compare` when `should_stop()` returned true."""


@dataclass(slots=True)
class _SideIndex:
    """The paragraphs of one side that have counterparts, for lookups by offset."""

    starts: list[int]
    spans: list[Span]
    pairs: dict[Span, list[Pair]]


@dataclass(slots=True)
class Comparison:
    """What `compare` found; all spans are (start, end) offsets into the canonical texts."""

    alignment: list[Pair]
    only_in_a: list[Span]
    only_in_b: list[Span]
    shared_quotes: list[SharedQuote]
    _by_a: _SideIndex | None = field(default=None, init=False, repr=False, compare=False)
    _by_b: _SideIndex | None = field(default=None, init=False, repr=False, compare=False)

    def counterparts_in_b(self, offset_in_a: int) -> list[Pair]:
        """The pairs of the paragraph of A that contains `offset_in_a`, best first."""
        if self._by_a is None:
            self._by_a = _side_index(self.alignment, lambda p: p.a)
        return _lookup(self._by_a, offset_in_a)

    def counterparts_in_a(self, offset_in_b: int) -> list[Pair]:
        """The pairs of the paragraph of B that contains `offset_in_b`, best first."""
        if self._by_b is None:
            self._by_b = _side_index(self.alignment, lambda p: p.b)
        return _lookup(self._by_b, offset_in_b)


def _side_index(pairs: list[Pair], side: Callable[[Pair], Span]) -> _SideIndex:
    grouped: dict[Span, list[Pair]] = defaultdict(list)
    for pair in pairs:
        grouped[side(pair)].append(pair)
    for group in grouped.values():
        group.sort(key=lambda p: -p.score)
    spans = sorted(grouped)
    return _SideIndex([s for s, _ in spans], spans, dict(grouped))


def _lookup(index: _SideIndex, offset: int) -> list[Pair]:
    at = bisect.bisect_right(index.starts, offset) - 1
    if at < 0 or offset > index.spans[at][1]:
        return []
    return list(index.pairs[index.spans[at]])


# -- progress -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Monitor:
    progress: Callable[[float], None] | None
    should_stop: Callable[[], bool] | None

    def report(self, fraction: float) -> None:
        if self.should_stop is not None and self.should_stop():
            raise ComparisonCancelled
        if self.progress is not None:
            self.progress(min(1.0, fraction))


# -- the comparison -----------------------------------------------------------------------------


def compare(
    a: Document,
    b: Document,
    *,
    settings: AlignSettings = AlignSettings(),
    progress: Callable[[float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Comparison:
    """Align the paragraphs of `a` and `b` (as `settings` say) and find the quotes they share.

    `progress(fraction)` is called now and then with a number from 0 to 1; when `should_stop()`
    returns true the work stops and `ComparisonCancelled` is raised.
    """
    monitor = _Monitor(progress, should_stop)
    monitor.report(0.0)
    vectors_a, vectors_b = _vectors(a, b, monitor)
    scored = _score_pairs(vectors_a, vectors_b, settings, monitor)
    kept = _select(scored, len(a.paragraphs), len(b.paragraphs), settings.keep)
    alignment = sorted(
        (Pair(a.paragraphs[i], b.paragraphs[j], round(score, 4)) for i, j, score in kept),
        key=lambda p: (p.a[0], -p.score, p.b[0]),
    )
    paired_a = {i for i, _, _ in scored}
    paired_b = {j for _, j, _ in scored}
    quotes = _shared_quotes(a.text, b.text, MIN_QUOTE_WORDS, monitor)
    monitor.report(1.0)
    return Comparison(
        alignment=alignment,
        only_in_a=[span for i, span in enumerate(a.paragraphs) if i not in paired_a],
        only_in_b=[span for j, span in enumerate(b.paragraphs) if j not in paired_b],
        shared_quotes=quotes,
    )


# -- paragraph similarity -----------------------------------------------------------------------

Vector = dict[str, float]


def _vectors(a: Document, b: Document, monitor: _Monitor) -> tuple[list[Vector], list[Vector]]:
    """Unit TF-IDF vectors of the paragraphs of both documents, IDF over all their paragraphs."""
    spans = [(a.text, s) for s in a.paragraphs] + [(b.text, s) for s in b.paragraphs]
    stems: dict[str, str] = {}
    counts: list[Counter[str]] = []
    for n, (text, (start, end)) in enumerate(spans):
        if n % _REPORT_EVERY == 0:
            monitor.report(_STAGES[0] * n / len(spans))
        counts.append(_term_counts(text[start:end], stems))
    document_frequency: Counter[str] = Counter()
    for c in counts:
        document_frequency.update(c.keys())
    total = len(counts)
    idf = {t: math.log((1 + total) / (1 + df)) + 1.0 for t, df in document_frequency.items()}
    vectors = [_unit_vector(c, idf) for c in counts]
    return vectors[: len(a.paragraphs)], vectors[len(a.paragraphs) :]


def _term_counts(text: str, stems: dict[str, str]) -> Counter[str]:
    """The terms of a text (`index.analysis`, with the prose stop list); `stems` caches the
    words seen."""
    counts: Counter[str] = Counter()
    for word, n in Counter(analysis.words(text.lower())).items():
        term = stems.get(word)
        if term is None:
            term = stems[word] = analysis.term(word, analysis.PROSE_STOP_WORDS) or ""
        if term:
            counts[term] += n
    return counts


def _unit_vector(counts: Counter[str], idf: dict[str, float]) -> Vector:
    weights = {t: (1.0 + math.log(n)) * idf[t] for t, n in counts.items()}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return {t: w / norm for t, w in weights.items()} if norm else {}


def _score_pairs(
    vectors_a: list[Vector], vectors_b: list[Vector], settings: AlignSettings, monitor: _Monitor
) -> list[tuple[int, int, float]]:
    """(i, j, cosine) for every pair that may be counterparts (see the module notes)."""
    scorer = _Scorer(vectors_b, settings)
    start, width = _STAGES[0], _STAGES[1]
    scored: list[tuple[int, int, float]] = []
    for i, vector in enumerate(vectors_a):
        if i % _REPORT_EVERY == 0:
            monitor.report(start + width * i / len(vectors_a))
        scored.extend((i, j, s) for j, s in scorer.scores(vector))
    return scored


class _Scorer:
    """Finds the paragraphs of B similar to a vector through an inverted index of B's terms."""

    def __init__(self, vectors_b: list[Vector], settings: AlignSettings) -> None:
        self.vectors_b = vectors_b
        self.settings = settings
        self.postings: dict[str, list[int]] = defaultdict(list)
        for j, vector in enumerate(vectors_b):
            for term in vector:
                self.postings[term].append(j)
        self.cap = max(MIN_CANDIDATE_POSTINGS, int(len(vectors_b) * COMMON_TERM_FRACTION))

    def scores(self, vector: Vector) -> Iterable[tuple[int, float]]:
        """The paragraphs of B that may be counterparts of `vector`, with their cosines.

        The candidates are the `MAX_CANDIDATES` paragraphs sharing the most uncommon terms
        with `vector` (or its rarest term, if all its terms are common); each is then scored
        in full.
        """
        lists = [self.postings[t] for t in vector if t in self.postings]
        proposers = [js for js in lists if len(js) <= self.cap] or sorted(lists, key=len)[:1]
        candidates = Counter(chain.from_iterable(proposers))
        for j, _ in candidates.most_common(MAX_CANDIDATES):
            other = self.vectors_b[j]
            shared = vector.keys() & other.keys()
            if len(shared) < min(self.settings.min_shared_terms, len(vector), len(other)):
                continue
            score = sum(vector[t] * other[t] for t in shared)
            if score >= self.settings.threshold:
                yield j, min(score, 1.0)


def _select(
    scored: list[tuple[int, int, float]], count_a: int, count_b: int, keep: float
) -> list[tuple[int, int, float]]:
    """The pairs within `keep` of the best score of their paragraph in A or of their one in B."""
    best_a = [0.0] * count_a
    best_b = [0.0] * count_b
    for i, j, score in scored:
        best_a[i] = max(best_a[i], score)
        best_b[j] = max(best_b[j], score)
    return [(i, j, s) for i, j, s in scored if s >= keep * best_a[i] or s >= keep * best_b[j]]


# -- shared quotes ------------------------------------------------------------------------------

_APOSTROPHES = "'\u2019\u2018\u02bc"
_WORD_RE = re.compile(rf"[^\W_]+(?:[{_APOSTROPHES}][^\W_]+)*")
_DROP_APOSTROPHES = str.maketrans("", "", _APOSTROPHES)
_SPACES_RE = re.compile(r"\s+")


class _Vocabulary:
    """Word ids shared by the two texts: equal ids for words equal once normalised."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}  # normalised word -> id
        self.seen: dict[str, int] = {}  # word as written -> id

    def word_ids(self, text: str) -> list[int]:
        """The id of each word of `text`, in order."""
        seen = self.seen
        return [seen[w] if w in seen else self._add(w) for w in _WORD_RE.findall(text)]

    def _add(self, word: str) -> int:
        normal = word.translate(_DROP_APOSTROPHES)
        if not normal.isascii():
            normal = unicodedata.normalize("NFKC", normal)
        word_id = self.seen[word] = self.ids.setdefault(normal.casefold(), len(self.ids))
        return word_id


def shared_quotes(text_a: str, text_b: str, *, min_words: int = MIN_QUOTE_WORDS) -> list[SharedQuote]:
    """Maximal runs of at least `min_words` words found in both texts, in order of A.

    Words are compared without case, punctuation or apostrophes (curly or straight). Every
    n-gram of A found in B seeds a match that is extended both ways along its diagonal as far as
    the words agree; each run is found once, so the time is linear in the words plus the length
    of the runs. N-grams recurring more than `MAX_SEED_OCCURRENCES` times in either text seed
    nothing.
    """
    return _shared_quotes(text_a, text_b, min_words, _Monitor(None, None))


def _shared_quotes(text_a: str, text_b: str, min_words: int, monitor: _Monitor) -> list[SharedQuote]:
    vocabulary = _Vocabulary()
    ids_a, ids_b = vocabulary.word_ids(text_a), vocabulary.word_ids(text_b)
    runs = _common_runs(ids_a, ids_b, min_words, monitor)
    if not runs:
        return []
    spans_a = [m.span() for m in _WORD_RE.finditer(text_a)]
    spans_b = [m.span() for m in _WORD_RE.finditer(text_b)]
    grouped: dict[tuple[int, ...], tuple[set[Span], set[Span]]] = {}
    for i, j, length in runs:
        in_a, in_b = grouped.setdefault(tuple(ids_a[i : i + length]), (set(), set()))
        in_a.add((spans_a[i][0], spans_a[i + length - 1][1]))
        in_b.add((spans_b[j][0], spans_b[j + length - 1][1]))
    quotes = []
    for in_a, in_b in grouped.values():
        first = min(in_a)
        text = _SPACES_RE.sub(" ", text_a[first[0] : first[1]])
        quotes.append(SharedQuote(text, sorted(in_a), sorted(in_b)))
    quotes.sort(key=lambda q: (q.a[0], q.b[0]))
    return quotes


def _common_runs(ids_a: list[int], ids_b: list[int], n: int, monitor: _Monitor) -> list[tuple[int, int, int]]:
    """(start in A, start in B, length) of every maximal common run of at least n words."""
    grams_a = list(zip(*(ids_a[k:] for k in range(n)), strict=False))
    grams_b = list(zip(*(ids_b[k:] for k in range(n)), strict=False))
    smaller, larger = sorted((grams_a, grams_b), key=len)
    common = set(smaller).intersection(larger)
    seeds: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for j, gram in enumerate(grams_b):
        if gram in common:
            seeds[gram].append(j)
    in_a = Counter(gram for gram in grams_a if gram in common)
    seeds = {g: js for g, js in seeds.items() if len(js) <= MAX_SEED_OCCURRENCES and in_a[g] <= MAX_SEED_OCCURRENCES}
    reach: dict[int, int] = {}  # diagonal (i - j) -> end in A of the last run found on it
    runs: list[tuple[int, int, int]] = []
    start = _STAGES[0] + _STAGES[1]
    for i, gram in enumerate(grams_a):
        if i % _QUOTE_REPORT_EVERY == 0:
            monitor.report(start + _STAGES[2] * i / len(grams_a))
        for j in seeds.get(gram, ()):
            if i < reach.get(i - j, -1):
                continue  # inside a run already found
            run = _extend(ids_a, ids_b, i, j, n)
            reach[i - j] = run[0] + run[2]
            runs.append(run)
    return runs


def _extend(ids_a: list[int], ids_b: list[int], i: int, j: int, length: int) -> tuple[int, int, int]:
    """The maximal run through the match of `length` words at (i, j)."""
    # Backwards only over n-grams too frequent to seed: otherwise an earlier seed found the run.
    while i and j and ids_a[i - 1] == ids_b[j - 1]:
        i, j, length = i - 1, j - 1, length + 1
    while i + length < len(ids_a) and j + length < len(ids_b) and ids_a[i + length] == ids_b[j + length]:
        length += 1
    return i, j, length


# -- output -------------------------------------------------------------------------------------


def _comparison_to_data(comparison: Comparison) -> dict:
    return {
        "alignment": [{"a": list(p.a), "b": list(p.b), "score": p.score} for p in comparison.alignment],
        "only_in_a": [list(s) for s in comparison.only_in_a],
        "only_in_b": [list(s) for s in comparison.only_in_b],
        "shared_quotes": [
            {"text": q.text, "a": [list(s) for s in q.a], "b": [list(s) for s in q.b]} for q in comparison.shared_quotes
        ],
    }


def _span(value: list[int]) -> Span:
    start, end = value
    return int(start), int(end)


def _comparison_from_data(data: dict) -> Comparison:
    """The inverse of `_comparison_to_data`; raises KeyError, TypeError or ValueError if malformed."""
    return Comparison(
        alignment=[Pair(_span(p["a"]), _span(p["b"]), float(p["score"])) for p in data["alignment"]],
        only_in_a=[_span(s) for s in data["only_in_a"]],
        only_in_b=[_span(s) for s in data["only_in_b"]],
        shared_quotes=[
            SharedQuote(str(q["text"]), [_span(s) for s in q["a"]], [_span(s) for s in q["b"]])
            for q in data["shared_quotes"]
        ],
    )


def to_json(comparison: Comparison, a_doc: Document, b_doc: Document) -> dict:
    """The comparison as a JSON-ready dict; offsets are into the canonical texts."""
    return {
        "a": {"path": a_doc.rel, "title": a_doc.meta.title},
        "b": {"path": b_doc.rel, "title": b_doc.meta.title},
        **_comparison_to_data(comparison),
    }


_EXCERPT_CHARS = 100
_REPORT_WIDTH = 88


class _Numbered:
    """A document's paragraphs as the report names them: ¶1, ¶2, …"""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.starts = [start for start, _ in doc.paragraphs]
        self.numbers = {span: n for n, span in enumerate(doc.paragraphs, 1)}

    def label(self, span: Span) -> str:
        return f"¶{self.numbers.get(span, '?')}"

    def excerpt(self, span: Span) -> str:
        text = _SPACES_RE.sub(" ", self.doc.text[span[0] : span[1]])
        return text if len(text) <= _EXCERPT_CHARS else text[: _EXCERPT_CHARS - 1].rstrip() + "…"

    def where(self, span: Span) -> str:
        """The paragraphs a span runs over, and its offsets."""
        first = max(1, bisect.bisect_right(self.starts, span[0]))
        last = max(1, bisect.bisect_right(self.starts, span[1] - 1))
        paragraphs = f"¶{first}" if first == last else f"¶{first}–{last}"
        return f"{paragraphs} (characters {span[0]}–{span[1]})"


def format_report(comparison: Comparison, a_doc: Document, b_doc: Document) -> str:
    """A plain-text report: aligned pairs with excerpts, only-here passages, shared quotes."""
    a, b = _Numbered(a_doc), _Numbered(b_doc)
    lines = [
        f"A: {a_doc.meta.title} ({a_doc.rel}), {len(a_doc.paragraphs)} paragraphs",
        f"B: {b_doc.meta.title} ({b_doc.rel}), {len(b_doc.paragraphs)} paragraphs",
        "",
        f"{len(comparison.alignment)} aligned pairs, {len(comparison.only_in_a)} paragraphs only in A, "
        f"{len(comparison.only_in_b)} only in B, {len(comparison.shared_quotes)} shared quotes.",
    ]
    lines += _report_pairs(comparison.alignment, a, b)
    lines += _report_only("A", comparison.only_in_a, a)
    lines += _report_only("B", comparison.only_in_b, b)
    lines += _report_quotes(comparison.shared_quotes, a, b)
    return "\n".join(lines) + "\n"


def _report_pairs(alignment: list[Pair], a: _Numbered, b: _Numbered) -> list[str]:
    lines = ["", "ALIGNED PASSAGES (each paragraph of A with its counterparts in B, best first; score 0-1)"]
    by_a: dict[Span, list[Pair]] = defaultdict(list)
    for pair in alignment:
        by_a[pair.a].append(pair)
    if not by_a:
        lines.append("  (none)")
    for span, pairs in by_a.items():
        lines += ["", f"A {a.label(span)}  {a.excerpt(span)}"]
        lines += [
            f"  = B {b.label(p.b)} ({p.score:.2f})  {b.excerpt(p.b)}" for p in sorted(pairs, key=lambda p: -p.score)
        ]
    return lines


def _report_only(side: str, spans: list[Span], doc: _Numbered) -> list[str]:
    lines = ["", f"ONLY IN {side} ({len(spans)} paragraphs)"]
    return lines + ([f"  {doc.label(span)}  {doc.excerpt(span)}" for span in spans] or ["  (none)"])


def _report_quotes(quotes: list[SharedQuote], a: _Numbered, b: _Numbered) -> list[str]:
    lines = ["", f"SHARED QUOTES (runs of {MIN_QUOTE_WORDS} or more words found in both)"]
    if not quotes:
        lines.append("  (none)")
    for quote in quotes:
        lines += ["", *textwrap.wrap(f"“{quote.text}”", _REPORT_WIDTH, initial_indent="  ", subsequent_indent="  ")]
        lines += [f"    A {a.where(span)}" for span in quote.a]
        lines += [f"    B {b.where(span)}" for span in quote.b]
    return lines


# -- the cache ----------------------------------------------------------------------------------


class ComparisonCache:
    """Comparisons keyed by the content hashes of their documents and the settings.

    An in-process LRU of `size` entries, backed by JSON files in `directory` when one is given
    (written atomically; an unreadable or outdated file is recomputed and replaced, a file that
    cannot be written is logged and skipped). Safe to share between threads; two threads asking
    for the same pair at once may both compute it. The comparisons returned are shared: treat
    them as read-only.
    """

    def __init__(self, directory: Path | None = None, size: int = 16) -> None:
        self.directory = directory
        self.size = size
        self._entries: OrderedDict[str, Comparison] = OrderedDict()
        self._lock = threading.Lock()

    def compare(
        self,
        a: Document,
        b: Document,
        *,
        settings: AlignSettings = AlignSettings(),
        progress: Callable[[float], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> Comparison:
        """The cached comparison of `a` and `b`, computed (see `compare`) when not cached."""
        key = _cache_key(a, b, settings)
        found = self._remembered(key)
        if found is None:
            found = self._read(key)
        if found is None:
            found = compare(a, b, settings=settings, progress=progress, should_stop=should_stop)
            try:
                self._write(key, found)
            except OSError as exc:
                _log.warning("comparison not cached in %s: %s", self.directory, exc)
        self._remember(key, found)
        return found

    def _remembered(self, key: str) -> Comparison | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def _remember(self, key: str, comparison: Comparison) -> None:
        with self._lock:
            self._entries[key] = comparison
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def _path(self, key: str) -> Path | None:
        return None if self.directory is None else self.directory / f"compare-{key}.json"

    def _read(self, key: str) -> Comparison | None:
        path = self._path(key)
        if path is None:
            return None
        try:
            data = read_json_file(path)
            return _comparison_from_data(data) if data.get("key") == key else None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # missing, unreadable or malformed: computed again and rewritten

    def _write(self, key: str, comparison: Comparison) -> None:
        path = self._path(key)
        if path is None:
            return
        write_json_atomic(path, {"key": key, **_comparison_to_data(comparison)})


def _cache_key(a: Document, b: Document, settings: AlignSettings) -> str:
    """The content hashes, the paragraph spans (in case splitting changes) and the settings."""
    digest = hashlib.sha256()
    for part in (a.meta.content_hash, b.meta.content_hash, a.paragraphs, b.paragraphs):
        digest.update(f"{part}\0".encode())
    digest.update(json.dumps([ALGORITHM_VERSION, MIN_QUOTE_WORDS, asdict(settings)]).encode())
    return digest.hexdigest()[:40]
