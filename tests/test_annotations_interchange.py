"""Annotations that travel (issue 19): Folio's W3C JSON checked against the MUST rules of the W3C
Web Annotation Data Model (sections 3-5), on real output of the installed `folio`; and
`folio annotations import` of Folio's own exports and of other tools'.

The W3C conformance suite (the JSON Schemas of w3c/web-annotation-tests) is not a package that can
be installed here; `must_problems` below writes its MUST assertions out as checks.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from folio_reader.index.annotations import W3C_CONTEXT, Annotation, AnnotationStore, decode
from folio_reader.index.corpus import open_corpus

FOLIO = Path(sys.executable).with_name("folio")

# -- the W3C model's MUST rules --------------------------------------------------------------------

IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
DATETIME_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
MOTIVATIONS = {
    "assessing",
    "bookmarking",
    "classifying",
    "commenting",
    "describing",
    "editing",
    "highlighting",
    "identifying",
    "linking",
    "moderating",
    "questioning",
    "replying",
    "tagging",
}


def _values(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _has_type(obj: Any, name: str) -> bool:
    return isinstance(obj, dict) and name in _values(obj.get("type"))


def _context_problems(obj: dict[str, Any]) -> list[str]:
    """3.1: 1 or more @context values, the W3C one among them (a single value as a string); Folio
    asks besides that it comes first and that every prefix used in a key is defined."""
    ctx = obj.get("@context")
    if ctx is None:
        return ["no @context"]
    if isinstance(ctx, list):
        problems = [] if len(ctx) > 1 else ["a single @context value not given as a string"]
        if not ctx or ctx[0] != W3C_CONTEXT:
            problems.append("the W3C context is not the first @context value")
        return problems
    return [] if ctx == W3C_CONTEXT else [f"@context is {ctx!r}"]


def _prefixes(obj: dict[str, Any]) -> set[str]:
    return {k for c in _values(obj.get("@context")) if isinstance(c, dict) for k in c}


def _undefined_prefixes(value: Any, defined: set[str]) -> list[str]:
    """Compact IRIs in keys whose prefix no @context defines (a JSON-LD processor would take the
    prefix for a URI scheme)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, child in value.items():
            prefix, colon, _ = key.partition(":")
            if colon and not key.startswith("@") and prefix not in defined:
                found.append(key)
            found += _undefined_prefixes(child, defined)
    elif isinstance(value, list):
        for child in value:
            found += _undefined_prefixes(child, defined)
    return found


def _selector_problems(selector: Any) -> list[str]:
    if isinstance(selector, str):
        return [] if IRI.match(selector) else [f"selector {selector!r} is not an IRI"]
    if not isinstance(selector, dict) or "type" not in selector:
        return [f"selector without a type: {selector!r}"]
    kind = selector["type"]
    if kind == "TextQuoteSelector":
        problems = [] if isinstance(selector.get("exact"), str) else ["TextQuoteSelector without exactly 1 exact"]
        problems += [
            f"TextQuoteSelector {k} not a string"
            for k in ("prefix", "suffix")
            if not isinstance(selector.get(k, ""), str)
        ]
        return problems
    if kind == "TextPositionSelector":
        start, end = selector.get("start"), selector.get("end")
        if not all(type(v) is int and v >= 0 for v in (start, end)):
            return ["TextPositionSelector start and end are not non-negative integers"]
        return [] if start <= end else ["TextPositionSelector ends before it starts"]
    return []


def _target_problems(target: Any) -> list[str]:
    if isinstance(target, str):
        return [] if IRI.match(target) else [f"target {target!r} is not an IRI"]
    if not isinstance(target, dict):
        return ["target is neither an IRI nor an object"]
    if "source" in target or "selector" in target:  # a Specific Resource
        source = target.get("source")
        if not isinstance(source, str | dict) or not source:
            return ["a Specific Resource without exactly 1 source"]
        return [p for s in _values(target.get("selector", [])) for p in _selector_problems(s)]
    return [] if isinstance(target.get("id"), str) else ["target without an id or a source"]


def _body_problems(body: Any) -> list[str]:
    if isinstance(body, str):
        return [] if IRI.match(body) else [f"body {body!r} is not an IRI"]
    if not isinstance(body, dict):
        return ["body is neither an IRI nor an object"]
    problems = []
    if _has_type(body, "TextualBody") and not isinstance(body.get("value"), str):
        problems.append("a TextualBody without exactly 1 value")
    if "purpose" in body and not set(_values(body["purpose"])) <= MOTIVATIONS:
        problems.append(f"body purpose {body['purpose']!r} is not a W3C motivation")
    if not _has_type(body, "TextualBody") and "id" not in body and "value" not in body:
        problems.append("a body that is neither textual nor has an id")
    return problems


