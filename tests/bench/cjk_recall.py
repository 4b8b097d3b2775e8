#!/usr/bin/env python3
"""How many of the documents holding a word Folio's search finds, on a CJK corpus.

    python tests/bench/cjk_recall.py --corpus DIR --queries FILE

For each one-word query of the file (no space, no quote), the documents that hold it are the
ones whose text contains it; the figure is the share of those the search returns (all hits,
no limit), summed over the queries, and the share of the hits that do hold it (precision).
Run it with the Python of each version to compare (the index is built in a temporary folder).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from gen_queries import corpus_files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--queries", type=Path, required=True)
    args = parser.parse_args(argv)
    from folio_reader.index.corpus import open_corpus
    from folio_reader.index.search import FolioIndex

    root = args.corpus.resolve()
    texts = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8") for p in corpus_files(root)}
    words = [q for q in args.queries.read_text(encoding="utf-8").split("\n") if q and " " not in q and '"' not in q]
    holding = found = returned = 0
    with tempfile.TemporaryDirectory() as work, FolioIndex(open_corpus(root), Path(work) / "ix") as index:
        index.update()
        for word in words:
            truth = {rel for rel, text in texts.items() if word in text}
            hits = {h.rel for h in index.search(word, limit=len(texts)).hits}
            holding += len(truth)
            returned += len(hits)
            found += len(truth & hits)
    print(
        f"{len(words)} one-word queries: recall {found / max(1, holding):.1%} ({found:,} of {holding:,} documents),"
        f" precision {found / max(1, returned):.1%} ({found:,} of {returned:,} hits)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
