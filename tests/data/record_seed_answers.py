"""Record the seeds' answers to a fixed set of queries: `python tests/data/record_seed_answers.py OUT`.

`tests/data/seed_answers_schema5.json` was made with the code of schema 5 (before identifier
tokens, CJK bigrams and the `path` field); `tests/test_search_cjk.py` checks that the English
answers (documents, spans, snippets, totals) did not move since. Queries: 60 single words, 20
pairs, 25 phrases from the text, 15 OR, 10 NOT, 15 prefixes, 15 fuzzy, and field queries.
"""

from __future__ import annotations

import json
import random
import re
import sys
import tempfile
from pathlib import Path

from folio_reader.index.corpus import open_corpus
from folio_reader.index.search import FolioIndex


def queries(texts: dict[str, str]) -> list[str]:
    rnd = random.Random(14)
    names = sorted(texts)
    words = sorted({w.lower() for t in texts.values() for w in re.findall(r"[A-Za-z]{4,}", t)})
    found = [rnd.choice(words) for _ in range(60)]
    found += [" ".join(rnd.sample(words, 2)) for _ in range(20)]
    for _ in range(25):
        ws = re.findall(r"[A-Za-z]{3,}", texts[rnd.choice(names)])
        i = rnd.randrange(len(ws) - 2)
        found.append('"' + " ".join(ws[i : i + 2]) + '"')
    found += [f"{rnd.choice(words)} OR {rnd.choice(words)}" for _ in range(15)]
    found += [f"{rnd.choice(words)} NOT {rnd.choice(words)}" for _ in range(10)]
    found += [rnd.choice(words)[:4] + "*" for _ in range(15)]
    found += [rnd.choice(words) + "~" for _ in range(15)]
    return [*found, "title:carney", "title:trump", "outlet:cbc", "author:jordan", "date:2025-05", "date:>2025-09"]


def main(out: Path) -> None:
    corpus = open_corpus()
    texts = {e.rel: corpus.load(e.rel).text for e in corpus.scan().entries}
    index = FolioIndex(corpus, Path(tempfile.mkdtemp()) / "ix")
    index.update()
    answers = {}
    for q in queries(texts):
        r = index.search(q, limit=50)
        hits = [[h.rel, [list(s) for s in h.spans], h.snippet] for h in r.hits]
        answers[q] = {"error": r.error, "total": r.total, "hits": hits}
    out.write_text(json.dumps(answers, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
