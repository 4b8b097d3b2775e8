"""The search's bulk scoring (`whoosh_ext.bulk`) against plain Whoosh: on a real index on disk
of generated documents (three segments or more, one with deletions), every query the benchmark's
generator makes gives the same total, the same documents in the same order and the same scores
(to float rounding: an AND of three parts or more adds them in another order than Whoosh's tree)
as Whoosh's own searcher given the same parsed query."""

from __future__ import annotations

import math
import shutil
import sys
import time
from pathlib import Path

from whoosh import index as whoosh_index

from folio_reader.index.corpus import open_corpus
from folio_reader.index.search import FolioIndex, QueryError, whoosh_ext

sys.path.insert(0, str(Path(__file__).parent / "bench"))
import gen_corpus
import gen_queries

DOCS = 80
#: Each generated document is cut to its first lines up to this many characters.
DOC_CHARS = 1200
LIMIT = 20
TOLERANCE = 1e-9
#: Queries made by the benchmark's generator (each kind in its share: terms, phrases, OR/NOT, fields, ...).
QUERIES = 60


def generated_corpus(tmp_path: Path, docs: int) -> tuple[Path, Path]:
    """`docs` generated documents in a staging folder, cut short (so the test builds fast), and
    an empty corpus folder with the same subfolders."""
    staging, corpus = tmp_path / "staging", tmp_path / "corpus"
    layout = gen_corpus.make_layout(5, docs)
    for folder in layout.folders:
        (staging / folder).mkdir(parents=True, exist_ok=True)
        (corpus / folder).mkdir(parents=True, exist_ok=True)
    gen_corpus.write_chunk(staging, layout, 5, range(docs))
    for path in staging.rglob("*.*"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text[: text.rfind("\n", 0, DOC_CHARS) + 1 or DOC_CHARS], encoding="utf-8")
    return staging, corpus


def tie_groups(ranked: list[tuple[int, float]]) -> list[tuple[float, set[int]]]:
    """Consecutive hits whose scores are equal to float rounding, as one group each."""
    groups: list[tuple[float, set[int]]] = []
    for rel, score in ranked:
        if groups and math.isclose(groups[-1][0], score, rel_tol=TOLERANCE):
            groups[-1][1].add(rel)
        else:
            groups.append((score, {rel}))
    return groups


def assert_same_ranking(got: list[tuple[int, float]], want: list[tuple[int, float]], text: str) -> None:
    """`got` (the first `LIMIT`) ranks as `want` (the first `2 * LIMIT`), scores equal to rounding."""
    assert len(got) == min(LIMIT, len(want)), text
    for (_, score), (_, plain_score) in zip(got, want, strict=False):
        assert math.isclose(score, plain_score, rel_tol=TOLERANCE), text
    if [d for d, _ in got] != [d for d, _ in want[:LIMIT]]:
        # only documents whose scores tie (to rounding) may change places
        got_groups, want_groups = tie_groups(got), tie_groups(want)
        for n, (_, docnums) in enumerate(got_groups):
            last = n == len(got_groups) - 1  # may be cut by the limit
            assert docnums <= want_groups[n][1] if last else docnums == want_groups[n][1], text


def test_bulk_scoring_gives_plain_whooshs_hits_on_every_benchmark_query(tmp_path: Path) -> None:
    staging, corpus = generated_corpus(tmp_path, DOCS)
    files = sorted(p for p in staging.rglob("*") if p.is_file())
    ix_dir = tmp_path / "ix"
    with FolioIndex(open_corpus(corpus), index_dir=ix_dir) as index:
        for batch in (files[:50], files[50:]):  # two segments ...
            for path in batch:
                shutil.copy(path, corpus / path.relative_to(staging))
            assert index.update(procs=1).problems == []
        for path in files[:3]:  # ... and a third, the first one's copies of these deleted
            with open(corpus / path.relative_to(staging), "a", encoding="utf-8") as f:
                f.write("\nA line added.\n")
        assert index.update(procs=1).updated == 3
        segments = whoosh_ext.segments(index.whoosh_index)
        assert len(segments) >= 3 and any(s.has_deletions() for s in segments)

        queries, _ = gen_queries.make_queries(corpus, QUERIES, seed=2)
        assert len(queries) >= QUERIES * 0.9
        searcher = index.whoosh_index.searcher()
        plain_ix = whoosh_index.open_dir(str(ix_dir))
        compared = 0
        with searcher, plain_ix.searcher() as plain:
            for n, text in enumerate(queries):
                try:
                    q = index.parse(text)
                except QueryError:
                    continue
                found = whoosh_ext.top_documents(searcher, q, LIMIT, time.monotonic() + 60)
                expected = plain.search(q, limit=2 * LIMIT)  # Whoosh's default search, its count exact
                assert not found.cut_short and found.total == len(expected), text
                want = [(expected.docnum(i), expected.score(i)) for i in range(expected.scored_length())]
                got = [(docnum, score) for score, docnum in found.top]
                assert_same_ranking(got, want, text)
                if n % 20 == 0:  # and the search itself gives these hits
                    result = index.search(text, limit=LIMIT)
                    assert [h.rel for h in result.hits] == [searcher.stored_fields(d)["rel"] for d, _ in got]
                    assert result.total == found.total
                compared += 1
        assert compared >= QUERIES * 0.8


def test_bulk_scoring_stops_at_its_deadline(tmp_path: Path) -> None:
    staging, corpus = generated_corpus(tmp_path, 10)
    shutil.copytree(staging, corpus, dirs_exist_ok=True)
    with FolioIndex(open_corpus(corpus), index_dir=tmp_path / "ix") as index:
        index.update(procs=1)
        text = next(t for t in gen_queries.make_queries(corpus, 40, seed=2)[0] if index.search(t).total)
        q = index.parse(text)
        s = index.whoosh_index.searcher()
        try:
            assert whoosh_ext.top_documents(s, q, LIMIT, time.monotonic() + 60).total > 0
            cut = whoosh_ext.top_documents(s, q, LIMIT, time.monotonic() - 1)
        finally:
            s.close()
        assert cut.cut_short and cut.total == 0 and cut.top == []
