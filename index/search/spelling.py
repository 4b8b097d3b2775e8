"""Did you mean: the vocabulary of the indexed bodies, and the corrected query offered when a
query finds nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from rapidfuzz.distance import OSA, Levenshtein
from rapidfuzz.process import extract

from folio_reader.index import analysis
from folio_reader.index.atomic_io import write_atomic
from folio_reader.index.search.query import OPERATORS, QueryError

#: The vocabulary's file, beside the index.
VOCABULARY = "words.txt"
#: Words shorter than this are never corrected.
MIN_CORRECTED_CHARS = 3


class Vocabulary:
    """The unstemmed words of the indexed bodies, for "did you mean", in a file beside the
    index (or in memory when `path` is None). It only grows (a word of a deleted file may
    stay): a suggestion is only offered when it finds something."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._words: set[str] = set()
        self._sorted: list[str] | None = None
        self._stamp: tuple[int, int] | None = None

    def _load(self) -> None:
        if self.path is None:
            return
        try:
            st = self.path.stat()
        except OSError:
            self._words, self._sorted, self._stamp = set(), None, None
            return
        if (st.st_mtime_ns, st.st_size) != self._stamp:
            try:
                self._words = set(self.path.read_text("utf-8").split("\n")) - {""}
            except (OSError, UnicodeDecodeError):
                self._words = set()
            self._sorted = None
            self._stamp = (st.st_mtime_ns, st.st_size)

    def words(self) -> list[str]:
        """Every word, sorted."""
        self._load()
        if self._sorted is None:
            self._sorted = sorted(self._words)
        return self._sorted

    def add(self, tokens: Iterable[str]) -> None:
        """Add the words of body tokens (as `analysis.words` finds them), and save."""
        self._load()
        new = analysis.vocabulary_words(tokens) - self._words
        if not new:
            return
        self._words |= new
        self._sorted = None
        if self.path is None:
            return
        try:
            st = write_atomic(self.path, "\n".join(sorted(self._words)))
        except OSError:
            return
        self._stamp = (st.st_mtime_ns, st.st_size)


def suggest(text: str, searcher: Any, parse: Callable[[str], Any], vocabulary: list[str]) -> str | None:
    """The query with each unknown word replaced by the closest word of the corpus, if that
    finds something: nearest by edit distance, then with the same first letter, then the
    most frequent. None when no word changed or the corrected query finds nothing."""
    analyzer = searcher.schema["body"].analyzer
    changed = False

    def fix(m: re.Match[str]) -> str:
        nonlocal changed
        word = m.group()
        if word in OPERATORS or len(word) < MIN_CORRECTED_CHARS:
            return word
        stems = [t.text for t in analyzer(word)]
        if not stems or any(searcher.doc_frequency("body", st) for st in stems):
            return word
        lower = word.lower()
        for maxdist in (1, 2):  # nearest first
            candidates = [
                c for c, _, _ in extract(lower, vocabulary, scorer=OSA.distance, score_cutoff=maxdist, limit=None)
            ]
            if candidates:
                changed = True
                return min(candidates, key=lambda c: _closeness(lower, c, searcher))
        return word

    corrected = re.sub(r"(?<![\w:*?~])[A-Za-z]+(?![\w:*?~])", fix, text)
    if not changed:
        return None
    try:
        q = parse(corrected)
    except QueryError:
        return None
    return corrected if searcher.search(q, limit=1).scored_length() else None


def _closeness(word: str, candidate: str, searcher: Any) -> tuple[int, bool, float, str]:
    """Sort key for spelling candidates: edit distance, then same first letter, then how often
    the candidate's stem occurs in the bodies."""
    term = analysis.term(candidate)
    frequency: float = searcher.frequency("body", term) if term else 0.0
    return (Levenshtein.distance(word, candidate), candidate[:1] != word[:1], -frequency, candidate)
