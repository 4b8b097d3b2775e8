"""Paragraph alignment: which paragraphs of B say what a paragraph of A says.

Paragraphs are compared as TF-IDF vectors of stemmed words without stopwords (`index.analysis`,
with its prose stop list: Whoosh's full English list), IDF taken over the paragraphs of both
documents (smoothed), sublinear term frequency, cosine similarity. Order is ignored: outlets put
facts in different orders. A pair counts when its score reaches `AlignSettings.threshold` and the
two paragraphs share at least `AlignSettings.min_shared_terms` terms (one shared name or word is
coincidence); it is kept when within `AlignSettings.keep` of the best score of either of its
paragraphs, so a paragraph may have several counterparts. The settings were chosen on the
hand-labelled gold set in tests/data/gold_alignment.json (see tests/bench/bench_compare.py).
Paragraphs with no counterpart at or above the threshold are *only here*.

Scoring never visits all pairs. An inverted index of B's paragraphs by term proposes, for each
paragraph of A, the `MAX_CANDIDATES` paragraphs of B sharing the most *uncommon* terms with it
(terms in at most `MIN_CANDIDATE_POSTINGS` paragraphs of B, or `COMMON_TERM_FRACTION` of them if
that is more; a paragraph with none proposes those sharing its rarest term). The candidates are
then scored in full, common terms included. Documents of up to 100 paragraphs are so compared
exhaustively; in longer ones a weak pair sharing only common words may be missed (measured on
generated 3,000-paragraph documents: 80% of the pairs found, the missed ones scoring a median
0.11), while pairs on a common point (rare words) are all found.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from folio_reader.index import analysis
from folio_reader.index.compare.model import Pair, Span
from folio_reader.index.compare.progress import SCORING, VECTORS, Monitor
from folio_reader.index.corpus import Document

#: Terms in more than this many paragraphs of B (or this fraction of them, if more) are common:
#: they count in scores but do not propose candidates.
MIN_CANDIDATE_POSTINGS = 100
COMMON_TERM_FRACTION = 0.02
#: Candidates of each paragraph of A scored in full: those sharing the most uncommon terms.
MAX_CANDIDATES = 100

_REPORT_EVERY = 64  # paragraphs between two progress reports


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


#: The settings chosen on the gold set.
DEFAULT_SETTINGS = AlignSettings()


@dataclass(frozen=True, slots=True)
class Alignment:
    """The counterpart pairs (in order of A, best first within a paragraph) and the rest."""

    pairs: list[Pair]
    only_in_a: list[Span]
    only_in_b: list[Span]


def align(a: Document, b: Document, settings: AlignSettings, monitor: Monitor) -> Alignment:
    """Align the paragraphs of `a` and `b` as `settings` say (progress: the first two stages)."""
    vectors_a, vectors_b = _vectors(a, b, monitor)
    scored = _score_pairs(vectors_a, vectors_b, settings, monitor)
    kept = _select(scored, len(a.paragraphs), len(b.paragraphs), settings.keep)
    pairs = sorted(
        (Pair(a.paragraphs[i], b.paragraphs[j], round(score, 4)) for i, j, score in kept),
        key=lambda p: (p.a[0], -p.score, p.b[0]),
    )
    paired_a = {i for i, _, _ in scored}
    paired_b = {j for _, j, _ in scored}
    return Alignment(
        pairs,
        only_in_a=[span for i, span in enumerate(a.paragraphs) if i not in paired_a],
        only_in_b=[span for j, span in enumerate(b.paragraphs) if j not in paired_b],
    )


# -- paragraph vectors --------------------------------------------------------------------------

Vector = dict[str, float]


def _vectors(a: Document, b: Document, monitor: Monitor) -> tuple[list[Vector], list[Vector]]:
    """Unit TF-IDF vectors of the paragraphs of both documents, IDF over all their paragraphs."""
    spans = [(a.text, s) for s in a.paragraphs] + [(b.text, s) for s in b.paragraphs]
    stems: dict[str, str] = {}
    counts: list[Counter[str]] = []
    for n, (text, (start, end)) in enumerate(spans):
        if n % _REPORT_EVERY == 0:
            monitor.report(VECTORS * n / len(spans))
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


# -- scoring ------------------------------------------------------------------------------------


def _score_pairs(
    vectors_a: list[Vector], vectors_b: list[Vector], settings: AlignSettings, monitor: Monitor
) -> list[tuple[int, int, float]]:
    """(i, j, cosine) for every pair that may be counterparts (see the module notes)."""
    scorer = _Scorer(vectors_b, settings)
    scored: list[tuple[int, int, float]] = []
    for i, vector in enumerate(vectors_a):
        if i % _REPORT_EVERY == 0:
            monitor.report(VECTORS + SCORING * i / len(vectors_a))
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

    def scores(self, vector: Vector) -> Iterator[tuple[int, float]]:
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
