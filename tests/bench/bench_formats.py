#!/usr/bin/env python3
"""Benchmark the extractors of `index.formats` (run by hand; not a pytest file).

    python tests/bench/bench_formats.py [--out DIR] [--html N] [--epub N] [--pdf N] [--seed S]

Generates a folder (default 1,000 HTML article pages, 20 EPUBs of 30 chapters, 50 PDFs of 20
pages, plus a 20 MB HTML page and a 1,000-page PDF for the bounds) with tests/formats_files.py,
then extracts every file, one format per fresh process (so each figure includes that
library's import and each peak RSS is its own), and prints per format: files, total and per-file
time (median, p95, max), text produced and peak RSS (VmHWM: ru_maxrss would carry the parent's
peak across exec). The baseline, in the same run: the same
words written as `.txt` files and read through `corpus.load`. recoll is timed on the same
folders when `recollindex` and its helpers (pdftotext for PDF) are installed; otherwise that is
said. The same seed gives the same files.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from tests.formats_files import make_epub, make_pdf, typeset  # noqa: E402

WORDS = [
    "harbour",
    "council",
    "pier",
    "storm",
    "engineer",
    "deck",
    "timber",
    "piles",
    "budget",
    "vote",
    "town",
    "sea",
    "wall",
    "tide",
    "lifeboat",
    "slipway",
    "lighting",
    "tern",
    "colony",
    "heritage",
    "fund",
    "reserves",
    "contractor",
    "schedule",
    "survey",
    "winter",
    "flood",
    "argument",
    "structure",
    "repair",
    "million",
    "meeting",
    "opponents",
    "money",
    "roads",
    "public",
    "work",
    "begins",
    "plans",
]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 20))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def html_page(rng: random.Random, n: int) -> str:
    body = "".join(
        f"<p>{paragraph(rng)}</p>" + (f"<h2>Part {i}</h2>" if i % 4 == 3 else "") for i in range(rng.randint(6, 20))
    )
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Story {n} | The Courier</title>'
        '<meta property="og:site_name" content="The Courier"><meta name="author" content="A. Writer">'
        f'<meta property="article:published_time" content="2025-0{1 + n % 9}-1{n % 10}"></head><body>'
        '<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>'
        f"<main><article><h1>Story number {n}</h1>{body}</article></main>"
        '<aside><h3>Related</h3><ul><li><a href="/x">Another story</a></li></ul></aside>'
        '<section class="comments"><p>First!</p></section><footer>© The Courier</footer></body></html>'
    )


def generate(out: Path, n_html: int, n_epub: int, n_pdf: int, seed: int) -> dict[str, Path]:
    rng = random.Random(seed)
    folders = {fmt: out / fmt for fmt in ("html", "epub", "pdf", "bounds", "txt")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    for n in range(n_html):
        page = html_page(rng, n)
        (folders["html"] / f"story{n:04}.html").write_text(page)
    for n in range(n_epub):
        chapters = [(f"text/c{i}.xhtml", f"Chapter {i}", [paragraph(rng) for _ in range(25)]) for i in range(30)]
        (folders["epub"] / f"book{n:02}.epub").write_bytes(make_epub(chapters, title=f"Book {n}"))
    for n in range(n_pdf):
        pages = [typeset([paragraph(rng) for _ in range(3)]) for _ in range(20)]
        (folders["pdf"] / f"report{n:02}.pdf").write_bytes(make_pdf(pages, {"Title": f"Report {n}"}))
    # the bounds: a 20 MB page, a 1,000-page PDF
    big = "".join(f"<p>{paragraph(rng)}</p>" for _ in range(40_000))
    (folders["bounds"] / "page-20mb.html").write_text(
        f"<html><body><article>{big}</article></body></html>"[: 20 * 1024 * 1024]
    )
    pages = [typeset([paragraph(rng) for _ in range(3)]) for _ in range(1000)]
    (folders["bounds"] / "report-1000-pages.pdf").write_bytes(make_pdf(pages, {"Title": "Long report"}))
    return folders


_CHILD = r"""
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from folio_reader.index.formats import ExtractionError, extract
times, chars, failed, notes = [], 0, [], []
for path in sorted(Path(sys.argv[1]).iterdir()):
    data = path.read_bytes()
    t = time.perf_counter()
    try:
        x = extract(path.suffix, data)
        chars += len(x.text)
        notes += [f"{path.name}: {n}" for n in x.notes]
    except ExtractionError as exc:
        failed.append(f"{path.name}: {exc}")
    times.append(time.perf_counter() - t)
