"""Chinese, Japanese and Korean text in the reader: the caret's word motions step a character at
a time through those scripts, and `n`/`N` step through search hits on exactly their characters
(the index side is tests/test_search_cjk.py)."""

from __future__ import annotations

from pathlib import Path

from folio_reader.tui.layout import motion
from folio_reader.tui.screens.main import MainScreen
from tests.helpers import make_app, settle, type_query

TEXT = "RCU 读取锁，内存屏障 memory barrier。メモリの内存屏障を使う。메모리 장벽"


def starts(text: str) -> list[str]:
    """What `w` stops on, from the start to the end."""
    seen, offset = [text[0]], 0
    while (nxt := motion.word_next(text, offset)) != offset:
        offset = nxt
        seen.append(text[offset])
    return seen


def test_word_motions_step_a_character_at_a_time_through_cjk_and_by_words_elsewhere() -> None:
    seen = starts(TEXT)
    assert seen[:12] == ["R", "读", "取", "锁", "，", "内", "存", "屏", "障", "m", "b", "。"]
    assert seen[12:16] == ["メ", "モ", "リ", "の"]
    assert seen[-5:] == ["메", "모", "리", "장", "벽"]
    assert starts("memory barriers, RCU.") == ["m", "b", ",", "R", "."]  # other scripts: as before
    at = TEXT.index("屏")
    assert motion.word_prev(TEXT, at) == at - 1
    assert motion.word_end(TEXT, at) == at + 1  # on the end of its one-character word: `e` goes on


async def test_n_steps_through_cjk_hits_on_exactly_their_characters(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    body = "内核文档。\n\n" + "读取锁和内存屏障的说明。" * 3 + "\n\n另一个段落也谈到内存屏障。\n"
    (corpus / "barriers.txt").write_text("内存屏障\n\n" + body, encoding="utf-8")
    (corpus / "other.txt").write_text("No barriers here, only English prose.\n", encoding="utf-8")
    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        await type_query(pilot, "内存屏障")
        result = screen.search_pane.result
        assert [h.rel for h in result.hits] == ["barriers.txt"]
        spans = result.hits[0].spans
        text = (corpus / "barriers.txt").read_text(encoding="utf-8")
        assert len(spans) == 5
        assert all(text[s:e] == "内存屏障" for s, e in spans)
        await pilot.press("enter")
        await settle(pilot)
        assert screen.reader.caret == spans[0][0]
        for s, _ in spans[1:]:
            await pilot.press("n")
            await settle(pilot)
            assert screen.reader.caret == s
        await pilot.press("N")
        await settle(pilot)
        assert screen.reader.caret == spans[-2][0]
