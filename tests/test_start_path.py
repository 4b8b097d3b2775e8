"""The path to the first frame (issue 15 item 3): the list from the listing cache, made without
a `DocMeta` per document, drawn before the index worker starts (its Whoosh imports and its scan
of the folder would compete with the first frame for the interpreter)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from folio_reader.index.corpus import open_corpus
from folio_reader.index.listing import LISTING, cached_items, list_items, load_listing, save_listing
from folio_reader.index.session import IndexSession
from folio_reader.tui.library import Library
from tests.helpers import SEED_NAMES, make_app, settle


def built_index(tmp_path: Path) -> Path:
    index_dir = tmp_path / "index"
    session = IndexSession(open_corpus(None), index_dir)
    assert session.open(lambda _items: None, lambda _d, _t: None, lambda: False) is not None
    return index_dir


def first_format(index_dir: Path) -> dict[str, Any]:
    """The index's listing as the first format held it (a dict per document), as an index
    listed by an earlier Folio has it."""
    metas, problems = load_listing(index_dir)
    assert metas
    return {"documents": [m.to_json() for m in metas], "problems": [[p.rel, p.reason] for p in problems]}


def test_the_cached_rows_are_those_of_the_listing(tmp_path: Path) -> None:
    index_dir = built_index(tmp_path)
    data = first_format(index_dir)
    data["problems"] = [["bad.bin", "binary file"], [SEED_NAMES[0], "listed as a document already"]]
    (index_dir / LISTING).write_text(json.dumps(data))
    metas, problems = load_listing(index_dir)
    assert cached_items(index_dir) == list_items(metas, (), problems)
    assert [i.rel for i in cached_items(index_dir)] == [*SEED_NAMES, "bad.bin"]
    save_listing(index_dir, metas, problems)  # in columns, as the index writes it now
    assert list(cached_items(index_dir)) == list_items(metas, (), problems)


def test_a_damaged_listing_entry_means_no_cached_list(tmp_path: Path) -> None:
    """Only a cache: a row it cannot make is a reason to wait for the index, never a crash."""
    index_dir = built_index(tmp_path)
    data = first_format(index_dir)
    for damage in ({"title": None}, {"words": "many"}, {"date": "yesterday"}, {"outlet": 3}):
        broken = json.loads(json.dumps(data))
        broken["documents"][1].update(damage)
        (index_dir / LISTING).write_text(json.dumps(broken))
        assert cached_items(index_dir) == [], damage
    del broken["documents"][1]["rel"]
    (index_dir / LISTING).write_text(json.dumps(broken))
    assert cached_items(index_dir) == []


async def test_the_index_worker_starts_once_the_cached_list_is_drawn(tmp_path: Path, monkeypatch) -> None:
    index_dir = built_index(tmp_path)
    app = make_app(index_dir=index_dir)
    seen: list[int] = []
    opened = Library.open

    def open_index(library: Library, node) -> None:
        seen.append(app.screen.documents.options.option_count)
        opened(library, node)

    monkeypatch.setattr(Library, "open", open_index)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert seen == [len(SEED_NAMES)]  # once, with the cached list already set
        assert app.library.index is not None
