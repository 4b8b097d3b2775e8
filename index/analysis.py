"""How text becomes words and words become terms: the one tokeniser, the stop lists, stemming
and accent folding, for the search index, the annotation search, the did-you-mean vocabulary
and the comparison of two documents. Pure Python (Whoosh's stemmer, stop lists and accent table
only, imported on first use): the Whoosh side (`search.whoosh_ext.FolioTokenizer`) calls `analyse` and `query_units`,
so what the index holds and what a query looks for are analysed the same way.

**Words.** A word is a run of letters and digits (the underscore is no letter, so Markdown's
`_emphasis_` is `emphasis`). A term is a word lowercased, stemmed (Porter) and accent-folded
(`Mélanie` is `melanie`; full-width `ＲＣＵ` is `rcu`), unless it is shorter than two characters
or a stop word.

**Identifiers.** Words joined by `_ . - :: :// / @ # = & % +` with nothing between them
(`KVM_CREATE_VM`, `os.path.join`, `std::move`, `memory-barriers.txt`, a URL) are indexed whole
(lowercased and folded, not stemmed) *and* as their parts (terms as above, at consecutive
positions, the whole at the first part's). A query word with joiners looks for the whole token
or the phrase of its parts (`query_units`), as code-aware search engines do; `join` finds
`os.path.join`; in a quoted phrase an identifier stands for its parts.

**CJK.** Chinese, Japanese and Korean are written without spaces, so a run of Han, Hiragana,
Katakana or Hangul characters is indexed as its overlapping character bigrams (`内存屏障`:
`内存 存屏 屏障`), as Lucene's CJK analyzer and recoll do, and a query word becomes the phrase of
its bigrams: a word is found inside a longer run, and its hit is exactly its characters. Each
character is also indexed alone (a unigram), so that a one-character query finds that
character inside longer runs (chosen over expanding it to every bigram holding it: exact, and
the expansion of a suffix would scan the whole term list). A Hangul run (a Korean word with its
particle) also keeps its whole-run token. CJK punctuation (`。、「」，`) separates, as any
punctuation does. No segmenter: bigrams need no dictionary and miss nothing.

**Positions.** As Whoosh's StopFilter numbers them (the first term keeps its place among all
tokens, each later one counts one more), so that plain English text gets exactly the postings
Whoosh's own StemmingAnalyzer gave (a test checks it).

**Stop lists.** Two, because the two users want different things:

- `SEARCH_STOP_WORDS` (Whoosh's short list, less "us") for search: a phrase query keeps its
  function words ("state of the union" must not match "state union" only), and a reader of
  US-Canada news searches for "US".
- `PROSE_STOP_WORDS` (Whoosh's full English list) for the comparison: paragraphs are compared
  as TF-IDF vectors, where "he", "about", "would" are noise that makes unrelated paragraphs look
  alike; it never searches a phrase. The comparison counts plain `words()` (no identifier or
  CJK tokens): its alignments are unchanged by either.

**Displayed text.** `analyse_pieces` takes the text as pieces, each with the canonical offset
where it starts (`analyse(text)` is the one piece `(text, 0)`), so that the index can hold only
the words a reader sees of a document (its markup hidden), at their canonical characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from folio_reader.index.document.units import CJK_CHARS

#: Words shorter than this are not terms (Whoosh's `minsize`).
MIN_TERM_CHARS = 2
#: A joined token longer than this is indexed as its parts only (a base64 blob is no identifier).
MAX_WHOLE_CHARS = 120

# The stop lists are Whoosh's (`whoosh.analysis.STOP_WORDS`, `stopwords_for_language("en")`:
# a test checks it), written out so that importing this module imports no Whoosh: the reader's
# first frame never waits for it. Whoosh's stemmer and accent table are imported on first use.
_SEARCH_WORDS = (
    "a an and are as at be by can for from have if in is it may not of on or tbd that the this to we when will"
    " with yet you your"
)
_PROSE_WORDS = (
    "a about above after again against all am an and any are as at be because been before being below between"
    " both but by can did do does doing don down during each few for from further had has have having he her"
    " here hers herself him himself his how i if in into is it its itself just me more most my myself no nor"
    " not now of off on once only or other our ours ourselves out over own s same she should so some such t"
    " than that the their theirs them themselves then there these they this those through to too under until"
    " up very was we were what when where which while who whom why will with you your yours yourself"
    " yourselves"
)
#: Search: Whoosh's short list without "us" (a corpus of US-Canada news searches for "US").
SEARCH_STOP_WORDS: frozenset[str] = frozenset(_SEARCH_WORDS.split())
#: Comparison: Whoosh's full English list (function words are noise in TF-IDF vectors).
PROSE_STOP_WORDS: frozenset[str] = frozenset(_PROSE_WORDS.split())

_CJK = CJK_CHARS
_HANGUL_RE = re.compile("[\u1100-\u11ff\u3131-\u318e\uac00-\ud7a3]")
_WORD = rf"[^\W_{_CJK}]+"
_JOINER = r"(?:_+|::|://|[.\-/@#=&%+])"
#: One token: a word with (maybe) joined words after it, or a CJK run (the word class holds no
#: CJK, so the order only saves time: most tokens are words).
TOKEN_RE = re.compile(rf"{_WORD}(?P<joined>(?:{_JOINER}{_WORD})+)?|(?P<cjk>[{_CJK}]+)")
_PART_RE = re.compile(_WORD)
#: Plain words, CJK runs whole, dots allowed inside: what `words()` finds.
WORD_RE = re.compile(r"[^\W_]+(?:\.?[^\W_]+)*")
_CJK_RE = re.compile(f"[{_CJK}]")


@dataclass(frozen=True, slots=True)
class Profile:
    """How words become terms in a field: stemmed prose, or names and tags as written."""

    stem: bool
    stoplist: frozenset[str]
    min_chars: int


PROSE = Profile(stem=True, stoplist=SEARCH_STOP_WORDS, min_chars=MIN_TERM_CHARS)
NAMES = Profile(stem=False, stoplist=frozenset(), min_chars=1)

# What `analyse` yields: (term, position, start char, end char).
Posting = tuple[str, int, int, int]
#: Term -> its (position, start char, end char), in text order.
TermPostings = dict[str, list[tuple[int, int, int]]]


_accents: dict[int, str] | None = None


def _accent_map() -> dict[int, str]:
    """Whoosh's table folding accents and full-width forms (`é` -> `e`, `Ｒ` -> `R`)."""
    global _accents
    if _accents is None:
        from whoosh.support.charset import accent_map

        _accents = accent_map
    return _accents


