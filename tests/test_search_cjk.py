"""Chinese, Japanese and Korean search (issue 16) on a generated corpus, and English unchanged.

The corpus is made here from small word lists, written the way these languages are written:
Chinese and Japanese sentences without spaces (so a word sits inside a longer run), Korean
words with their particles glued on, and mixed English and Chinese. What each query should
find is worked out from the text itself (substrings), never written down by hand.
"""

from __future__ import annotations

import json
import random
import re

import pytest

from folio_reader.index.annotation_search import AnnotationSearch
from folio_reader.index.annotations import Annotation
from folio_reader.index.corpus import open_corpus
from folio_reader.index.document import detect_format
from folio_reader.index.search import FolioIndex
from tests.conftest import ROOT

CHINESE = [
    "内存",
    "屏障",
    "中断",
    "内核",
    "读取",
    "调度",
    "进程",
    "线程",
    "文件",
    "系统",
    "设备",
    "驱动",
    "网络",
    "缓存",
    "页面",
    "信号",
    "队列",
    "的",
    "在",
    "和",
    "是",
]
JAPANESE_WORDS = ["メモリ", "カーネル", "プロセス", "スレッド", "割り込み", "確保", "解放", "装置", "処理", "領域"]
JAPANESE_PARTICLES = ["を", "が", "は", "に", "で", "と", "の"]
KOREAN_WORDS = ["메모리", "커널", "프로세스", "장치", "처리", "영역", "신호", "파일"]
KOREAN_PARTICLES = ["를", "이", "는", "에", "의", "와", "가"]
ENGLISH = ["RCU", "lock", "kernel", "memory", "barrier", "read", "update"]


def chinese_sentence(rnd: random.Random) -> str:
    clauses = ["".join(rnd.choice(CHINESE) for _ in range(rnd.randint(3, 8))) for _ in range(rnd.randint(1, 3))]
    return "，".join(clauses) + "。"


def japanese_sentence(rnd: random.Random) -> str:
    parts = [rnd.choice(JAPANESE_WORDS) + rnd.choice(JAPANESE_PARTICLES) for _ in range(rnd.randint(2, 5))]
    return "".join(parts) + "する。"


def korean_sentence(rnd: random.Random) -> str:
    return " ".join(rnd.choice(KOREAN_WORDS) + rnd.choice(KOREAN_PARTICLES) for _ in range(rnd.randint(2, 6))) + "."


def mixed_sentence(rnd: random.Random) -> str:
    choice = rnd.randrange(4)
    if choice == 0:
        return "RCU 读取锁" + chinese_sentence(rnd)
    if choice == 1:
        return "RCU 和" + chinese_sentence(rnd) + "读取锁。"
    if choice == 2:
        return f"The {rnd.choice(ENGLISH)} {rnd.choice(ENGLISH)} of the ＲＣＵ {chinese_sentence(rnd)}"
    return f"{rnd.choice(ENGLISH)} {rnd.choice(ENGLISH)} {chinese_sentence(rnd)}"


MAKERS = {"zh": chinese_sentence, "ja": japanese_sentence, "ko": korean_sentence, "mixed": mixed_sentence}


@pytest.fixture(scope="module")
def cjk(tmp_path_factory: pytest.TempPathFactory):
    """(index, {rel: text}) over 40 documents of each kind."""
    root = tmp_path_factory.mktemp("cjk") / "corpus"
    rnd = random.Random(16)
    texts: dict[str, str] = {}
    for kind, make in MAKERS.items():
        (root / kind).mkdir(parents=True)
        for n in range(40):
            text = f"# {kind} {n}\n\n" + "\n\n".join(
                "".join(make(rnd) for _ in range(rnd.randint(1, 4))) for _ in range(rnd.randint(1, 5))
            )
            (root / kind / f"{n:02}.md").write_text(text, encoding="utf-8")
            texts[f"{kind}/{n:02}.md"] = text
    index = FolioIndex(open_corpus(root), tmp_path_factory.mktemp("ix"))
    index.update()
    yield index, texts
    index.close()


def hits(index: FolioIndex, query: str) -> dict[str, list[tuple[int, int]]]:
    result = index.search(query, limit=1000)
    assert result.error is None, result.error
    assert result.total == len(result.hits)
    return {h.rel: h.spans for h in result.hits}


@pytest.mark.parametrize(
    "word", ["中断", "内核", "内存屏障", "缓存页面", "メモリ", "割り込み", "メモリを", "메모리", "커널"]
)
def test_a_word_inside_longer_runs_is_found_with_exact_spans(cjk, word: str) -> None:
    """Before: a whole sentence was one token, so a word inside it was not found."""
    index, texts = cjk
    expected = {rel for rel, text in texts.items() if word in text}
    assert len(expected) >= 3, "the generated corpus should hold the word several times"
    found = hits(index, word)
    assert set(found) == expected
    for rel, spans in found.items():
        # a hit on 内存屏障 highlights exactly those characters, every occurrence
        assert [texts[rel][s:e] for s, e in spans] == [word] * texts[rel].count(word)


def test_a_one_character_query_finds_the_character_inside_runs(cjk) -> None:
    index, texts = cjk
    for char in ("锁", "核", "メ"):
        expected = {rel for rel, text in texts.items() if char in text}
        assert set(hits(index, char)) == expected and expected, char


