"""Sentence and paragraph motions (`)`, `(`, `}`, `{`) through the app on documents whose
markers the view hides: each lands on the first shown character of a sentence or paragraph, and
going back retraces going forward (`(` and `{` used to stay put on one that opens with a hidden
marker: a heading's `## `, a bullet, `**`, a link, a role)."""

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
MARKDOWN_PARAGRAPHS = ["Field guide", "Wombats dig", "First item", "Emphasis*", "Notes", "Quoted sentence", "Closing"]
REST_PARAGRAPHS = ["Burrows", "Roles are", "Tunnels", "Literal`` first", "Plain item"]
REST_STARTS = ["Burrows", "Roles are", "dig` opens", "Soft* soil", "Tunnels", "Literal`` first", "Plain item"]


async def walk(pilot, reader, keys: tuple[str, str], action, expected: list[int]) -> None:
    """From the first start, forward through every one, then back: the keys pressed once, the
    rest of the walk through the action they run."""
    reader.move_caret(expected[0])
    await pilot.pause()
    await pilot.press(keys[0])
    forward = [expected[0], reader.caret]
    for _ in expected[2:]:
        action(1)
        forward.append(reader.caret)
    assert forward == expected
    await pilot.press(keys[1])
    backward = [expected[-1], reader.caret]
    for _ in expected[2:]:
        action(-1)
        backward.append(reader.caret)
    assert backward == expected[::-1]


async def test_sentence_and_paragraph_motions_land_on_shown_starts_both_ways(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    documents = {
        "guide.md": (MARKDOWN, MARKDOWN_STARTS, MARKDOWN_PARAGRAPHS),
        "burrows.rst": (REST, REST_STARTS, REST_PARAGRAPHS),
    }
    for name, (source, _, _) in documents.items():
        (root / name).write_text(source)
    app = FolioApp(open_corpus(root), annotations_path=tmp_path / "notes.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen: MainScreen = pilot.app.screen
        for name, (_, sentences, paragraphs) in documents.items():
            screen.open_document(name)
            await settle(pilot)
            reader = screen.reader
            reader.focus()
            text = screen.document.text
            for starts, keys, action in [
                (sentences, ("right_parenthesis", "left_parenthesis"), reader.action_sentence),
                (paragraphs, ("right_curly_bracket", "left_curly_bracket"), reader.action_paragraph),
            ]:
                expected = [text.index(s) for s in starts]
                assert all(reader.snap(at) == at for at in expected), name  # each a shown character
                await walk(pilot, reader, keys, action, expected)
