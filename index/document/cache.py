"""Parsed structures kept by the content of their documents, so that a document is parsed once.

`StructureCache.parse(text, suffix, source)` is `document.parse(text, suffix)` remembered: the
last few structures in memory, and, given a folder (`locations.structure_cache_dir`), the ones
that took a while to parse (`MIN_PARSE_SECONDS` of the thread's CPU) in JSON files there, so
that reopening a long reST page (docutils takes seconds on a few hundred K characters) costs a
file read. `source` names the text: the
file's content hash and how it was decoded or extracted. The key also holds the parser
versions (Folio's `REVISION` and the libraries'), so an upgrade misses. A file that cannot be
read or does not parse is a miss, never an error; one that cannot be written is skipped.
Structures read by the plain rule are never written: the rule is about as fast as reading them;
one cut short by a time budget is not kept at all (it depends on how busy the machine was).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import time
from functools import cache
from pathlib import Path

from ..atomic_io import read_json_file, write_json_atomic
from ..lru import LRU
from .model import Structure

#: Folio's revision of the parsers: bump it when a change alters the blocks of a text.
#: 2: directive arguments shown without their markup; 3: mkdocs admonitions; 4: options of unknown
#: directives; 5: mkdocs-autorefs links; 6: mkdocs content tabs and mkdocstrings
#: lines; 7: snippet includes; 8: reST `::` alone, raw, footnote and substitution references;
#: 9: inline markup in reST table cells and line blocks; 10: Textual's generated-output fences;
#: 11: reST simple tables with blank lines between rows; 12: auto-numbered footnotes' markers;
#: 13: mkdocs tab bodies over blank lines; 14: Sphinx autodoc directives as "API:" rows;
#: 15: mkdocs-material icons hidden, keys as code; 16: `.. raw::` as a labelled row;
#: 17: a target after a list marker; 18: a list item opening with a nested list on its line;
#: 19: attribute lists hidden; 20: an admonition's bare words are classes, not its title
REVISION = 20
#: Only structures whose parse took at least this much CPU (the parsing thread's) are written to
#: a file. CPU, not wall time: on a busy machine wall time made many more pages cross the line
#: (docutils' 186 pages at a load of 5 on 2 cores: 57 by wall time, 34 by CPU), each encoded and
#: written in the build, for a parse no longer than the others.
MIN_PARSE_SECONDS = 0.05
MAX_FILE_BYTES = 256 * 1024 * 1024


@cache
def parser_version() -> str:
    """ "document-1 docutils-0.22 markdown-it-py-3.0.0 mdit-py-plugins-0.4.2" """
    parts = [f"document-{REVISION}"]
    for dist in ("docutils", "markdown-it-py", "mdit-py-plugins"):
        try:
            parts.append(f"{dist}-{importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{dist}-missing")
    return " ".join(parts)


#: A fallback that says part of the text was cut short by a time budget (markdown.py's inline
#: deadline): such a structure depends on how busy the machine was, so it is never kept.
_TIMED_FALLBACK = "too long to parse"


def _depends_on_time(structure: Structure) -> bool:
    return _TIMED_FALLBACK in structure.fallback


class StructureCache:
    """Structures by (parser version, suffix, source); safe to share between threads. The
    structures returned are shared: they are immutable."""

    def __init__(self, folder: Path | None = None, size: int = 8) -> None:
        self.folder = folder
        self.size = size
        self._entries: LRU[str, Structure] = LRU(size)

    def key(self, suffix: str, source: str) -> str:
        return hashlib.sha256(f"{parser_version()}\n{suffix.lower()}\n{source}".encode()).hexdigest()

    def path(self, key: str) -> Path | None:
        return None if self.folder is None else self.folder / key[:2] / f"{key}.json"

    def parse(self, text: str, suffix: str, source: str) -> Structure:
        """The structure of `text` (see `document.parse`), from the cache when it holds it."""
        from . import parse

        key = self.key(suffix, source)
        found = self._remembered(key)
        if found is None:
            found = self._read(key, len(text))
        if found is None:
            started = time.thread_time()
            found = parse(text, suffix)
            if not _depends_on_time(found):
                if found.format != "plain" and time.thread_time() - started >= MIN_PARSE_SECONDS:
                    self._write(key, found)
                self._remember(key, found)
        return found

    def _remembered(self, key: str) -> Structure | None:
        return self._entries.get(key)

    def _remember(self, key: str, structure: Structure) -> None:
        self._entries.set(key, structure)

    def _read(self, key: str, length: int) -> Structure | None:
        path = self.path(key)
        if path is None:
            return None
        try:
            data = read_json_file(path, max_bytes=MAX_FILE_BYTES)
            if not isinstance(data, dict) or data.get("key") != key:
                return None
            found = Structure.from_json(data)
        except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError):
            return None  # missing, unreadable or malformed: parsed again and rewritten
        if any(not 0 <= b.start <= b.end <= length for b in found.blocks):
            return None
        return found

    def _write(self, key: str, structure: Structure) -> None:
        path = self.path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_json_atomic(path, {"key": key, **structure.to_json()}, mode=0o600)
        except OSError:
            pass  # not kept: the next open parses again
