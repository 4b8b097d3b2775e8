"""How text becomes words and words become terms: the one tokeniser, the stop lists, stemming
and accent folding, for the search index, the annotation search, the did-you-mean vocabulary
and the comparison of two documents.

A word is a run of letters and digits, dots allowed inside (`U.S.`, `3.5`); the underscore is
not a letter, so Markdown's `_emphasis_` is the word `emphasis`. A term is a word lowercased,
stemmed (Porter) and accent-folded (`Mélanie` and `Melanie` are one term), unless it is shorter
than two characters or a stop word.

There are two stop lists, because the two users want different things:

- `SEARCH_STOP_WORDS` (Whoosh's short list, less "us") for search: a phrase query keeps its
  function words ("state of the union" must not match "state union" only), and a reader of
  US-Canada news searches for "US".
- `PROSE_STOP_WORDS` (Whoosh's full English list) for the comparison: paragraphs are compared
  as TF-IDF vectors, where "he", "about", "would" are noise that makes unrelated paragraphs look
  alike; it never searches a phrase.

This module is headless (no textual, no tui) and pure Python but for Whoosh's stemmer, stop
lists and accent table; the Whoosh analyzers for the schema are built here too, so that what
the index holds and what a query looks for are analysed the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from whoosh.analysis import STOP_WORDS as _WHOOSH_STOP_WORDS
from whoosh.analysis import Analyzer, CharsetFilter, LowercaseFilter, RegexTokenizer, StemmingAnalyzer
from whoosh.lang import stopwords_for_language
from whoosh.lang.porter import stem as _porter_stem
from whoosh.support.charset import accent_map

#: Whoosh's default `\w+(\.?\w+)*` with the underscore left out, so `_emphasis_` is a word.
WORD_PATTERN = r"[^\W_]+(?:\.?[^\W_]+)*"
WORD_RE = re.compile(WORD_PATTERN)
#: Words shorter than this are not terms (Whoosh's `minsize`).
MIN_TERM_CHARS = 2

#: Search: Whoosh's short list without "us" (a corpus of US-Canada news searches for "US").
SEARCH_STOP_WORDS: frozenset[str] = frozenset(_WHOOSH_STOP_WORDS - {"us"})
#: Comparison: Whoosh's full English list (function words are noise in TF-IDF vectors).
PROSE_STOP_WORDS: frozenset[str] = frozenset(stopwords_for_language("en"))


def words(text: str) -> list[str]:
    """The words of `text`, as written."""
    return WORD_RE.findall(text)


def fold(word: str) -> str:
    """A word lowercased with its accents folded (`Mélanie` -> `melanie`), not stemmed."""
    return word.lower().translate(accent_map)


def is_stop_word(word: str, stoplist: frozenset[str] = SEARCH_STOP_WORDS) -> bool:
    """Whether a lowercased word is no term: too short, or in `stoplist`."""
    return len(word) < MIN_TERM_CHARS or word in stoplist


@lru_cache(maxsize=1 << 17)
def term(word: str, stoplist: frozenset[str] = SEARCH_STOP_WORDS) -> str | None:
    """The term of one word (lowercased, stemmed, accents folded), or None for no term.

    The same as `text_analyzer()` gives for the word: lowercase, stop words out, Porter stem,
    then the accents folded (stemming first, as Whoosh's chain does)."""
    lower = word.lower()
    if is_stop_word(lower, stoplist):
        return None
    stemmed: str = _porter_stem(lower)  # whoosh is untyped
    return stemmed.translate(accent_map)


def term_postings(text: str) -> dict[str, list[tuple[int, int, int]]]:
    """The (position, start char, end char) of every term of `text`, by term: what
    `text_analyzer()` yields for the body, in one loop instead of a chain of generators.

    Positions as Whoosh's StopFilter renumbers them: the first kept word keeps its place among
    all tokens, each later one counts one more."""
    seen: dict[str, list[tuple[int, int, int]]] = {}
    pos = -1
    first = True
    for raw, m in enumerate(WORD_RE.finditer(text)):
        found_term = term(m.group())
        if found_term is None:
            continue
        if first:
            pos, first = raw, False
        else:
            pos += 1
        entry = (pos, m.start(), m.end())
        found = seen.get(found_term)
        if found is None:
            seen[found_term] = [entry]
        else:
            found.append(entry)
    return seen


def vocabulary_words(tokens: Iterable[str]) -> set[str]:
    """Words as the did-you-mean vocabulary keeps them: terms before stemming (lowercased,
    stop words out, accents folded), so that a suggestion is a word the user would type."""
    found: set[str] = set()
    for token in tokens:
        lower = token.lower()
        if not is_stop_word(lower):
            found.add(lower.translate(accent_map))
    return found


# -- the Whoosh analyzers of the schema -----------------------------------------------------------


def text_analyzer() -> Analyzer:
    """Prose fields: `term()` of every word, as a Whoosh analyzer (positions and characters)."""
    return StemmingAnalyzer(expression=WORD_PATTERN, stoplist=SEARCH_STOP_WORDS) | CharsetFilter(accent_map)


def name_analyzer() -> Analyzer:
    """Names and tags: lowercased, accents folded, not stemmed, no stop words."""
    return RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | CharsetFilter(accent_map)
