"""EPUB books built with zipfile: chapters in spine order as the outline, metadata from the
package document, and each hostile book listed with a reason (never a traceback)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from folio_reader.index.formats import ExtractionError, extract
from folio_reader.index.formats import epub as epub_extractor
from tests.formats_files import BOOK_CHAPTERS, bomb_epub, chapter_xhtml, encryption_xml, make_epub
from tests.test_formats_writer import blocks


def test_chapters_in_spine_order_under_their_table_of_contents_labels() -> None:
    x = extract(".epub", make_epub())
    assert blocks(x.text) == [
        ("h1", "Loomings"),
        ("p", "Call me Ishmael. Some years ago I went to sea."),
        ("p", "It is a way I have of driving off the spleen."),
        ("h1", "The Carpet-Bag"),
        ("p", "I stuffed a shirt or two into my old carpet-bag."),
        ("p", "The night was cold & dark."),
        ("h1", "The Spouter-Inn"),
        ("p", "Entering that gable-ended Spouter-Inn, you found yourself in a wide, low entry."),
    ]
    assert [(s.kind, s.label) for s in x.sections] == [("chapter", t) for _, t, _ in BOOK_CHAPTERS]
    for section in x.sections:
        assert x.text[section.start :].startswith(f"# {section.label}\n")
        assert x.section_at(section.start + 5) == section
    assert x.sections[-1].end == len(x.text.rstrip("\n"))
    assert (x.title, x.author, x.date, x.outlet) == (
        "Moby-Dick",
        "Herman Melville",
        dt.date(1851, 10, 18),
        "Harper & Brothers",
    )
    assert x.notes == ()


def test_a_label_that_differs_from_the_chapter_heading_heads_it_and_the_headings_move_down() -> None:
    chapters = [("one.xhtml", None, ["Text."])]
    body = chapter_xhtml("Chapter One", ["First."], extra="<h2>A part</h2><p>Second.</p>")
    x = extract(".epub", make_epub(chapters, toc_labels={"one.xhtml": "I. The Beginning"}, bodies={"one.xhtml": body}))
    assert blocks(x.text) == [
        ("h1", "I. The Beginning"),
        ("h2", "Chapter One"),
        ("p", "First."),
        ("h3", "A part"),
        ("p", "Second."),
    ]


def test_an_epub2_ncx_table_of_contents_and_a_book_without_one() -> None:
    ncx = extract(".epub", make_epub(toc="ncx"))
    none = extract(".epub", make_epub(toc="none"))  # labels then come from the chapters' own headings
    assert (
        [s.label for s in ncx.sections]
        == [s.label for s in none.sections]
        == ["Loomings", "The Carpet-Bag", "The Spouter-Inn"]
    )


def test_no_spine_falls_back_to_the_manifest_and_says_so() -> None:
    x = extract(".epub", make_epub(spine=False))
    assert [s.label for s in x.sections] == ["Loomings", "The Carpet-Bag", "The Spouter-Inn"]
    assert x.notes == ("the book has no spine: its chapters are in the order of its manifest",)


def test_broken_xhtml_still_reads() -> None:
    broken = "<html><body><h1>Loomings<p>Call me &eacute;Ishmael &nbsp; <b>bold<p>unclosed</body>"
    x = extract(".epub", make_epub(bodies={"text/ch1.xhtml": broken}))
    assert x.sections[0].label == "Loomings"
    assert "Call me éIshmael" in x.text and "unclosed" in x.text


def test_an_entry_whose_path_leaves_the_book_is_never_read_and_is_named() -> None:
    x = extract(".epub", make_epub(hrefs={"text/ch2.xhtml": "../../../etc/passwd"}))
    assert [s.label for s in x.sections] == ["Loomings", "The Spouter-Inn"]
    assert x.notes == ("1 chapter left out or cut short: ../../../etc/passwd: its path leaves the book",)


def test_a_zip_bomb_chapter_is_not_inflated() -> None:
    x = extract(".epub", bomb_epub(40))  # 40 MB of spaces: over the size of one entry
    assert [s.label for s in x.sections] == ["The Carpet-Bag", "The Spouter-Inn"]
    assert x.notes == (
        "1 chapter left out or cut short: OEBPS/text/ch1.xhtml is 40 MB uncompressed (the limit is 32 MB)",
    )
    x = extract(".epub", bomb_epub(8))  # under the size, but 1,000 times its compressed size
    assert x.notes[0].startswith("1 chapter left out or cut short: OEBPS/text/ch1.xhtml expands ")
    assert x.notes[0].endswith(" times: a zip bomb, not read")


def test_the_bound_on_everything_read_together(monkeypatch: pytest.MonkeyPatch) -> None:
    data = make_epub()
    sizes = {i.filename: i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist()}
    first = ("META-INF/container.xml", "OEBPS/content.opf", "OEBPS/nav.xhtml", "OEBPS/text/ch1.xhtml")
    monkeypatch.setattr(epub_extractor, "MAX_READ_BYTES", sum(sizes[n] for n in first))
    x = extract(".epub", data)
    assert [s.label for s in x.sections] == ["Loomings"]
    assert x.notes == (
        "2 chapters left out or cut short: the book's entries add up to over 0 MB: the rest is not read; the book's entries add up to over 0 MB: the rest is not read",
    )


def test_drm_encrypted_chapters_are_refused_saying_so() -> None:
    paths = [f"OEBPS/{p}" for p, _, _ in BOOK_CHAPTERS]
    with pytest.raises(
        ExtractionError, match=r"^DRM-protected EPUB: its chapters are encrypted \(META-INF/encryption.xml\)"
    ):
        extract(".epub", make_epub(extra={"META-INF/encryption.xml": encryption_xml(paths)}))
    partly = extract(".epub", make_epub(extra={"META-INF/encryption.xml": encryption_xml(paths[:1])}))
    assert partly.notes == ("1 of 3 chapters are encrypted (DRM) and left out",)
    fonts = encryption_xml(["OEBPS/font.otf"], algorithm="http://www.idpf.org/2008/embedding")
    assert extract(".epub", make_epub(extra={"META-INF/encryption.xml": fonts})).notes == ()  # font obfuscation only


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"PK\x03\x04 not really a zip", r"^damaged EPUB: the zip archive cannot be read"),
        (b"plain text, not a zip at all", r"^damaged EPUB: the zip archive cannot be read"),
        (None, r"^not an EPUB: it holds no package document \(\.opf\)$"),
        (b"encryption", r"^encrypted EPUB \(META-INF/encryption.xml cannot be read\)"),
        (b"chapters", r"^EPUB with no chapters: its package lists no XHTML content$"),
        (b"empty", r"^EPUB with no text in its chapters"),
    ],
    ids=["truncated zip", "not a zip", "no package", "unreadable encryption.xml", "no chapters", "no text"],
)
def test_hostile_books_get_a_reason(data: bytes | None, reason: str) -> None:
    if data is None:
        data = _zip({"mimetype": b"application/epub+zip", "OEBPS/ch.xhtml": b"<p>x</p>"})
    elif data == b"encryption":
        data = make_epub(extra={"META-INF/encryption.xml": b"\x00\x01 not xml"})
    elif data == b"chapters":
        data = make_epub([], toc="none")
    elif data == b"empty":
        data = make_epub(bodies={p: "<html><body> </body></html>" for p, _, _ in BOOK_CHAPTERS})
    with pytest.raises(ExtractionError, match=reason):
        extract(".epub", data)


def test_an_entry_name_in_a_message_is_inert() -> None:
    with pytest.raises(ExtractionError) as caught:
        extract(".epub", _zip({"\x1b[31mevil.opf": b"\x00\x01 not xml"}))
    assert str(caught.value) == "EPUB package document ␛[31mevil.opf is not XML"


def test_same_bytes_same_result() -> None:
    data = make_epub()
    assert extract(".epub", data) == extract(".epub", data)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buffer.getvalue()
