"""PDF reports written object by object: text per page under "Page N" headings, lines joined into
paragraphs as the layout allows, line-end hyphens mended, metadata from the document info, and
scanned, encrypted or damaged files listed with their reason."""

from __future__ import annotations

import datetime as dt

import pypdfium2
import pytest

from folio_reader.index.formats import ExtractionError, extract
from folio_reader.index.formats import pdf as pdf_extractor
from folio_reader.index.formats.pdf_layout import Line, paragraphs
from tests.formats_files import make_pdf, typeset
from tests.test_formats_writer import blocks

P1 = (
    "The harbour council voted seven to two on Thursday night to rebuild the Victorian pier that storms "
    "closed in 2019, ending six years of argument over whether the structure could be saved at all."
)
P2 = "Engineers told the meeting that the iron piles were sound but that the deck timbers had rotted beyond repair."
P3 = "A short last paragraph."
INFO = {"Title": "Pier report", "Author": "Maria Okafor", "CreationDate": "D:20250614093000Z"}


def test_pages_paragraphs_and_metadata() -> None:
    data = make_pdf([typeset([P1, P2]), typeset([P3])], INFO)
    x = extract(".pdf", data)
    assert blocks(x.text) == [("h1", "Page 1"), ("p", P1), ("p", P2), ("h1", "Page 2"), ("p", P3)]
    assert [(s.kind, s.label) for s in x.sections] == [("page", "Page 1"), ("page", "Page 2")]
    assert x.section_at(x.text.index("Engineers")).label == "Page 1"
    assert x.section_at(x.text.index("short last")).label == "Page 2"
    assert (x.title, x.title_source, x.author, x.date, x.outlet) == (
        "Pier report",
        "metadata",
        "Maria Okafor",
        dt.date(2025, 6, 14),
        None,
    )
    assert x.notes == ()
    assert extract(".pdf", data) == x  # the same bytes, the same text


def test_indented_first_lines_start_paragraphs_even_without_gaps() -> None:
    lines = typeset([P1, P2, P3], indent=18)
    x = extract(".PDF", make_pdf([lines]))
    assert blocks(x.text)[1:] == [("p", P1), ("p", P2), ("p", P3)]


def test_line_end_hyphens_are_mended_unless_the_document_hyphenates_the_word() -> None:
    lines = [
        (72, 720, 11, "The old pier needed a well-known engineer, whose infor-"),
        (72, 706, 11, "mation was that the piles, which the well-"),
        (72, 692, 11, "known Anglo-"),
        (72, 678, 11, "Saxon builders drove, were sound and had been for a very long time indeed."),
    ]
    x = extract(".pdf", make_pdf([lines]))
    assert blocks(x.text)[1] == (
        "p",
        "The old pier needed a well-known engineer, whose information was that the piles, which the "
        "well-known Anglo-Saxon builders drove, were sound and had been for a very long time indeed.",
    )


def test_layout_rules_on_lines() -> None:
    words = frozenset({"rebuild"})
    full = [
        Line("first line of a paragraph that fills its column", 72, 540, 700, 710),
        Line("and ends.", 72, 120, 686, 696),
    ]
    assert paragraphs(full, words) == ["first line of a paragraph that fills its column and ends."]
    bullets = [Line("• one", 72, 100, 700, 710), Line("• two", 72, 100, 686, 696)]
    assert paragraphs(bullets, words) == ["• one", "• two"]
    filled = "a line that fills its column all the way"
    gap = [
        Line(filled, 72, 540, 700, 710),
        Line(filled, 72, 540, 686, 696),
        Line(filled, 72, 540, 672, 682),
        Line("below a gap", 72, 540, 620, 630),
    ]
    assert paragraphs(gap, words) == [" ".join([filled] * 3), "below a gap"]
    # lines without boxes join too; the hyphen rule asks the document's own words
    assert paragraphs([Line("re\ufffe"), Line("build it")], words) == ["rebuild it"]
    assert paragraphs([Line("re-"), Line("build it")], frozenset({"re-build"})) == ["re-build it"]
    assert paragraphs([Line("Anglo-"), Line("Saxon")], frozenset()) == ["Anglo-Saxon"]
    assert paragraphs([Line("infor-"), Line("mation")], frozenset()) == ["information"]


def test_no_title_in_the_info_takes_the_first_line() -> None:
    x = extract(".pdf", make_pdf([typeset(["Annual report of the harbour board", P1])]))
    assert (x.title, x.title_source) == ("Annual report of the harbour board", "first line")


def test_a_scanned_pdf_is_listed_with_its_reason() -> None:
    with pytest.raises(
        ExtractionError, match=r"^scanned PDF: no text layer on any of its 2 pages \(Folio does not do OCR\)$"
    ):
        extract(".pdf", make_pdf([[], []], images=True))
    partly = extract(".pdf", make_pdf([typeset([P1]), [], [], typeset([P3])], images=True))
    assert partly.notes == ("no text layer on pages 2–3 (scanned?)",)


def test_an_encrypted_pdf_is_listed_with_its_reason() -> None:
    data = make_pdf([typeset([P1])], password="secret")
    with pytest.raises(
        ExtractionError, match=r"^encrypted PDF: it needs a password to open \(Folio does not ask for one\)$"
    ):
        extract(".pdf", data)
    pdf = pypdfium2.PdfDocument(data, password="secret")  # it is a real encrypted PDF: the password opens it
    assert "Victorian pier" in pdf[0].get_textpage().get_text_range()
    pdf.close()


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.4\n" + b"\x00garbage\xff" * 200, r"^damaged PDF: PDFium cannot read its structure$"),
        (b"GIF89a not a pdf", r"^not a PDF: it does not start with %PDF-$"),
        (b"", r"^empty file$"),
    ],
    ids=["damaged", "not a pdf", "empty"],
)
def test_bad_pdfs_get_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ExtractionError, match=reason):
        extract(".pdf", data)


def test_a_truncated_pdf_is_read_as_far_as_it_goes_or_refused() -> None:
    data = make_pdf([typeset([P1]), typeset([P2])], INFO)
    for cut in (len(data) // 2, len(data) - 40):
        try:
            x = extract(".pdf", data[:cut])
        except ExtractionError as exc:
            assert str(exc)
        else:
            assert x.text.startswith("# Page 1")


def test_pages_past_the_limit_are_left_out_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_extractor, "MAX_PAGES", 2)
    x = extract(".pdf", make_pdf([typeset([f"Page text number {n}."]) for n in range(5)]))
    assert [s.label for s in x.sections] == ["Page 1", "Page 2"]
    assert x.notes == ("only the first 2 of 5 pages are read (the limit)",)


def test_a_page_past_the_character_limit_is_cut_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_extractor, "MAX_PAGE_CHARS", 40)
    x = extract(".pdf", make_pdf([typeset([P3]), typeset([P1])]))
    assert P3 in x.text and P1 not in x.text and P1[:30] in x.text
    assert x.notes == ("page 2 cut at 40 characters (the limit)",)
