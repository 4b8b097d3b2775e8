"""Which file types the formats extra reads, whether it is installed, and extractor versions.

Nothing here imports the libraries themselves (trafilatura alone takes ~300 ms to import): it
looks them up (`importlib.util.find_spec`, `importlib.metadata`), so a scan can tell at once that
a `.pdf` needs the extra, and the first frame of the reader costs nothing more.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import shlex
import sys

#: File name suffix (lower case) -> format.
FORMAT_SUFFIXES: dict[str, str] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".epub": "epub",
    ".pdf": "pdf",
}
_LABELS = {"html": "a web page", "epub": "an EPUB book", "pdf": "a PDF"}

#: The modules each format needs (import names) and the distributions whose versions can change
#: its text (so they are part of the extractor version, and of the cache key).
_MODULES = {
    "html": ("trafilatura", "lxml", "lxml_html_clean", "justext"),
    "epub": ("lxml",),
    "pdf": ("pypdfium2",),
}
_DISTRIBUTIONS = {
    "html": ("trafilatura", "htmldate", "justext", "lxml"),
    "epub": ("lxml",),
    "pdf": ("pypdfium2",),
}
#: Folio's own revision of each extractor: bump it when a change alters extracted text.
REVISIONS = {"html": 1, "epub": 1, "pdf": 1}


def format_of(suffix: str) -> str | None:
    """The format of a file name suffix (".PDF" -> "pdf"), or None for one no extractor reads."""
    return FORMAT_SUFFIXES.get(suffix.lower())


def install_command() -> str:
    """The exact command that installs the extra into the Python running Folio."""
    return f"{shlex.quote(sys.executable)} -m pip install 'folio-reader[formats]'"


def missing_reason(fmt: str, module: str) -> str:
    return (
        f"{_LABELS[fmt]} needs Folio's formats extra ({module} is not installed): install it with {install_command()}"
    )


def unavailable(fmt: str) -> str | None:
    """Why `fmt` cannot be read here (the reason shown to the user), or None when it can."""
    for module in _MODULES[fmt]:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            return missing_reason(fmt, module)
    return None


def extractor_version(fmt: str) -> str:
    """ "pdf-1 pypdfium2-5.15.2": Folio's revision and the library versions that shape the text."""
    parts = [f"{fmt}-{REVISIONS[fmt]}"]
    for dist in _DISTRIBUTIONS[fmt]:
        try:
            parts.append(f"{dist}-{importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{dist}-missing")
    return " ".join(parts)
