#!/usr/bin/env python3
"""Generate a deterministic benchmark corpus of English text and Markdown documents.

    python tests/bench/gen_corpus.py OUT_DIR --docs N [--seed S] [--jobs J]

The same seed and document count give byte-identical files, whatever the number of jobs:
every document draws from its own random stream, seeded by (seed, document number).
Words follow a Zipf-like distribution over a fixed vocabulary of a few thousand words
(common English words embedded below plus regular derivations), with a few topic words
per document made more frequent, as in real text.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import math
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

# Function words, roughly in order of frequency.
FUNCTION_WORDS = """
the of and to a in is that it was for on are as with he they at be this from have or by
one had not but what all were when we there can an your which their said if do will each
about how up out them then she many some so these would other into has more her two like
him see could no than first been its who now my made over did down only way may after
where most just also through back much before should because between those under while
again few both own same such here off once any why very every must might never each
another since until upon within without among during although though however therefore
""".split()

CONTENT_WORDS = """
time people year day man government world life hand part child eye woman place work week
case point company number group problem fact country state family president city minister
party trade war power money business service market system program question night home
water room mother area story month lot right study book job word issue side kind head house
friend father hour game line end member law car name team minute idea body information
school face others level office door health person art history result change morning reason
research girl guy moment air teacher force education foot boy age policy music field report
court tax price bank deal talk agreement talks economy industry worker union strike crisis
leader election vote campaign border tariff steel energy oil gas climate budget debt profit
wage job rate growth security defence military army attack threat plan decision meeting
relation ally rival summit treaty nation region province capital parliament senate
congress opposition protest rights freedom democracy press media news reporter article
statement interview speech letter official spokesman agency council committee commission
board director manager chief officer executive worker employee farmer student professor
doctor nurse patient hospital disease virus vaccine medicine science technology computer
software network internet data database file folder document text page chapter section
library archive record index search query result reader writer author editor publisher
journal paper magazine newspaper headline column review essay poem novel story language
sentence paragraph grammar meaning culture society community village town street road
bridge river lake sea ocean mountain forest island coast weather rain snow storm wind
summer winter spring autumn season garden flower tree plant animal bird fish horse dog
cat food bread coffee tea wine dinner lunch breakfast kitchen table chair window wall
floor roof building tower church museum theatre cinema film picture camera photograph
colour light shadow sound voice song dance painting design model pattern shape size
weight distance speed engine machine tool device material metal glass stone wood paper
cloth fabric leather plastic chemical element process method approach theory evidence
analysis experiment test measure sample survey figure chart table graph detail factor
feature quality value cost benefit risk chance opportunity challenge solution answer
effort success failure progress development project task goal target strategy tactic
operation mission campaign movement action activity event incident accident disaster
emergency response support help care attention interest concern fear hope dream memory
thought feeling sense mind spirit soul heart blood bone skin brain arm leg finger
shoulder knee neck back stomach tooth hair smile tear laugh cry shout whisper silence
peace conflict struggle battle victory defeat enemy soldier weapon bomb missile ship
plane train bus truck bicycle station airport port harbour journey trip travel visit
guest host neighbour partner husband wife brother sister son daughter parent cousin
uncle aunt baby youth adult elder generation century decade future past present
history tradition custom belief religion faith truth lie secret mystery surprise shock
anger joy pleasure pain sorrow grief comfort trust doubt respect honour shame pride
courage strength weakness skill talent ability knowledge wisdom experience lesson
training practice exercise habit routine schedule calendar deadline delay moment
period stage phase step level degree amount quantity total average percent majority
minority crowd audience public population citizen resident migrant refugee visitor
stranger owner tenant landlord buyer seller customer client consumer supplier producer
factory plant mine farm field crop harvest land soil property estate rent loan credit
bill payment income salary pension insurance account fund investment investor stock
share bond currency dollar pound euro export import supply demand shortage surplus
inflation recession recovery boom bubble collapse reform regulation rule standard
contract clause license permit approval ban sanction penalty fine crime criminal police
judge jury trial lawyer witness victim suspect prison sentence justice appeal verdict
order command control authority influence pressure tension balance stability
independence sovereignty territory frontier coalition alliance bloc federation empire
republic kingdom monarchy dictatorship regime administration cabinet ministry
department bureau institute foundation organisation association society club
network platform channel broadcast signal message mail phone screen keyboard button
letter code program script version update release feature bug error warning notice
sign symbol flag map guide manual instruction recipe formula equation number digit
write read speak listen watch look hear feel think know believe understand remember
forget learn teach explain describe discuss argue debate claim suggest propose accept
reject refuse agree deny admit confirm announce declare report warn threaten promise
offer ask answer reply respond call invite welcome meet join leave arrive depart return
enter open close start begin finish end stop continue remain stay wait move walk run
jump climb fall rise drop lift carry bring take give send receive buy sell pay spend
save lose win earn owe borrow lend build create destroy repair break fix change turn
grow develop produce manage lead follow control govern rule elect appoint hire fire
employ train protect defend attack fight kill survive escape hide seek find discover
reveal expose cover include exclude contain hold keep store collect gather share divide
separate connect combine mix compare measure count calculate estimate predict expect
plan prepare organise arrange design invent improve increase reduce cut raise lower
extend expand limit restrict allow permit prevent avoid ignore notice observe examine
inspect check test prove support oppose resist challenge question doubt trust
good new great long little own old right big high different small large next early
young important few public bad same able late hard major better economic strong
possible whole free military true federal international full special easy clear recent
certain personal open red difficult available likely short single medical current wrong
private past foreign fine common poor natural significant similar hot dead central happy
serious ready simple left physical general environmental financial blue democratic dark
various entire close legal religious cold final main green nice huge popular traditional
cultural wide particular top far deep individual specific busy quiet heavy light bright
warm dry wet empty rich cheap expensive sudden quick slow ancient modern rural urban
global local national regional northern southern eastern western official formal
brief broad calm careful clean crude direct eager faint fair firm fresh gentle grand
grave harsh honest humble keen loud loyal mild narrow neat pale plain proud pure rare
rough rude sharp shy silent smooth soft solid sour steady steep stiff strange strict
sweet tall tender thick thin tight tiny tough vast vivid weak wild wise
""".split()

# Rare words: names, places, loanwords, some with diacritics, as real corpora have.
RARE_WORDS = """
zürich montréal são paulo münchen kraków málaga reykjavík göteborg québec café naïve
résumé façade fiancée déjà vu coöperate rôle führer über jalapeño piñata smörgåsbord
bratwurst fjord tsunami typhoon monsoon savanna tundra steppe archipelago peninsula
isthmus estuary delta glacier aqueduct viaduct colonnade cathedral basilica pagoda
minaret ziggurat obelisk amphitheatre mausoleum catacomb citadel bastion rampart parapet
quorum plenum caucus filibuster gerrymander plebiscite referendum junta oligarchy
plutocracy kleptocracy technocracy autarky mercantilism protectionism isolationism
""".split()

FIRST_NAMES = """
jane john mary robert patricia michael linda william elizabeth david barbara richard susan
joseph jessica thomas sarah charles karen christopher nancy daniel lisa matthew betty
anthony margaret mark sandra donald ashley steven kimberly paul emily andrew donna joshua
michelle kenneth carol kevin amanda brian melissa george deborah timothy stephanie ronald
rebecca edward sharon jason laura jeffrey cynthia ryan kathleen jacob amy gary angela
nicholas shirley eric anna jonathan brenda stephen pamela larry emma justin nicole scott
helen brandon samantha benjamin katherine samuel christine gregory debra alexander rachel
frank carolyn patrick janet raymond catherine jack maria dennis heather jerry diane
roger olivia chloé renée françois josé zoë
""".split()

LAST_NAMES = """
smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez
gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white
harris sanchez clark ramirez lewis robinson walker young allen king wright scott torres
nguyen hill flores green adams nelson baker hall rivera campbell mitchell carter roberts
gomez phillips evans turner diaz parker cruz edwards collins reyes stewart morris morales
murphy cook rogers gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos
kim cox ward richardson watson brooks chavez wood james bennett gray mendoza ruiz hughes
price alvarez castillo sanders patel myers long ross foster jimenez jordan carney
müller dubois lefèvre østergaard
""".split()

PLACES = """
Ottawa Washington London Paris Berlin Tokyo Beijing Delhi Mexico Brasília Canberra Rome
Madrid Lisbon Dublin Oslo Stockholm Helsinki Warsaw Prague Vienna Budapest Athens Ankara
Cairo Nairobi Lagos Johannesburg Toronto Vancouver Chicago Boston Seattle Denver Houston
Zürich Montréal Kraków Québec Reykjavík
""".split()

SUFFIXES = ("s", "ed", "ing", "er", "ly", "ness", "ment", "able", "ation", "ist", "ful", "less")
PREFIXES = ("un", "re", "over", "pre", "non", "counter", "sub", "inter")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FORBIDDEN_DIR_NAMES = {"tmp", "cache", "core", "con", "nul", "aux"}
LONG_TAIL_SHARE = 0.01
QUOTE_CHARS = '"“”'
MD_SHARE = 0.6


def derive(base: str, suffix: str) -> str:
    """Attach a suffix with the usual English spelling adjustments."""
    if suffix == "s":
        if base.endswith(("s", "x", "z", "ch", "sh")):
            return base + "es"
        if base.endswith("y") and base[-2:-1] not in "aeiou":
            return base[:-1] + "ies"
        return base + "s"
    if base.endswith("e") and suffix[0] in "aeiou":
        base = base[:-1]
    elif base.endswith("y") and base[-2:-1] not in "aeiou" and suffix not in ("ing", "ist"):
        base = base[:-1] + "i"
    return base + suffix


def build_vocabulary() -> list[str]:
    """Fixed vocabulary in rank order: function words, base words, derivations, rare words."""
    rng = random.Random("folio-vocabulary-v1")
    bases = list(dict.fromkeys(CONTENT_WORDS))
    derived: list[str] = []
    for base in bases:
        derived.append(derive(base, "s"))
        derived.extend(derive(base, s) for s in rng.sample(SUFFIXES[1:], 3))
        if rng.random() < 0.25:
            derived.append(rng.choice(PREFIXES) + base)
    return list(dict.fromkeys(FUNCTION_WORDS + bases + derived + RARE_WORDS))


VOCABULARY = build_vocabulary()
# Zipf-Mandelbrot weights: frequency of rank r proportional to 1 / (r + 2.7).
CUM_WEIGHTS = list(itertools.accumulate(1.0 / (rank + 2.7) for rank in range(1, len(VOCABULARY) + 1)))
FUNCTION_SET = set(FUNCTION_WORDS)
CONTENT_START = len(dict.fromkeys(FUNCTION_WORDS))


@dataclass(frozen=True)
class Layout:
    """Where documents go and who writes them: shared by all documents of one corpus."""

    folders: tuple[str, ...]
    authors: tuple[str, ...]
    author_weights: tuple[float, ...]


def slug(words: list[str]) -> str:
    return "-".join(w.lower().strip(".,;:!?'\"") for w in words if w.isalpha())[:48] or "doc"


def make_layout(seed: int, docs: int) -> Layout:
    rng = random.Random(f"folio-layout:{seed}")
    names = [w for w in CONTENT_WORDS if w.isascii() and w not in FORBIDDEN_DIR_NAMES]
    folders: set[str] = {""}
    target = max(1, round(math.sqrt(docs) / 2))
    while len(folders) < target + 1:
        depth = rng.choice((1, 1, 2, 2, 3))
        parts = [rng.choice(names) for _ in range(depth)]
        if rng.random() < 0.3:
            parts[0] = f"{parts[0]}-{rng.randint(2015, 2025)}"
        folders.add("/".join(parts))
    authors = sorted({f"{rng.choice(FIRST_NAMES).capitalize()} {rng.choice(LAST_NAMES).capitalize()}"
                      for _ in range(150)})
    rng.shuffle(authors)
    weights = tuple(itertools.accumulate(1.0 / (r + 1) for r in range(len(authors))))
    return Layout(tuple(sorted(folders)), tuple(authors), weights)


class DocWriter:
    """Builds the text of one document from its own random stream."""

    def __init__(self, rng: random.Random, layout: Layout) -> None:
        self.rng = rng
        self.layout = layout
        self.topic = rng.sample(VOCABULARY[CONTENT_START:], 12)
        self.pool: list[str] = []
        self.next = 0

    def words(self, k: int) -> list[str]:
        if self.next + k > len(self.pool):
            self.pool = self.rng.choices(VOCABULARY, cum_weights=CUM_WEIGHTS, k=max(k, 4096))
            self.next = 0
        taken = self.pool[self.next:self.next + k]
        self.next += k
        for i in range(k):
            if self.rng.random() < 0.06:
                taken[i] = self.rng.choice(self.topic)
        return taken

    def author(self) -> str:
        return self.rng.choices(self.layout.authors, cum_weights=self.layout.author_weights)[0]

    def sentence(self) -> str:
        rng = self.rng
        words = self.words(max(3, int(rng.gauss(16, 7))))
        if rng.random() < 0.15:
            words[rng.randrange(len(words))] = rng.choice(PLACES)
        if rng.random() < 0.08:
            words[rng.randrange(len(words))] = self.author().split()[-1]
        if len(words) > 9 and rng.random() < 0.5:
            i = rng.randrange(3, len(words) - 3)
            words[i] += "," if rng.random() < 0.85 else " —"
        words[0] = words[0].capitalize()
        return " ".join(words) + rng.choice("........?!")

    def quote(self) -> str:
        rng = self.rng
        body = self.sentence()[:-1]
        who = self.author() if rng.random() < 0.7 else "a spokesman"
        if rng.random() < 0.5:
            return f"“{body},” said {who}."
        return f'"{body}," {who} said.'

    def paragraph(self, markdown: bool) -> str:
        rng = self.rng
        parts = [self.quote() if rng.random() < 0.07 else self.sentence()
                 for _ in range(rng.randint(2, 7))]
        text = " ".join(parts)
        if markdown and rng.random() < 0.25:
            text = self.emphasise(text)
        return text

    def emphasise(self, text: str) -> str:
        words = text.split(" ")
        i = self.rng.randrange(len(words))
        j = min(len(words), i + self.rng.randint(1, 3))
        if any(q in w for w in words[i:j] for q in QUOTE_CHARS):
            return text
        span = " ".join(words[i:j]).rstrip(".,;:!?—")
        trail = " ".join(words[i:j])[len(span):]
        mark = "**" if self.rng.random() < 0.5 else "_"
        words[i:j] = [f"{mark}{span}{mark}{trail}"]
        return " ".join(words)

    def bullet_list(self) -> str:
        ordered = self.rng.random() < 0.3
        items = []
        for n in range(1, self.rng.randint(3, 6) + 1):
            item = " ".join(self.words(self.rng.randint(2, 9)))
            items.append(f"{n}. {item.capitalize()}" if ordered else f"- {item.capitalize()}")
        return "\n".join(items)

    def title(self) -> str:
        rng = self.rng
        words = [w if w in FUNCTION_SET else w.capitalize() for w in self.words(rng.randint(4, 11))]
        if rng.random() < 0.3:
            words[rng.randrange(len(words))] = rng.choice(PLACES)
        words[0] = words[0].capitalize()
        return " ".join(words)

    def subheading(self) -> str:
        return " ".join(self.words(self.rng.randint(2, 6))).capitalize()

    def date_line(self) -> str:
        rng = self.rng
        day = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(7 * 365))
        style = rng.randrange(4)
        if style == 0:
            return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
        if style == 1:
            return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
        if style == 2:
            return day.isoformat()
        return f"{WEEKDAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"

    def byline(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.6:
            return f"By {self.author()}"
        if roll < 0.75:
            return self.author()
        if roll < 0.85:
            return f"By {self.author()} and {self.author()}"
        return rng.choice(("Our reporter", "Staff writer", "Our correspondent"))

    def header(self, title: str, markdown: bool) -> list[str]:
        rng = self.rng
        if markdown:
            lines = [f"# {title}"] if rng.random() < 0.95 else []
        else:
            roll = rng.random()
            lines = [f"# {title}"] if roll < 0.5 else [title] if roll < 0.85 else []
        meta = []
        if rng.random() < 0.7:
            meta.append(self.byline())
        if rng.random() < 0.75:
            meta.append(self.date_line())
        if rng.random() < 0.3:
            meta.reverse()
        return lines + ([""] if lines and meta else []) + meta

    def body(self, target_words: int, markdown: bool) -> list[str]:
        rng = self.rng
        blocks: list[str] = []
        written = 0
        sections = markdown and rng.random() < 0.5
        while written < target_words:
            if sections and blocks and rng.random() < 0.2:
                blocks.append(f"## {self.subheading()}")
            if markdown and rng.random() < 0.08:
                block = self.bullet_list()
            elif markdown and rng.random() < 0.03:
                block = "> " + self.quote()
            else:
                block = self.paragraph(markdown)
            blocks.append(block)
            written += block.count(" ") + 1
        return blocks

    def document(self, title: str, markdown: bool) -> str:
        head = self.header(title, markdown)
        blocks = self.body(target_length(self.rng), markdown)
        return "\n\n".join(["\n".join(head)] + blocks if head else blocks) + "\n"


def target_length(rng: random.Random) -> int:
    """Words in a document: log-normal around 700, with a long tail of huge documents."""
    if rng.random() < LONG_TAIL_SHARE:
        return rng.randint(10_000, 40_000)
    return min(9_000, max(60, int(rng.lognormvariate(math.log(700), 0.75))))


def write_document(out: Path, layout: Layout, seed: int, number: int) -> int:
    rng = random.Random(f"folio-doc:{seed}:{number}")
    writer = DocWriter(rng, layout)
    markdown = rng.random() < MD_SHARE
    title = writer.title()
    folder = layout.folders[0] if rng.random() < 0.2 else rng.choice(layout.folders)
    name = f"{number:06d}-{slug(title.split()[:4])}.{'md' if markdown else 'txt'}"
    data = writer.document(title, markdown).encode("utf-8")
    (out / folder / name).write_bytes(data)
    return len(data)


def write_chunk(out: Path, layout: Layout, seed: int, numbers: range) -> int:
    return sum(write_document(out, layout, seed, n) for n in numbers)


def generate(out: Path, docs: int, seed: int, jobs: int) -> tuple[int, int]:
    layout = make_layout(seed, docs)
    for folder in layout.folders:
        (out / folder).mkdir(parents=True, exist_ok=True)
    step = 200
    chunks = [range(start, min(docs, start + step)) for start in range(0, docs, step)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        sizes = pool.map(write_chunk, itertools.repeat(out), itertools.repeat(layout),
                         itertools.repeat(seed), chunks)
        total = sum(sizes)
    return docs, total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--docs", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    if args.out_dir.exists() and any(args.out_dir.iterdir()):
        parser.error(f"{args.out_dir} is not empty")
    started = time.perf_counter()
    files, total = generate(args.out_dir, args.docs, args.seed, args.jobs)
    elapsed = time.perf_counter() - started
    print(f"{files} files, {total} bytes ({total / 1e6:.1f} MB) in {args.out_dir} "
          f"[{len(VOCABULARY)} words in vocabulary, {elapsed:.1f} s]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
