"""Peer engines measured on the same corpus and queries as Folio: SQLite FTS5, recoll, ripgrep.

Each measure_* function returns a dict with the keys of FIGURE_KEYS (None where the engine
has no such figure) plus "notes", or {"missing": reason} when the tool is not installed.
Corpora are never modified: index builds and update timings work on a copy under `work`.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from gen_queries import corpus_files, read_header

FIGURE_KEYS = ("index_s", "index_mb", "update_1_s", "open_s", "search_p50_ms", "search_p95_ms", "search_max_ms")
Figures = dict[str, object]
SNIPPET_TOKENS = 12
LIMIT = 20
T = TypeVar("T")


# ---------------------------------------------------------------- shared helpers


def empty_figures() -> Figures:
    return {key: None for key in FIGURE_KEYS} | {"notes": []}


def latency_figures(seconds: list[float]) -> Figures:
    """p50, p95 (nearest rank) and max of per-query latencies, in milliseconds."""
    if not seconds:
        return {"search_p50_ms": None, "search_p95_ms": None, "search_max_ms": None}
    ordered = sorted(seconds)

    def rank(q: float) -> float:
        return round(ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1000, 2)

    return {"search_p50_ms": rank(0.50), "search_p95_ms": rank(0.95), "search_max_ms": round(ordered[-1] * 1000, 2)}


def dir_size_mb(path: Path) -> float:
    files = [path] if path.is_file() else (p for p in path.rglob("*") if p.is_file())
    return round(sum(p.stat().st_size for p in files) / 1e6, 2)


def timed(action: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = action()
    return round(time.perf_counter() - started, 3), result


def copy_corpus(corpus: Path, dest: Path, *, documents_only: bool = False) -> Path:
    """A fresh copy of the corpus, so that update timings never touch the original. With
    `documents_only`, only the files Folio indexes (`corpus_files`): a peer that walks a
    folder itself (recoll, ripgrep) then reads exactly what Folio reads."""
    if dest.exists():
        shutil.rmtree(dest)
    if not documents_only:
        shutil.copytree(corpus, dest)
        return dest
    for path in corpus_files(corpus):
        target = dest / path.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return dest


def touch_files(root: Path, count: int, offset: int = 0) -> list[Path]:
    """Append a line to `count` documents spread over the corpus and move their mtime forward."""
    files = corpus_files(root)
    step = max(1, len(files) // max(1, count))
    chosen = [files[(offset + i * step) % len(files)] for i in range(min(count, len(files)))]
    for path in chosen:
        with path.open("a", encoding="utf-8") as handle:
            handle.write("\nAn appended line for the update benchmark.\n")
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    return chosen


def load_queries(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def run_queries(queries: Iterable[str | None], search: Callable[[str], bool]) -> tuple[list[float], int]:
    """Time search(query) for each query. A query is failed when its translation is None
    (not run, not timed) or when search returns False (the engine rejected it)."""
    latencies: list[float] = []
    failed = 0
    for query in queries:
        if query is None:
            failed += 1
            continue
        started = time.perf_counter()
        ok = search(query)
        latencies.append(time.perf_counter() - started)
        failed += not ok
    return latencies, failed


def run_timed(args: list[str]) -> float:
    seconds, proc = timed(lambda: subprocess.run(args, check=False, capture_output=True, text=True))
    if proc.returncode != 0:
        raise RuntimeError(f"{args[0]} failed ({proc.returncode}): {proc.stderr[-500:]}")
    return seconds


# ---------------------------------------------------------------- query syntax


@dataclass(frozen=True)
class Term:
    text: str
    kind: str  # word | phrase | prefix | fuzzy
    field: str | None = None


Token = Term | str  # str: "(", ")", "AND", "OR", "NOT"
TOKEN = re.compile(r'\s*(?:(?P<paren>[()])|(?:(?P<field>\w+):)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s()"]+)))')


def parse(query: str) -> list[Token]:
    """Tokens of a Folio/Whoosh query: terms, phrases, word*, word~[N], field:, AND/OR/NOT, ()."""
    tokens: list[Token] = []
    for match in TOKEN.finditer(query.strip()):
        paren, fld, phrase, word = match.group("paren", "field", "phrase", "word")
        if paren:
            tokens.append(paren)
        elif phrase is not None:
            tokens.append(Term(phrase, "phrase", fld))
        elif word in ("AND", "OR", "NOT") and not fld:
            tokens.append(word)
        elif word:
            tokens.append(parse_word(word, fld))
    return tokens


def parse_word(word: str, fld: str | None) -> Term:
    if word.endswith("*") and len(word) > 1:
        return Term(word.rstrip("*"), "prefix", fld)
    fuzzy = re.fullmatch(r"(.+?)~\d*", word)
    if fuzzy:
        return Term(fuzzy.group(1), "fuzzy", fld)
    return Term(word, "word", fld)


class Gaps(Counter[str]):
    """What a translation could not express faithfully, counted over the query file."""

    def summary(self, engine: str) -> str:
        if not self:
            return f"{engine}: every query translated as is"
        return f"{engine} translation gaps: " + ", ".join(f"{k} {v}" for k, v in sorted(self.items()))


def opens_operand(token: Token) -> bool:
    return isinstance(token, Term) or token == "("


def closes_operand(token: Token) -> bool:
    return isinstance(token, Term) or token == ")"


def unary_not(tokens: list[Token], i: int) -> bool:
    """NOT with no left operand: at the start, after '(' or after another operator."""
    return tokens[i] == "NOT" and (i == 0 or tokens[i - 1] in ("(", "AND", "OR", "NOT"))


# ---------------------------------------------------------------- SQLite FTS5

FTS_COLUMNS = ("title", "author", "body")
FTS_SCHEMA = """
CREATE TABLE files(id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, mtime_ns INTEGER, size INTEGER);
CREATE VIRTUAL TABLE docs USING fts5(title, author, body, tokenize='porter unicode61');
"""
FTS_SEARCH = f"""
SELECT files.path, snippet(docs, 2, '[', ']', '…', {SNIPPET_TOKENS})
FROM docs JOIN files ON files.id = docs.rowid
WHERE docs MATCH ? ORDER BY rank LIMIT {LIMIT}
"""


def fts5_term(term: Term, gaps: Gaps) -> str:
    text = '"' + term.text.replace('"', '""') + '"'
    if term.kind == "prefix":
        text += "*"
    elif term.kind == "fuzzy":
        gaps["fuzzy~ searched as plain term"] += 1
    if term.field in FTS_COLUMNS:
        return f"{term.field}:{text}"
    if term.field:
        gaps[f"unknown field {term.field}: searched everywhere"] += 1
    return text


def to_fts5(query: str, gaps: Gaps) -> str | None:
    """FTS5 MATCH expression for a Folio query; None when FTS5 cannot express it."""
    tokens = parse(query)
    if any(unary_not(tokens, i) for i in range(len(tokens))):
        gaps["NOT without left operand (skipped)"] += 1
        return None
    parts: list[str] = []
    for i, token in enumerate(tokens):
        if i and opens_operand(token) and closes_operand(tokens[i - 1]):
            parts.append("AND")  # FTS5 has no implicit AND next to a parenthesis
        parts.append(fts5_term(token, gaps) if isinstance(token, Term) else token)
    return " ".join(parts) or None


def fts5_sync(con: sqlite3.Connection, root: Path) -> tuple[int, int]:
    """Bring the index in line with the folder (by mtime and size); returns (changed, deleted)."""
    known = {
        path: (fid, mtime, size) for fid, path, mtime, size in con.execute("SELECT id, path, mtime_ns, size FROM files")
    }
    changed = 0
    with con:
        for path in corpus_files(root):
            rel = path.relative_to(root).as_posix()
            stat = path.stat()
            old = known.pop(rel, None)
            if old and old[1:] == (stat.st_mtime_ns, stat.st_size):
                continue
            if old:
                fts5_delete(con, old[0])
            fts5_insert(con, path, rel, stat)
            changed += 1
        for fid, _, _ in known.values():
            fts5_delete(con, fid)
    return changed, len(known)


def fts5_insert(con: sqlite3.Connection, path: Path, rel: str, stat: os.stat_result) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    title, authors = read_header(text)
    cur = con.execute("INSERT INTO files(path, mtime_ns, size) VALUES (?, ?, ?)", (rel, stat.st_mtime_ns, stat.st_size))
    con.execute(
        "INSERT INTO docs(rowid, title, author, body) VALUES (?, ?, ?, ?)",
        (cur.lastrowid, title, ", ".join(authors), text),
    )


def fts5_delete(con: sqlite3.Connection, fid: int) -> None:
    con.execute("DELETE FROM docs WHERE rowid = ?", (fid,))
    con.execute("DELETE FROM files WHERE id = ?", (fid,))


def fts5_search(con: sqlite3.Connection, match: str) -> bool:
    try:
        con.execute(FTS_SEARCH, (match,)).fetchall()
    except sqlite3.OperationalError:
        return False
    return True


def measure_sqlite_fts5(corpus: Path, queries: list[str], work: Path) -> Figures:
    if "ENABLE_FTS5" not in {row[0] for row in sqlite3.connect(":memory:").execute("PRAGMA compile_options")}:
        return {"missing": "this Python's sqlite3 is built without FTS5"}
    figures = empty_figures()
    copy = copy_corpus(corpus, work / "fts5-corpus", documents_only=True)
    db = work / "fts5.db"
    db.unlink(missing_ok=True)
    con = sqlite3.connect(db)
    con.executescript(FTS_SCHEMA)
    figures["index_s"], _ = timed(lambda: fts5_sync(con, copy))
    con.close()
    figures["index_mb"] = dir_size_mb(db)
    figures["open_s"], con = timed(lambda: open_fts5(db, copy))
    gaps = Gaps()
    matches = [to_fts5(q, gaps) for q in queries]
    latencies, failed = run_queries(matches, lambda m: fts5_search(con, m))
    figures |= latency_figures(latencies)
    touch_files(copy, 1)
    figures["update_1_s"], _ = timed(lambda: fts5_sync(con, copy))
    con.close()
    figures["notes"] = [
        gaps.summary("FTS5"),
        f"{failed} of {len(queries)} queries not run or rejected",
        "open_s = connect + mtime/size scan of the folder with nothing to update",
    ]
    return figures


def open_fts5(db: Path, root: Path) -> sqlite3.Connection:
    con = sqlite3.connect(db)
    fts5_sync(con, root)
    return con


# ---------------------------------------------------------------- recoll

#: `idxniceprio = 0`: recollindex otherwise lowers its own priority to nice 19, and on a shared
#: machine (load 10 on 2 cores) it then gets ~1% of a core while Folio's build runs at nice 0.
RECOLL_CONF = """topdirs = {topdir}
dbdir = xapiandb
indexstemminglanguages = english
noaspell = 1
loglevel = 1
idxniceprio = 0
"""
#: Every suffix Folio reads is plain text to recoll too (its default map lacks `.markdown`).
RECOLL_MIMEMAP = "".join(f"{suffix} = text/plain\n" for suffix in (".txt", ".md", ".markdown", ".rst"))
NO_HIT_QUERY = "zqxjvkzzq"


def recoll_term(term: Term, gaps: Gaps) -> str:
    if term.field:
        gaps[f"{term.field}: searched as plain term (no such field in plain text)"] += 1
    if term.kind == "fuzzy":
        gaps["fuzzy~ searched as plain term"] += 1
    if term.kind == "phrase":
        return f'"{term.text}"'
    return term.text + ("*" if term.kind == "prefix" else "")


def to_recoll(query: str, gaps: Gaps) -> str | None:
    """recoll query language: implicit AND, OR, -term for NOT, "phrase", prefix*, ()."""
    tokens = parse(query)
    parts: list[str] = []
    negate = False
    for i, token in enumerate(tokens):
        if token == "NOT":
            if i + 1 < len(tokens) and tokens[i + 1] == "(":
                gaps["NOT (group) (skipped)"] += 1
                return None
            negate = True
        elif token == "AND":
            continue
        elif isinstance(token, Term):
            parts.append(("-" if negate else "") + recoll_term(token, gaps))
            negate = False
        else:
            parts.append(token)
    if parts and parts[0].startswith("-"):
        gaps["NOT without left operand (skipped)"] += 1
        return None
    return " ".join(parts) or None


def recoll_search(confdir: Path, query: str) -> bool:
    proc = subprocess.run(
        ["recollq", "-c", str(confdir), "-n", str(LIMIT), "-A", "-p", "1", query],
        check=False,
        capture_output=True,
        text=True,
    )
    return proc.returncode == 0


def measure_recoll(corpus: Path, queries: list[str], work: Path) -> Figures:
    if not (shutil.which("recollindex") and shutil.which("recollq")):
        return {"missing": "recoll not installed (apt-get install -y recollcmd)"}
    figures = empty_figures()
    copy = copy_corpus(corpus, work / "recoll-corpus", documents_only=True)
    confdir = work / "recoll-conf"
    shutil.rmtree(confdir, ignore_errors=True)
    confdir.mkdir(parents=True)
    (confdir / "recoll.conf").write_text(RECOLL_CONF.format(topdir=copy), encoding="utf-8")
    (confdir / "mimemap").write_text(RECOLL_MIMEMAP, encoding="utf-8")
    index = ["recollindex", "-c", str(confdir)]
    figures["index_s"] = run_timed(index)
    figures["index_mb"] = dir_size_mb(confdir)
    figures["open_s"] = run_timed(index)
    gaps = Gaps()
    translated = [to_recoll(q, gaps) for q in queries]
    latencies, failed = run_queries(translated, lambda q: recoll_search(confdir, q))
    figures |= latency_figures(latencies)
    startup, _ = run_queries([NO_HIT_QUERY] * 10, lambda q: recoll_search(confdir, q))
    touch_files(copy, 1)
    figures["update_1_s"] = run_timed(index)
    figures["startup_ms"] = latency_figures(startup)["search_p50_ms"]
    figures["notes"] = [
        gaps.summary("recoll"),
        f"{failed} of {len(queries)} queries not run or rejected",
        f"each query is one recollq process (-n {LIMIT} -A -p 1: top {LIMIT} with one snippet each); "
        f"startup_ms = median of a no-hit query, i.e. process start + index open",
        "open_s = recollindex with nothing to do (its up-to-date check); aspell dictionary disabled",
    ]
    return figures


# ---------------------------------------------------------------- ripgrep


def rg_pattern(term: Term, gaps: Gaps) -> str:
    if term.field:
        gaps[f"{term.field}: searched as plain term"] += 1
    if term.kind == "fuzzy":
        gaps["fuzzy~ searched as plain term"] += 1
    words = [re.escape(w) for w in term.text.split()]
    return words[0] + r"\w*" if term.kind == "prefix" else r"\s+".join(words)


def to_rg(query: str, gaps: Gaps) -> str | None:
    """One regex matching any positive term of the query (AND/NOT cannot be applied per file).

    Words are delimited by rg -w rather than by \\b: with -i, Unicode \\b in an alternation
    sends rg 13 to its slow regex engine on non-ASCII text (seconds instead of tenths)."""
    tokens = parse(query)
    negated = {i + 1 for i, t in enumerate(tokens) if t == "NOT"}
    patterns = [rg_pattern(t, gaps) for i, t in enumerate(tokens) if isinstance(t, Term) and i not in negated]
    if sum(isinstance(t, Term) for t in tokens) > 1:
        gaps["AND/NOT relaxed to any-term match"] += 1
    return "|".join(dict.fromkeys(patterns)) or None


def rg_search(corpus: Path, pattern: str) -> bool:
    proc = subprocess.run(
        ["rg", "-i", "-w", "-l", "--no-ignore", "--no-messages", "-e", pattern, str(corpus)],
        check=False,
        capture_output=True,
    )
    return proc.returncode in (0, 1)


def measure_ripgrep(corpus: Path, queries: list[str], work: Path) -> Figures:
    if not shutil.which("rg"):
        return {"missing": "ripgrep not installed (apt-get install -y ripgrep)"}
    figures = empty_figures()
    gaps = Gaps()
    copy = copy_corpus(corpus, work / "rg-corpus", documents_only=True)
    patterns = [to_rg(q, gaps) for q in queries]
    latencies, failed = run_queries(patterns, lambda p: rg_search(copy, p))
    figures |= latency_figures(latencies)
    figures["notes"] = [
        gaps.summary("ripgrep"),
        f"{failed} of {len(queries)} queries not run or rejected",
        "rg -i -w -l over a copy holding only the files Folio indexes (page cache warm), one process per query; no index",
    ]
    return figures


PEERS: dict[str, Callable[[Path, list[str], Path], Figures]] = {
    "sqlite_fts5": measure_sqlite_fts5,
    "recoll": measure_recoll,
    "ripgrep": measure_ripgrep,
}
