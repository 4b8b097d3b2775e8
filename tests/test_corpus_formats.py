"""The corpus reads saved web pages, EPUB books and PDF reports through `index/formats`: the scan
takes their names (or lists them with the install command when the extra is missing), a load goes
through the extraction cache, the extracted text is parsed as Markdown, the index build extracts
in its worker processes, and search and snippets land on the extracted text. The files are built
by tests/formats_files.py."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from folio_reader.index import formats
from folio_reader.index.corpus import Corpus, UnreadableError, open_corpus
from folio_reader.index.document import InlineKind, Kind
from folio_reader.index.formats import install_command
from folio_reader.index.inventory import take_inventory
from folio_reader.index.search import FolioIndex
from folio_reader.tui.screens.main import MainScreen
from tests.formats_files import article_html, make_epub, make_pdf, typeset
from tests.helpers import Notifications, make_app, settle
from tests.hostile import FOLIO

REPORT = [
    "Quarterly figures for the harbour authority show that tonnage rose by a tenth.",
    "The dredging of the outer channel was finished in March, ahead of the schedule.",
]


def make_corpus(root: Path) -> Path:
    root.mkdir()
    (root / "article.html").write_bytes(article_html())
    (root / "book.epub").write_bytes(make_epub())
    (root / "report.pdf").write_bytes(make_pdf([typeset(REPORT[:1]), typeset(REPORT[1:])]))
    (root / "notes.md").write_text("# Notes\n\nA plain Markdown file beside them.\n")
    return root


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    return make_corpus(tmp_path / "c")


def count_extractions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real = formats.extract

    def counting(suffix: str, data: bytes) -> formats.Extracted:
        calls.append(suffix)
        return real(suffix, data)

    monkeypatch.setattr(formats, "extract", counting)
    return calls


def test_the_scan_takes_each_format(corpus_dir: Path) -> None:
    scan = open_corpus(corpus_dir).scan()
    assert [e.rel for e in scan.entries] == ["article.html", "book.epub", "notes.md", "report.pdf"]
    assert scan.problems == []


@pytest.mark.parametrize(("name", "module"), [("report.pdf", "pypdfium2"), ("book.epub", "lxml")])
def test_without_the_extra_a_file_is_listed_with_the_install_command(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch, name: str, module: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # find_spec then says it is not there
    corpus = open_corpus(corpus_dir)
    scan = corpus.scan()
    assert name not in [e.rel for e in scan.entries] and "notes.md" in [e.rel for e in scan.entries]
    reasons = {p.rel: p.reason for p in scan.problems}
    assert reasons[name].endswith(install_command()) and f"({module} is not installed)" in reasons[name]
    inventory = take_inventory(corpus, None)  # what `folio list` shows
    assert {p.rel: p.reason for p in inventory.skipped}[name] == reasons[name]
    with pytest.raises(UnreadableError, match="formats extra"):
        corpus.load(name)  # a single file asked for by name says the same


def test_metadata_of_each_format(corpus_dir: Path) -> None:
    corpus = open_corpus(corpus_dir)
    page = corpus.load("article.html").meta
    assert (page.title, page.title_source, page.author, page.outlet, page.date, page.date_source) == (
        "Harbour council votes to rebuild the old pier",
        "metadata",
        "Maria Okafor",
        "The Coastline Courier",
        dt.date(2025, 6, 14),
        "metadata",
    )
    book = corpus.load("book.epub").meta
    assert (book.title, book.author, book.outlet, book.date) == (
        "Moby-Dick",
        "Herman Melville",
        "Harper & Brothers",
        dt.date(1851, 10, 18),
    )
    assert book.encoding == formats.extractor_version("epub")
    report = corpus.load("report.pdf").meta  # no document info: the first line, never "Page 1"
    assert report.title == REPORT[0] and report.title_source == "first line"


def test_the_article_text_has_no_boilerplate_and_is_read_as_markdown(corpus_dir: Path) -> None:
    doc = open_corpus(corpus_dir).load("article.html")
    assert "councillor Edith Rowe" in doc.text
    for boilerplate in ("ADVERTISEMENT", "seagull42", "Cookie settings", "Subscribe today"):
        assert boilerplate not in doc.text
    assert doc.structure is not None and doc.structure.format == "markdown"
    kinds = {b.kind for b in doc.structure.blocks}
    assert {Kind.HEADING, Kind.PARAGRAPH, Kind.LIST_ITEM, Kind.TABLE, Kind.CODE} <= kinds
    vote = next(b for b in doc.structure.blocks if "public vote" in doc.text[b.start : b.end])
    assert [doc.text[i.start : i.end] for i in vote.inlines if i.kind is InlineKind.STRONG] == ["public vote"]


def test_a_books_chapters_are_its_outline(corpus_dir: Path) -> None:
    doc = open_corpus(corpus_dir).load("book.epub")
    assert doc.structure is not None
    headings = [b for b in doc.structure.blocks if b.kind is Kind.HEADING and b.level == 1]
    assert [s.label for s in doc.sections][:2] == ["Loomings", "The Carpet-Bag"]
    assert [h.start for h in headings] == [s.start for s in doc.sections]
    second = doc.sections[1]
    assert doc.section_at(second.start + 5) == second and doc.section_at(0) == doc.sections[0]


def test_a_pdfs_pages_are_sections_and_its_lines_are_paragraphs(corpus_dir: Path) -> None:
    doc = open_corpus(corpus_dir).load("report.pdf")
    assert [s.label for s in doc.sections] == ["Page 1", "Page 2"]
    assert [doc.text[s:e] for s, e in doc.paragraphs] == ["# Page 1", REPORT[0], "# Page 2", REPORT[1]]
    at = doc.text.index("dredging")
    section = doc.section_at(at)
    assert section is not None and section.label == "Page 2"


def test_a_load_goes_through_the_extraction_cache(corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = count_extractions(monkeypatch)
    first = open_corpus(corpus_dir).load("book.epub")
    again = open_corpus(corpus_dir).load("book.epub")  # another corpus object: the cache is on disk
    entry = open_corpus(corpus_dir).entry("book.epub")
    snippet_text = open_corpus(corpus_dir).read_text(entry)  # what a search snippet reads
    assert calls == [".epub"]
    assert again.text == first.text == snippet_text
    (corpus_dir / "book.epub").write_bytes(make_epub(title="Moby-Dick; or, The Whale"))
    assert open_corpus(corpus_dir).load("book.epub").meta.title == "Moby-Dick; or, The Whale"
    assert calls == [".epub", ".epub"]  # a changed file misses


def test_an_unwritable_cache_still_loads(corpus_dir: Path, tmp_path: Path) -> None:
    corpus = open_corpus(corpus_dir)
    (tmp_path / "not-a-folder").write_text("x")
    corpus.extracted.folder = tmp_path / "not-a-folder" / "extracted"
    assert "Loomings" in corpus.load("book.epub").text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("scan.pdf", make_pdf([[]], images=True), "scanned PDF: no text layer"),
        ("locked.pdf", make_pdf([typeset(["Secret."])], password="pw"), "encrypted PDF"),
        ("broken.pdf", b"%PDF-1.4\n garbage", "damaged PDF"),
        ("bad.epub", b"PK\x03\x04 not really", "damaged EPUB"),
    ],
)
def test_a_hostile_file_is_listed_with_its_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    root = tmp_path / "c"
    root.mkdir()
    (root / name).write_bytes(data)
    (root / "fine.md").write_text("Fine.\n")
    corpus = open_corpus(root)
    with pytest.raises(UnreadableError, match=f"^{reason}"):
        corpus.load(name)
    inventory = take_inventory(corpus, None)
    assert [d.rel for d in inventory.documents] == ["fine.md"]
    assert [(p.rel, p.reason.startswith(reason)) for p in inventory.skipped] == [(name, True)]


def test_a_phrase_search_lands_on_the_extracted_words(corpus_dir: Path, tmp_path: Path) -> None:
    corpus = open_corpus(corpus_dir)
    ix = FolioIndex(corpus, tmp_path / "ix")
    report = ix.update(procs=1)
    assert report.problems == []
    for phrase, rel in (
        ('"outer channel"', "report.pdf"),
        ('"carpet bag"', "book.epub"),
        ('"front door back"', "article.html"),
    ):
        result = ix.search(phrase)
        assert [h.rel for h in result.hits] == [rel], phrase
        hit = result.hits[0]
        text = corpus.load(rel).text
        words = phrase.strip('"').split()
        found = {text[s:e].lower().replace("-", " ") for s, e in hit.spans}
        assert hit.spans and found == {" ".join(words)}
        assert all(hit.snippet[s:e] for s, e in hit.snippet_spans)


def test_the_index_build_extracts_in_its_worker_processes(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = count_extractions(monkeypatch)  # counts in this process only
    corpus = open_corpus(corpus_dir)
    report = FolioIndex(corpus, tmp_path / "ix").update(procs=2)
    assert report.problems == [] and calls == []  # the workers extracted, not this process
    assert open_corpus(corpus_dir).load("report.pdf").text  # ... and cached what they extracted
    assert calls == []


def test_a_corpus_of_one_file(corpus_dir: Path) -> None:
    corpus = open_corpus(corpus_dir / "book.epub")
    assert isinstance(corpus, Corpus) and [e.rel for e in corpus.scan().entries] == ["book.epub"]


def test_folio_list_and_search_on_each_format(corpus_dir: Path, tmp_path: Path) -> None:
    """Through the installed command, as a person runs it."""
    args = ["--corpus", str(corpus_dir), "--index-dir", str(tmp_path / "ix")]
    done = subprocess.run([str(FOLIO), "list", *args, "--json"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    rows = {d["path"]: d for d in json.loads(done.stdout)["documents"]}
    assert (rows["article.html"]["outlet"], rows["book.epub"]["author"], rows["report.pdf"]["title"]) == (
        "The Coastline Courier",
        "Herman Melville",
        REPORT[0],
    )
    for query, rel in (("dredging", "report.pdf"), ("Ishmael", "book.epub"), ("terns", "article.html")):
        done = subprocess.run(
            [str(FOLIO), "search", *args, "--json", query], capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert [h["path"] for h in json.loads(done.stdout)] == [rel], query


async def test_the_app_never_extracts_on_its_ui_thread(corpus_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A corpus this small is indexed in the app's process (no worker processes): its index
    build and the opening of each document extract in worker threads."""
    threads: list[threading.Thread] = []
    real = formats.extract

    def recording(suffix: str, data: bytes) -> formats.Extracted:
        threads.append(threading.current_thread())
        return real(suffix, data)

    monkeypatch.setattr(formats, "extract", recording)
    app = make_app(corpus_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert [i.rel for i in screen.documents.items] == ["article.html", "book.epub", "notes.md", "report.pdf"]
        await pilot.press("down", "enter")  # the book
        await settle(pilot)
        assert screen.document is not None and screen.document.rel == "book.epub"
        assert "Call me Ishmael" in screen.document.text
    assert len(threads) == 3 and threading.main_thread() not in threads


@pytest.mark.parametrize(
    ("name", "lines"),
    [
        (
            "article.html",
            ["  Harbour council votes to rebuild the old pier", "  • A new hardwood deck on the original piles"],
        ),
        ("book.epub", ["  Loomings", "  Call me Ishmael. Some years ago I went to sea.", "  The Carpet-Bag"]),
        ("report.pdf", ["  Page 1", "  Page 2", "  The dredging of the outer channel was finished in March, ahead of"]),
    ],
)
def test_folio_show_on_each_format(corpus_dir: Path, name: str, lines: list[str]) -> None:
    """`folio show` lays the extracted text out as the reader does, through the installed command;
    the article's navigation and footer are not in it."""
    done = subprocess.run(
        [str(FOLIO), "show", name, "--corpus", str(corpus_dir), "--width", "70"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    shown = done.stdout.splitlines()
    assert all(line in shown for line in lines), done.stdout
    assert "Subscribe today" not in done.stdout and "Cookie settings" not in done.stdout


async def test_a_pdfs_pages_are_its_outline_and_the_status_names_the_page(tmp_path: Path) -> None:
    """`t` lists a PDF's pages ("Page 12"); choosing one puts the caret on it and the status line
    names the page the caret is in."""
    from folio_reader.tui.screens.outline import OutlineScreen

    root = tmp_path / "c"
    root.mkdir()
    pages = [typeset([f"Page {n} of the harbour report tells of berth {n} and its moorings."]) for n in range(1, 16)]
    (root / "long.pdf").write_bytes(make_pdf(pages))
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.open_document("long.pdf")
        await settle(pilot)
        screen.reader.focus()
        await pilot.press("t")
        await pilot.pause()
        outline = app.screen
        assert isinstance(outline, OutlineScreen)
        assert [h.title for h in outline.headings] == [f"Page {n}" for n in range(1, 16)]
        await pilot.press(*"page 12", "enter")
        await settle(pilot)
        assert app.screen is screen
        text = screen.document.text
        assert screen.reader.caret == text.index("Page 12")
        assert screen.status.context == "Page 12"
        await pilot.press("j")
        await pilot.pause()
        assert screen.status.context == "Page 12"  # the page's text


QUOTE = "the deck timbers had rotted beyond repair"


def annotate_article(root: Path, notes: Path) -> None:
    """An annotation on a phrase of the article, saved as the app saves it."""
    from folio_reader.index.annotations import Annotation, AnnotationStore

    doc = open_corpus(root).load("article.html")
    start = doc.text.index(QUOTE)
    store = AnnotationStore(notes)
    store.load()
    store.add(Annotation.new(doc, start, start + len(QUOTE), note="the cost of it"))
    store.save()


async def open_annotated(root: Path, notes: Path, notifications: Notifications) -> tuple[str, list[int | None]]:
    """The article opened in the app: its text and where its annotations are."""
    app = make_app(root, annotations_path=notes)
    async with app.run_test(size=(100, 30), message_hook=notifications.hook) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.open_document("article.html")
        await settle(pilot)
        assert screen.document is not None
        return screen.document.text, [a.start for a in screen.annotations.anchors]


async def test_an_annotation_on_an_article_re_anchors_after_the_page_changes(
    tmp_path: Path, notifications: Notifications
) -> None:
    root, notes = make_corpus(tmp_path / "c"), tmp_path / "notes.json"
    annotate_article(root, notes)
    page = (root / "article.html").read_bytes()
    added = b"<p>A late correction: the vote was taken after midnight, not on Thursday night as first said.</p>"
    (root / "article.html").write_bytes(page.replace(b"<p>Engineers told", added + b"<p>Engineers told", 1))
    text, starts = await open_annotated(root, notes, notifications)
    assert "late correction" in text and starts == [text.index(QUOTE)]
    assert notifications.count("1 annotation re-anchored: the document's text changed") == 1


async def test_an_extractor_upgrade_that_changes_the_text_re_anchors_and_says_so(
    tmp_path: Path, notifications: Notifications, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is the same, the extractor's revision is new (so the cache misses) and its text
    differs: the annotation is found again by the fuzzy path and the app says so."""
    from dataclasses import replace

    from folio_reader.index.formats import deps

    root, notes = make_corpus(tmp_path / "c"), tmp_path / "notes.json"
    annotate_article(root, notes)  # (extracted once, by revision 1: in the cache)
    monkeypatch.setitem(deps.REVISIONS, "html", deps.REVISIONS["html"] + 1)
    real = formats.extract

    def upgraded(suffix: str, data: bytes) -> formats.Extracted:
        result = real(suffix, data)
        return replace(result, text=result.text.replace("Engineers told", "Engineers from the county told", 1))

    monkeypatch.setattr(formats, "extract", upgraded)
    text, starts = await open_annotated(root, notes, notifications)
    assert "from the county" in text and starts == [text.index(QUOTE)]
    assert notifications.count("1 annotation re-anchored: the document's text changed") == 1


async def test_a_link_in_an_article_to_another_document_of_the_corpus_opens_it(tmp_path: Path) -> None:
    """trafilatura's Markdown keeps the article's links, so enter on one follows it as in Markdown."""
    root = make_corpus(tmp_path / "c")
    (root / "pier-budget.html").write_bytes(
        article_html().replace(b"Harbour council votes to rebuild the old pier", b"The pier budget in detail")
    )
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        screen.open_document("article.html")
        await settle(pilot)
        assert screen.document is not None and "[pier budget](pier-budget.html)" in screen.document.text
        screen.reader.focus()
        screen.reader.move_caret(screen.document.text.index("pier budget]"))
        await pilot.pause()
        assert screen.status.context == "link → pier-budget.html"
        await pilot.press("enter")
        await settle(pilot)
        assert screen.document.rel == "pier-budget.html"
