"""Search that means what you typed (issue 14, items 18-21): field queries say what matched,
`-word` excludes, identifiers are found whole or by their parts, file and folder names are a
searchable, boosted field. Each on a real index of files written here."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from folio_reader.index.corpus import open_corpus
from folio_reader.index.search import FolioIndex


def build(tmp_path: Path, files: dict[str, str]) -> FolioIndex:
    root = tmp_path / "corpus"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    index = FolioIndex(open_corpus(root), tmp_path / "ix")
    index.update()
    return index


def found(index: FolioIndex, query: str) -> list[str]:
    result = index.search(query, limit=50)
    assert result.error is None, result.error
    return [h.rel for h in result.hits]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory):
    index = FolioIndex(open_corpus(), tmp_path_factory.mktemp("ix"))
    index.update()
    yield index
    index.close()


# -- 18: field queries say what matched ------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"), [("title:lauds", "title"), ("outlet:cbc", "outlet"), ("author:jordan", "author")]
)
def test_a_field_query_counts_the_fields_matches(seeds: FolioIndex, query: str, field: str) -> None:
    """Before: every hit said "0 matches"."""
    result = seeds.search(query)
    assert result.hits
    for hit in result.hits:
        assert hit.field_matches.get(field, 0) >= 1, hit.field_matches
        assert hit.describe_matches().startswith("in ") and "0 matches" not in hit.describe_matches()
        assert hit.to_json()["field_matches"] == hit.field_matches


def test_a_word_in_title_and_text_says_both(seeds: FolioIndex) -> None:
    [hit] = [h for h in seeds.search("lauds").hits if h.rel.startswith("000")]
    assert hit.matches == len(hit.spans) and hit.field_matches == {"title": 1}
    assert hit.describe_matches() == f"{hit.matches} match{'es' if hit.matches != 1 else ''}, in title"


# -- 19: exclusion --------------------------------------------------------------------------------


def test_a_leading_minus_excludes(seeds: FolioIndex) -> None:
    """Before: `-carney` searched for carney; `tariff -fentanyl` found all five."""
    everything = set(found(seeds, "tariff"))
    with_fentanyl = set(found(seeds, "fentanyl"))
    assert set(found(seeds, "tariff -fentanyl")) == everything - with_fentanyl
    assert set(found(seeds, "-fentanyl tariff")) == everything - with_fentanyl
    assert set(found(seeds, 'tariff -"golden dome"')) == everything - set(found(seeds, '"golden dome"'))
    assert set(found(seeds, "tariff (trump -fentanyl)")) == set(found(seeds, "trump")) - with_fentanyl
    assert set(found(seeds, "-fentanyl")) == set(found(seeds, "tariff")) - with_fentanyl  # all without it


def test_a_minus_inside_a_word_or_doubled_is_part_of_it(tmp_path: Path) -> None:
    index = build(
        tmp_path,
        {
            "a.md": "An x-ray of the pipe. Use pip install --no-binary here.\n",
            "b.md": "A ray of light, and binary files.\n",
        },
    )
    assert found(index, "x-ray") == ["a.md"]  # before: "ray", so b.md too
    assert found(index, "--no-binary") == ["a.md"]
    assert found(index, "binary -x-ray") == ["b.md"]
    [hit] = index.search("x-ray").hits
    text = (tmp_path / "corpus" / "a.md").read_text()
    assert [text[s:e] for s, e in hit.spans] == ["x-ray"]


def test_a_single_letter_says_what_is_wrong(seeds: FolioIndex) -> None:
    error = seeds.search("x").error or ""
    assert "one letter" in error and "common words" not in error  # before: "only common words such as 'the'"
    assert "common words" in (seeds.search("the").error or "")


# -- 20: identifiers ------------------------------------------------------------------------------


CODE = {
    "kvm.md": "The ioctl KVM_CREATE_VM makes a new virtual machine.\n",
    "noise.md": "KVM is a hypervisor. To create a guest, the VM needs memory. " * 20 + "\n",
    "phrase.md": "Say kvm create vm in three words.\n",
    "py.md": "Paths are built with os.path.join in Python.\n",
    "joiner.md": "A join of two tables.\n",
    "cpp.md": "In C++, std::move casts to an rvalue; see https://en.cppreference.com/w/cpp/utility/move for more.\n",
    "dash.md": "The memory-barriers document, and US-Canada relations.\n",
}


def test_an_identifier_is_found_whole_and_not_by_its_words_anywhere(tmp_path: Path) -> None:
    """Before: KVM_CREATE_VM was kvm AND create AND vm anywhere, and ranked noise.md first."""
    index = build(tmp_path, CODE)
    # the whole token, or the phrase of its parts; never the words apart; the whole first
    assert found(index, "KVM_CREATE_VM") == ["kvm.md", "phrase.md"]
    assert found(index, "kvm_create_vm") == ["kvm.md", "phrase.md"]
    hit = index.search("KVM_CREATE_VM").hits[0]
    text = (tmp_path / "corpus" / "kvm.md").read_text()
    assert [text[s:e] for s, e in hit.spans] == ["KVM_CREATE_VM"]
    assert "kvm.md" in found(index, "create")  # its parts are words too


def test_a_part_finds_the_identifier_and_the_identifier_its_phrase(tmp_path: Path) -> None:
    """Before: os.path.join was one token, so `join` missed it."""
    index = build(tmp_path, CODE)
    assert set(found(index, "join")) == {"py.md", "joiner.md"}
    assert found(index, "os.path.join") == ["py.md"]
    assert found(index, '"os path join"') == ["py.md"]  # the phrase of its parts
    assert found(index, "memory-barriers") == ["dash.md"]
    assert found(index, '"us canada"') == ["dash.md"]


@pytest.mark.parametrize("query", ["std::move", "https://en.cppreference.com/w/cpp/utility/move"])
def test_scoped_names_and_urls_are_no_field(tmp_path: Path, query: str) -> None:
    """Before: "unknown field std:" (and "https:")."""
    index = build(tmp_path, CODE)
    result = index.search(query)
    assert result.error is None and [h.rel for h in result.hits] == ["cpp.md"]
    text = (tmp_path / "corpus" / "cpp.md").read_text()
    assert [text[s:e] for s, e in result.hits[0].spans] == [query]
    assert "unknown field nosuch:" in (index.search("nosuch:move").error or "")


# -- 21: file and folder names --------------------------------------------------------------------


def barrier_corpus(tmp_path: Path) -> FolioIndex:
    rnd = random.Random(3)
    filler = [
        "the",
        "kernel",
        "scheduler",
        "runs",
        "tasks",
        "on",
        "every",
        "cpu",
        "while",
        "locks",
        "protect",
        "shared",
        "data",
        "from",
        "races",
    ]

    def para(n: int, extra: str) -> str:
        return " ".join(rnd.choice(filler) for _ in range(n)) + " " + extra

    files = {
        f"Documentation/topic-{i:02}.txt": f"Topic {i}\n\n"
        + "\n\n".join(para(40, "a memory barrier.") for _ in range(3))
        for i in range(30)
    }
    # long, so its many matches weigh little per word; its title does not say it
    files["Documentation/memory-barriers.txt"] = "Linux kernel ordering guarantees\n\n" + "\n\n".join(
        para(300, "memory barrier") for _ in range(200)
    )
    files["notes/zeppelins/readme.md"] = "# Readme\n\nNothing about ordering.\n"
    return build(tmp_path, files)


def test_file_names_are_searched_and_boosted(tmp_path: Path) -> None:
    """Before: memory-barriers.txt, with 400 matches, was not in the top 4 for `memory barrier`."""
    index = barrier_corpus(tmp_path)
    assert found(index, "memory barrier")[0] == "Documentation/memory-barriers.txt"
    assert found(index, "barriers")[0] == "Documentation/memory-barriers.txt"
    hit = index.search("memory barrier").hits[0]
    assert hit.field_matches.get("path") == 2


def test_path_field_queries(tmp_path: Path) -> None:
    index = barrier_corpus(tmp_path)
    assert found(index, "path:memory-barriers.txt") == ["Documentation/memory-barriers.txt"]
    assert found(index, "path:zeppelins") == ["notes/zeppelins/readme.md"]  # a folder name
    assert found(index, "path:notes/zeppelins/readme.md") == ["notes/zeppelins/readme.md"]
    assert len(found(index, "path:documentation")) == 31
    assert found(index, "zeppelin") == ["notes/zeppelins/readme.md"]  # a word finds folder names too
    [hit] = index.search("path:zeppelins").hits
    assert hit.spans == [] and hit.describe_matches() == "in path"
