#!/usr/bin/env python3
"""Benchmark the load path (run by hand; not a pytest file), each figure beside its baseline
measured in the same run:

    python tests/bench/bench_load.py build  --corpus DIR   # a gen_corpus.py folder of 5,000 files
    python tests/bench/bench_load.py huge   [--mb 37]
    python tests/bench/bench_load.py open   [--mb 37]
    python tests/bench/bench_load.py update --corpus DIR   # a gen_corpus.py folder (50,000 files)

`build`: full index builds of the corpus with its `.txt` files rewritten as reStructuredText, in
one process (CPU time): without the document model, with every file parsed whole (no fast path
for markup that hides no word), now (structure cache cold and warm); first a check that the
fast path's fields are those of the whole parse on every file. Beside each build, the CPU it
spent inside the parser libraries (docutils, markdown-it-py); `parser alone` is no build but
those libraries' parse of every Markdown and reST text of the tree, whole (with `--as-is` on a
real tree: whether the 1.15x budget is reachable while they parse in the build). `huge`: loading a 37 MB plain text, against the load before the document
model, and its opening alone (the first screen). `open`: the app (Textual's pilot) from opening
the 37 MB text to its first screen drawn, the whole loaded first (before) against the opening
first (now), and on to the whole document in the reader. `update`: one-file updates, the listing saved
from a second read of the index (before) or from memory (now). Figures: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_HEADING_RE = re.compile(r"^(#{1,2}) (.+)$", re.MULTILINE)


def to_rest(markdown: str) -> str:
    """A gen_corpus document rewritten as reST: headings adorned, quotes indented."""

    def heading(m: re.Match[str]) -> str:
        char = "=" if len(m[1]) == 1 else "-"
        return f"{m[2]}\n{char * len(m[2])}"

    text = _HEADING_RE.sub(heading, markdown)
    return re.sub(r"^> ", "    ", text, flags=re.MULTILINE)


def rest_tree(source: Path, out: Path) -> tuple[int, int]:
    """Copy `source` to `out`, each `.txt` as `.rst`; (Markdown files, reST files)."""
    md = rst = 0
    for path in sorted(source.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(source)
        dest = out / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".txt":
            dest.with_suffix(".rst").write_text(to_rest(path.read_text("utf-8")), "utf-8")
            rst += 1
        else:
            shutil.copyfile(path, dest)
            md += 1
    return md, rst


def _stub_metadata(text: str, suffix: str, structure: object = None) -> object:
    """What metadata cost before the document model, at most: the first line as the title."""
    from folio_reader.index.document import Metadata

    first = text.lstrip().split("\n", 1)[0][:120]
    return Metadata(first, "first line", None, None, "none")


def timed_build(tree: Path, work: Path, name: str, structures: Path | None) -> tuple[float, float]:
    from folio_reader.index.corpus import open_corpus
    from folio_reader.index.search import FolioIndex

    corpus = open_corpus(tree)
    corpus.structures.folder = structures
    ix = FolioIndex(corpus, work / f"ix-{name}")
    started, cpu = time.perf_counter(), time.process_time()
    report = ix.update(procs=1, commit_every=None)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    # a real tree may hold empty or undecodable files: reported, as every build reports them
    assert report.added and all(p.reason in SKIPPED for p in report.problems), (report.added, report.problems[:3])
    shutil.rmtree(work / f"ix-{name}")
    return seconds, cpu


#: What a real tree's files may be skipped for (an empty file, a binary one).
SKIPPED = ("empty file", "binary file, not text", "no text: the file holds only blank lines")

MODES = ("no document model", "every file parsed whole", "after", "after (cache warm)", "parser alone")
#: Not a build: the parser libraries alone over every Markdown and reST text of the tree.
PARSER_ALONE = MODES[4]


class LibraryClock:
    """CPU time spent inside the parser libraries while it is on (in any build): docutils'
    parse (`rest_docutils.doctree`: Folio's settings, its kept machines, its directive and role
    registration) and markdown-it-py's block and inline parses (Folio's mkdocs block rules
    run inside them). What is left of a build's time is Folio's."""

    def __init__(self) -> None:
        self.seconds = {"docutils": 0.0, "markdown-it-py": 0.0}
        self.undo: list[tuple[object, str, object, bool]] = []

    def timed(self, owner: object, name: str, library: str) -> None:
        real = getattr(owner, name)
        own = name in vars(owner)  # a module's function; else a method, found on the class

        def timing(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return real(*args, **kwargs)
            finally:
                self.seconds[library] += time.process_time() - started

        self.undo.append((owner, name, real, own))
        setattr(owner, name, timing)

    def __enter__(self) -> LibraryClock:
        from folio_reader.index.document import markdown, rest_docutils

        self.timed(rest_docutils, "doctree", "docutils")
        for md in markdown._PARSERS.values():
            self.timed(md, "parse", "markdown-it-py")
            self.timed(md.inline, "parse", "markdown-it-py")
        return self

    def __exit__(self, *exc: object) -> None:
        for owner, name, real, own in reversed(self.undo):
            if own:
                setattr(owner, name, real)
            else:
                delattr(owner, name)
        self.undo.clear()


def parser_alone(tree: Path) -> tuple[float, float, dict[str, float]]:
    """(wall, CPU, CPU by library) of the parser libraries alone over every Markdown and reST
    text of `tree`, whole, as `document.parse` would give them (the same size limits): docutils'
    parse as Folio calls it, markdown-it-py's block parse and the inline parse of each of its
    inline tokens (what Folio maps to blocks), no block made."""
    from folio_reader.index import document
    from folio_reader.index.document import markdown, rest_docutils
    from folio_reader.index.text import canonical_text, decode

    texts = []
    for path in sorted(tree.rglob("*")):
        if path.is_file():
            text = canonical_text(decode(path.read_bytes())[0])
            fmt = document.detect_format(text, path.suffix)
            limit = document.MAX_REST_CHARS if fmt == "rest" else document.MAX_MARKDOWN_CHARS
            if fmt != "plain" and text.strip() and len(text) <= limit:
                texts.append((fmt, text))
    by_library = {"docutils": 0.0, "markdown-it-py": 0.0}
    started, cpu = time.perf_counter(), time.process_time()
    for fmt, text in texts:
        one = time.process_time()
        if fmt == "rest":
            with contextlib.suppress(RecursionError):
                rest_docutils.doctree(text)
            by_library["docutils"] += time.process_time() - one
            continue
        md, env = markdown._PARSERS[True], {}  # type: ignore[var-annotated]
        for tok in md.parse(text, env):
            if tok.type == "inline":
                md.inline.parse(tok.content, md, env, [])
        by_library["markdown-it-py"] += time.process_time() - one
    return time.perf_counter() - started, time.process_time() - cpu, by_library


def check_fast_path(tree: Path) -> None:
    """Every file's fields by the fast path (`document.hides_no_words`: the opening parsed for
    the metadata, the whole text as the body) equal those of its whole parse."""
    from folio_reader.index import analysis
    from folio_reader.index.corpus import open_corpus
    from folio_reader.index.search import build

    def kept(fields: dict[str, Any]) -> dict[str, Any]:
        if "body" not in fields:  # not readable (an empty file): the same problem either way
            return fields
        body = fields["body"]
        words = analysis.words(body) if isinstance(body, str) else body.words
        postings = analysis.term_postings(body) if isinstance(body, str) else body.postings
        return {**fields, "body": (postings, analysis.vocabulary_words(words))}

    corpus = open_corpus(tree)
    corpus.structures.folder = None
    real = build._hides_no_words
    entries = corpus.scan().entries
    fast = 0
    for entry in entries:
        fast += real(entry, corpus.read_bytes(entry))
        found = kept(build.document_fields(corpus, entry)[0])
        build._hides_no_words = lambda entry, data: False  # type: ignore[assignment]
        try:
            whole = kept(build.document_fields(corpus, entry)[0])
        finally:
            build._hides_no_words = real
        assert found == whole, (entry.rel, [k for k in whole if found.get(k) != whole[k]])
    print(f"fast path: {fast:,} of {len(entries):,} files; every file's fields equal to its whole parse's")


def copy_documents(source: Path, out: Path) -> tuple[int, int]:
    """Copy the Markdown, reST and `.txt` files of a real tree (a source distribution's, a
    project's docs) to `out`, as they are; (Markdown files, other files)."""
    md = other = 0
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.suffix.lower() not in (".md", ".markdown", ".rst", ".rest", ".txt"):
            continue
        dest = out / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, dest)
        md += path.suffix.lower() in (".md", ".markdown")
        other += path.suffix.lower() not in (".md", ".markdown")
    return md, other