print(json.dumps({"total": time.perf_counter() - t0, "times": times, "chars": chars, "failed": failed, "notes": notes,
                  "rss_mb": next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024}))
"""

_TXT_CHILD = r"""
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from folio_reader.index.corpus import open_corpus
corpus = open_corpus(sys.argv[1])
times, chars = [], 0
for entry in corpus.scan().entries:
    t = time.perf_counter()
    chars += len(corpus.load(entry).text)
    times.append(time.perf_counter() - t)
print(json.dumps({"total": time.perf_counter() - t0, "times": times, "chars": chars, "failed": [], "notes": [],
                  "rss_mb": next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM")) / 1024}))
"""


def run(code: str, folder: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)


def write_txt_baseline(folders: dict[str, Path]) -> None:
    """The same words as plain text, one .txt per HTML page (what extraction turns them into)."""
    from folio_reader.index.formats import extract

    for path in sorted(folders["html"].iterdir()):
        (folders["txt"] / (path.stem + ".txt")).write_text(extract(".html", path.read_bytes()).text)


def recoll(folder: Path) -> str:
    if not shutil.which("recollindex"):
        return "recoll not installed (apt-get install recollcmd; pdftotext from poppler-utils for PDF)"
    if folder.name == "pdf" and not shutil.which("pdftotext"):
        return "recoll's PDF helper (pdftotext, poppler-utils) not installed"
    with tempfile.TemporaryDirectory() as conf:
        Path(conf, "recoll.conf").write_text(f"topdirs = {folder}\nloglevel = 1\n")
        t = time.perf_counter()
        done = subprocess.run(["recollindex", "-c", conf, "-z"], capture_output=True, text=True)
        elapsed = time.perf_counter() - t
        mime = {"html": "text/html", "epub": "application/epub+zip", "pdf": "application/pdf"}[folder.name]
        found = subprocess.run(["recollq", "-c", conf, "-n", "1", f"mime:{mime}"], capture_output=True, text=True)
    counts = re.findall(r"^(\d+) results", found.stdout + found.stderr, re.MULTILINE)
    results = counts[0] if counts else "?"
    return f"{elapsed:.2f} s for the folder, {results} documents of type {mime} in its index (exit {done.returncode})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "folio-formats-bench")
    parser.add_argument("--html", type=int, default=1000)
    parser.add_argument("--epub", type=int, default=20)
    parser.add_argument("--pdf", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    t = time.perf_counter()
    folders = generate(args.out, args.html, args.epub, args.pdf, args.seed)
    write_txt_baseline(folders)
    print(f"generated in {time.perf_counter() - t:.1f} s under {args.out}\n")
    print(
        f"{'folder':8} {'files':>5} {'total s':>8} {'median ms':>9} {'p95 ms':>7} {'max ms':>7} {'chars':>11} {'RSS MB':>7}"
    )
    results = {}
    for name in ("txt", "html", "epub", "pdf", "bounds"):
        r = run(_TXT_CHILD if name == "txt" else _CHILD, folders[name])
        results[name] = r
        times = sorted(r["times"])
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(
            f"{name:8} {len(times):5} {r['total']:8.2f} {statistics.median(times) * 1000:9.1f} {p95 * 1000:7.1f} "
            f"{times[-1] * 1000:7.1f} {r['chars']:11,} {r['rss_mb']:7.0f}"
        )
    for name in ("html", "epub", "pdf", "bounds"):
        for line in results[name]["failed"] + results[name]["notes"]:
            print(f"  {name}: {line}")
    bounds = sorted(folders["bounds"].iterdir())
    print(
        "\nper file in bounds/:",
        ", ".join(f"{p.name} {t * 1000:.0f} ms" for p, t in zip(bounds, results["bounds"]["times"], strict=True)),
    )
    print("\nrecoll on the same folders:")
    for name in ("html", "epub", "pdf"):
        print(f"  {name}: {recoll(folders[name])}")


if __name__ == "__main__":
    main()