def must_problems(obj: Any, *, embedded: bool = False) -> list[str]:
    """How an Annotation breaks the MUST rules of the model (sections 3.1-3.3 and 4)."""
    if not isinstance(obj, dict):
        return ["not a JSON object"]
    problems = [] if embedded else _context_problems(obj)
    if not (isinstance(obj.get("id"), str) and IRI.match(obj["id"])):
        problems.append(f"id {obj.get('id')!r} is not exactly 1 IRI")
    if not _has_type(obj, "Annotation"):
        problems.append("type does not hold Annotation")
    if "target" not in obj or not _values(obj["target"]):
        problems.append("no target")
    problems += [p for t in _values(obj.get("target", [])) for p in _target_problems(t)]
    if "body" in obj and "bodyValue" in obj:
        problems.append("both body and bodyValue")
    if "bodyValue" in obj and not isinstance(obj["bodyValue"], str):
        problems.append("bodyValue is not a single string")
    problems += [p for b in _values(obj.get("body", [])) for p in _body_problems(b)]
    if "motivation" in obj and not set(_values(obj["motivation"])) <= MOTIVATIONS:
        problems.append(f"motivation {obj['motivation']!r} is not a W3C motivation")
    for key in ("created", "modified", "generated"):
        if key in obj and not (isinstance(obj[key], str) and DATETIME_UTC.match(obj[key])):
            problems.append(f"{key} {obj[key]!r} is not an xsd:dateTime in UTC with Z")
    return problems


def collection_problems(obj: Any) -> list[str]:
    """How an AnnotationCollection and its embedded pages break the MUST rules (sections 5.1, 5.2)."""
    if not isinstance(obj, dict):
        return ["not a JSON object"]
    problems = _context_problems(obj)
    if not (isinstance(obj.get("id"), str) and IRI.match(obj["id"])):
        problems.append(f"collection id {obj.get('id')!r} is not exactly 1 IRI")
    if not _has_type(obj, "AnnotationCollection"):
        problems.append("type does not hold AnnotationCollection")
    if "label" in obj and not all(isinstance(v, str) for v in _values(obj["label"])):
        problems.append("label is not a string")
    total = obj.get("total")
    if "total" in obj and not (type(total) is int and total >= 0):
        problems.append("total is not a non-negative integer")
    if (total or 0) > 0 and "first" not in obj:
        problems.append("annotations but no first page")
    if "last" in obj and not (isinstance(obj["last"], str) and IRI.match(obj["last"])):
        problems.append("last is not an IRI")
    page, index, seen = obj.get("first"), 0, 0
    while isinstance(page, dict):
        problems += [f"page {index}: {p}" for p in page_problems(page, obj.get("id"))]
        seen += len(page.get("items", []))
        page, index = page.get("next"), index + 1
    if total is not None and seen != total:
        problems.append(f"total {total}, but {seen} items")
    problems += [f"undefined prefix in key {k!r}" for k in _undefined_prefixes(obj, _prefixes(obj))]
    return problems


def page_problems(page: dict[str, Any], collection_id: Any) -> list[str]:
    problems = [] if _has_type(page, "AnnotationPage") else ["type does not hold AnnotationPage"]
    if not (isinstance(page.get("id"), str) and IRI.match(page["id"])):
        problems.append("page id is not an IRI")
    items = page.get("items")
    if not isinstance(items, list) or not items:
        problems.append("items is not 1 or more annotations")
    for n, item in enumerate(items or []):
        problems += [f"item {n}: {p}" for p in ([] if isinstance(item, str) else must_problems(item, embedded=True))]
    if "partOf" in page and page["partOf"] != collection_id:
        problems.append("partOf is not the collection's id")
    if "startIndex" in page and not (type(page["startIndex"]) is int and page["startIndex"] >= 0):
        problems.append("startIndex is not a non-negative integer")
    if "next" in page and not isinstance(page["next"], str | dict):
        problems.append("next is not an IRI")
    return problems


def test_the_checks_catch_what_the_issue_found() -> None:
    """The checks can fail: the export as it was (no collection id, an undefined `folio:` prefix)."""
    before = {
        "@context": W3C_CONTEXT,
        "type": "AnnotationCollection",
        "label": "Folio annotations: /home/me/corpus",
        "total": 1,
        "first": {
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": [{"type": "Annotation", "id": "urn:uuid:1", "folio:color": "pink", "target": "x y"}],
        },
    }
    problems = collection_problems(before)
    assert any("collection id" in p for p in problems) and any("folio:color" in p for p in problems)
    assert any("page id" in p for p in problems) and any("not an IRI" in p for p in problems)
    problems = must_problems({"id": "x y", "type": "Note", "body": "urn:a", "bodyValue": "b", "target": "urn:t"})
    assert {"no @context", "type does not hold Annotation", "both body and bodyValue"} <= set(problems)
    assert any(p.startswith("id ") for p in problems)


