"""PDF reports -> Markdown: one `# Page N` heading per page, the page's text as paragraphs.

pypdfium2 (PDFium in a binary wheel) gives each page's text and character boxes; `pdf_layout`
joins lines into paragraphs and mends line-end hyphens. Metadata comes from the document info
(Title, Author, CreationDate); without a Title, the first line of text is the title.

Listed with their reason instead of read: a PDF with no text layer on any page (scanned: Folio
does no OCR), one that needs a password, one PDFium cannot open. Bounded: at most `MAX_PAGES`
pages and `MAX_PAGE_CHARS` characters a page are read (a note says what was left out).
PDFium is not thread-safe: one lock serialises every use of it in a process.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Any

from .assemble import TextBuilder
from .deps import extractor_version, missing_reason
from .mdwriter import escape_paragraph, heading_line
from .model import Extracted, ExtractionError, ymd_date
from .pdf_layout import Line, document_words, paragraphs

MAX_PAGES = 2_000
MAX_PAGE_CHARS = 200_000
TITLE_CHARS = 120

_LOCK = threading.Lock()
_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n|(?<=[\ufffe\u0002])(?![\r\n])")
_PDF_DATE_RE = re.compile(r"(?:D:)?(\d{4})(\d{2})(\d{2})")
#: PDFium's FPDF_GetLastError codes
_ERR_FILE, _ERR_FORMAT, _ERR_PASSWORD, _ERR_SECURITY = 2, 3, 4, 5


def extract_pdf(data: bytes) -> Extracted:
    if b"%PDF-" not in data[:1024]:
        raise ExtractionError("not a PDF: it does not start with %PDF-")
    pdfium, raw = _libraries()
    with _LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise ExtractionError(_open_reason(getattr(exc, "err_code", None), exc)) from None
        try:
            count = len(pdf)
            info = _info(pdf)
            pages: list[list[Line]] = []
            unreadable: list[int] = []
            cut: list[int] = []
            for index in range(min(count, MAX_PAGES)):
                try:
                    lines, whole = _page_lines(pdf, index, raw, pdfium.PdfiumError)
                    pages.append(lines)
                    if not whole:
                        cut.append(index + 1)
                except pdfium.PdfiumError:
                    pages.append([])
                    unreadable.append(index + 1)
        finally:
            pdf.close()
    words = document_words(pages)
    page_paragraphs = [paragraphs(lines, words) for lines in pages]
    if not any(page_paragraphs):
        raise ExtractionError(
            f"scanned PDF: no text layer on any of its {count:,} page{'s' if count != 1 else ''} (Folio does not do OCR)"
        )
    notes: list[str] = []
    blank = [n for n, ps in enumerate(page_paragraphs, 1) if not ps and n not in unreadable]
    if blank:
        notes.append(f"no text layer on page{'s' if len(blank) > 1 else ''} {_ranges(blank)} (scanned?)")
    if unreadable:
        notes.append(f"page{'s' if len(unreadable) > 1 else ''} {_ranges(unreadable)} could not be read")
    if cut:
        notes.append(
            f"page{'s' if len(cut) > 1 else ''} {_ranges(cut)} cut at {MAX_PAGE_CHARS:,} characters (the limit)"
        )
    if count > MAX_PAGES:
        notes.append(f"only the first {MAX_PAGES:,} of {count:,} pages are read (the limit)")
    out = TextBuilder()
    for number, paras in enumerate(page_paragraphs, 1):
        label = f"Page {number}"
        if not out.section("page", label, heading_line(1, label)):
            break
        if paras and not out.add("\n\n".join(escape_paragraph(p) for p in paras)):
            break
    if out.full:
        notes.append(f"text cut at {out.limit:,} characters (the limit)")
    title, title_source = info["Title"], "metadata"
    if not title:
        first = next(ln.text.strip() for lines in pages for ln in lines if ln.text.strip())
        title, title_source = (first if len(first) <= TITLE_CHARS else first[: TITLE_CHARS - 1] + "…"), "first line"
    return Extracted(
        format="pdf",
        text=out.text(),
        markdown=True,
        title=title,
        title_source=title_source,
        author=info["Author"],
        date=_date(info["CreationDate"]),
        outlet=None,
        sections=out.sections(),
        notes=tuple(notes),
        extractor_version=extractor_version("pdf"),
    )


def _libraries() -> tuple[Any, Any]:
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw
    except ImportError as exc:
        raise ExtractionError(missing_reason("pdf", exc.name or "pypdfium2")) from None
    return pdfium, raw


def _open_reason(code: int | None, exc: Exception) -> str:
    if code == _ERR_PASSWORD:
        return "encrypted PDF: it needs a password to open (Folio does not ask for one)"
    if code == _ERR_SECURITY:
        return "encrypted PDF: its security handler is not supported"
    if code in (_ERR_FORMAT, _ERR_FILE):
        return "damaged PDF: PDFium cannot read its structure"
    return f"PDF cannot be read: {exc}"


def _info(pdf: Any) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for key in ("Title", "Author", "CreationDate"):
        try:
            value = pdf.get_metadata_value(key)
        except (ValueError, UnicodeError, OSError):
            value = None
        value = " ".join(value.split()) if isinstance(value, str) else ""
        found[key] = value[:500] or None
    return found


def _page_lines(pdf: Any, index: int, raw: Any, error: type[Exception]) -> tuple[list[Line], bool]:
    """The lines of one page with the boxes of their first and last characters, and whether the
    whole page was read (False past `MAX_PAGE_CHARS`)."""
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            chars = textpage.count_chars()
            text = textpage.get_text_range(0, min(chars, MAX_PAGE_CHARS)) if chars > 0 else ""
            return _lines(textpage, text, raw, error), chars <= MAX_PAGE_CHARS
        finally:
            textpage.close()
    finally:
        page.close()


def _lines(textpage: Any, text: str, raw: Any, error: type[Exception]) -> list[Line]:
    lines: list[Line] = []
    at = 0  # offset in `text`; PDFium counts UTF-16 units, so keep that count too
    units = 0
    for piece in _LINE_BREAK_RE.split(text):
        start_units = units
        units += len(piece.encode("utf-16-le")) // 2
        end = at + len(piece)
        stripped = piece.strip()
        box: tuple[float, float, float, float] | None = None
        if stripped:
            lead = len(piece[: len(piece) - len(piece.lstrip())].encode("utf-16-le")) // 2
            trail = len(piece[len(piece.rstrip()) :].encode("utf-16-le")) // 2
            box = _box(textpage, raw, error, start_units + lead, units - trail - 1)
        lines.append(Line(piece, *box) if box else Line(piece))
        # the separator that followed: "\r\n" is two units, a zero-width split none
        sep = text[end : end + 2]
        step = 2 if sep == "\r\n" else 1 if sep[:1] in ("\r", "\n") else 0
        at = end + step
        units += step
    return lines


def _box(
    textpage: Any, raw: Any, error: type[Exception], first: int, last: int
) -> tuple[float, float, float, float] | None:
    """left, right, bottom, top from the boxes of a line's first and last characters."""
    a = raw.FPDFText_GetCharIndexFromTextIndex(textpage, first)
    b = raw.FPDFText_GetCharIndexFromTextIndex(textpage, last)
    if a < 0 or b < 0:
        return None
    try:
        la, ba, _, ta = textpage.get_charbox(a)
        _, bb, rb, tb = textpage.get_charbox(b)
    except error:  # a character without a box
        return None
    return la, rb, min(ba, bb), max(ta, tb)


def _date(value: str | None) -> dt.date | None:
    return ymd_date(_PDF_DATE_RE, value)


def _ranges(numbers: list[int]) -> str:
    """[3, 4, 5, 9] -> "3–5, 9" (at most ten runs, then "…")."""
    runs: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        runs.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(runs[:10]) + (", …" if len(runs) > 10 else "")
