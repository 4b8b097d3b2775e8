"""Documents that are not plain text: saved web pages, EPUB books and PDF reports.

The one entry point is `extract(suffix, data)`: the bytes of a `.html`/`.htm`/`.xhtml`, `.epub`
or `.pdf` file in, an `Extracted` out (canonical text, as Markdown for the Markdown block parser,
plus title, author, date, outlet, chapter or page sections and notes), or an `ExtractionError`
whose message is the reason to show. It is a plain function with no state, deterministic (the
same bytes and `extractor_version` give the same result) and bounded by input size, pages and
characters; it can take seconds, so callers run it in a worker thread or process, never on the
UI thread. `cache_key` names a result for a cache (`cache.ExtractCache`).

The libraries (trafilatura, lxml, pypdfium2) come with the `formats` extra and are imported
only when a file of their format is extracted; without them `unavailable` and `extract` give the
exact command that installs them.
"""

from __future__ import annotations

import hashlib

from .deps import FORMAT_SUFFIXES, extractor_version, format_of, install_command, unavailable
from .model import Extracted, ExtractionError, Section

__all__ = [
    "FORMAT_SUFFIXES",
    "Extracted",
    "ExtractionError",
    "Section",
    "cache_key",
    "extract",
    "extractor_version",
    "format_of",
    "install_command",
    "unavailable",
]


def extract(suffix: str, data: bytes) -> Extracted:
    """The document in `data`, a file whose name ends with `suffix` (".pdf", ".EPUB", ...).

    Raises `ExtractionError` (never anything else for what is in `data`) with the reason.
    """
    fmt = format_of(suffix)
    if fmt is None:
        raise ExtractionError(f"no extractor for {suffix or 'files without a suffix'}")
    if not data:
        raise ExtractionError("empty file")
    try:
        if fmt == "html":
            from .html import extract_html

            return extract_html(data)
        if fmt == "epub":
            from .epub import extract_epub

            return extract_epub(data)
        from .pdf import extract_pdf

        return extract_pdf(data)
    except RecursionError:
        raise ExtractionError(f"the {fmt.upper()} file nests too deeply to be read") from None
    except MemoryError:
        raise ExtractionError(f"the {fmt.upper()} file needs more memory than there is to be read") from None


def cache_key(suffix: str, content_hash: str) -> str:
    """The name of an extraction result: the file's content hash (sha256 hex) and the extractor's
    version, so a changed file or an upgraded extractor (Folio's or a library's) misses."""
    fmt = format_of(suffix)
    if fmt is None:
        raise ValueError(f"no extractor for {suffix!r}")
    return hashlib.sha256(f"{extractor_version(fmt)}\n{content_hash}".encode()).hexdigest()