# -- fixtures --------------------------------------------------------------------------------------


def folio(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(FOLIO), "annotations", *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def annotated(seed_copy: Path) -> tuple[Path, list[Annotation]]:
    """A copy of the seeds with annotations of every kind, in its default annotations file."""
    corpus = open_corpus(seed_copy)
    store = AnnotationStore.for_corpus(corpus)
    docs = [corpus.load(e) for e in corpus.scan().entries[:3]]
    made = []
    for i, doc in enumerate(docs):
        p = doc.paragraphs[3 + i]
        made.append(store.add(Annotation.new(doc, p[0], p[0] + 70, note=f"Note *{i}*", tags=["trade", f"t{i}"])))
        q = doc.paragraphs[6 + i]
        made.append(store.add(Annotation.new(doc, q[0], q[0] + 40, color=("green", "blue", "pink")[i])))
    gone = store.add(Annotation.new(docs[0], 10, 40, note="deleted"))
    store.delete(gone.id)
    return seed_copy, made


def export(corpus: Path) -> dict[str, Any]:
    done = folio("export", "--format", "w3c", "--corpus", str(corpus))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# -- conformance of what Folio writes --------------------------------------------------------------


def test_list_json_annotations_pass_the_must_rules(annotated) -> None:
    corpus, made = annotated
    done = folio("list", "--json", "--corpus", str(corpus))
    assert done.returncode == 0, done.stderr
    items = json.loads(done.stdout)
    assert {i["id"] for i in items} == {a.id for a in made}
    for item in items:
        item.pop("status")
        assert must_problems(item) == [], item
        assert _undefined_prefixes(item, _prefixes(item)) == []


def test_the_export_is_a_conforming_collection(annotated) -> None:
    corpus, made = annotated
    exported = export(corpus)
    assert collection_problems(exported) == []
    assert exported["@context"][0] == W3C_CONTEXT and exported["@context"][1] == {"folio": "urn:folio:"}
    assert exported["total"] == len(made) and exported["first"]["partOf"] == exported["id"]
    assert exported["id"].startswith("urn:uuid:")


def test_the_collection_id_is_stable_and_the_label_names_only_the_folder(annotated) -> None:
    corpus, _ = annotated
    first, second = export(corpus), export(corpus)
    assert first["id"] == second["id"] and first["first"]["id"] == second["first"]["id"]
    assert first["label"] == f"Folio annotations: {corpus.name}"
    assert str(corpus.parent) not in json.dumps(first)  # nothing says where the files live
    store_file = Path(folio("path", "--corpus", str(corpus)).stdout.strip())
    assert json.loads(store_file.read_text())["collection"] == first["id"]  # kept with the annotations


def test_an_empty_export_conforms_too(seed_copy: Path) -> None:
    exported = export(seed_copy)
    assert exported["total"] == 0 and "first" not in exported and collection_problems(exported) == []


# -- import -------------------------------------------------------------------------------------------


def test_round_trip_to_a_copy_of_the_corpus_elsewhere(annotated, tmp_path: Path) -> None:
    """Export on one corpus, import into a copy of it in another folder: every annotation is
    there, anchored, with its note, tags and colour."""
    corpus, made = annotated
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(export(corpus)))
    elsewhere = tmp_path / "laptop" / "reading"
    shutil.copytree(corpus, elsewhere)
    done = folio("import", str(exported), "--corpus", str(elsewhere))
    assert done.returncode == 0, done.stderr
    assert re.search(r"added\s+6\b", done.stdout) and re.search(r"could not place\s+0\b", done.stdout)
    listed = json.loads(folio("list", "--json", "--corpus", str(elsewhere)).stdout)
    assert {i["status"] for i in listed} == {"anchored"}
    there = {a.id: a for a in (Annotation.from_w3c({k: v for k, v in i.items() if k != "status"}) for i in listed)}
    for ann in made:
        got = there[ann.id]
        assert (got.note, got.tags, got.color, got.exact, got.start, got.modified) == (
            ann.note,
            ann.tags,
            ann.color,
            ann.exact,
            ann.start,
            ann.modified,
        )
    again = folio("import", str(exported), "--corpus", str(elsewhere))
    assert re.search(r"added\s+0\b", again.stdout) and re.search(r"left alone\s+6\b", again.stdout)


