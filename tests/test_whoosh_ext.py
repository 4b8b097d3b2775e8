"""index.search.whoosh_ext against Whoosh's own: each replacement of a Whoosh hot path gives
exactly what Whoosh gives, and each private name it relies on is still there. A Whoosh upgrade
that changes one of them fails here."""

from __future__ import annotations

import gc
import inspect
import random
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import fields, qparser, query
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3PerDocReader
from whoosh.collectors import TopCollector
from whoosh.filedb.filestore import FileStorage
from whoosh.index import LockError
from whoosh.query.spans import SpanNear2
from whoosh.scoring import BM25F
from whoosh.writing import PostingPool, SegmentWriter

from folio_reader.index.search import make_schema, whoosh_ext
from folio_reader.index.search.whoosh_ext import bulk, kept, querying, text_analyzer

WORDS = [
    "walrus",
    "tariff",
    "dome",
    "golden",
    "missile",
    "carney",
    "ottawa",
    "fentanyl",
    "border",
    "trade",
    "talks",
    "deal",
    "summit",
]


def _texts(n: int, seed: int = 1) -> list[str]:
    rnd = random.Random(seed)
    texts = [" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(5, 60))) for _ in range(n)]
    return [t + (" golden dome missile" if i % 5 == 0 else "") for i, t in enumerate(texts)]


def _index(folder: Path, texts: list[str], *, ours: bool, per_segment: int = 7):
    """An index of `texts`, several segments, written by our writer or by Whoosh's."""
    folder.mkdir()
    ix = FileStorage(str(folder)).create_index(make_schema())
    for start in range(0, len(texts), per_segment):
        if ours:
            lock = ix.lock("WRITELOCK")
            assert lock.acquire()
            writer = whoosh_ext.unlocked_writer(ix)
        else:
            writer = ix.writer()
        for n, text in enumerate(texts[start : start + per_segment], start):
            writer.add_document(rel=f"d{n:03}", title=f"Doc {n}", body=text, meta={"n": n})
        writer.commit(merge=False)
        if ours:
            lock.release()
    return ix


def _postings(ix) -> dict:
    """Every posting of the index (term -> [(path, characters)]) and every field length."""
    out: dict = {}
    with ix.searcher() as s:
        reader = s.reader()
        paths = {d: f["rel"] for d, f in reader.iter_docs()}
        for fieldname, word in reader.all_terms():
            if fieldname == "rel":
                continue
            postings = reader.postings(fieldname, word)
            kind = "characters" if postings.supports("characters") else "positions"
            out[(fieldname, word)] = sorted((paths[d], tuple(v)) for d, v in postings.items_as(kind))
        for d, path in paths.items():
            for fieldname in ("title", "body"):
                out[("length", fieldname, path)] = reader.doc_field_length(d, fieldname)
    return out


# -- what Whoosh must still offer -----------------------------------------------------------------


def test_the_private_names_relied_on_are_still_there() -> None:
    assert "_lk" in inspect.signature(SegmentWriter.__init__).parameters
    assert "poolclass" in inspect.signature(SegmentWriter.__init__).parameters
    assert callable(SegmentWriter._flush_segment)
    assert callable(PostingPool.add) and callable(PostingPool.save)
    assert callable(query.FuzzyTerm._btexts)
    assert qparser.FuzzyTermPlugin.FuzzyTermNode.qclass is query.FuzzyTerm
    assert callable(SpanNear2.SpanNear2Matcher._get_spans)
    assert list(inspect.signature(SpanNear2.SpanNear2Matcher.__init__).parameters) == [
        "self",
        "ms",
        "slop",
        "ordered",
        "mindist",
    ]
    assert hasattr(TopCollector(limit=1), "total")
    # bulk scoring: a term's postings a block at a time, the lengths column, BM25F's parameters
    assert all(
        callable(getattr(W3LeafMatcher, name)) for name in ("_read_ids", "_read_weights", "_read_values", "_next_block")
    )
    assert callable(W3PerDocReader._cached_reader) and LENGTHS_COLUMN._typecode == "B"
    assert {"B", "K1", "_field_B"} <= set(vars(BM25F()))
    # the query parser: where a word becomes a query, and the filter order MinusPlugin sits in
    assert list(inspect.signature(qparser.QueryParser.term_query).parameters) == [
        "self",
        "fieldname",
        "text",
        "termclass",
        "boost",
        "tokenize",
        "removestops",
    ]
    parser = qparser.QueryParser("body", make_schema())
    priorities = {type(p).__name__: [n for _, n in p.filters(parser)] for p in parser.plugins}
    assert priorities["WhitespacePlugin"] == [500] and priorities["OperatorsPlugin"] == [600]
    assert issubclass(qparser.syntax.NotGroup, qparser.syntax.GroupNode)
    assert callable(FileStorage("/nonexistent").temp_storage)


def test_the_tokenizer_survives_the_table_of_contents(tmp_path: Path) -> None:
    """The schema, analyzers included, is pickled into the index: reopened, it analyses alike."""
    (tmp_path / "ix").mkdir()
    FileStorage(str(tmp_path / "ix")).create_index(make_schema())
    from whoosh import index as whoosh_index

    schema = whoosh_index.open_dir(str(tmp_path / "ix")).schema
    assert schema["body"].analyzer == text_analyzer()
    text = "KVM_CREATE_VM 内存屏障 Tariffs"
    assert [t.text for t in schema["body"].analyzer(text)] == [t.text for t in text_analyzer()(text)]


def test_the_parser_makes_identifier_cjk_and_exclusion_queries() -> None:
    parser = whoosh_ext.FolioQueryParser(["body"], make_schema(), phraseclass=whoosh_ext.Phrase)
    parser.add_plugin(whoosh_ext.MinusPlugin())
    assert parser.parse("KVM_CREATE_VM") == query.Or(
        [query.Term("body", "kvm_create_vm"), whoosh_ext.Phrase("body", ["kvm", "creat", "vm"])]
    )
    assert parser.parse("内存屏障") == whoosh_ext.Phrase("body", ["内存", "存屏", "屏障"])
    assert parser.parse("tariff -carney") == query.And(
        [query.Term("body", "tariff"), query.Not(query.Term("body", "carnei"))]
    )
    assert parser.parse("x-ray") == query.Term("body", "x-ray")
    assert parser.parse("gover*") == query.Prefix("body", "gover")  # Whoosh's own path, unchanged


# -- indexing -------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet="aAbBcİıßéÉ_. \n\t'-1", max_size=6)
        | st.sampled_from(["the ", "of ", "us ", "US ", "running "]),
        max_size=20,
    ).map("".join)
)
def test_the_body_field_gives_whooshs_postings(text: str) -> None:
    reference = fields.TEXT(analyzer=text_analyzer(), phrase=True, chars=True)
    fused = whoosh_ext.BodyField(analyzer=text_analyzer(), phrase=True, chars=True)
    assert sorted(fused.index(text)) == sorted(reference.index(text))


