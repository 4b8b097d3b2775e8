"""Updating the index: what changed since the last update (by size and mtime), written in this
process or by worker processes (`build`), committed in batches that search sees as they come.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from whoosh.util.filelock import try_for

from folio_reader.index.corpus import Corpus, DocMeta, FileEntry, Problem, ScanResult
from folio_reader.index.described import Described
from folio_reader.index.listing import LISTING, ListingEncoder, listing_bytes, save_listing
from folio_reader.index.search import build, whoosh_ext
from folio_reader.index.search.results import UpdateReport
from folio_reader.index.search.schema import KEY
from folio_reader.index.search.storage import IndexStore

ProgressFn = Callable[[int, int, str], None]
StopFn = Callable[[], bool]
#: path -> the stored metadata of a document (or of its problem)
Stored = dict[str, dict[str, Any]]


class Updater:
    """Brings one index in line with its corpus. `pending` and `total` say how far an update
    under way has got, for a search that runs meanwhile."""

    def __init__(
        self,
        corpus: Corpus,
        store: IndexStore,
        stored: Callable[[], Stored],
        committed: Callable[[], None],
        stored_state: Callable[[], str | None] = lambda: None,
    ) -> None:
        self.corpus = corpus
        self.store = store
        self._stored = stored  #: what the index holds now
        self._stored_state = stored_state  #: the state of the index (`state_of`) `stored` last read
        self._committed = committed  #: called after each commit (the searcher is stale)
        self.pending = 0  #: documents not yet indexed while an update runs
        self.total = 0
        #: the documents of the listing last saved (or listed), kept in step with the index
        self._described = Described()
        #: keeps the encoded rows of the last listing saved: the next re-encodes only those changed
        self._encoder = ListingEncoder()

    def update(
        self,
        stored: Stored,
        report: UpdateReport,
        progress: ProgressFn | None,
        should_stop: StopFn | None,
        commit_every: float | None,
        procs: int | None,
        writer_timeout: float,
        scan: ScanResult | None = None,
    ) -> None:
        """See `FolioIndex.update`; `stored` is what the index holds as the update starts."""
        scan = self.corpus.scan() if scan is None else scan
        report.problems.extend(scan.problems)
        work, deletions = self._plan(scan.entries, stored, report, every=self.store.parsers_changed)
        self.total = len(scan.entries)
        self.pending = len(work)
        order = [entry.rel for entry in scan.entries]
        if not work and not deletions:
            if not (self.store.dir / LISTING).exists():
                self.save_listing(stored, order)
            return
        ix = self.store.ix
        lock = ix.lock("WRITELOCK")
        if not try_for(lock.acquire, timeout=writer_timeout, delay=0.1):
            report.locked = True
            report.messages.append("another folio is updating this index; searching it as it stands")
            self.pending = 0
            return
        # the lock is held for the whole update (each batch's writer takes none), so another
        # folio cannot slip in between two commits
        # what the index holds once this update is done, kept here so it is not read again for
        # the listing (reading 50,000 documents' stored fields takes most of a second); None
        # after worker processes, whose metadata is only in the index
        after: Stored | None = dict(stored)
        # `stored` is what the index holds now, unless another folio committed since it was read
        # (then the listing's header names no state: `_seed`)
        current = state_of(whoosh_ext.segments(ix)) == self._stored_state()
        changed = {entry.rel for entry in work}.union(deletions)
        seed = self._stored_state() if current and self._encoder.empty and not self.store.in_memory else None
        try:
            procs = build.worker_count(procs, len(work), self.store.in_memory)
            if procs > 1:
                work = self._write_parallel(work, deletions, stored, report, progress, should_stop, commit_every, procs)
                deletions, after = [], None
            if work or deletions:
                self._write(work, deletions, stored, report, progress, should_stop, commit_every, after)
            state = state_of(whoosh_ext.segments(ix)) if current and after is not None else None
        finally:
            self.pending = 0
            lock.release()
        if seed is not None:
            self._seed(seed, changed)
        self.save_listing(after, order, state)

    def _seed(self, state: str, changed: set[str]) -> None:
        """The first save of this process: take the chunks of the listing on disk that are
        still true (`ListingEncoder.seed`) rather than encode every row again (~0.25 s at
        50,000), when the listing's rows are of the index at `state` (what `stored` was read
        from, still the index's when the write lock was taken) but for the paths `changed`.
        A listing names a state only when it was saved from what the index held at it."""
        data = listing_bytes(self.store.dir)
        if data is not None:
            self._encoder.seed(data, state, changed)

    def documents(
        self, stored: Stored | None = None, order: Sequence[str] | None = None
    ) -> tuple[list[DocMeta], list[Problem]]:
        """The documents' metadata and the problems recorded, in corpus order, of `stored` (what
        the index holds, else read from it); `order`: a scan's paths (`described.documents_of`)."""
        return self._described.of(self._stored() if stored is None else stored, order)

    def save_listing(
        self, stored: Stored | None = None, order: Sequence[str] | None = None, state: str | None = None
    ) -> None:
        """Refresh the Whoosh-free copy of the document list that the reader starts from, from
        `stored` (what the index holds), else read from the index; `order` as `documents`;
        `state`: the index's (`state_of`) when `stored` is known to be what it holds in it."""
        if self.store.in_memory:
            return
        described = self.documents(stored, order)
        try:
            save_listing(self.store.dir, *described, self._encoder, state)
        except OSError as exc:
            self.store.messages.append(f"cannot save the document list cache: {exc}")

    @staticmethod
    def _plan(
        entries: list[FileEntry], stored: Stored, report: UpdateReport, *, every: bool = False
    ) -> tuple[list[FileEntry], list[str]]:
        """The files to index (size or mtime not those the index holds; `every`: all of them,
        described again in place, as the parsers changed) and the paths to delete."""
        work: list[FileEntry] = []
        get = stored.get
        found = unchanged = 0  # (counted here, not on `report`: a tenth of the loop's time)
        for entry in entries:
            old = get(entry.rel)
            if old is not None:
                found += 1
                if not every and old.get("size") == entry.size and old.get("mtime_ns") == entry.mtime_ns:
                    if "problem" in old:
                        report.problems.append(Problem(entry.rel, old["problem"]))
                    else:
                        unchanged += 1
                    continue
            work.append(entry)
        report.unchanged += unchanged
        if found == len(stored):  # every path the index holds was found: nothing to delete
            return work, []
        # a path whose scan problem changed (or that vanished) is dropped from the index
        present = {e.rel for e in entries}
        return work, sorted(rel for rel in stored if rel not in present)

    def _writer(self) -> Any:
        """A writer for one batch; the caller holds the index's write lock."""
        return whoosh_ext.unlocked_writer(self.store.ix)

    def _write(
        self,
        work: list[FileEntry],
        deletions: list[str],
        stored: Stored,
        report: UpdateReport,
        progress: ProgressFn | None,
        should_stop: StopFn | None,
        commit_every: float | None,
        after: Stored | None = None,
    ) -> None:
        """Index in this process, committing every `commit_every` seconds. A bulk build lets
        Whoosh merge its segments as they come (MERGE_SMALL); an update of a few files merges
        only tiny segments (`build.merge_tiny`). `after` is kept in step with what is written."""
        merge: dict[str, Any] = (
            {} if len(work) + len(deletions) >= build.PARALLEL_MIN_DOCS else {"mergetype": build.merge_tiny}
        )
        last_commit = time.monotonic()
        done = 0
        words: set[str] = set()
        writer = self._writer()
        try:
            for rel in deletions:
                writer.delete_by_term(KEY, rel)
                if "problem" not in stored[rel]:
                    report.deleted += 1
                if after is not None:
                    del after[rel]
            for entry in work:
                if should_stop and should_stop():
                    report.cancelled = True
                    break
                found, reason = build.document_fields(self.corpus, entry)
                writer.update_document(**found)
                if after is not None:
                    after[entry.rel] = found["meta"]
                _count(report, entry, stored.get(entry.rel), reason)
                if reason is None:
                    words.update(build.body_tokens(found))
                done += 1
                if progress:
                    progress(done, len(work), entry.rel)
                if commit_every is not None and time.monotonic() - last_commit >= commit_every:
                    self._commit(writer, words, **merge)
                    self.pending = len(work) - done  # searchable now
                    writer = self._writer()
                    last_commit = time.monotonic()
        except BaseException:
            writer.cancel()
            raise
        self._commit(writer, words, **merge)

    def _commit(self, writer: Any, tokens: set[str], **options: Any) -> None:
        writer.commit(**options)
        self.store.vocabulary.add(tokens)
        tokens.clear()
        self._committed()

    def _write_parallel(
        self,
        work: list[FileEntry],
        deletions: list[str],
        stored: Stored,
        report: UpdateReport,
        progress: ProgressFn | None,
        should_stop: StopFn | None,
        commit_every: float | None,
        procs: int,
    ) -> list[FileEntry]:
        """Index in worker processes, each batch into a segment of its own that is moved into
        the index and committed as it comes. Returns what is left to index here (all of it
        when the workers cannot run)."""
        staging = self.store.dir / build.STAGING
        shutil.rmtree(staging, ignore_errors=True)  # left by a build that was killed
        staging.mkdir()
        batches = deque(build.batches(work, procs))
        left = {entry.rel: entry for entry in work}
        # the deletions go with the first commit; the old version of a changed file with the
        # commit of its new one, so search finds every document meanwhile (after a parser
        # upgrade every document is changed: `IndexStore.parsers_changed`)
        to_delete = list(deletions)
        report.deleted += sum(1 for rel in deletions if "problem" not in stored[rel])
        ready: list[dict[str, Any]] = []
        done = 0
        last_commit = time.monotonic()
        workers = None
        job = (str(staging), str(self.corpus.root), self.corpus.only)
        try:
            workers = build.Workers(min(procs, len(batches)), staging)
            busy: set[int] = set()
            for n in range(len(workers.procs)):
                workers.send(n, *job, batches.popleft())
                busy.add(n)
            while busy:
                event = workers.next_event(0.1)
                if event is not None:
                    n, (kind, payload) = event
                    if kind == "indexed":
                        done += 1
                        if progress:
                            progress(done, len(work), payload)
                    elif kind == "done":
                        ready.append(payload)
                        busy.discard(n)
                        if batches:
                            workers.send(n, *job, batches.popleft())
                            busy.add(n)
                    elif kind == "error":
                        raise build.WorkerError(payload.strip().splitlines()[-1])
                    else:
                        raise build.WorkerError(f"worker {n} ended unexpectedly")
                if should_stop and should_stop():
                    report.cancelled = True
                    break
                if ready and commit_every is not None and time.monotonic() - last_commit >= commit_every:
                    self._commit_segments(ready, to_delete, stored, report, left)
                    to_delete, ready = [], []
                    self.pending = len(left)
                    last_commit = time.monotonic()
            self._commit_segments(ready, to_delete, stored, report, left)
            to_delete, ready = [], []
        except (build.WorkerError, OSError) as exc:  # a worker died, failed or could not start
            self.store.messages.append(f"indexing in worker processes failed ({exc}); indexing in this process instead")
            self._commit_segments(ready, to_delete, stored, report, left)
        finally:
            if workers is not None:
                workers.close(kill=report.cancelled or bool(left))
            shutil.rmtree(staging, ignore_errors=True)
        return [] if report.cancelled else list(left.values())

    def _commit_segments(
        self,
        results: list[dict[str, Any]],
        to_delete: list[str],
        stored: Stored,
        report: UpdateReport,
        left: dict[str, FileEntry],
    ) -> None:
        """Move finished segments into the index and commit them, with pending deletions and the
        old versions of the documents they hold (deleted first: a deletion would find the new)."""
        if not results and not to_delete:
            return
        writer = self._writer()
        tokens: set[str] = set()
        replaced = [rel for result in results for rel, _ in result["documents"] if rel in stored]
        try:
            for rel in [*to_delete, *replaced]:
                writer.delete_by_term(KEY, rel)
            for result in results:
                segment = result["segment"]
                if segment is not None:
                    whoosh_ext.adopt_segment(writer, segment, Path(result["dir"]), self.store.dir)
                for rel, reason in result["documents"]:
                    _count(report, left.pop(rel), stored.get(rel), reason)
                tokens |= result["tokens"]
        except BaseException:
            writer.cancel()
            raise
        self._commit(writer, tokens, merge=False)


def state_of(segments: Iterable[Any]) -> str:
    """A name for a state of the index: its segments and how many documents of each are
    deleted (a segment never changes but for more deletions; each has an id of its own, a
    rebuilt index new ones)."""
    parts = sorted(f"{segment.segment_id()}:{segment.deleted_count()}" for segment in segments if segment is not None)
    return hashlib.sha1(";".join(parts).encode("ascii")).hexdigest()


def _count(report: UpdateReport, entry: FileEntry, old: dict[str, Any] | None, reason: str | None) -> None:
    if reason is not None:
        report.problems.append(Problem(entry.rel, reason))
    elif old is None or "problem" in old:
        report.added += 1
    else:
        report.updated += 1