def words(text: str) -> list[str]:
    """The plain words of `text`, as written (the comparison's unit, the vocabulary's source)."""
    return WORD_RE.findall(text)


def fold(word: str) -> str:
    """A word lowercased with its accents folded (`Mélanie` -> `melanie`), not stemmed."""
    return word.lower().translate(_accent_map())


def is_stop_word(word: str, stoplist: frozenset[str] = SEARCH_STOP_WORDS) -> bool:
    """Whether a lowercased word is no term: too short, or in `stoplist`."""
    return len(word) < MIN_TERM_CHARS or word in stoplist


def has_cjk(text: str) -> bool:
    return _CJK_RE.search(text) is not None


def stem(word: str) -> str:
    """Porter's stem of a lowercased word."""
    from whoosh.lang.porter import stem as porter_stem  # imported once, then a dict lookup

    stemmed: str = porter_stem(word)  # whoosh is untyped
    return stemmed


@lru_cache(maxsize=1 << 17)
def term(word: str, stoplist: frozenset[str] = SEARCH_STOP_WORDS) -> str | None:
    """The term of one word (lowercased, stemmed, accents folded), or None for no term.

    Lowercase, stop words out, Porter stem, then the accents folded (stemming first, as
    Whoosh's chain does)."""
    lower = word.lower()
    if is_stop_word(lower, stoplist):
        return None
    return stem(lower).translate(_accent_map())


