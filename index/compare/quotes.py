"""Shared quotes: runs of words found word for word in both documents.

A shared quote is a maximal run of at least `MIN_QUOTE_WORDS` words found in both texts once
case, punctuation and curly/straight quotes and apostrophes are ignored, with every occurrence as
an exact span of each canonical text (first word's start to last word's end). Every n-gram of A
found in B seeds a match that is extended both ways along its diagonal as far as the words
agree; each run is found once, so the time is linear in the words plus the length of the runs.
N-grams recurring more than `MAX_SEED_OCCURRENCES` times in either text (boilerplate) seed
nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict

from folio_reader.index.compare.model import SharedQuote, Span
from folio_reader.index.compare.progress import QUOTES, SCORING, VECTORS, Monitor

#: Shortest run of words reported as a shared quote.
MIN_QUOTE_WORDS = 6
#: A word n-gram that occurs more often than this in either document (boilerplate) seeds no quote.
MAX_SEED_OCCURRENCES = 50

_REPORT_EVERY = 8192  # words between two progress reports
_APOSTROPHES = "'\u2019\u2018\u02bc"
_WORD_RE = re.compile(rf"[^\W_]+(?:[{_APOSTROPHES}][^\W_]+)*")
_DROP_APOSTROPHES = str.maketrans("", "", _APOSTROPHES)
_SPACES_RE = re.compile(r"\s+")


def collapse_spaces(text: str) -> str:
    """Every run of whitespace (newlines included) made one space."""
    return _SPACES_RE.sub(" ", text)


def shared_quotes(text_a: str, text_b: str, *, min_words: int = MIN_QUOTE_WORDS) -> list[SharedQuote]:
    """Maximal runs of at least `min_words` words found in both texts, in order of A.

    Words are compared without case, punctuation or apostrophes (curly or straight); see the
    module docstring.
    """
    return find_shared_quotes(text_a, text_b, min_words, Monitor())


def find_shared_quotes(text_a: str, text_b: str, min_words: int, monitor: Monitor) -> list[SharedQuote]:
    """`shared_quotes`, reporting progress (the last stage of a comparison) to `monitor`."""
    word_ids = _WordIds()
    ids_a, ids_b = word_ids.of(text_a), word_ids.of(text_b)
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
        text = collapse_spaces(text_a[first[0] : first[1]])
        quotes.append(SharedQuote(text, sorted(in_a), sorted(in_b)))
    quotes.sort(key=lambda q: (q.a[0], q.b[0]))
    return quotes


class _WordIds:
    """Word ids shared by the two texts: equal ids for words equal once normalised."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}  # normalised word -> id
        self.seen: dict[str, int] = {}  # word as written -> id

    def of(self, text: str) -> list[int]:
        """The id of each word of `text`, in order."""
        seen = self.seen
        return [seen[w] if w in seen else self._add(w) for w in _WORD_RE.findall(text)]

    def _add(self, word: str) -> int:
        normal = word.translate(_DROP_APOSTROPHES)
        if not normal.isascii():
            normal = unicodedata.normalize("NFKC", normal)
        word_id = self.seen[word] = self.ids.setdefault(normal.casefold(), len(self.ids))
        return word_id


def _common_runs(ids_a: list[int], ids_b: list[int], n: int, monitor: Monitor) -> list[tuple[int, int, int]]:
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
    start = VECTORS + SCORING
    for i, gram in enumerate(grams_a):
        if i % _REPORT_EVERY == 0:
            monitor.report(start + QUOTES * i / len(grams_a))
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