def bench_build(
    corpus: Path, rounds: int, modes: tuple[str, ...] = MODES, as_is: bool = False, check: bool = True
) -> None:
    """Builds in one process (CPU time, best of `rounds`, each round in another order):
    - no document model: no parse, the first line as the title, the whole text as the body;
    - every file parsed whole: the document model without the fast path (the last session's end);
    - after: now, the structure cache empty (it writes the structures that took 50 ms of CPU or more);
    - after (cache warm): now, a rebuild (a schema change) with those structures written."""
    from folio_reader.index import document
    from folio_reader.index.search import build
    from folio_reader.index.search.schema import MAX_INDEXED_CHARS

    real = (document.metadata, build.parse_whole, build.body_value, build._hides_no_words)

    def plain_body(text: str, rel: str, structure: object = None) -> str:
        return text[:MAX_INDEXED_CHARS]

    with tempfile.TemporaryDirectory(prefix="folio-bench-load-") as tmp:
        work = Path(tmp)
        md, rst = (copy_documents if as_is else rest_tree)(corpus, work / "tree")
        kinds = "reST and .txt" if as_is else "reST"
        print(f"tree: {md:,} Markdown + {rst:,} {kinds} files; one process (procs=1); best of {rounds}")
        if check:
            check_fast_path(work / "tree")
        figures: dict[str, list[tuple[float, float]]] = {name: [] for name in modes}
        inside: dict[str, list[dict[str, float]]] = {name: [] for name in modes}
        cold = [m for m in modes if m != MODES[3]]
        for r in range(rounds):
            cache = work / f"structure-{r}"
            order = cold[r % len(cold) :] + cold[: r % len(cold)]
            for name in order + [m for m in modes if m == MODES[3]]:
                if name == PARSER_ALONE:
                    wall, cpu, by_library = parser_alone(work / "tree")
                    figures[name].append((wall, cpu))
                    inside[name].append(by_library)
                    continue
                stub = name == MODES[0]
                document.metadata = _stub_metadata if stub else real[0]  # type: ignore[assignment]
                build.parse_whole = (lambda entry: False) if stub else real[1]  # type: ignore[assignment]
                build.body_value = plain_body if stub else real[2]  # type: ignore[assignment]
                build._hides_no_words = (lambda entry, data: False) if name == MODES[1] else real[3]  # type: ignore[assignment]
                with LibraryClock() as clock:
                    figures[name].append(
                        timed_build(
                            work / "tree", work, f"{r}-{MODES.index(name)}", cache if name.startswith("after") else None
                        )
                    )
                inside[name].append(dict(clock.seconds))
        document.metadata, build.parse_whole, build.body_value, build._hides_no_words = real  # type: ignore[assignment]
        base = min(cpu for _, cpu in figures[modes[0]])
        print("CPU time of the build (wall time in brackets: the machine is shared)")
        for name, runs in figures.items():
            best = min(cpu for _, cpu in runs)
            cpus = ", ".join(f"{c:.2f}" for _, c in runs)
            walls = ", ".join(f"{w:.2f}" for w, _ in runs)
            ratios = sorted(cpu / base_r for (_, cpu), (_, base_r) in zip(runs, figures[modes[0]], strict=True))
            median = ratios[len(ratios) // 2]
            print(
                f"{name:>23}: {best:6.2f} s CPU  ({best / base:.2f}x; median of rounds {median:.2f}x)"
                f"  [CPU {cpus}; wall {walls}]"
            )
            libraries = [sum(by.values()) for by in inside[name]]
            if any(libraries):
                parts = "; ".join(
                    f"{lib} " + ", ".join(f"{by[lib]:.2f}" for by in inside[name])
                    for lib in inside[name][0]
                    if any(by[lib] for by in inside[name])
                )
                where = "the libraries alone" if name == PARSER_ALONE else "of which in the parser libraries"
                print(
                    f"{'':>25}{where}: {', '.join(f'{t:.2f}' for t in libraries)} s CPU ({parts}); "
                    f"median {sorted(libraries)[len(libraries) // 2] / base:.2f}x the best build without the model"
                )
        print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


_OLD_BLOCK_RE = re.compile(r"[^\n]*\S[^\n]*(?:\n[^\n]*\S[^\n]*)*")
_OLD_LINE_RE = re.compile(r"[^\n]*\S[^\n]*")
_OLD_ITEM_RE = re.compile(r"\s*(?:[-*+]\s|\d{1,3}[.)]\s|#{1,6}\s)")


def old_paragraphs(text: str) -> list[tuple[int, int]]:
    """`corpus.paragraphs` before the document model (commit 1e9dafb^): the baseline."""

    def strip(start: int, end: int) -> tuple[int, int]:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return start, end

    spans: list[tuple[int, int]] = []
    for block in _OLD_BLOCK_RE.finditer(text):
        lines = [(m.start(), m.end()) for m in _OLD_LINE_RE.finditer(text, block.start(), block.end())]
        one_per_line = len(lines) > 1 and max(e - s for s, e in lines) > 100
        current: list[int] | None = None
        for start, end in lines:
            starts_new = one_per_line or _OLD_ITEM_RE.match(text, start, end) is not None
            if current is None or starts_new:
                if current is not None:
                    spans.append(strip(current[0], current[1]))
                current = [start, end]
            else:
                current[1] = end
            if one_per_line or text.startswith("#", start):
                spans.append(strip(current[0], current[1]))
                current = None
        if current is not None:
            spans.append(strip(current[0], current[1]))
    return [s for s in spans if s[1] > s[0]]


def huge_text(size: int, seed: int = 5) -> str:
    """About `size` characters of hard-wrapped prose in short paragraphs (~120 characters, as
    in a long novel's dialogue): ~300,000 paragraphs in 37 MB, the plain rule's worst case."""
    import random

    rng = random.Random(seed)
    words = [
        "the",
        "of",
        "and",
        "to",
        "a",
        "in",
        "is",
        "that",
        "it",
        "was",
        "for",
        "on",
        "with",
        "as",
        "his",
        "at",
        "by",
        "her",
        "said",
        "from",
        "they",
    ]
    words += ["harbour", "council", "voted", "rebuild", "pier", "storms", "engineers", "timbers", "deck", "lighting"]
    parts: list[str] = []
    total = 0
    while total < size:
        para = " ".join(rng.choice(words) for _ in range(rng.randint(8, 40))).capitalize() + "."
        if len(para) > 72:  # hard-wrapped at 72 columns
            cut = para.rfind(" ", 0, 72)
            para = para[:cut] + "\n" + para[cut + 1 :]
        parts.append(para)
        total += len(para) + 2
    return "\n\n".join(parts) + "\n"


def bench_huge(mb: float, rounds: int) -> None:
    """Loading a huge plain text (`Corpus.load`: read, decode, the plain rule, paragraphs, words)
    against the load before the document model (read, decode, the old paragraphs, words), and
    the plain rule with the frozen blocks it had before this change."""
    import dataclasses

    from folio_reader.index import corpus as corpus_mod
    from folio_reader.index.document import model, plain, units

    frozen = dataclasses.make_dataclass(
        "FrozenBlock",
        [(f.name, f.type, dataclasses.field(default=f.default)) for f in dataclasses.fields(model.Block)],
        frozen=True,
        slots=True,
        namespace={name: getattr(model.Block, name) for name in ("verbatim", "displayed", "hanging_indent")},
    )
    with tempfile.TemporaryDirectory(prefix="folio-bench-huge-") as tmp:
        path = Path(tmp) / "huge.txt"
        path.write_text(huge_text(int(mb * 2**20)), "utf-8")
        corpus = corpus_mod.open_corpus(path)
        corpus.structures.folder = None  # (the plain rule's structures are never written anyway)
        entry = corpus.scan().entries[0]
        text = corpus.load(entry).text
        figures: dict[str, list[float]] = {
            "before the document model": [],
            "frozen blocks": [],
            "now": [],
            "now, the opening (first screen)": [],
        }
        for _ in range(rounds):
            started = time.process_time()
            raw, _ = corpus_mod.decode(corpus.read_bytes(entry))
            canon = corpus_mod.canonical_text(raw)
            old = old_paragraphs(canon)
            units.word_count(canon)
            figures["before the document model"].append(time.process_time() - started)
            for name in ("frozen blocks", "now"):
                plain.Block = frozen if name == "frozen blocks" else model.Block  # type: ignore[misc]
                corpus.structures = type(corpus.structures)(None)
                started = time.process_time()
                doc = corpus.load(entry)
                figures[name].append(time.process_time() - started)
            plain.Block = model.Block  # type: ignore[misc]
            started = time.process_time()
            corpus.load(entry, opening=True)
            figures["now, the opening (first screen)"].append(time.process_time() - started)
        print(f"{len(text):,} characters, {len(doc.paragraphs):,} paragraphs ({len(old):,} by the old rule)")
        base = min(figures["before the document model"])
        for name, seconds in figures.items():
            best = min(seconds)
            print(f"{name:>31}: {best:5.2f} s CPU ({best / base:.2f}x)  [{', '.join(f'{s:.2f}' for s in seconds)}]")


def bench_open(mb: float, rounds: int) -> None:
    """In the app: from `open_document` to the reader's first screen drawn, and to the whole
    document in the reader (wall time). Before: `Corpus.load` parses the whole text before the
    first screen; now: its opening, then `Corpus.complete` in the worker. The index is not opened
    (its build of the text would compete for the interpreter): the open path alone."""
    import asyncio
    import os

    with tempfile.TemporaryDirectory(prefix="folio-bench-open-") as tmp:
        for name in ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
            os.environ[name] = str(Path(tmp) / name)
        tree = Path(tmp) / "tree"
        tree.mkdir()
        (tree / "huge.txt").write_text(huge_text(int(mb * 2**20)), "utf-8")
        asyncio.run(_open_rounds(tree, rounds))


async def _open_rounds(tree: Path, rounds: int) -> None:
    from folio_reader.index.corpus import Corpus, open_corpus
    from folio_reader.tui.app import FolioApp
    from folio_reader.tui.library import Library
    from folio_reader.tui.screens.main import MainScreen
    from folio_reader.tui.widgets.reader import Reader

    real_load = Corpus.load
    real_render = Reader.render_line
    drawn: list[float] = []  #: when the reader first drew a line of the document

    def render_line(self: Reader, y: int) -> Any:
        strip = real_render(self, y)
        if not drawn and self.document is not None:
            drawn.append(time.perf_counter())
        return strip

    Reader.render_line = render_line  # type: ignore[method-assign]
    Library.open = lambda self, node: None  # type: ignore[method-assign]
    app = FolioApp(open_corpus(tree))
    figures: dict[str, list[float]] = {"before: first screen": [], "now: first screen": [], "now: whole": []}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        for r in range(rounds):
            for name in ("before", "now") if r % 2 == 0 else ("now", "before"):
                whole_first = name == "before"

                def load(self: Corpus, entry: Any, *, opening: bool = False, whole: bool = whole_first) -> Any:
                    return real_load(self, entry, opening=opening and not whole)

                Corpus.load = load  # type: ignore[method-assign]
                app.library.corpus.structures = type(app.library.corpus.structures)(None)  # (cold)
                screen.document = None
                screen.reader.clear()
                await pilot.pause(0.2)
                started = time.perf_counter()
                screen.open_document("huge.txt")
                drawn.clear()
                while not drawn:
                    await pilot.pause(0.002)
                figures[f"{name}: first screen"].append(drawn[0] - started)
                if name == "now":
                    while not screen.document.complete:
                        await pilot.pause(0.002)
                    await pilot.pause()
                    figures["now: whole"].append(time.perf_counter() - started)
        Corpus.load = real_load  # type: ignore[method-assign]
    base = min(figures["before: first screen"])
    for name, seconds in figures.items():
        best = min(seconds)
        print(f"{name:>21}: {best:5.2f} s ({best / base:.2f}x)  [{', '.join(f'{s:.2f}' for s in seconds)}]")


def bench_update(corpus: Path, rounds: int) -> None:
    """One-file updates of an index built on a copy of `corpus` (wall time, best of `rounds`,
    alternating): before (the listing saved from a second read of every stored document) and
    now (from what the update read to plan); and their parts: the scan, the stored fields."""
    from folio_reader.index.corpus import open_corpus
    from folio_reader.index.search import FolioIndex
    from folio_reader.index.search.update import Updater

    real_save = Updater.save_listing

    def save_rereading(self: Updater, stored: object = None) -> None:
        real_save(self)

    with tempfile.TemporaryDirectory(prefix="folio-bench-update-") as tmp:
        tree = Path(tmp) / "tree"
        shutil.copytree(corpus, tree)
        c = open_corpus(tree)
        ix = FolioIndex(c, Path(tmp) / "ix")
        started = time.perf_counter()
        report = ix.update()
        print(f"{report.added:,} documents indexed in {time.perf_counter() - started:.1f} s")
        target = next(p for p in sorted(tree.rglob("*.md")))
        figures: dict[str, list[float]] = {"before": [], "now": [], "scan": [], "stored fields": []}
        for r in range(rounds):
            for name in ("before", "now") if r % 2 == 0 else ("now", "before"):
                Updater.save_listing = save_rereading if name == "before" else real_save  # type: ignore[method-assign]
                with target.open("a", encoding="utf-8") as f:
                    f.write(f"\nOne more line, round {r} {name}.\n")
                started = time.perf_counter()
                report = ix.update()
                figures[name].append(time.perf_counter() - started)
                assert report.updated == 1, report
            Updater.save_listing = real_save  # type: ignore[method-assign]
            started = time.perf_counter()
            c.scan()
            figures["scan"].append(time.perf_counter() - started)
            started = time.perf_counter()
            ix.stored()
            figures["stored fields"].append(time.perf_counter() - started)
        for name, seconds in figures.items():
            print(f"{name:>14}: {min(seconds):5.2f} s  [{', '.join(f'{s:.2f}' for s in seconds)}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    build = sub.add_parser("build")
    build.add_argument("--corpus", type=Path, required=True)
    build.add_argument("--rounds", type=int, default=2)
    build.add_argument(
        "--as-is", action="store_true", help="a real tree: its .md/.rst/.txt files as they are (no .txt rewritten)"
    )
    build.add_argument(
        "--modes", default=",".join(MODES), help="which builds, comma-separated (the first is the baseline)"
    )
    build.add_argument(
        "--no-check", action="store_true", help="skip the fast path's check (it parses every file twice)"
    )
    huge = sub.add_parser("huge")
    huge.add_argument("--mb", type=float, default=37.0)
    huge.add_argument("--rounds", type=int, default=3)
    opened = sub.add_parser("open")
    opened.add_argument("--mb", type=float, default=37.0)
    opened.add_argument("--rounds", type=int, default=3)
    update = sub.add_parser("update")
    update.add_argument("--corpus", type=Path, required=True)
    update.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    if args.what == "build":
        modes = tuple(m.strip() for m in args.modes.split(","))
        assert set(modes) <= set(MODES), f"modes are {', '.join(MODES)}"
        bench_build(args.corpus, args.rounds, modes, args.as_is, not args.no_check)
    elif args.what == "huge":
        bench_huge(args.mb, args.rounds)
    elif args.what == "open":
        bench_open(args.mb, args.rounds)
    else:
        bench_update(args.corpus, args.rounds)


if __name__ == "__main__":
    sys.exit(main())