def test_our_segment_writer_writes_what_whooshs_writes(tmp_path: Path) -> None:
    texts = _texts(40)
    ours = _index(tmp_path / "ours", texts, ours=True)
    theirs = _index(tmp_path / "theirs", texts, ours=False)
    assert _postings(ours) == _postings(theirs)
    assert len(whoosh_ext.segments(ours)) == len(whoosh_ext.segments(theirs)) == 6
    # separate files, not a compound segment (Whoosh reads a compound one into memory)
    assert not any(s.is_compound() for s in whoosh_ext.segments(ours))


def test_the_posting_pool_spills_to_disk_past_its_limit(tmp_path: Path) -> None:
    (tmp_path / "ix").mkdir()
    ix = FileStorage(str(tmp_path / "ix")).create_index(make_schema())
    lock = ix.lock("WRITELOCK")
    assert lock.acquire()
    writer = whoosh_ext.unlocked_writer(ix, limitmb=0.001)
    for n, text in enumerate(_texts(30)):
        writer.add_document(rel=f"d{n:03}", title="t", body=text, meta={})
    assert writer.pool.runs  # sorted runs on disk, merged back at commit
    writer.commit()
    lock.release()
    assert ix.doc_count() == 30


def test_an_unlocked_writer_works_while_the_lock_is_held(tmp_path: Path) -> None:
    (tmp_path / "ix").mkdir()
    ix = FileStorage(str(tmp_path / "ix")).create_index(make_schema())
    lock = ix.lock("WRITELOCK")
    assert lock.acquire()
    with pytest.raises(LockError):
        ix.writer()
    writer = whoosh_ext.unlocked_writer(ix)
    writer.add_document(rel="a", title="a", body="walrus", meta={})
    writer.commit()
    lock.release()
    assert ix.doc_count() == 1


