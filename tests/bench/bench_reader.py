"""Benchmark of the reading pane (a script, not collected by pytest).

    .venv/bin/python tests/bench/bench_reader.py [--size-mb 35]

"Through the app" figures include the pilot's key delivery and a screen refresh (roughly 30 to
80 ms of harness overhead); "action" figures are the reader's own work plus drawing the screen.

Prints: for each seed, the time to load it from disk and to show its first screen; for a
generated 35 MB Markdown file and a 3 MB single-line paragraph, the time to load (read, decode,
split into paragraphs: `index.corpus`), to lay out and draw the first screen, to go to the end
(`G`), to page and to render a full screen of rows. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual.app import App, ComposeResult

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from folio_reader.index.corpus import Document, open_corpus  # noqa: E402
from folio_reader.tui.widgets.reader import Reader  # noqa: E402

WORDS = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "it",
    "as",
    "was",
    "with",
    "be",
    "by",
    "on",
    "not",
    "he",
    "this",
    "are",
    "or",
    "his",
    "from",
    "at",
    "which",
    "but",
    "have",
    "an",
    "they",
    "you",
    "were",
    "her",
    "she",
    "there",
    "been",
    "one",
    "all",
    "we",
    "their",
    "has",
    "would",
    "when",
    "if",
    "so",
    "no",
    "what",
    "reading",
    "terminal",
    "paragraph",
    "document",
    "wrapping",
    "offset",
    "caret",
    "selection",
    "highlight",
    "annotation",
]
SIZE = (100, 30)


def generated_markdown(size: int, seed: int = 7) -> str:
    """About `size` characters of Markdown-ish prose: headings, emphasis, some CJK and emoji."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    n = 0
    while total < size:
        n += 1
        if n % 40 == 1:
            para = f"## Section {n // 40 + 1}: **{rng.choice(WORDS)}** and *{rng.choice(WORDS)}*"
        else:
            words = [rng.choice(WORDS) for _ in range(rng.randint(8, 250))]
            if n % 7 == 0:
                words.insert(rng.randrange(len(words)), "**important**")
            if n % 11 == 0:
                words.insert(rng.randrange(len(words)), "漢字と😀の混在テキスト")
            para = " ".join(words).capitalize() + "."
        parts.append(para)
        total += len(para) + 2
    return "\n\n".join(parts) + "\n"


def load_file(path: Path) -> tuple[Document, float]:
    start = time.perf_counter()
    corpus = open_corpus(path)
    doc = corpus.load(path.name)
    return doc, time.perf_counter() - start


class BenchApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Reader(id="reader")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


async def first_frame(app: BenchApp, pilot, doc: Document) -> tuple[float, float]:
    """(load + draw the screen's rows directly, load to the next refresh through the app)."""
    reader = app.query_one(Reader)
    height = reader.scrollable_content_region.height
    start = time.perf_counter()
    reader.load(doc)
    for y in range(height):
        reader.render_line(y)
    direct = time.perf_counter() - start
    start = time.perf_counter()
    reader.load(doc)
    await pilot.pause()
    return direct, time.perf_counter() - start


async def timed_keys(pilot, *keys: str) -> float:
    start = time.perf_counter()
    await pilot.press(*keys)
    await pilot.pause()
    return time.perf_counter() - start


def timed_action(reader: Reader, action) -> float:
    """Time an action plus drawing the rows it leaves on screen (what the next frame costs)."""
    height = reader.scrollable_content_region.height
    start = time.perf_counter()
    action()
    for y in range(height):
        reader.render_line(y)
    return time.perf_counter() - start


def render_screen(reader: Reader) -> float:
    """Time to render every visible row with the strip cache cold."""
    reader.notify_style_update()  # drops cached strips
    height = reader.scrollable_content_region.height
    start = time.perf_counter()
    for y in range(height):
        reader.render_line(y)
    return time.perf_counter() - start


async def bench(size_mb: float) -> None:
    app = BenchApp()
    async with app.run_test(size=SIZE) as pilot:
        reader = app.query_one(Reader)
        await pilot.pause()
        print(f"terminal {SIZE[0]}x{SIZE[1]}, Python {sys.version.split()[0]}")
        print("\nseeds (load from disk | first screen drawn | through the app)")
        seeds = open_corpus(None)
        for entry in seeds.scan().entries:
            doc, loaded = load_file(entry.path)
            direct, via_app = await first_frame(app, pilot, doc)
            print(f"  {entry.rel:28} {len(doc.text):>9,} chars {ms(loaded)} {ms(direct)} {ms(via_app)}")

        baseline = statistics.median([await timed_keys(pilot, "z") for _ in range(5)])
        print(f"\nharness floor: a key bound to nothing, through the app {ms(baseline)}")

        with tempfile.TemporaryDirectory() as tmp:
            for label, text in (
                (f"{size_mb:g} MB Markdown", generated_markdown(int(size_mb * 2**20))),
                ("3 MB single line", " ".join(random.Random(3).choice(WORDS) for _ in range(1_000_000))[: 3 * 2**20]),
            ):
                path = Path(tmp) / "big.md"
                path.write_text(text, encoding="utf-8")
                doc, loaded = load_file(path)
                print(f"\n{label}: {len(doc.text):,} chars, {len(doc.paragraphs):,} paragraphs")
                print(f"  load from disk (index.corpus)   {ms(loaded)}")
                direct, via_app = await first_frame(app, pilot, doc)
                print(f"  open + first screen drawn       {ms(direct)}")
                print(f"  open, through the app refresh   {ms(via_app)}")
                print(f"  G (end), the action alone       {ms(timed_action(reader, reader.action_end))}")
                reader.action_top()
                print(f"  G (end), key through the app    {ms(await timed_keys(pilot, 'G'))}")
                print(f"  render a screen at the end      {ms(render_screen(reader))}")
                pages = [timed_action(reader, lambda: reader.action_page(-1)) for _ in range(10)]
                print(f"  page up (b), action, median/10  {ms(statistics.median(pages))}")
                lines = [timed_action(reader, lambda: reader.action_row(-1)) for _ in range(20)]
                print(f"  line up (k), action, median/20  {ms(statistics.median(lines))}")
                print(f"  page up (b), key through app    {ms(await timed_keys(pilot, 'b'))}")
                print(f"  g (top)                         {ms(await timed_keys(pilot, 'g'))}")
                print(f"  render a screen at the top      {ms(render_screen(reader))}")
                reader.scroll_to(y=reader.max_scroll_y // 2, animate=False)
                start = time.perf_counter()
                await pilot.pause()
                print(f"  jump to the middle (scrollbar)  {ms(time.perf_counter() - start)}")
                print(f"  resize 100x30 -> 60x20 -> back  {ms(await resize(pilot))}")
                print(f"  position after: {reader.status}")


async def resize(pilot) -> float:
    start = time.perf_counter()
    await pilot.resize_terminal(60, 20)
    await pilot.pause()
    await pilot.resize_terminal(*SIZE)
    await pilot.pause()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=float, default=35.0)
    args = parser.parse_args()
    asyncio.run(bench(args.size_mb))


if __name__ == "__main__":
    main()