def test_positions_are_found_again_by_quote_when_the_text_differs(annotated, tmp_path: Path) -> None:
    corpus, made = annotated
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(export(corpus)))
    elsewhere = tmp_path / "edited"
    shutil.copytree(corpus, elsewhere)
    doc = made[0].source
    text = (elsewhere / doc).read_text(encoding="utf-8")
    (elsewhere / doc).write_text("A new first paragraph, added on the laptop.\n\n" + text, encoding="utf-8")
    assert folio("import", str(exported), "--corpus", str(elsewhere)).returncode == 0
    listed = {i["id"]: i for i in json.loads(folio("list", "--json", "--corpus", str(elsewhere)).stdout)}
    moved = listed[made[0].id]
    assert moved["status"] in ("anchored", "moved")
    assert moved["target"]["selector"][0]["exact"] == made[0].exact
    assert moved["target"]["selector"][1]["start"] == made[0].start + len(
        "A new first paragraph, added on the laptop.\n\n"
    )


def test_a_foreign_annotation_with_a_body_folio_cannot_show(seed_copy: Path, tmp_path: Path) -> None:
    """Another tool's annotation: an absolute IRI for its source, an Image body, a bodyless
    TextualBody of HTML, a creator and a FragmentSelector. Placed by the tail of its source;
    the unknown parts listed, kept and exported again."""
    corpus = open_corpus(seed_copy)
    doc = corpus.load(corpus.scan().entries[1])
    start, _ = doc.paragraphs[4]
    foreign = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "http://annotations.example.org/anno/42",
        "type": "Annotation",
        "creator": {"id": "http://example.org/user/ada", "type": "Person", "name": "Ada"},
        "body": [
            {"type": "TextualBody", "value": "<p>Compare with 1932.</p>", "format": "text/html"},
            {"id": "http://example.org/fig1.png", "type": "Image", "format": "image/png"},
        ],
        "target": {
            "type": "SpecificResource",
            "source": f"https://texts.example.org/mirror/{doc.rel}",
            "selector": [
                {"type": "FragmentSelector", "value": "para=5"},
                {"type": "TextQuoteSelector", "exact": doc.text[start : start + 50]},
            ],
        },
    }
    path = tmp_path / "theirs.json"
    path.write_text(json.dumps(foreign))
    done = folio("import", str(path), "--corpus", str(seed_copy))
    assert done.returncode == 0, done.stderr
    assert re.search(r"added\s+1\b", done.stdout) and "bodies Folio cannot show" in done.stdout
    assert "Image" in done.stdout and "a W3C annotation" in done.stdout
    exported = export(seed_copy)
    assert collection_problems(exported) == []
    [item] = exported["first"]["items"]
    assert item["target"]["source"] == doc.rel and item["target"]["selector"][1]["start"] == start
    assert item["creator"]["name"] == "Ada"
    assert {"id": "http://example.org/fig1.png", "type": "Image", "format": "image/png"} in item["body"]
    assert {"type": "FragmentSelector", "value": "para=5"} in item["target"]["selector"]
    assert item["target"]["folio:importedSource"] == foreign["target"]["source"]
    assert any(b.get("value") == "<p>Compare with 1932.</p>" for b in item["body"])


def test_a_quote_whose_source_is_unknown_is_placed_by_quote_or_kept_as_an_orphan(
    seed_copy: Path, tmp_path: Path
) -> None:
    corpus = open_corpus(seed_copy)
    doc = corpus.load(corpus.scan().entries[2])
    start, _ = doc.paragraphs[5]
    found = {
        "type": "Annotation",
        "id": "urn:uuid:00000000-0000-4000-8000-000000000001",
        "bodyValue": "found by its words",
        "target": {
            "source": "elsewhere/renamed.txt",
            "selector": {"type": "TextQuoteSelector", "exact": doc.text[start : start + 60]},
        },
    }
    lost = {
        "type": "Annotation",
        "id": "urn:uuid:00000000-0000-4000-8000-000000000002",
        "target": {
            "source": "gone.txt",
            "selector": {"type": "TextQuoteSelector", "exact": "words in no document here"},
        },
    }
    path = tmp_path / "two.json"
    path.write_text(json.dumps([found, lost]))
    done = folio("import", str(path), "--corpus", str(seed_copy))
    assert done.returncode == 0, done.stderr
    assert re.search(r"placed by quote\s+1\b", done.stdout) and re.search(r"could not place\s+1\b", done.stdout)
    listed = {i["id"]: i for i in json.loads(folio("list", "--json", "--corpus", str(seed_copy)).stdout)}
    assert listed[found["id"]]["status"] == "anchored" and listed[found["id"]]["target"]["source"] == doc.rel
    assert listed[found["id"]]["body"][0]["value"] == "found by its words"
    assert listed[lost["id"]]["status"] == "orphan"


