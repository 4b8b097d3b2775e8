"""Web pages (.html, .htm, .xhtml) -> the article's text as Markdown, with its metadata.

trafilatura finds the main text (navigation, advertising, related links, comment sections and
footers left out) and the metadata (title, author, date, site name). Its article tree is turned
into HTML tags (trafilatura's own `convert_to_html`) and written as Markdown by `mdwriter`, so
headings, lists, quotes, code and tables reach the Markdown parser.

A page that is not an article (an index of links, a form: trafilatura then falls back to lines of
bare text, or finds nothing) is shown whole, structure kept. A page larger than
`MAX_ARTICLE_BYTES` is shown whole too (trafilatura takes seconds per megabyte on such pages),
and one over `MAX_HTML_BYTES` is refused: both with a message.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from ..corpus import looks_binary
from .assemble import TextBuilder
from .deps import extractor_version, missing_reason
from .mdwriter import heading_line, tag_of, text_of, to_markdown
from .model import Extracted, ExtractionError, ymd_date

MAX_ARTICLE_BYTES = 2 * 1024 * 1024
MAX_HTML_BYTES = 32 * 1024 * 1024
#: htmldate rejects dates after its maximum, by default today: fixed, so the same bytes give the
#: same date whenever they are read.
_DATE_PARAMS = {"original_date": True, "extensive_search": True, "max_date": "2099-12-31"}

for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    # these log warnings ("discarding data") that must never reach a terminal Folio draws on
    logging.getLogger(_name).addHandler(logging.NullHandler())

_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_MB = 1024 * 1024


def extract_html(data: bytes) -> Extracted:
    if len(data) > MAX_HTML_BYTES:
        raise ExtractionError(f"web page too large: {len(data) / _MB:.0f} MB (the limit is {MAX_HTML_BYTES // _MB} MB)")
    if looks_binary(data):
        raise ExtractionError("binary file, not a web page")
    trafilatura, convert_to_html, lxml_html = _libraries()
    notes: list[str] = []
    found: Any = None
    if len(data) <= MAX_ARTICLE_BYTES:
        try:
            found = trafilatura.bare_extraction(
                data,
                output_format="markdown",
                include_comments=False,
                include_tables=True,
                include_formatting=True,
                include_links=True,
                include_images=False,
                with_metadata=True,
                date_extraction_params=_DATE_PARAMS,
            )
        except (RecursionError, ValueError, TypeError, LookupError, UnicodeError):
            found = None  # a page trafilatura cannot take: shown whole below
    else:
        notes.append(
            f"page over {MAX_ARTICLE_BYTES // _MB} MB: all of its text is shown, navigation and all "
            "(the article is picked out only in smaller pages)"
        )
    if found is not None and _is_article(found.body):
        ordered = [el for el in found.body.iter("list") if el.get("rend") == "ol"]
        root = convert_to_html(found.body)
        for el in ordered:
            el.tag = "ol"
        markdown = to_markdown(root)
        meta = _metadata(found)
    else:
        page, too_deep = parse_page(data, lxml_html)
        if too_deep:
            notes.append(TOO_DEEP)
        body = page.find("body")
        markdown = to_markdown(body if body is not None else page)
        meta = _metadata(found) if found is not None else _page_metadata(page)
        if len(data) <= MAX_ARTICLE_BYTES:
            notes.append("no article found on this page: all of its text is shown")
    title = meta["title"]
    out = TextBuilder()
    if title and not markdown.startswith("#"):
        out.add(heading_line(1, title))
    out.add(markdown)
    if out.full:
        notes.append(f"text cut at {out.limit:,} characters (the limit)")
    text = out.text()
    if not text.strip():
        raise ExtractionError("no text: the page shows no words")
    return Extracted(
        format="html",
        text=text,
        markdown=True,
        title=title,
        title_source="metadata" if title else "none",
        author=meta["author"],
        date=_date(meta["date"]),
        outlet=meta["outlet"],
        sections=(),
        notes=tuple(notes),
        extractor_version=extractor_version("html"),
    )


def _libraries() -> tuple[Any, Any, Any]:
    try:
        import lxml.html as lxml_html
        import trafilatura
        from trafilatura.htmlprocessing import convert_to_html
    except ImportError as exc:  # lxml_html_clean missing shows up here, through justext
        raise ExtractionError(missing_reason("html", exc.name or "trafilatura")) from None
    return trafilatura, convert_to_html, lxml_html


def _is_article(body: Any) -> bool:
    """False when trafilatura found no article: no body, or its fallback of one block of lines."""
    if body is None or len(body) == 0:
        return False
    return not (len(body) == 1 and "\n" in "".join(body[0].itertext()).strip())


def parse_page(data: bytes, lxml_html: Any) -> tuple[Any, bool]:
    """An HTML (or XHTML) document's root with lxml's lenient parser, and whether it nests past
    what lxml reads (2,048 levels: the rest is dropped). Raises `ExtractionError`."""
    parser = lxml_html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, huge_tree=True)
    try:
        root = lxml_html.document_fromstring(data, parser=parser)
    except (lxml_html.etree.LxmlError, ValueError, TypeError, LookupError) as exc:
        raise ExtractionError(f"not a readable web page: {str(exc).lower() or 'lxml cannot parse it'}") from None
    return root, any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)


TOO_DEEP = "it nests deeper than 2,048 levels: what lies deeper is not shown"


def _metadata(found: Any) -> dict[str, str | None]:
    return {
        "title": _clean(found.title),
        "author": _clean(found.author),
        "date": _clean(found.date),
        "outlet": _clean(found.sitename),
    }


def _page_metadata(root: Any) -> dict[str, str | None]:
    """Title, author, date and site name from a page's head, for pages trafilatura did not take."""
    metas: dict[str, str] = {}
    for el in root.iter("meta"):
        key = (el.get("property") or el.get("name") or "").strip().lower()
        if key and key not in metas and el.get("content"):
            metas[key] = el.get("content")
    title_el = next((el for el in root.iter("title") if tag_of(el) == "title"), None)
    return {
        "title": _clean(metas.get("og:title") or (text_of(title_el) if title_el is not None else None)),
        "author": _clean(metas.get("author") or metas.get("article:author")),
        "date": _clean(metas.get("article:published_time") or metas.get("date")),
        "outlet": _clean(metas.get("og:site_name")),
    }


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value[:500] or None


def _date(value: str | None) -> dt.date | None:
    return ymd_date(_ISO_DATE_RE, value)
