"""Building the index: the fields of a document, batches, the merge policy, and the worker
processes that index batches into segments of their own.

A big (re)build is split into batches indexed by `python -c` worker processes, each batch into
a segment in a staging folder of its own; the parent (`update.Updater`) moves each finished
segment into the index and commits it, so search sees the build as it goes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import pickle
import queue
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

from whoosh.filedb.filestore import FileStorage

from folio_reader.index import analysis, document
from folio_reader.index.corpus import Corpus, FileEntry, UnreadableError
from folio_reader.index.document import Kind, Structure
from folio_reader.index.search import whoosh_ext
from folio_reader.index.search.schema import KEY, MAX_INDEXED_CHARS, make_schema, path_text
from folio_reader.index.text import canonical_text, decode

#: Parallel builds: worker processes only when at least this many files are to be (re)indexed.
PARALLEL_MIN_DOCS = 400
MAX_PROCS = 4
#: The first batch of a parallel build (bytes of files); see `batches`. Each batch is a
#: segment: about 8 for 5,000 documents, 14 for 50,000 (merging them after would cost
#: Whoosh about as much as indexing again).
FIRST_BATCH_BYTES = 2 << 20
#: The posting pool of a worker, by Whoosh's estimate (about 10 MB a MB of text). A batch
#: that overflows it is sorted to disk in runs and merged back: a third more CPU.
WORKER_LIMIT_MB = 256
#: At most this many bytes of files a batch, so that a batch fits its pool.
MAX_BATCH_BYTES = 24 << 20
#: The folder under the index where workers write their segments.
STAGING = "staging"
#: Updates of a few files merge only segments of under this many live documents, once there
#: are this many of them (see `merge_tiny`).
TINY_SEGMENT_DOCS = 100
TINY_SEGMENTS = 8

#: A `.txt` file up to this size is parsed whole when indexed, once, for its metadata and its
#: displayed words (about as fast as parsing its opening for the metadata alone); a larger one
#: only when `document.detect_format` reads it as Markdown (the plain rule is slow on a huge
#: text and hides no word). Markdown and reST files are always parsed whole.
PARSE_WHOLE_TXT_BYTES = 1 << 20

Fields = dict[str, Any]


def document_fields(corpus: Corpus, entry: FileEntry) -> tuple[Fields, str | None]:
    """The fields to index for one file, and the reason when it cannot be read (then the
    fields record only the problem, so that the file is not read again until it changes)."""
    try:
        data = corpus.read_bytes(entry)
        whole = parse_whole(entry) and not _hides_no_words(entry, data)
        doc = corpus.document_from_bytes(entry, data, with_paragraphs=whole)
    except UnreadableError as exc:
        problem = {"size": entry.size, "mtime_ns": entry.mtime_ns, "problem": str(exc)}
        return {KEY: entry.rel, "meta": problem}, str(exc)
    meta = doc.meta
    found: Fields = {
        KEY: entry.rel,
        "path": path_text(entry.rel),
        "title": meta.title,
        "body": body_value(doc.text, entry.rel, doc.structure),
        "meta": meta.to_json(),
    }
    if meta.author:
        found["author"] = meta.author
    if meta.outlet:
        found["outlet"] = meta.outlet
    if meta.date:
        found["date"] = dt.datetime.combine(meta.date, dt.time())
    if len(doc.text) > MAX_INDEXED_CHARS:
        found["meta"]["note"] = f"only the first {MAX_INDEXED_CHARS // 2**20} MB of text is searchable"
    return found, None


def parse_whole(entry: FileEntry) -> bool:
    """Whether to parse a file whole when indexing it (see PARSE_WHOLE_TXT_BYTES)."""
    return entry.size <= PARSE_WHOLE_TXT_BYTES or PurePosixPath(entry.rel).suffix.lower() != ".txt"


def _hides_no_words(entry: FileEntry, data: bytes) -> bool:
    """Whether a Markdown or reST file's markup hides no word (`document.hides_no_words`): then
    it is not parsed whole, only its opening for the metadata (a third of a build's time went
    to parsing). Decoded here as the corpus decodes it (a few microseconds), to know it before."""
    suffix = PurePosixPath(entry.rel).suffix
    if suffix.lower() not in (".md", ".markdown", ".rst", ".rest"):
        return False
    return document.hides_no_words(canonical_text(decode(data)[0]), suffix)


def body_value(text: str, rel: str, structure: Structure | None = None) -> str | analysis.Analysed:
    """What the body field indexes: only the words a reader sees (issue 12). A Markdown or reST
    document's hidden blocks (comments, targets, `.. index::`, front matter), its markers,
    directive and role names and link targets are not body words; every word keeps its
    canonical characters, so a hit lands where the reader sees it. A plain text is indexed
    whole (the plain rule hides no word), and is not parsed to know it (`detect_format`), nor
    is a Markdown or reST text whose markup hides no word (`document.hides_no_words`)."""
    if structure is None:
        suffix = PurePosixPath(rel).suffix
        if document.detect_format(text, suffix) == "plain" or document.hides_no_words(text, suffix):
            return text[:MAX_INDEXED_CHARS]
        structure = document.parse(text, suffix)
    if structure.format == "plain":
        return text[:MAX_INDEXED_CHARS]
    pieces = list(displayed_pieces(text[:MAX_INDEXED_CHARS], structure))
    # the pieces joined by a space: one regex pass, the same words (no word spans a space)
    words = tuple(analysis.words(" ".join(piece for piece, _ in pieces)))
    return analysis.Analysed(analysis.group_postings(analysis.analyse_pieces(pieces)), words)


def displayed_pieces(text: str, structure: Structure) -> Iterator[tuple[str, int]]:
    """The displayed text of a document as pieces (text, canonical offset): every displayed
    block (a table cell by cell) less its hidden ranges, a substitution (`&#x41;`) as the one
    character shown. What `document.render` shows but for its whitespace, which separates
    words either way; a word with markers inside (`foo**bar**`) is its pieces (`foo`, `bar`)."""
    end = len(text)
    for block in structure.blocks:
        if not block.displayed or block.start >= end:
            continue
        if block.kind is Kind.TABLE:
            spans = [cell for row in block.rows for cell in row]
            if not spans:  # cells not known: the table's lines, as the reader draws it
                yield text[block.start : block.end], block.start
                continue
        else:
            spans = [(block.start, block.end)]
        subs = sorted(block.subs)
        for lo, hi in spans:
            at = lo
            for s, e in block.hidden:
                if e <= at:
                    continue
                if s >= hi:
                    break
                if s > at:
                    yield from _with_subs(text, at, s, subs)
                at = max(at, e)
            if at < hi:
                yield from _with_subs(text, at, min(hi, end), subs)


def _with_subs(text: str, lo: int, hi: int, subs: list[tuple[int, int, str]]) -> Iterator[tuple[str, int]]:
    at = lo
    for s, e, char in subs:
        if s < at or s >= hi:
            continue
        if s > at:
            yield text[at:s], at
        yield char, s
        at = e
    if at < hi:
        yield text[at:hi], at


def body_tokens(found: Fields) -> list[str]:
    """The words of an indexed document's body, for the did-you-mean vocabulary."""
    body = found["body"]
    return list(body.words) if isinstance(body, analysis.Analysed) else analysis.words(body)