def test_a_segment_from_another_index_is_adopted(tmp_path: Path) -> None:
    main = _index(tmp_path / "main", _texts(5), ours=True)
    other = _index(tmp_path / "other", ["a zeppelin over ottawa"], ours=True)
    [segment] = whoosh_ext.segments(other)
    lock = main.lock("WRITELOCK")
    assert lock.acquire()
    writer = whoosh_ext.unlocked_writer(main)
    whoosh_ext.adopt_segment(writer, segment, tmp_path / "other", tmp_path / "main")
    writer.commit(merge=False)
    lock.release()
    assert not [p for p in (tmp_path / "other").iterdir() if p.name.startswith(segment.make_filename(""))]
    with main.searcher() as s:
        assert [h["rel"] for h in s.search(query.Term("body", "zeppelin"))] == ["d000"]  # its own numbering
        assert s.doc_count() == 6


def test_tiny_segments_are_merged_once_there_are_enough(tmp_path: Path) -> None:
    ix = _index(tmp_path / "ix", _texts(30), ours=True, per_segment=3)
    assert len(whoosh_ext.segments(ix)) == 10

    def commit(min_count: int) -> int:
        writer = ix.writer()
        writer.commit(
            mergetype=lambda w, segs: whoosh_ext.merge_tiny_segments(w, segs, max_docs=4, min_count=min_count)
        )
        return len(whoosh_ext.segments(ix))

    assert commit(min_count=11) == 10  # not enough tiny ones yet: nothing merged
    assert commit(min_count=10) == 1
    assert ix.doc_count() == 30


# -- searching ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory):
    ix = _index(tmp_path_factory.mktemp("w") / "ix", _texts(120, seed=2), ours=True, per_segment=25)
    with ix.searcher() as s:
        yield s


@pytest.mark.parametrize(("word", "maxdist", "prefix"), [("walrs", 1, 1), ("tarif", 2, 0), ("fentanyll", 1, 3)])
def test_our_fuzzy_term_finds_whooshs_words_and_documents(searcher, word: str, maxdist: int, prefix: int) -> None:
    ours = querying._FuzzyTerm("body", word, maxdist=maxdist, prefixlength=prefix)
    theirs = query.FuzzyTerm("body", word, maxdist=maxdist, prefixlength=prefix)
    for sub, _ in searcher.leaf_searchers():
        assert sorted(ours._btexts(sub.reader())) == sorted(theirs._btexts(sub.reader()))
    assert whoosh_ext.expand(ours, searcher) == whoosh_ext.expand(theirs, searcher)
    assert [(h.docnum, h.score) for h in searcher.search(ours, limit=None)] == [
        (h.docnum, h.score) for h in searcher.search(theirs, limit=None)
    ]
    assert whoosh_ext.expand(ours, searcher)  # the cases find something


def test_the_fuzzy_plugin_makes_our_fuzzy_terms() -> None:
    parser = qparser.QueryParser("body", make_schema())
    parser.add_plugin(whoosh_ext.FuzzyTermPlugin())
    assert isinstance(parser.parse("walrs~"), querying._FuzzyTerm)


