"""Find and load the documents of a corpus: canonical text, metadata and paragraphs.

The *canonical text* of a document is what every offset in Folio (search hits, annotations,
aligned passages) counts code points in. It is the decoded content with newlines normalised
and every control character but tab and newline replaced one-for-one by a visible stand-in, so
that it is inert in a terminal and its offsets never shift.

Nothing here reads more than it must: `Corpus.scan` only stats files; `Corpus.load` reads one.
Problems are reported per file (`Problem`), never raised out of a scan.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import errno
import functools
import os
import stat
from collections.abc import Callable
from importlib import resources
from pathlib import Path

# re-exported: the terminal-safety helpers live in index/inert.py
from folio_reader.index.inert import inert_label as inert_label
from folio_reader.index.inert import inert_lines as inert_lines
from folio_reader.index.inert import inert_text as inert_text

from . import document, formats, locations
from .catalog import CATALOG_NAME as CATALOG_NAME
from .catalog import CatalogEntry as CatalogEntry
from .catalog import load_catalog as load_catalog
from .document import Structure, units
from .document.cache import StructureCache, parser_version
from .document.metadata import HEAD_CHARS as HEAD_CHARS  # kept here for callers
from .document.metadata import OPENING_CHARS as OPENING_CHARS
from .document.metadata import find_date as find_date
from .document.units import first_sentence as first_sentence
from .formats import Extracted
from .formats.cache import ExtractCache

# re-exported: the records live in index/records.py
from .records import DocMeta as DocMeta
from .records import Document as Document
from .records import FileEntry as FileEntry
from .records import ScanResult as ScanResult
from .text import UnreadableError as UnreadableError
from .text import canonical_text as canonical_text
from .text import content_hash as content_hash
from .text import decode as decode
from .text import looks_binary as looks_binary
from .walk import Problem as Problem
from .walk import inside, os_reason, sort_key, walk

TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".rst")
#: Every suffix a scan takes: text files, and the web pages, EPUBs and PDFs of `formats`.
DOCUMENT_SUFFIXES = TEXT_SUFFIXES + tuple(formats.FORMAT_SUFFIXES)
#: A text longer than this is loaded in two steps when asked (`Corpus.load(..., opening=True)`):
#: its opening at once, the rest by `Corpus.complete`.
OPENING_LOAD_CHARS = 256 * 1024
#: Files larger than this are refused (reported, not loaded).
MAX_FILE_BYTES = 128 * 1024 * 1024
#: The errors of a stat for which `Path.exists` says false (it raises the others)
_MISSING_ERRNOS = frozenset((errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP))

# -- canonical text -----------------------------------------------------------------------------

# -- paragraphs and metadata: from the document model -------------------------------------------


def paragraphs(text: str, structure: Structure | None = None) -> list[tuple[int, int]]:
    """Character spans of the paragraphs of a canonical text, in order (see
    `document.units.paragraphs`: one a displayed block; the plain rule when no structure)."""
    return units.paragraphs(text, structure)


def find_title(text: str, suffix: str = ".txt") -> tuple[str, str]:
    """Title and where it came from: 'front matter', 'heading', 'first line', 'first sentence'
    or 'none' (see `document.metadata`); the opening of the text is parsed for it."""
    meta = document.metadata(text, suffix)
    return meta.title, meta.title_source


# -- the corpus ---------------------------------------------------------------------------------


class Corpus:
    """A folder of documents (or a single file), with its optional catalog."""

    def __init__(self, root: Path, only: str | None = None) -> None:
        self.root = root
        self.only = only  #: set when the corpus is a single file: its name
        self.catalog, catalog_problem = load_catalog(root)
        self.catalog_problems = [catalog_problem] if catalog_problem else []
        self._unavailable: dict[str, str | None] = {}
        #: extraction results of web pages, EPUBs and PDFs, by content hash and extractor version
        self.extracted = ExtractCache(locations.extract_cache_dir())
        #: parsed structures, by content and parser version (reopening a long page costs a read)
        self.structures = StructureCache(locations.structure_cache_dir())
        #: the entries of the last scan, by path (kept by the next while a file is unchanged)
        self._scanned: dict[str, FileEntry] = {}

    @property
    def label(self) -> str:
        return str(self.root / self.only) if self.only else str(self.root)

    # discovery

    def scan(self) -> ScanResult:
        """Stat every candidate file; never raises for what is in the folder. A file whose size,
        mtime and kind are those of the last scan keeps its `FileEntry` (at 50,000 files, making
        them all again, and the garbage collector's passes over them, was a third of a scan)."""
        entries: list[FileEntry] = []
        problems: list[Problem] = list(self.catalog_problems)
        if self.only:
            self._consider(str(self.root / self.only), self.only, entries, problems)
        else:
            last = self._scanned
            regular = stat.S_ISREG
            new = 0  # files found that the last scan did not find
            changed: list[FileEntry] = []  # the new entries of files the last scan found

            def found(path: str, rel: str, stat_of: Callable[[], os.stat_result]) -> None:
                nonlocal new
                try:
                    st = stat_of()
                except OSError:
                    st = None  # (said by `_consider`)
                old = last.get(rel)
                if (
                    old is not None
                    and st is not None
                    and old.mtime_ns == st.st_mtime_ns
                    and old.size == st.st_size
                    and regular(st.st_mode)
                ):
                    entries.append(old)
                else:
                    new += old is None
                    count = len(entries)
                    self._consider(path, rel, entries, problems, stat_of)
                    if old is not None and len(entries) > count:
                        changed.append(entries[-1])

            walk(self.root, is_document_name, found, problems)
            if new or not last:
                entries.sort(key=_entry_key)
                self._scanned = {e.rel: e for e in entries}  # (in corpus order, for the next scan)
            elif len(entries) == len(last):  # the same paths: in the last scan's order (sorting was a tenth of a scan)
                self._scanned = dict(last) if changed else last
                self._scanned.update((e.rel, e) for e in changed)
                entries = list(self._scanned.values())
            else:  # some of them
                now = {e.rel: e for e in entries}
                self._scanned = {rel: now[rel] for rel in last if rel in now}
                entries = list(self._scanned.values())
        problems.sort(key=lambda p: sort_key(p.rel))
        return ScanResult(entries, problems)

    def _consider(
        self,
        path: str,
        rel: str,
        entries: list[FileEntry],
        problems: list[Problem],
        stat_of: Callable[[], os.stat_result] | None = None,
    ) -> None:
        try:
            st = stat_of() if stat_of is not None else os.stat(path)
        except OSError as exc:
            problems.append(Problem(rel, os_reason(exc)))
            return
        if stat.S_ISDIR(st.st_mode):
            problems.append(Problem(rel, "is a folder, not a file"))
        elif not stat.S_ISREG(st.st_mode):
            problems.append(Problem(rel, "not a regular file (device, pipe or socket)"))
        elif st.st_size == 0:
            problems.append(Problem(rel, "empty file"))
        elif st.st_size > MAX_FILE_BYTES:
            problems.append(
                Problem(rel, f"too large: {st.st_size / 2**20:.0f} MB (the limit is {MAX_FILE_BYTES // 2**20} MB)")
            )
        elif (missing := self._missing_extra(rel)) is not None:
            problems.append(Problem(rel, missing))
        else:
            entries.append(FileEntry(rel, path, st.st_size, st.st_mtime_ns))

    def _missing_extra(self, rel: str) -> str | None:
        """Why a file of a format the `formats` extra reads cannot be read here (the install
        command), or None (a text file, or the extra is installed)."""
        if rel.lower().endswith(TEXT_SUFFIXES):  # (most files: no split of the name)
            return None
        fmt = formats.format_of(_suffix(rel))
        if fmt is None:
            return None
        if fmt not in self._unavailable:  # looked up once per corpus: find_spec, no import
            self._unavailable[fmt] = formats.unavailable(fmt)
        return self._unavailable[fmt]

    def entry(self, name: str | os.PathLike[str]) -> FileEntry:
        """The entry for a path relative to the corpus (or an absolute path inside it)."""
        rel, found = self._lookup(name)
        if isinstance(found, str):
            raise UnreadableError(f"{rel}: {found}")
        return found

    def _lookup(self, name: str | os.PathLike[str]) -> tuple[str, FileEntry | str]:
        """(rel, its entry or why there is none)."""
        path = Path(name)
        # a relative name is stat'ed once: that stat is the entry's (`Path.exists` was a second)
        st = None if path.is_absolute() else _stat_if_there(self.root / path)
        if path.is_absolute() or (st is None and path.exists()):
            try:
                rel = Path(os.path.abspath(path)).relative_to(self.root).as_posix()
            except ValueError:
                return str(name), f"not in the corpus {self.label}"
            st = None
        else:
            rel = path.as_posix()  # a file deleted since the scan: "no such file or directory"
        entries: list[FileEntry] = []
        problems: list[Problem] = []
        stat_of: Callable[[], os.stat_result] | None = None
        if st is not None:
            known = st
            stat_of = lambda: known  # noqa: E731 (the stat made above, as `_consider` takes it)
        self._consider(str(self.root / rel), rel, entries, problems, stat_of)
        return rel, problems[0].reason if problems else entries[0]

    # loading

    def read_bytes(self, entry: FileEntry) -> bytes:
        if not self.only and not inside(os.path.realpath(entry.location), os.path.realpath(self.root)):
            # asked for by name (an annotation's source), or made a symlink since the scan
            raise UnreadableError("symlink leads outside the corpus: not followed")
        try:
            with open(entry.location, "rb") as f:
                # read(n) allocates n bytes first: asking for MAX_FILE_BYTES + 1 of a small file
                # (a 128 MB buffer, mapped and unmapped) was half of a search hit's read
                size = min(os.fstat(f.fileno()).st_size, MAX_FILE_BYTES)
                data = f.read(size + 1)
                if len(data) > size:  # grown since (or a size fstat does not know): read on, to the limit
                    data += f.read(MAX_FILE_BYTES + 1 - len(data))
        except OSError as exc:
            raise UnreadableError(os_reason(exc)) from None
        if len(data) > MAX_FILE_BYTES:
            raise UnreadableError(f"too large (the limit is {MAX_FILE_BYTES // 2**20} MB)")
        return data

    def load(self, entry: FileEntry | str, *, opening: bool = False) -> Document:
        """Read, decode and describe one document; raises `UnreadableError` with the reason.

        With `opening`, a text of over `OPENING_LOAD_CHARS` comes back with only its opening
        parsed (`Document.complete` false: its structure, paragraphs and word count cover
        `text[:parsed_to]`), with no pass of Python over the whole text, so that a reader shows
        its first screen at once; `complete(document)` then does the rest, in the background."""
        if isinstance(entry, str):
            entry = self.entry(entry)
        data = self.read_bytes(entry)
        return self.document_from_bytes(entry, data, opening=opening)

    def complete(self, doc: Document) -> Document:
        """The whole of a document loaded with `opening` (itself when it is complete)."""
        if doc.complete:
            return doc
        structure = self.structures.parse(doc.text, doc.read_as, f"{doc.meta.encoding}\n{doc.meta.content_hash}")
        meta = dataclasses.replace(doc.meta, words=units.word_count(doc.text))
        return Document(
            meta, doc.text, paragraphs(doc.text, structure), structure, doc.sections, doc.notes, read_as=doc.read_as
        )

    def read_text(self, entry: FileEntry) -> str:
        """Only the canonical text of a file already known to be a readable document (no
        metadata, no paragraphs): what a search snippet needs. Raises `UnreadableError`."""
        data = self.read_bytes(entry)
        if formats.format_of(_suffix(entry.rel)) is not None:
            return self.extract(entry, data, content_hash(data)).text
        raw, _ = decode(data)
        return canonical_text(raw)

    def extract(self, entry: FileEntry, data: bytes, digest: str) -> Extracted:
        """The text of a web page, EPUB or PDF: from the extraction cache, else extracted (which
        can take seconds: never call this on the UI thread) and cached. Raises `UnreadableError`."""
        missing = self._missing_extra(entry.rel)
        if missing is not None:
            raise UnreadableError(missing)
        suffix = _suffix(entry.rel)
        key = formats.cache_key(suffix, digest)
        found = self.extracted.get(key)
        if found is None:
            try:
                found = formats.extract(suffix, data)
            except formats.ExtractionError as exc:
                raise UnreadableError(str(exc)) from None
            with contextlib.suppress(OSError):  # an unwritable cache costs time, not the document
                self.extracted.put(key, found)
        return found

    def document_from_bytes(
        self, entry: FileEntry, data: bytes, *, with_paragraphs: bool = True, opening: bool = False
    ) -> Document:
        if not data:
            raise UnreadableError("empty file")
        digest = content_hash(data)
        extracted: Extracted | None = None
        if formats.format_of(_suffix(entry.rel)) is not None:
            extracted = self.extract(entry, data, digest)
            # the extracted text is Markdown: its structure is the Markdown parser's, whatever the file
            text, encoding, parse_as = extracted.text, extracted.extractor_version, ".md" if extracted.markdown else ""
        else:
            if looks_binary(data):
                raise UnreadableError("binary file, not text")
            raw, encoding = decode(data)
            text, parse_as = canonical_text(raw), _suffix(entry.rel)
        if not text or text.isspace():
            raise UnreadableError("no text: the file holds only blank lines")
        if opening and len(text) > OPENING_LOAD_CHARS:
            cut = text.rfind("\n\n", 0, OPENING_LOAD_CHARS)
            head = text[: cut if cut > 0 else OPENING_LOAD_CHARS]
            structure: Structure | None = document.parse(head, parse_as)
            meta = self.describe(entry, head, encoding, digest, structure, extracted)  # (words: the head's)
            found = Document(meta, text, paragraphs(head, structure), structure, read_as=parse_as, parsed_to=len(head))
        else:
            structure = self.structures.parse(text, parse_as, f"{encoding}\n{digest}") if with_paragraphs else None
            meta = self.describe(entry, text, encoding, digest, structure, extracted)
            paras = paragraphs(text, structure) if structure is not None else []
            found = Document(meta, text, paras, structure, read_as=parse_as)
        if extracted is not None:
            found.sections, found.notes = extracted.sections, extracted.notes
        return found

    def describe(
        self,
        entry: FileEntry,
        text: str,
        encoding: str,
        digest: str,
        structure: Structure | None = None,
        extracted: Extracted | None = None,
    ) -> DocMeta:
        """Metadata: the catalog's, else the extractor's (a web page's, a book's package, a PDF's
        document info), else read off the document's structure (its opening parsed when no
        structure is given) for what is still missing, else the file name."""
        cat = self.catalog.get(entry.rel, CatalogEntry())
        parse_as = (".md" if extracted.markdown else "") if extracted is not None else _suffix(entry.rel)
        found: document.Metadata | None = None

        def from_text() -> document.Metadata:
            nonlocal found
            if found is None:
                found = document.metadata(text, parse_as, structure)
            return found

        x = extracted
        title, title_source = cat.title, "catalog"
        if not title and x is not None and x.title:
            title, title_source = x.title, x.title_source
        if not title:
            title, title_source = from_text().title, from_text().title_source
            if x is not None and title in {s.label for s in x.sections if s.kind == "page"}:
                title = ""  # a PDF's "Page 1" heading is never its title
        if not title:
            title, title_source = Path(entry.rel).stem, "file name"
        date: dt.date | None
        if cat.date:
            date, date_source = cat.date, "catalog"
        elif x is not None and x.date:
            date, date_source = x.date, "metadata"
        else:
            date = from_text().date
            date_source = "text" if date else "none"
        return DocMeta(
            rel=entry.rel,
            title=title,
            title_source=title_source,
            author=cat.author or (x.author if x is not None else None) or from_text().author,
            outlet=cat.outlet or (x.outlet if x is not None else None),
            date=date,
            date_source=date_source,
            words=units.word_count(text),
            size=entry.size,
            mtime_ns=entry.mtime_ns,
            content_hash=digest,
            encoding=encoding,
            note=cat.note,
        )


def _stat_if_there(path: Path) -> os.stat_result | None:
    """`os.stat(path)`, or None where `path.exists()` is false (no such file, a symlink loop, a
    NUL in the name); any other error is raised, as by `Path.exists`."""
    try:
        return os.stat(path)
    except OSError as exc:
        if exc.errno in _MISSING_ERRNOS:
            return None
        raise
    except ValueError:
        return None


def _suffix(rel: str) -> str:
    return os.path.splitext(rel)[1]


def _entry_key(entry: FileEntry) -> tuple[str, str]:
    rel = entry.rel
    return (rel.casefold(), rel)


def reader_version() -> str:
    """What a document's description (its title, date, indexed words) owes to Folio and its
    libraries beyond the file's bytes: the parsers' versions (`document.cache.parser_version`)
    and the extractors' (`formats.extractor_version`). The index records it (its marker): an
    upgrade that changes it has every document described again."""
    return f"{parser_version()}; {_extractor_versions()}"


@functools.cache
def _extractor_versions() -> str:
    return "; ".join(formats.extractor_version(fmt) for fmt in sorted(set(formats.FORMAT_SUFFIXES.values())))


def is_document_name(name: str) -> bool:
    """A file name a scan takes: a text file's, or that of a format the `formats` extra reads
    (taken also without the extra, then listed as skipped with the command that installs it)."""
    return name.lower().endswith(DOCUMENT_SUFFIXES)


def seeds_path() -> Path:
    """The bundled seed corpus, from a checkout or an installed wheel."""
    return Path(str(resources.files("folio_reader.seeds")))


def open_corpus(path: str | os.PathLike[str] | None = None) -> Corpus:
    """A corpus for a folder or a single file; None means the bundled seeds.

    Raises `UnreadableError` when the path does not exist or is not a file or folder.
    """
    if path is None:
        return Corpus(seeds_path())
    p = Path(os.path.abspath(os.path.expanduser(path)))
    if p.is_dir():
        return Corpus(p)
    if p.is_file():
        return Corpus(p.parent, only=p.name)
    if not p.exists():
        raise UnreadableError(f"{path}: no such file or folder")
    raise UnreadableError(f"{path}: not a file or folder")
