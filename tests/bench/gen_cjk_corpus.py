#!/usr/bin/env python3
"""Write a Chinese, Japanese, Korean and mixed corpus, and a query file for it.

    python tests/bench/gen_cjk_corpus.py OUT_DIR --queries FILE [--docs 2000] [--seed 1]

Made-up words with a Zipf distribution, written the way these languages are: Chinese and
Japanese sentences without spaces (a word sits inside a longer run), Korean words with a
particle glued on, and English mixed with Chinese (`RCU 读取锁`). A quarter of the documents
each. Queries: single words (which occur inside longer runs), single characters, two words,
quoted phrases from the text, and mixed English and Chinese. The same seed gives the same
files. `cjk_recall.py` says how many of the documents holding a word a search finds.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

#: Frequent Han characters (enough for a realistic spread of bigrams).
HAN = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经"
    "十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形"
    "相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展"
    "五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战"
    "内存屏障断核读取锁调度进程线文件系统设备驱动网络缓页信号队列"
)
KATAKANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン"
JA_PARTICLES = "をがはにでとのへも"
HANGUL_FIRST = 0xAC00
KO_PARTICLES = ["를", "이", "는", "에", "의", "와", "가", "을", "은", "로"]
ENGLISH = [
    "RCU",
    "lock",
    "kernel",
    "memory",
    "barrier",
    "read",
    "update",
    "scheduler",
    "page",
    "cache",
    "driver",
    "device",
]
ZIPF = 1.1


class Vocabulary:
    """Made-up words of a language, drawn with a Zipf distribution."""

    def __init__(self, words: list[str], rng: random.Random) -> None:
        self.words = words
        self.rng = rng
        self.weights = [1 / (rank + 1) ** ZIPF for rank in range(len(words))]

    def draw(self, k: int) -> list[str]:
        return self.rng.choices(self.words, self.weights, k=k)


def vocabularies(rng: random.Random) -> dict[str, Vocabulary]:
    zh = sorted({"".join(rng.choices(HAN, k=rng.choice((2, 2, 2, 3, 4)))) for _ in range(3000)})
    ja = sorted({"".join(rng.choices(KATAKANA, k=rng.randint(3, 5))) for _ in range(1500)})
    ja += sorted({"".join(rng.choices(HAN, k=2)) for _ in range(1000)})
    ko = sorted(
        {"".join(chr(HANGUL_FIRST + rng.randrange(11172)) for _ in range(rng.randint(2, 3))) for _ in range(2500)}
    )
    for words in (zh, ja, ko):
        rng.shuffle(words)
    return {"zh": Vocabulary(zh, rng), "ja": Vocabulary(ja, rng), "ko": Vocabulary(ko, rng)}


def sentence(kind: str, vocab: dict[str, Vocabulary], rng: random.Random) -> str:
    if kind == "zh":
        clauses = ["".join(vocab["zh"].draw(rng.randint(3, 9))) for _ in range(rng.randint(1, 3))]
        return "，".join(clauses) + "。"
    if kind == "ja":
        return "".join(w + rng.choice(JA_PARTICLES) for w in vocab["ja"].draw(rng.randint(2, 6))) + "する。"
    if kind == "ko":
        return " ".join(w + rng.choice(KO_PARTICLES) for w in vocab["ko"].draw(rng.randint(3, 8))) + "."
    english = " ".join(rng.choices(ENGLISH, k=rng.randint(2, 5)))
    return f"{english} {''.join(vocab['zh'].draw(rng.randint(2, 6)))}。RCU 读取锁 "


def document(kind: str, n: int, vocab: dict[str, Vocabulary], rng: random.Random) -> str:
    title = "".join(vocab["zh" if kind == "mixed" else kind].draw(2))
    paragraphs = []
    for _ in range(max(1, int(rng.lognormvariate(1.6, 0.8)))):
        paragraphs.append("".join(sentence(kind, vocab, rng) for _ in range(rng.randint(1, 6))))
    return f"# {title} {n}\n\n" + "\n\n".join(paragraphs) + "\n"


def queries(vocab: dict[str, Vocabulary], texts: list[str], rng: random.Random, count: int) -> list[str]:
    found: list[str] = []
    while len(found) < count:
        kind = rng.choice(("zh", "ja", "ko"))
        shape = rng.random()
        if shape < 0.45:
            found.append(vocab[kind].draw(1)[0])
        elif shape < 0.55:
            found.append(rng.choice(HAN[:200]))
        elif shape < 0.75:
            found.append(" ".join(vocab[kind].draw(2)))
        elif shape < 0.9:
            text = rng.choice(texts)
            start = rng.randrange(max(1, len(text) - 8))
            piece = text[start : start + rng.randint(3, 6)].strip()
            if piece and not any(c in piece for c in '"#\n'):
                found.append(f'"{piece}"')
        else:
            found.append(f"RCU {vocab['zh'].draw(1)[0]}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--n", type=int, default=200, help="queries")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    rng = random.Random(args.seed)
    vocab = vocabularies(rng)
    texts = []
    kinds = ("zh", "ja", "ko", "mixed")
    for n in range(args.docs):
        kind = kinds[n % len(kinds)]
        text = document(kind, n, vocab, rng)
        path = args.out / kind / f"{n // 100:03}" / f"{kind}-{n:05}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        texts.append(text)
    args.queries.parent.mkdir(parents=True, exist_ok=True)
    args.queries.write_text("\n".join(queries(vocab, texts, rng, args.n)) + "\n", encoding="utf-8")
    size = sum(len(t.encode()) for t in texts)
    print(f"{args.docs} documents, {size / 1e6:.1f} MB, in {args.out}; {args.n} queries in {args.queries}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