def _term_of(word: str, profile: Profile) -> str | None:
    if profile.stem:
        return term(word, profile.stoplist)
    folded = fold(word)
    return folded if len(folded) >= profile.min_chars and folded not in profile.stoplist else None


#: The terms of words seen, by profile (a dict lookup per word: the hot path of a build).
_TERMS: dict[Profile, dict[str, str | None]] = {}
_MAX_CACHED_TERMS = 1 << 17
_MISSING = ""  # no term is empty


def _terms(profile: Profile) -> dict[str, str | None]:
    cache = _TERMS.get(profile)
    if cache is None or len(cache) > _MAX_CACHED_TERMS:
        cache = _TERMS[profile] = {}
    return cache


def _whole(token: str) -> str | None:
    return fold(token) if len(token) <= MAX_WHOLE_CHARS else None


def analyse_pieces(pieces: Iterable[tuple[str, int]], profile: Profile = PROSE) -> Iterator[Posting]:
    """Every term of the text given as pieces (text, canonical offset of its start), with its
    position and characters: words, identifiers whole and in parts, CJK bigrams and unigrams."""
    cache = _terms(profile)
    pos = -1  # the position of the last term yielded
    raw = 0  # tokens seen, kept or not
    first = True
    for piece, offset in pieces:
        for m in TOKEN_RE.finditer(piece):
            kind = m.lastgroup
            if kind is None:  # a plain word: most of any text
                token = m.group()
                found = cache.get(token, _MISSING)
                if found == _MISSING:
                    found = cache[token] = _term_of(token, profile)
                if found is not None:
                    if first:
                        pos, first = raw, False
                    else:
                        pos += 1
                    start = offset + m.start()
                    yield found, pos, start, start + len(token)
                raw += 1
                continue
            start = offset + m.start()
            if kind == "cjk":
                run = m.group()
                if first:
                    pos, first = raw - 1, False
                yield from _cjk_postings(run, pos + 1, start)
                pos += max(1, len(run) - 1)
                raw += 1
                continue
            token = m.group()
            parts = [(_term_of(p.group(), profile), p.start(), p.end()) for p in _PART_RE.finditer(token)]
            kept = [(t, s, e) for t, s, e in parts if t is not None]
            whole = _whole(token)
            if first and (kept or whole):
                pos, first = raw - 1, False
            if whole is not None:
                yield whole, pos + 1, start, start + len(token)
            for found_term, s, e in kept:
                pos += 1
                yield found_term, pos, start + s, start + e
            if not kept and whole is not None:
                pos += 1
            raw += 1


def _cjk_postings(run: str, pos: int, start: int) -> Iterator[Posting]:
    """A CJK run at `pos`: its bigrams at consecutive positions, each character at the
    position of the bigram it starts (the last at the last bigram's), a Hangul run whole."""
    n = len(run)
    if n == 1:
        yield run, pos, start, start + 1
        return
    for i in range(n - 1):
        yield run[i : i + 2], pos + i, start + i, start + i + 2
    for i in range(n):
        yield run[i], pos + min(i, n - 2), start + i, start + i + 1
    if n > 2 and _HANGUL_RE.match(run):
        yield run, pos, start, start + n


def analyse(text: str, profile: Profile = PROSE) -> Iterator[Posting]:
    """`analyse_pieces` of the whole text."""
    return analyse_pieces(((text, 0),), profile)


def term_postings(text: str, profile: Profile = PROSE) -> TermPostings:
    """The (position, start char, end char) of every term of `text`, by term, in text order
    (each term's positions rise: a whole token and a Korean run come once at their place)."""
    return group_postings(analyse(text, profile))


