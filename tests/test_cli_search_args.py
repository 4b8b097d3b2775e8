"""How `folio search` reads its arguments (issue 14 item 24), through the installed command.

The query is every word that is not an option, joined with spaces, wherever it stands; a word
may start with `-`; after `--` every argument is a query word. Each form is checked against
the engine itself: the query that reaches it is exactly the joined words.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from folio_reader.index.corpus import open_corpus
from folio_reader.index.search import FolioIndex
from tests.hostile import FOLIO


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("search-args") / "index"


def folio_search(index_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(FOLIO), "search", "--index-dir", str(index_dir), *args], capture_output=True, text=True, timeout=120
    )


def engine(index_dir: Path, query: str, limit: int = 20) -> list[tuple[str, int]]:
    with FolioIndex(open_corpus(), index_dir) as ix:
        ix.update()
        return [(h.rel, h.matches) for h in ix.search(query, limit=limit).hits]


def hits(done: subprocess.CompletedProcess[str]) -> list[tuple[str, int]]:
    assert done.returncode in (0, 1) and "usage:" not in done.stderr, done.stderr
    return [(h["path"], h["matches"]) for h in json.loads(done.stdout)]


@pytest.mark.parametrize(
    ("argv", "query"),
    [
        (["carney", "tariff", "--json"], "carney tariff"),
        (["--json", "carney", "--limit", "3", "tariff"], "carney tariff"),
        (['"golden', 'dome"', "--json"], '"golden dome"'),
        (["-carney", "--json"], "-carney"),
        (["trump", "-carney", "--json"], "trump -carney"),
        (["--json", "--", "-carney"], "-carney"),
        (["--json", "--", "x-ray", "--no-binary"], "x-ray --no-binary"),
        (["-hamas", "--json"], "-hamas"),
    ],
)
def test_the_words_are_joined_into_the_query_the_engine_gets(index_dir: Path, argv: list[str], query: str) -> None:
    limit = 3 if "3" in argv else 20
    assert hits(folio_search(index_dir, *argv)) == engine(index_dir, query, limit)


def test_unquoted_words_are_what_one_quoted_argument_is(index_dir: Path) -> None:
    words = hits(folio_search(index_dir, "carney", "tariff", "--json"))
    assert words and words == hits(folio_search(index_dir, "carney tariff", "--json"))


def test_options_still_work_and_no_words_is_a_usage_error(index_dir: Path) -> None:
    helped = folio_search(index_dir, "-h")
    assert helped.returncode == 0 and "usage: folio search" in helped.stdout and "--" in helped.stdout
    missing = folio_search(index_dir, "--json")
    assert missing.returncode == 2 and "required: QUERY" in missing.stderr and "Traceback" not in missing.stderr
    after_end = folio_search(index_dir, "--", "--json")  # after --, an option's name is a query word
    assert after_end.returncode in (0, 1) and not after_end.stdout.lstrip().startswith("[")