@pytest.mark.parametrize("text", ["golden dome", "golden dome missile", "trade trade"])
def test_our_phrase_matches_whooshs_documents_scores_and_spans(searcher, text: str) -> None:
    words = [t.text for t in text_analyzer()(text)]
    ours = whoosh_ext.Phrase("body", words)
    theirs = query.Phrase("body", words)
    found = [(h.docnum, h.score) for h in searcher.search(ours, limit=None)]
    assert found and found == [(h.docnum, h.score) for h in searcher.search(theirs, limit=None)]
    for sub, _ in searcher.leaf_searchers():
        docnums = list(range(sub.doc_count_all()))
        ours_spans = dict(whoosh_ext.spans_in(ours, sub, docnums))
        theirs_spans = dict(whoosh_ext.spans_in(theirs, sub, docnums))
        assert ours_spans == theirs_spans
    assert isinstance(ours.matcher(searcher), querying._PhraseMatcher)


def _leaves_read(words: list[str]) -> list:
    phrase = whoosh_ext.Phrase("body", words)
    return [
        query.Term("body", words[0]),
        query.Term("title", "doc"),
        query.Term("body", "absent"),
        phrase,
        query.Prefix("body", "t"),
        query.Prefix("title", "doc"),
        querying._FuzzyTerm("body", "walrs", maxdist=1),
    ]


@pytest.mark.parametrize("text", ["golden dome", "golden dome missile", "trade trade", "walrus tariff"])
def test_the_hits_spans_and_counts_from_what_the_scoring_read_are_the_matchers(searcher, text: str) -> None:
    """`hit_spans` and `hit_counts` answered from what the bulk scoring read (a term's blocks,
    a phrase's positions, the documents a prefix or fuzzy term matched) give what the leaf's
    own matcher gives (`spans_in`, `match_counts`) in every document of every segment; a leaf
    the scoring did not evaluate is left to the matcher."""
    words = [t.text for t in text_analyzer()(text)]
    leaves = _leaves_read(words)
    found = whoosh_ext.top_documents(searcher, query.Or(leaves), 5, time.monotonic() + 60)
    read = found.read
    assert read is not None and found.total > 0
    for sub, offset in searcher.leaf_searchers():
        docnums = list(range(sub.doc_count_all()))
        assert kept.term_spans(read, leaves[0], sub, offset, docnums) is not None
        assert kept.term_counts(read, leaves[1], sub, offset, docnums) is not None
        assert kept.term_counts(read, leaves[2], sub, offset, docnums) == {}
        assert kept.phrase_spans(read, leaves[3], sub, offset) is not None
        assert all(kept.words_matched(read, leaf, offset) is not None for leaf in leaves[4:])
        for leaf in leaves:
            if leaf.fieldname == "body" and not isinstance(leaf, query.MultiTerm):
                assert dict(whoosh_ext.hit_spans(read, leaf, sub, offset, docnums)) == dict(
                    whoosh_ext.spans_in(leaf, sub, docnums)
                ), leaf
            assert dict(whoosh_ext.hit_counts(read, leaf, sub, offset, docnums)) == dict(
                whoosh_ext.match_counts(leaf, sub, docnums)
            ), leaf
        other = whoosh_ext.Phrase("body", [*words, "deal"])
        assert kept.phrase_spans(read, other, sub, offset) is None
        assert kept.words_matched(read, query.Prefix("body", "zz"), offset) is None
        assert kept.term_spans(read, query.Term("body", "deal"), sub, offset, docnums) is None


@pytest.mark.parametrize(
    "q",
    [
        query.Term("body", "tariff"),
        query.Or([query.Term("body", "dome"), query.Term("body", "deal")]),
        query.And([query.Term("body", "trade"), query.Not(query.Term("body", "summit"))]),
    ],
)
def test_the_counting_collector_gives_whooshs_top_and_an_exact_count(searcher, q) -> None:
    collector = whoosh_ext.CountingTopCollector(10, time.monotonic() + 60)
    searcher.search_with_collector(q, collector)
    expected = searcher.search(q, limit=10)
    assert [(round(s, 9), d) for s, d in collector.top()] == [(round(h.score, 9), h.docnum) for h in expected]
    assert collector.total == len(list(searcher.docs_for_query(q))) > 10