def test_a_collection_with_a_duplicate_id_takes_the_newest(annotated, tmp_path: Path) -> None:
    corpus, _ = annotated
    exported = export(corpus)
    items = exported["first"]["items"]
    newer = json.loads(json.dumps(items[0]))
    newer["modified"] = "2099-01-01T00:00:00.000000Z"
    newer["body"][0]["value"] = "the newer copy"
    items.append(newer)
    exported["total"] = len(items)
    path = tmp_path / "dup.json"
    path.write_text(json.dumps(exported))
    elsewhere = tmp_path / "copy"
    shutil.copytree(corpus, elsewhere)
    done = folio("import", str(path), "--corpus", str(elsewhere))
    assert done.returncode == 0, done.stderr
    assert re.search(r"duplicate ids\s+1\b", done.stdout) and re.search(r"added\s+6\b", done.stdout)
    listed = {i["id"]: i for i in json.loads(folio("list", "--json", "--corpus", str(elsewhere)).stdout)}
    assert listed[items[0]["id"]]["body"][0]["value"] == "the newer copy"


def test_merging_follows_the_rules_of_two_folios(annotated, tmp_path: Path) -> None:
    """Newest `modified` wins; what is older is left alone; a deletion here is not undone by an
    older copy; `--dry-run` says the same and writes nothing."""
    corpus, made = annotated
    exported = tmp_path / "export.json"
    exported.write_text(json.dumps(export(corpus)))
    store = AnnotationStore.for_corpus(open_corpus(corpus))
    store.load()
    edited = store.update(made[0].edited(note="edited here, after the export"))
    store.delete(made[1].id)
    raw = json.loads(exported.read_text())
    raw["first"]["items"][2]["modified"] = "2099-01-01T00:00:00.000000Z"
    raw["first"]["items"][2]["body"][0]["value"] = "edited there, later"
    exported.write_text(json.dumps(raw))
    before = store.path.read_bytes()
    dry = folio("import", str(exported), "--corpus", str(corpus), "--dry-run")
    assert dry.returncode == 0 and "Dry run: nothing was written." in dry.stdout
    assert store.path.read_bytes() == before
    done = folio("import", str(exported), "--corpus", str(corpus))
    assert done.stdout.replace("Dry run: nothing was written.\n", "") == dry.stdout.replace(
        "Dry run: nothing was written.\n", ""
    )
    assert re.search(r"updated\s+1\b", done.stdout) and re.search(r"left alone\s+5\b", done.stdout)
    on_disk = {a.id: a for a in decode(store.path.read_bytes())[0]}
    assert on_disk[edited.id].note == "edited here, after the export"
    assert on_disk[made[1].id].deleted
    assert on_disk[raw["first"]["items"][2]["id"]].note == "edited there, later"


def test_a_file_that_is_not_json_is_refused_and_nothing_written(seed_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("These are my notes, not JSON.\n")
    store_file = Path(folio("path", "--corpus", str(seed_copy)).stdout.strip())
    done = folio("import", str(path), "--corpus", str(seed_copy))
    assert done.returncode == 2 and "not JSON" in done.stderr and "Nothing was imported" in done.stderr
    assert "Traceback" not in done.stderr and not store_file.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["notes.txt", "seeds"])


@pytest.mark.parametrize("what", ["huge", "deep", "not annotations"])
def test_huge_deep_or_foreign_files_are_refused_bounded(seed_copy: Path, tmp_path: Path, what: str) -> None:
    path = tmp_path / "in.json"
    if what == "huge":
        with open(path, "wb") as f:
            f.write(b"[")
            f.truncate(300 * 1024 * 1024)  # sparse: no disk used, and never read whole
    elif what == "deep":
        path.write_bytes(b"[" * 100_000)
    else:
        path.write_text('{"type": "Manifest", "items": []}')
    store_file = Path(folio("path", "--corpus", str(seed_copy)).stdout.strip())
    done = folio("import", str(path), "--corpus", str(seed_copy))
    assert done.returncode == 2, done
    reason = {"huge": "too large", "deep": "nested too deeply", "not annotations": "not Annotation"}[what]
    assert reason in done.stderr and "Traceback" not in done.stderr
    assert not store_file.exists()