def merge_tiny(writer: Any, segments: list[Any]) -> list[Any]:
    """Merge policy for an update of a few files: the segments of under TINY_SEGMENT_DOCS live
    documents are merged once there are TINY_SEGMENTS of them (a few hundred documents at
    most, so an update stays well under a second)."""
    return whoosh_ext.merge_tiny_segments(writer, segments, max_docs=TINY_SEGMENT_DOCS, min_count=TINY_SEGMENTS)


def worker_count(procs: int | None, work: int, in_memory: bool) -> int:
    """How many worker processes to index `work` files with (1: none, index here)."""
    if in_memory:
        return 1
    if procs is None:
        if work < PARALLEL_MIN_DOCS:
            return 1
        procs = min(MAX_PROCS, os.cpu_count() or 1)
    return max(1, procs)


def batches(work: list[FileEntry], procs: int) -> list[list[FileEntry]]:
    """Consecutive batches of `work`. Over the first quarter of the bytes, small ones that
    double every `procs` batches (from FIRST_BATCH_BYTES), so that search has something
    soon; the rest in 2 x procs equal parts, so that the workers finish together. None over
    MAX_BATCH_BYTES."""
    total = sum(e.size for e in work)
    size = FIRST_BATCH_BYTES
    done = 0
    found: list[list[FileEntry]] = []
    current: list[FileEntry] = []
    current_bytes = 0
    ramp = True
    for entry in work:
        current.append(entry)
        current_bytes += entry.size
        if current_bytes >= size:
            found.append(current)
            done += current_bytes
            current, current_bytes = [], 0
            if ramp and done >= total // 4:
                ramp = False
                size = max(FIRST_BATCH_BYTES, -(-(total - done) // (2 * procs)))
            elif ramp and len(found) % procs == 0:
                size *= 2
            size = min(size, MAX_BATCH_BYTES)
    if current:
        found.append(current)
    return found


# -- in a worker process --------------------------------------------------------------------------

_worker_corpora: dict[tuple[str, str | None], Corpus] = {}


def build_segment(
    staging: str, root: str, only: str | None, entries: list[FileEntry], indexed: Callable[[str], None]
) -> dict[str, Any]:
    """In a worker process: index `entries` into a new segment in a folder of its own under
    `staging`. The parent moves the segment into the index and commits it."""
    corpus = _worker_corpora.get((root, only))
    if corpus is None:
        corpus = _worker_corpora[(root, only)] = Corpus(Path(root), only)
    folder = Path(staging) / f"{os.getpid()}-{time.monotonic_ns()}"
    folder.mkdir()
    ix = FileStorage(str(folder)).create_index(make_schema())
    writer = whoosh_ext.unlocked_writer(ix, limitmb=WORKER_LIMIT_MB)
    documents: list[tuple[str, str | None]] = []
    tokens: set[str] = set()
    for entry in entries:
        found, reason = document_fields(corpus, entry)
        writer.add_document(**found)
        if reason is None:
            tokens.update(body_tokens(found))
        documents.append((entry.rel, reason))
        indexed(entry.rel)
    writer.commit(merge=False)
    segments = whoosh_ext.segments(ix)
    return {"segment": segments[0] if segments else None, "dir": str(folder), "documents": documents, "tokens": tokens}


#: What a worker process runs: `python -c WORKER_COMMAND`.
WORKER_COMMAND = "from folio_reader.index.search.build import worker_main; worker_main()"


def worker_main() -> None:
    """A worker process: batches to index come pickled on stdin, messages go pickled to
    stdout: ("indexed", rel) for each file, then ("done", result) or ("error", traceback)."""
    jobs, channel = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must never get into the channel

    def send(message: tuple[str, Any]) -> None:
        pickle.dump(message, channel)
        channel.flush()

    while True:
        try:
            staging, root, only, entries = pickle.load(jobs)
        except EOFError:
            return
        try:
            result = build_segment(staging, root, only, entries, indexed=lambda rel: send(("indexed", rel)))
            send(("done", result))
        except Exception:  # reported to the parent, which falls back to indexing itself
            send(("error", traceback.format_exc()))


# -- in the parent ------------------------------------------------------------------------------


class WorkerError(Exception):
    """A worker died, failed or could not start."""


Event = tuple[int, tuple[str, Any]]


class Workers:
    """Worker processes for indexing: plain `python -c` subprocesses running `worker_main`.

    Not multiprocessing: its spawn method re-runs the caller's main script in each child, and
    fork is unsafe in a process that runs threads (a Textual app does)."""

    def __init__(self, count: int, log_dir: Path) -> None:
        self.events: queue.Queue[Event] = queue.Queue()
        self.procs: list[subprocess.Popen[bytes]] = []
        try:
            for n in range(count):
                with open(log_dir / f"worker-{n}.log", "wb") as log:
                    proc = subprocess.Popen(
                        [sys.executable, "-c", WORKER_COMMAND],
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        stderr=log,
                    )
                self.procs.append(proc)
                threading.Thread(target=self._read, args=(n, proc), daemon=True, name=f"folio-worker-{n}").start()
        except BaseException:
            self.close(kill=True)
            raise

    def _read(self, n: int, proc: subprocess.Popen[bytes]) -> None:
        try:
            while True:
                self.events.put((n, pickle.load(_stream(proc.stdout))))
        except Exception:  # EOF, or the worker died mid-message
            self.events.put((n, ("exit", None)))

    def send(self, n: int, *args: Any) -> None:
        try:
            stdin = _stream(self.procs[n].stdin)
            pickle.dump(args, stdin)
            stdin.flush()
        except OSError as exc:
            raise WorkerError(f"worker {n} cannot take work: {exc}") from None

    def next_event(self, timeout: float) -> Event | None:
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            return None

    def close(self, *, kill: bool = False) -> None:
        for proc in self.procs:
            try:
                if kill:
                    proc.kill()
                else:
                    _stream(proc.stdin).close()
            except OSError:
                pass
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()


def _stream(stream: IO[bytes] | None) -> IO[bytes]:
    """A pipe of a worker (always there: every worker is started with both)."""
    assert stream is not None
    return stream