def test_a_korean_word_is_found_with_and_without_its_particle(cjk) -> None:
    index, texts = cjk
    assert set(hits(index, "메모리를")) == {rel for rel, text in texts.items() if "메모리를" in text}
    with_particle = set(hits(index, "메모리"))
    assert with_particle == {rel for rel, text in texts.items() if "메모리" in text}


def test_a_phrase_mixing_english_and_chinese(cjk) -> None:
    index, texts = cjk
    # quoted: RCU right before a run that starts with 读取锁 ("RCU 和…读取锁" is no match)
    phrase = re.compile(r"(?<![^\W_])RCU\W*读取锁", re.IGNORECASE)
    expected = {rel for rel, text in texts.items() if phrase.search(text)}
    assert expected and set(hits(index, '"RCU 读取锁"')) == expected
    # unquoted: both, anywhere
    both = {rel for rel, text in texts.items() if re.search(r"(?i)rcu|ｒｃｕ", text) and "读取锁" in text}
    assert set(hits(index, "RCU 读取锁")) == both and both > expected


def test_cjk_punctuation_separates(cjk) -> None:
    index, texts = cjk
    # "，" and "。" end a run: no bigram across them, so 。内 is no hit for 。内-less text
    for rel, text in texts.items():
        for s, e in hits(index, "缓存").get(rel, []):
            assert "，" not in text[s:e] and "。" not in text[s:e]
    assert hits(index, "障，内") == hits(index, "障 内")  # the comma is a separator in the query too


def test_full_width_latin_folds(cjk) -> None:
    index, texts = cjk
    full = {rel for rel, text in texts.items() if "ＲＣＵ" in text}
    assert full and full <= set(hits(index, "rcu")) and set(hits(index, "ＲＣＵ")) == set(hits(index, "RCU"))


def test_snippets_show_the_cjk_hit(cjk) -> None:
    index, _ = cjk
    result = index.search("内存屏障")
    assert result.hits
    for hit in result.hits:
        assert hit.snippet_spans and all(hit.snippet[s:e] == "内存屏障" for s, e in hit.snippet_spans)
        assert "\n" not in hit.snippet


def test_did_you_mean_leaves_cjk_alone(cjk) -> None:
    index, _ = cjk
    result = index.search("内存屏障障障")
    assert result.hits == [] and result.suggestion is None
    vocabulary = (index.dir / "words.txt").read_text(encoding="utf-8").split("\n")
    assert vocabulary and not [w for w in vocabulary if re.search("[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7a3]", w)]


def test_annotation_search_on_cjk_notes() -> None:
    def note(n: int, exact: str, text: str) -> Annotation:
        return Annotation(id=f"a{n}", source="doc.md", start=0, end=len(exact), exact=exact, note=text)

    search = AnnotationSearch(
        [
            note(1, "内存屏障是必要的", "读取锁的开销"),
            note(2, "メモリを確保する", "カーネルの処理"),
            note(3, "plain", "none"),
        ]
    )
    assert search.search("屏障") == ["a1"]
    assert search.search("note:开销") == ["a1"]
    assert search.search("メモリ") == ["a2"]
    assert search.search("quote:障") == ["a1"]


# -- English results unchanged -------------------------------------------------------------------

ANSWERS = ROOT / "tests" / "data" / "seed_answers_schema5.json"


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory):
    index = FolioIndex(open_corpus(), tmp_path_factory.mktemp("seeds"))
    index.update()
    yield index
    index.close()


def test_english_answers_on_the_seeds_are_unchanged(seeds: FolioIndex) -> None:
    """164 queries answered by schema 5's code (tests/data/record_seed_answers.py): the same
    documents, spans, snippets and totals now. (Within equal scores the order may differ.)

    Except the snippets of the one seed read as Markdown (001): those were cut from its
    canonical text and now show what a reader sees (issue 12): its markers hidden, its
    whitespace runs shown as one space, so they are checked for that instead."""
    answers = json.loads(ANSWERS.read_text(encoding="utf-8"))
    assert len(answers) == 164
    corpus = open_corpus()
    markdown = {e.rel for e in corpus.scan().entries if detect_format(corpus.read_text(e), ".txt") == "markdown"}
    assert markdown == {"001_b23a58cccaa29fe1.txt"}
    for query, before in answers.items():
        result = seeds.search(query, limit=50)
        now = [[h.rel, [list(s) for s in h.spans], h.snippet] for h in result.hits]
        assert (result.error, result.total) == (before["error"], before["total"]), query
        assert sorted(now, key=lambda h: h[:2]) == sorted(
            [[rel, spans, now_snippet(rel, spans, snippet, now)] for rel, spans, snippet in before["hits"]],
            key=lambda h: h[:2],
        ), query
        for hit in result.hits:
            if hit.rel in markdown:
                assert not any(m in hit.snippet for m in ("**", "](", "# ", "  ")), (query, hit.snippet)
                text = corpus.read_text(corpus.entry(hit.rel)).casefold()
                assert all(hit.snippet[a:b].casefold() in text for a, b in hit.snippet_spans), query


def now_snippet(rel: str, spans: list[list[int]], snippet: str, now: list[list]) -> str:
    """The recorded snippet, or for the Markdown seed the one given now for the same spans."""
    if rel != "001_b23a58cccaa29fe1.txt":
        return snippet
    return next((h[2] for h in now if h[0] == rel and h[1] == spans), snippet)
