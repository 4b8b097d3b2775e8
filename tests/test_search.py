"""The Whoosh index on disk: known answers, incremental updates, damage, concurrency, queries."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from folio_reader.index.corpus import open_corpus
from folio_reader.index.search import FolioIndex, make_snippet
from folio_reader.index.search.whoosh_ext import segments
from tests.conftest import ROOT, SEED_NAMES


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> FolioIndex:
    ix = FolioIndex(open_corpus(), tmp_path_factory.mktemp("ix"))
    ix.update()
    yield ix
    ix.close()


def rels(result) -> set[str]:
    return {h.rel[:3] for h in result.hits}


def test_known_answers_on_the_seeds(seed_index: FolioIndex) -> None:
    assert rels(seed_index.search('"golden dome"')) == {"000", "002"}
    assert rels(seed_index.search("fentanyl")) == {"001", "003"}
    assert rels(seed_index.search("tariff")) == {"000", "001", "002", "003", "004"}
    assert rels(seed_index.search("tariffs")) == rels(seed_index.search("TARIFF"))  # stemming, case
    assert rels(seed_index.search("outlet:cbc")) == {"003"}
    assert rels(seed_index.search("author:jordan")) == {"001"}
    assert rels(seed_index.search("date:2025-05")) == {"001", "003"}
    assert rels(seed_index.search("date:[2025-06 to 2025-12]")) == {"000", "002", "004"}
    assert rels(seed_index.search("date:>2025-09")) == {"000", "004"}
    assert rels(seed_index.search('fentanyl OR "golden dome"')) == {"000", "001", "002", "003"}
    assert rels(seed_index.search("tariff NOT carney")) == set()
    assert rels(seed_index.search("fentan*")) == {"001", "003"}
    assert rels(seed_index.search("fentanil~")) == {"001", "003"}
    assert rels(seed_index.search("title:lauds")) == {"000"}
    assert rels(seed_index.search("melanie")) == rels(seed_index.search("mélanie")) == {"003", "004"}


def test_hits_carry_metadata_snippets_and_exact_spans(seed_index: FolioIndex) -> None:
    corpus = open_corpus()
    result = seed_index.search('"golden dome" missile')
    assert result.error is None and result.hits
    for hit in result.hits:
        text = corpus.load(hit.rel).text
        assert hit.matches == len(hit.spans) > 0
        phrases = [text[s:e].lower() for s, e in hit.spans]
        assert "golden dome" in phrases  # a phrase match is one span over the whole phrase
        for s, e in hit.snippet_spans:
            assert hit.snippet[s:e].lower() in {"golden dome", "missile"}
        assert hit.title and hit.date and not hit.stale
    js = result.hits[0].to_json()
    assert set(js) == {
        "path",
        "title",
        "outlet",
        "author",
        "date",
        "score",
        "snippet",
        "snippet_spans",
        "matches",
        "spans",
        "field_matches",  # added with the count of matches in other fields (issue 14, item 18)
    }


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ('"unbalanced', "unclosed quote"),
        ("AND OR", "only operators"),
        ("title:", "title: needs something"),
        ("*", "wildcard needs at least"),
        ("x" * 10_000, "query too long"),
        ("nosuchfield:x", "unknown field"),
        ("date:garbage", "cannot read the date"),
        ("", "nothing to search for"),
        ("the", "common words"),
    ],
)
def test_malformed_queries_give_a_reason_not_a_traceback(seed_index: FolioIndex, query: str, reason: str) -> None:
    result = seed_index.search(query)
    assert result.hits == [] and reason in result.error


def test_did_you_mean(seed_index: FolioIndex) -> None:
    result = seed_index.search("goldn dme")
    assert result.hits == [] and result.suggestion == "golden dome"
    assert seed_index.search("xqzzyv").suggestion is None


def test_incremental_add_change_delete(seed_copy: Path, tmp_path: Path) -> None:
    corpus = open_corpus(seed_copy)
    with FolioIndex(corpus, tmp_path / "ix") as ix:
        first = ix.update()
        assert (first.added, first.unchanged) == (5, 0)
        again = ix.update()
        assert (again.added, again.updated, again.deleted, again.unchanged) == (0, 0, 0, 5)
        (seed_copy / "new.md").write_text("# Zeppelins\n\nA zeppelin over Ottawa.\n")
        changed = seed_copy / SEED_NAMES[3]
        changed.write_text(changed.read_text() + "\nA walrus appeared.\n")
        (seed_copy / SEED_NAMES[0]).unlink()
        report = ix.update()
        assert (report.added, report.updated, report.deleted, report.unchanged) == (1, 1, 1, 3)
        assert rels(ix.search("zeppelin")) == {"new"}
        assert rels(ix.search("walrus")) == {"003"}
        assert rels(ix.search('"golden dome"')) == {"002"}
    # a fresh process sees the same state without reindexing
    with FolioIndex(open_corpus(seed_copy), tmp_path / "ix") as ix:
        assert ix.update().unchanged == 5


def test_unreadable_files_are_recorded_in_the_index(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "ok.txt").write_text("hello world\n")
    (tmp_path / "c" / "bin.txt").write_bytes(b"\0\1\2\3" * 100)
    with FolioIndex(open_corpus(tmp_path / "c"), tmp_path / "ix") as ix:
        report = ix.update()
        assert [(p.rel, p.reason) for p in report.problems] == [("bin.txt", "binary file, not text")]
        metas, problems = ix.documents()
        assert [m.rel for m in metas] == ["ok.txt"] and [p.rel for p in problems] == ["bin.txt"]
        assert [p.rel for p in ix.update().problems] == ["bin.txt"]  # remembered, not re-read


def test_a_corrupt_index_is_moved_aside_and_rebuilt(seed_copy: Path, tmp_path: Path) -> None:
    ixdir = tmp_path / "ix"
    with FolioIndex(open_corpus(seed_copy), ixdir) as ix:
        ix.update()
    for f in ixdir.iterdir():
        if f.suffix in (".toc", ".seg"):
            f.write_bytes(b"garbage" * 10)
    with FolioIndex(open_corpus(seed_copy), ixdir) as ix:
        assert any("damaged" in m and "moved aside" in m for m in ix.messages)
        assert ix.update().added == 5
        assert rels(ix.search("fentanyl")) == {"001", "003"}
    assert list(tmp_path.glob("ix.broken-*"))


def test_read_only_cache_falls_back_to_memory(seed_copy: Path, tmp_path: Path) -> None:
    locked = tmp_path / "ro"
    locked.mkdir()
    locked.chmod(0o555)
    script = (
        "import sys; from folio_reader.index.corpus import open_corpus; from folio_reader.index.search import FolioIndex\n"
        "ix = FolioIndex(open_corpus(sys.argv[1]), __import__('pathlib').Path(sys.argv[2]))\n"
        "ix.update(); print(ix.in_memory, len(ix.search('fentanyl').hits), ix.messages)\n"
    )
    prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
    out = subprocess.run(
        [*prefix, sys.executable, "-c", script, str(seed_copy), str(locked / "ix")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    assert out.startswith("True 2 [") and "in memory" in out


def test_two_processes_indexing_the_same_corpus_at_once(seed_copy: Path, tmp_path: Path) -> None:
    for i in range(40):
        (seed_copy / f"extra{i:02}.md").write_text(f"# Extra {i}\n\n" + "walrus tariff words " * 200)
    script = (
        "import sys; from pathlib import Path; from folio_reader.index.corpus import open_corpus; from folio_reader.index.search import FolioIndex\n"
        "ix = FolioIndex(open_corpus(sys.argv[1]), Path(sys.argv[2]))\n"
        "r = ix.update(commit_every=0.05)\n"
        "print(r.indexed, r.locked, len(ix.search('walrus', limit=100).hits))\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(seed_copy), str(tmp_path / "ix")],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert all("Traceback" not in err for _, err in outs)
    with FolioIndex(open_corpus(seed_copy), tmp_path / "ix") as ix:
        report = ix.update()
        assert len(ix.search("walrus", limit=100).hits) == 40
        assert report.unchanged + report.indexed == 45


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]{3,}", text.lower())


SEED_WORDS = sorted({w for name in SEED_NAMES for w in _words(open_corpus().load(name).text)})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(st.sampled_from(SEED_WORDS), min_size=1, max_size=3),
    shape=st.sampled_from(["and", "or", "phrase", "prefix"]),
)
def test_every_span_is_inside_the_text_and_covers_a_matched_word(seed_index: FolioIndex, words, shape) -> None:
    query = {
        "and": " ".join(words),
        "or": " OR ".join(words),
        "phrase": '"' + " ".join(words) + '"',
        "prefix": words[0][:4] + "*",
    }[shape]
    result = seed_index.search(query)
    analyzer = seed_index.whoosh_index.schema["body"].analyzer
    wanted = {t.text for w in words for t in analyzer(w)}
    corpus = open_corpus()
    for hit in result.hits:
        text = corpus.load(hit.rel).text
        for start, end in hit.spans:
            assert 0 <= start < end <= len(text)
            covered = {t.text for t in analyzer(text[start:end], removestops=False)}
            if shape == "prefix":  # whoosh stems the prefix too: any* -> ani* (finds "Anita")
                # (stopwords too: can* is a prefix, not a dropped word)
                prefix = next(iter(analyzer(words[0][:4], removestops=False))).text
                assert any(c.startswith(prefix) for c in covered), (query, text[start:end])
            else:
                assert covered & wanted, (query, text[start:end])


def test_snippet_spans_point_at_the_matches() -> None:
    text = "Alpha beta gamma.\n\nDelta epsilon beta zeta eta theta beta."
    spans = [(m.start(), m.end()) for m in re.finditer("beta", text)]
    snippet, rel = make_snippet(text, spans, width=40)
    assert rel and all(snippet[s:e] == "beta" for s, e in rel)
    assert "\n" not in snippet


def folio(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("folio")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_cli_search_json_exit_codes_and_messages() -> None:
    done = folio("search", '"golden dome"', "--json")
    assert done.returncode == 0
    hits = json.loads(done.stdout)
    assert {h["path"] for h in hits} == {SEED_NAMES[0], SEED_NAMES[2]}
    assert all(len(h["spans"]) == h["matches"] for h in hits)
    empty = folio("search", "xqzzyv", "--json")
    assert (empty.returncode, json.loads(empty.stdout)) == (1, [])
    bad = folio("search", "title:")
    assert bad.returncode == 2 and bad.stderr.strip().count("\n") == 0 and "Traceback" not in bad.stderr
    text = folio("search", "fentanyl", "--limit", "1")
    assert text.returncode == 0 and "fentanyl" in text.stdout and "\x1b[" not in text.stdout
    assert folio("search", "x", "--corpus", "/nonexistent").returncode == 2


def test_cli_index_summary(seed_copy: Path) -> None:
    (seed_copy / "bin.txt").write_bytes(b"\0" * 100 + b"\1" * 100)
    done = folio("index", "--corpus", str(seed_copy))
    assert done.returncode == 0, done.stderr
    assert "5 added" in done.stdout and "1 skipped" in done.stdout and "binary file" in done.stdout
    again = folio("index", "--corpus", str(seed_copy), "--rebuild")
    assert "5 added" in again.stdout


def test_the_core_never_imports_textual() -> None:
    code = "import sys, folio_reader.index.corpus, folio_reader.index.search, folio_reader.index.locations; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_search_answers_from_what_is_indexed_so_far_and_says_so(tmp_path: Path) -> None:
    corpus_dir = tmp_path / "c"
    corpus_dir.mkdir()
    for i in range(40):
        (corpus_dir / f"doc{i:02}.md").write_text(f"# Doc {i}\n\nThe walrus number {i} swims.\n")
    seen: list[tuple[int, str | None]] = []
    with FolioIndex(open_corpus(corpus_dir), tmp_path / "ix") as ix:

        def progress(done: int, total: int, rel: str) -> None:
            if done == 20:
                result = ix.search("walrus", limit=100)
                seen.append((len(result.hits), result.note))

        ix.update(progress, commit_every=0.0)  # commit after each document
        # the 20th is written but not yet committed when progress is reported
        assert seen == [(19, "searching the 19 of 40 documents indexed so far")]
        final = ix.search("walrus", limit=100)
        assert len(final.hits) == 40 and final.note is None


def test_us_and_underscored_emphasis_are_searchable(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.md").write_text("# A\n\nThe _walrus_ met US officials.\n")
    with FolioIndex(open_corpus(tmp_path / "c"), tmp_path / "ix") as ix:
        ix.update()
        text = open_corpus(tmp_path / "c").load("a.md").text
        hit = ix.search("walrus").hits[0]
        assert [text[s:e] for s, e in hit.spans] == ["walrus"]
        assert [text[s:e] for s, e in ix.search("US").hits[0].spans] == ["US"]


# -- speed at scale: the fast paths must give exactly what Whoosh's own would ------------------


def _many_docs(folder: Path, n: int = 60) -> None:
    import random

    rnd = random.Random(6)
    words = [w for w in SEED_WORDS if len(w) > 3][:400]
    for i in range(n):
        body = "\n\n".join(" ".join(rnd.choice(words) for _ in range(60)) for _ in range(4))
        (folder / f"gen{i:03}.md").write_text(f"# Generated {i}\n\n{body} walrus{i % 3}\n")


def _answers(ix: FolioIndex, queries: list[str]) -> list:
    out = []
    for q in queries:
        r = ix.search(q, limit=100)
        out.append((q, r.total, sorted((h.rel, tuple(h.spans), h.snippet) for h in r.hits), r.suggestion))
    return out


QUERIES = [
    '"golden dome"',
    "tariff",
    "fentanyl OR walrus1",
    "tariff NOT carney",
    "fentan*",
    "fentanil~",
    "walrus2~",
    "date:2025-05",
    "goldn dme",
    "title:generated walrus0",
]


def test_a_parallel_build_answers_exactly_as_a_serial_one(seed_copy: Path, tmp_path: Path, monkeypatch) -> None:
    import folio_reader.index.search.build as build

    _many_docs(seed_copy)
    (seed_copy / "bin.txt").write_bytes(b"\0\1\2\3" * 100)
    with FolioIndex(open_corpus(seed_copy), tmp_path / "serial") as ix:
        serial = ix.update(procs=1)
        expected = _answers(ix, QUERIES)
    monkeypatch.setattr(build, "FIRST_BATCH_BYTES", 4000)  # several batches, several segments
    seen: list[int] = []
    with FolioIndex(open_corpus(seed_copy), tmp_path / "parallel") as ix:
        report = ix.update(lambda done, total, rel: seen.append(done), procs=2)
        assert (report.added, report.problems) == (serial.added, serial.problems) == (65, report.problems)
        assert [p.rel for p in report.problems] == ["bin.txt"] and not ix.messages
        assert len(segments(ix.whoosh_index)) > 2 and not (ix.dir / build.STAGING).exists()
        # separate files: Whoosh copies a compound segment's parts into memory when it opens them
        assert not any(segment.is_compound() for segment in segments(ix.whoosh_index))
        assert seen == list(range(1, 67))
        assert _answers(ix, QUERIES) == expected
        assert ix.search("goldn dme").suggestion == "golden dome"
        # changed, added and deleted files after a parallel build
        (seed_copy / "gen000.md").write_text("# Changed\n\nA zeppelin.\n")
        (seed_copy / "gen001.md").unlink()
        again = ix.update(procs=2)
        assert (again.added, again.updated, again.deleted) == (0, 1, 1)
        assert [h.rel for h in ix.search("zeppelin").hits] == ["gen000.md"]
        generated = {h.rel for h in ix.search("title:generated", limit=100).hits}
        assert len(generated) == 58 and "gen001.md" not in generated and "gen000.md" not in generated


def test_workers_that_cannot_start_leave_the_work_to_this_process(seed_copy: Path, tmp_path: Path, monkeypatch) -> None:

    _many_docs(seed_copy, 20)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    with FolioIndex(open_corpus(seed_copy), tmp_path / "ix") as ix:
        report = ix.update(procs=2)
        assert report.added == 25 and any("worker processes failed" in m for m in ix.messages)
        assert rels(ix.search("fentanyl")) == {"001", "003"}


def test_a_parallel_build_stops_when_asked_and_keeps_what_it_committed(
    seed_copy: Path, tmp_path: Path, monkeypatch
) -> None:
    import folio_reader.index.search.build as build

    _many_docs(seed_copy, 200)
    monkeypatch.setattr(build, "FIRST_BATCH_BYTES", 4000)
    with FolioIndex(open_corpus(seed_copy), tmp_path / "ix") as ix:
        report = ix.update(
            lambda done, total, rel: None,
            should_stop=lambda: bool(segments(ix.whoosh_index)),
            procs=2,
            commit_every=0.0,
        )
        assert report.cancelled and 0 < report.added < 205
        assert (
            len(ix.search("walrus0 OR walrus1 OR walrus2", limit=300).hits)
            == ix.search("walrus0 OR walrus1 OR walrus2").total
        )
        finished = ix.update(procs=2)
        assert finished.added == 205 - report.added and not finished.cancelled


def test_updates_of_a_few_files_merge_only_tiny_segments(seed_copy: Path, tmp_path: Path, monkeypatch) -> None:
    import folio_reader.index.search.build as build

    monkeypatch.setattr(build, "TINY_SEGMENT_DOCS", 3)
    changing = seed_copy / SEED_NAMES[0]
    original = changing.read_text()
    with FolioIndex(open_corpus(seed_copy), tmp_path / "ix") as ix:
        ix.update()
        [big] = [s.segment_id() for s in segments(ix.whoosh_index)]
        counts = []
        for n in range(build.TINY_SEGMENTS + 1):
            changing.write_text(original + f"\nRevision number{n}.\n")
            assert ix.update().updated == 1
            counts.append(len(segments(ix.whoosh_index)))
        # one segment more per update until there are TINY_SEGMENTS tiny ones; then they merge
        # into the new one (Whoosh merges into the segment being written)
        assert counts == [*range(2, build.TINY_SEGMENTS + 2), 2], counts
        assert big in {s.segment_id() for s in segments(ix.whoosh_index)}  # the big one is never merged
        assert rels(ix.search("number8")) == {"000"} and ix.search("number7").total == 0
        assert rels(ix.search('"golden dome"')) == {"000", "002"}
