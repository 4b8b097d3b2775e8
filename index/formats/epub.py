"""EPUB books -> one Markdown text: chapters in spine order, each under a level-1 heading.

The archive is read in memory with the standard `zipfile` (nothing is ever written to disk, so
an entry named `../../etc/passwd` is only a name); the package document (OPF), the table of
contents (EPUB 3 nav or EPUB 2 NCX) and the chapters are parsed with lxml, chapters with its
lenient HTML parser (broken XHTML still reads) and written by `mdwriter`.

Headings: each chapter starts with its table-of-contents label as a `#` heading, unless its own
first heading says the same; the chapter's headings are shifted below it. So the outline of the
document is the book's table of contents.

Hostile books: zip bombs (each entry read with a bound on its size and on its compression
ratio, and a bound on all entries read together), entries whose paths leave the book (skipped),
a missing spine (manifest order, with a note), broken XHTML, and DRM (META-INF/encryption.xml
naming chapters: refused, saying so; font obfuscation alone is harmless and ignored).
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from ..inert import inert_label
from .assemble import TextBuilder
from .deps import extractor_version, missing_reason
from .html import TOO_DEEP, parse_page
from .mdwriter import Options, heading_line, tag_of, text_of, to_markdown
from .model import Extracted, ExtractionError, ymd_date

MAX_ENTRIES = 20_000
MAX_ENTRY_BYTES = 32 * 1024 * 1024  #: one chapter (or package document) uncompressed
MAX_RATIO = 200  #: uncompressed / compressed, for entries over `RATIO_FLOOR`
RATIO_FLOOR = 1024 * 1024
MAX_READ_BYTES = 512 * 1024 * 1024  #: all entries read for one book, uncompressed
MAX_CHAPTERS = 10_000

_CONTAINER = "META-INF/container.xml"
_ENCRYPTION = "META-INF/encryption.xml"
#: Font obfuscation (IDPF, Adobe): fonts only, the text is not encrypted.
_FONT_OBFUSCATION = frozenset({"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"})
_XHTML_TYPES = frozenset({"application/xhtml+xml", "text/html", "application/x-dtbook+xml"})
_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class _Item:
    path: str  #: inside the archive, or "" when its href leaves the book
    media_type: str
    properties: str
    href: str  #: as written in the manifest


class _Archive:
    """The book's zip archive, each entry read at most once, in memory, within bounds."""

    def __init__(self, data: bytes) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
            raise ExtractionError(f"damaged EPUB: the zip archive cannot be read ({exc})") from None
        if len(infos) > MAX_ENTRIES:
            raise ExtractionError(f"EPUB with {len(infos):,} entries: over the limit of {MAX_ENTRIES:,}")
        self.infos = {info.filename: info for info in infos}
        self.read_total = 0

    def __contains__(self, name: str) -> bool:
        return name in self.infos

    def read(self, entry: str) -> bytes:
        """An entry's bytes; `ExtractionError` saying why it cannot be read."""
        info = self.infos[entry]
        name = _shown(entry)
        if info.file_size > MAX_ENTRY_BYTES:
            raise ExtractionError(
                f"{name} is {info.file_size / 2**20:.0f} MB uncompressed (the limit is {MAX_ENTRY_BYTES // 2**20} MB)"
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ExtractionError(
                f"{name} expands {info.file_size // max(info.compress_size, 1):,} times: a zip bomb, not read"
            )
        if self.read_total + info.file_size > MAX_READ_BYTES:
            raise ExtractionError(
                f"the book's entries add up to over {MAX_READ_BYTES // 2**20} MB: the rest is not read"
            )
        try:
            with self.zip.open(info) as f:
                data = f.read(MAX_ENTRY_BYTES + 1)  # the sizes in the archive may lie
        except RuntimeError as exc:  # an entry encrypted with a zip password
            raise ExtractionError(f"{name} is encrypted ({exc})") from None
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
            raise ExtractionError(f"{name} is damaged ({exc})") from None
        self.read_total += len(data)
        if len(data) > MAX_ENTRY_BYTES:
            raise ExtractionError(f"{name} is over {MAX_ENTRY_BYTES // 2**20} MB uncompressed: not read")
        return data


def extract_epub(data: bytes) -> Extracted:
    etree, lxml_html = _libraries()
    book = _Archive(data)
    encrypted = _encrypted(book, etree)
    opf_path = _package_path(book, etree)
    try:
        opf = _xml(book.read(opf_path), etree)
    except ExtractionError as exc:
        raise ExtractionError(f"EPUB package document cannot be read: {exc}") from None
    if opf is None:
        raise ExtractionError(f"EPUB package document {_shown(opf_path)} is not XML")
    base = posixpath.dirname(opf_path)
    manifest = _manifest(opf, base)
    notes: list[str] = []
    spine = _spine(opf, manifest)
    if not spine:
        spine = [
            item
            for item in manifest.values()
            if item.media_type in _XHTML_TYPES and "nav" not in item.properties.split()
        ]
        if spine:
            notes.append("the book has no spine: its chapters are in the order of its manifest")
    if not spine:
        raise ExtractionError("EPUB with no chapters: its package lists no XHTML content")
    locked = [item for item in spine if item.path in encrypted]
    if locked and len(locked) == len(spine):
        raise ExtractionError(
            "DRM-protected EPUB: its chapters are encrypted (META-INF/encryption.xml); Folio cannot read them"
        )
    if locked:
        notes.append(f"{len(locked)} of {len(spine)} chapters are encrypted (DRM) and left out")
    toc = _toc(book, opf, manifest, etree, lxml_html)
    out = TextBuilder()
    problems: list[str] = []
    for item in spine[:MAX_CHAPTERS]:
        if item.path in encrypted:
            continue
        if not item.path:
            problems.append(f"{_shown(item.href)}: its path leaves the book")
            continue
        if item.path not in book:
            problems.append(f"{_shown(item.path)}: missing from the archive")
            continue
        try:
            raw = book.read(item.path)
        except ExtractionError as exc:
            problems.append(str(exc))
            continue
        more, too_deep = _chapter(raw, toc.get(item.path, ""), lxml_html, out)
        if too_deep:
            problems.append(f"{_shown(item.path)}: {TOO_DEEP}")
        if not more:
            break
    if len(spine) > MAX_CHAPTERS:
        notes.append(f"only the first {MAX_CHAPTERS:,} of {len(spine):,} chapters are read (the limit)")
    if problems:
        shown = "; ".join(problems[:3]) + (f"; and {len(problems) - 3} more" if len(problems) > 3 else "")
        notes.append(f"{len(problems)} chapter{'s' if len(problems) != 1 else ''} left out or cut short: {shown}")
    if out.full:
        notes.append(f"text cut at {out.limit:,} characters (the limit)")
    text = out.text()
    if not text.strip():
        why = f" ({notes[-1]})" if notes else ""
        raise ExtractionError(f"EPUB with no text in its chapters{why}")
    meta = _metadata(opf)
    return Extracted(
        format="epub",
        text=text,
        markdown=True,
        title=meta["title"],
        title_source="metadata" if meta["title"] else "none",
        author=meta["creator"],
        date=_date(meta["date"]),
        outlet=meta["publisher"],
        sections=out.sections(),
        notes=tuple(notes),
        extractor_version=extractor_version("epub"),
    )


def _shown(name: str) -> str:
    """An entry name as it may appear in a message: inert, and not endless."""
    return inert_label(name if len(name) <= 120 else name[:119] + "…")


def _libraries() -> tuple[Any, Any]:
    try:
        import lxml.html as lxml_html
        from lxml import etree
    except ImportError as exc:
        raise ExtractionError(missing_reason("epub", exc.name or "lxml")) from None
    return etree, lxml_html


def _xml(data: bytes, etree: Any) -> Any:
    """An XML document's root (no DTD, no entities resolved, no network), or None."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, recover=True, remove_comments=True
    )
    try:
        return etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _local(el: Any) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _children(el: Any, name: str) -> list[Any]:
    return [c for c in el.iter() if _local(c) == name]


def _encrypted(book: _Archive, etree: Any) -> frozenset[str]:
    """The entries META-INF/encryption.xml says are encrypted (font obfuscation aside)."""
    if _ENCRYPTION not in book:
        return frozenset()
    try:
        root = _xml(book.read(_ENCRYPTION), etree)
    except ExtractionError:
        root = None
    if root is None:
        raise ExtractionError(
            "encrypted EPUB (META-INF/encryption.xml cannot be read): Folio cannot read DRM-protected books"
        )
    found: set[str] = set()
    for data in _children(root, "encrypteddata"):
        methods = [m.get("Algorithm", "") for m in _children(data, "encryptionmethod")]
        if methods and all(m in _FONT_OBFUSCATION for m in methods):
            continue
        for ref in _children(data, "cipherreference"):
            found.add(posixpath.normpath(unquote(ref.get("URI", "")).lstrip("/")))
    return frozenset(found)


def _package_path(book: _Archive, etree: Any) -> str:
    if _CONTAINER in book:
        try:
            root = _xml(book.read(_CONTAINER), etree)
        except ExtractionError:
            root = None
        for rootfile in _children(root, "rootfile") if root is not None else []:
            path = posixpath.normpath(unquote(rootfile.get("full-path", "")))
            if path in book:
                return path
    opfs = sorted(name for name in book.infos if name.lower().endswith(".opf"))
    if not opfs:
        raise ExtractionError("not an EPUB: it holds no package document (.opf)")
    return opfs[0]


def _resolve(base: str, href: str) -> str:
    """The archive path of an href relative to `base`; "" when it leaves the book."""
    href = unquote(href.split("#", 1)[0]).strip()
    if not href or "://" in href or href.startswith("/"):
        return ""
    path = posixpath.normpath(posixpath.join(base, href))
    return "" if path == ".." or path.startswith("../") or path.startswith("/") else path


def _manifest(opf: Any, base: str) -> dict[str, _Item]:
    items: dict[str, _Item] = {}
    for el in _children(opf, "item"):
        ident, href = el.get("id"), el.get("href")
        if ident and href and ident not in items:
            items[ident] = _Item(
                _resolve(base, href), (el.get("media-type") or "").lower(), el.get("properties") or "", href
            )
    return items


def _spine(opf: Any, manifest: dict[str, _Item]) -> list[_Item]:
    spines = _children(opf, "spine")
    if not spines:
        return []
    refs = [manifest.get(ref.get("idref") or "") for ref in _children(spines[0], "itemref")]
    return [item for item in refs if item is not None]


def _toc(book: _Archive, opf: Any, manifest: dict[str, _Item], etree: Any, lxml_html: Any) -> dict[str, str]:
    """Chapter path -> its label in the table of contents (the first entry pointing into it)."""
    labels: dict[str, str] = {}
    nav = next((i for i in manifest.values() if "nav" in i.properties.split() and i.path in book), None)
    spines = _children(opf, "spine")
    ncx = manifest.get(spines[0].get("toc") or "") if spines else None
    if ncx is None:
        ncx = next((i for i in manifest.values() if i.media_type == "application/x-dtbncx+xml"), None)
    try:
        if nav is not None:
            root = lxml_html.document_fromstring(book.read(nav.path))
            navs = [n for n in root.iter("nav") if "toc" in (n.get("epub:type") or n.get("type") or "")]
            for a in (navs[0] if navs else root).iter("a"):
                _label(labels, posixpath.dirname(nav.path), a.get("href"), text_of(a))
        if not labels and ncx is not None and ncx.path in book:
            root = _xml(book.read(ncx.path), etree)
            for point in _children(root, "navpoint") if root is not None else []:
                text = next((text_of(t) for t in _children(point, "text")), "")
                src = next((c.get("src") for c in point if _local(c) == "content"), None)
                _label(labels, posixpath.dirname(ncx.path), src, text)
    except (ExtractionError, ValueError, TypeError, LookupError):
        pass  # no table of contents: chapters are named by their own headings
    return labels


def _label(labels: dict[str, str], base: str, href: str | None, text: str) -> None:
    path = _resolve(base, href or "")
    if path and text and path not in labels:
        labels[path] = text[:300]


def _chapter(raw: bytes, label: str, lxml_html: Any, out: TextBuilder) -> tuple[bool, bool]:
    """Append one chapter: (False once the text is full, True when it nests too deeply)."""
    try:
        root, too_deep = parse_page(raw, lxml_html)
    except ExtractionError:
        return True, False  # an empty or unreadable chapter: nothing to show
    body = root.find("body")
    body = body if body is not None else root
    headings = [el for el in body.iter("h1", "h2", "h3", "h4", "h5", "h6") if tag_of(el)]
    top = min((int(tag_of(el)[1]) for el in headings), default=1)
    first = text_of(headings[0]) if headings else ""
    own = bool(first) and (not label or _same(first, label))
    markdown = to_markdown(body, Options(links=False, heading_shift=(1 if own or not label else 2) - top))
    if not markdown:
        return True, too_deep
    if own and markdown.startswith("#"):  # the chapter's own first heading names it
        heading, _, rest = markdown.partition("\n")
        return out.section("chapter", first, heading) and out.add(rest), too_deep
    title = label or first
    if title:
        return out.section("chapter", title, heading_line(1, title)) and out.add(markdown), too_deep
    return out.add(markdown), too_deep  # a cover, a title page: part of what comes before


def _same(heading: str, label: str) -> bool:
    """A chapter's first heading names the same as its table-of-contents entry."""
    a = " ".join(_WORD_RE.findall(heading.casefold()))
    b = " ".join(_WORD_RE.findall(label.casefold()))
    return bool(a and b) and (a.startswith(b) or b.startswith(a))


def _metadata(opf: Any) -> dict[str, str | None]:
    meta = next(iter(_children(opf, "metadata")), opf)

    def values(name: str) -> list[str]:
        return [v for v in (text_of(el) for el in _children(meta, name)) if v]

    def first(name: str) -> str | None:
        found = values(name)
        return found[0][:500] if found else None

    return {
        "title": first("title"),
        "creator": ", ".join(dict.fromkeys(values("creator")))[:500] or None,
        "date": first("date"),
        "publisher": first("publisher"),
    }


def _date(value: str | None) -> dt.date | None:
    return ymd_date(_DATE_RE, value)
