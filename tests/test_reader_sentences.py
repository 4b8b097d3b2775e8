"""Sentence motions (`)`, `(`) through the app on documents whose markers the view hides: each
lands on the first shown character of a sentence, and `(` retraces `)` (it used to stay put on
a sentence that opens with a hidden marker: a heading's `## `, a bullet, `**`, a link, a role)."""

from __future__ import annotations

from pathlib import Path

from folio_reader.index.corpus import open_corpus
from folio_reader.tui.app import FolioApp
from folio_reader.tui.screens.main import MainScreen
from tests.helpers import settle

MARKDOWN = """\
# Field guide

Wombats dig. **Strong** words open this one. [A link](other.md) opens the next. `Code` starts this.

- First item here. Second sentence of it.
- *Emphasis* starts the second item.

## Notes

> Quoted sentence one. Quoted two.

Closing line.
"""
MARKDOWN_STARTS = [
    "Field guide",
    "Wombats dig",
    "Strong** words",
    "A link]",
    "Code` starts",
    "First item",
    "Second sentence",
    "Emphasis*",
    "Notes",
    "Quoted sentence",
    "Quoted two",
    "Closing",
]

REST = """\
Burrows
=======

Roles are shown as text. :func:`dig` opens this one. *Soft* soil helps.

Tunnels
-------

* ``Literal`` first in an item.
* Plain item.
"""
REST_STARTS = ["Burrows", "Roles are", "dig` opens", "Soft* soil", "Tunnels", "Literal`` first", "Plain item"]


async def test_sentence_motions_land_on_shown_sentence_starts_both_ways(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    documents = {"guide.md": (MARKDOWN, MARKDOWN_STARTS), "burrows.rst": (REST, REST_STARTS)}
    for name, (source, _) in documents.items():
        (root / name).write_text(source)
    app = FolioApp(open_corpus(root), annotations_path=tmp_path / "notes.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen: MainScreen = pilot.app.screen
        for name, (_, starts) in documents.items():
            screen.open_document(name)
            await settle(pilot)
            reader = screen.reader
            reader.focus()
            text = screen.document.text
            expected = [text.index(s) for s in starts]
            assert all(reader.snap(at) == at for at in expected)  # each a shown character
            reader.move_caret(0)
            await pilot.pause()
            await pilot.press("right_parenthesis")  # the keys, then the actions they run
            forward = [expected[0], reader.caret]
            for _ in expected[2:]:
                reader.action_sentence(1)
                forward.append(reader.caret)
            assert forward == expected, name
            await pilot.press("left_parenthesis")
            backward = [expected[-1], reader.caret]
            for _ in expected[2:]:
                reader.action_sentence(-1)
                backward.append(reader.caret)
            assert backward == expected[::-1], name