def group_postings(postings: Iterable[Posting]) -> TermPostings:
    """`analyse`'s postings grouped by term."""
    seen: TermPostings = {}
    for found, pos, start, end in postings:
        entry = (pos, start, end)
        grouped = seen.get(found)
        if grouped is None:
            seen[found] = [entry]
        else:
            grouped.append(entry)
    return seen


@dataclass(frozen=True, slots=True)
class Analysed:
    """A field value analysed already: its term postings, and its plain words (`words()`) for
    the did-you-mean vocabulary. For a body that indexes less than its text (the words a reader
    sees of a Markdown or reST document), with characters that are still canonical."""

    postings: TermPostings
    words: tuple[str, ...]


# -- queries --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QueryUnit:
    """What one token of a query word looks for: the term `whole` (when not None), or the
    phrase of `chain` (when not empty; one term is a plain term). In a quoted phrase it stands
    for `phrase`, the terms at the positions the token takes in the index."""

    whole: str | None
    chain: tuple[str, ...]
    phrase: tuple[str, ...]


def phrase_chain(text: str, profile: Profile = PROSE) -> list[tuple[str, int, int]]:
    """The terms of a quoted phrase, in order, with their characters in `text`: an identifier
    stands for its parts (or itself when they are not terms), a CJK run for its bigrams."""
    return [(t, start, end) for unit, start, end in _units(text, profile) for t in unit.phrase]


def query_units(text: str, profile: Profile = PROSE) -> list[QueryUnit]:
    """What each token of a query word (not in quotes) looks for; [] when it holds no term (a
    stop word, a single letter)."""
    return [unit for unit, _, _ in _units(text, profile)]


def _units(text: str, profile: Profile) -> Iterator[tuple[QueryUnit, int, int]]:
    for m in TOKEN_RE.finditer(text):
        token = m.group()
        run = m.group("cjk")
        if run is not None:
            chain = tuple(run[i : i + 2] for i in range(len(run) - 1)) or (run,)
            korean = len(run) > 2 and _HANGUL_RE.match(run) is not None
            yield QueryUnit(run if korean else None, chain, chain), m.start(), m.end()
            continue
        if m.group("joined") is None:
            found = _term_of(token, profile)
            if found is not None:
                yield QueryUnit(None, (found,), (found,)), m.start(), m.end()
            continue
        parts = [_term_of(p.group(), profile) for p in _PART_RE.finditer(token)]
        kept = tuple(t for t in parts if t is not None)
        whole = _whole(token)
        if whole is None:
            if kept:
                yield QueryUnit(None, kept, kept), m.start(), m.end()
        elif len(kept) == len(parts):
            yield QueryUnit(whole, kept, kept), m.start(), m.end()
        else:  # some parts are no terms: the phrase of the others would find other things
            yield QueryUnit(whole, (), kept or (whole,)), m.start(), m.end()


def why_no_terms(text: str, profile: Profile = PROSE) -> str:
    """Why the words of `text` give no term, in words (for a query that finds nothing to look
    for)."""
    found = [m.group() for m in TOKEN_RE.finditer(text)]
    short = [w for w in found if len(w) < profile.min_chars]
    if found and len(short) == len(found):
        shown = ", ".join(repr(w) for w in dict.fromkeys(short))
        return f"{shown}: words of one letter or digit are not indexed; search a longer word"
    return "only common words such as 'the' are in the query"


def vocabulary_words(tokens: Iterable[str]) -> set[str]:
    """Words as the did-you-mean vocabulary keeps them: terms before stemming (lowercased,
    stop words out, accents folded), so that a suggestion is a word the user would type. CJK
    is left out: a bigram is no word to suggest."""
    found: set[str] = set()
    for token in tokens:
        lower = token.lower()
        if not is_stop_word(lower) and not has_cjk(lower):
            found.add(lower.translate(_accent_map()))
    return found