def test_the_counting_collector_stops_at_its_deadline(searcher) -> None:
    collector = whoosh_ext.CountingTopCollector(10, time.monotonic() - 1)
    with pytest.raises(whoosh_ext.TimeLimit):
        searcher.search_with_collector(query.Every(), collector)


def test_the_bulk_scorer_reads_each_blocks_ids_and_weights_as_whoosh_reads_them(tmp_path: Path) -> None:
    """`bulk._block_head` (the opening of a block's pickle only) against Whoosh's `_read_ids`
    and `_read_weights`, block by block, on blocks of one to 128 postings whose weights are all
    1.0, all alike, or not: every block is read by the quick path and gives what Whoosh gives."""
    texts = _texts(300, seed=3)
    texts = [
        t + " solo" + (" pair pair" if i < 2 else "") + (" rare rare rare" if i == 7 else "")
        for i, t in enumerate(texts)
    ]
    ix = _index(tmp_path / "ix", texts, ours=True, per_segment=150)
    kinds: set[str] = set()
    with ix.searcher() as s:
        for sub, _ in s.leaf_searchers():
            reader = sub.reader()
            for fieldname, word in reader.all_terms():
                if fieldname not in ("body", "title"):
                    continue
                m = reader.postings(fieldname, word)
                while m.is_active():
                    ids, weights = bulk._block_head(m)
                    assert m._data is None  # the quick path, not Whoosh's reading
                    m._read_ids()
                    m._read_weights()
                    assert list(ids) == list(m._ids) and list(weights) == list(m._weights), (fieldname, word)
                    kinds.add(f"{min(len(ids), 4)} {'ones' if set(weights) == {1.0} else len(set(weights)) == 1}")
                    m._next_block()
    assert {"1 ones", "1 True", "2 True", "4 ones", "4 False"} <= kinds


def test_the_current_searcher_sees_a_deletion_made_since(tmp_path: Path) -> None:
    ix = _index(tmp_path / "ix", _texts(10), ours=False)
    first = whoosh_ext.current_searcher(ix, None)
    assert first.doc_count() == 10
    assert whoosh_ext.current_searcher(ix, first) is first  # unchanged: the same one
    writer = ix.writer()
    writer.delete_by_term("rel", "d003")
    writer.commit()
    second = whoosh_ext.current_searcher(ix, first)
    assert second is not first and second.doc_count() == 9
    assert "d003" not in {f["rel"] for f in second.all_stored_fields()}
    second.close()


def test_in_memory_writers_do_not_share_their_temporary_folder() -> None:
    """Whoosh's RamStorage gives every in-memory writer `<tmp>/MAIN.tmp` and deletes it when a
    writer finishes: a second writer (in any process) finishing first broke the first."""
    first, second = whoosh_ext.ram_index(make_schema()), whoosh_ext.ram_index(make_schema())
    a, b = first.writer(), second.writer()
    assert a.temp_storage().folder != b.temp_storage().folder
    for n, text in enumerate(_texts(20)):
        a.add_document(rel=f"a{n}", title="a", body=text, meta={})
        b.add_document(rel=f"b{n}", title="b", body=text, meta={})
    folder = Path(b.temp_storage().folder)
    b.commit()
    assert not folder.exists()  # cleaned up
    a.commit()
    assert first.doc_count() == second.doc_count() == 20


def test_in_memory_writers_leave_no_folder_in_the_temporary_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whoosh's per-document writer takes a temporary storage of its own and never destroys
    it: each commit of an in-memory index (the annotation search rebuilds one) left an empty
    `folio-whoosh-*` folder behind in the user's temporary directory."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    for round_ in range(3):
        ix = whoosh_ext.ram_index(make_schema())
        writer = ix.writer()
        for n, text in enumerate(_texts(5)):
            writer.add_document(rel=f"r{round_}-{n}", title="t", body=text, meta={})
        writer.commit()
        assert ix.doc_count() == 5
        del writer, ix
    gc.collect()
    assert sorted(p.name for p in tmp_path.iterdir()) == []
