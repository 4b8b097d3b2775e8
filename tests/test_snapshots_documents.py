"""Snapshots of documents laid out as they are written (issue 12): a reST page, a Markdown page
with code and a pipe table, a plain text with an indented code block and an ASCII table, each at
80x24 and 120x40. Deterministic as tests/test_snapshots.py is (isolated dirs, index built and
notifications cleared first)."""

from __future__ import annotations

from pathlib import Path

import pytest

from folio_reader.index.corpus import open_corpus
from folio_reader.tui.app import FolioApp

REST = """\
=====================
The Reader's Handbook
=====================

:Author: Ann Writer
:Date: 2025-05-07

Folio reads *reStructuredText* as it is written: ``literal`` text, :func:`roles`, and
`links <https://example.org>`_ show their text, never their markup.

Lists
=====

- a bullet item whose text is long enough to wrap onto a second line at eighty columns,
  hanging under its first word
- a second item

  1. a nested, numbered item
  2. and another

.. note:: Admonitions get their label and a bar.

A literal block is never reflowed::

    def measure(text, width=80):
        return [line for line in text.splitlines() if len(line) > width]  # a long line, cut and marked

=========  =====  ==========
Animal     Legs   Habitat
=========  =====  ==========
Quokka     4      Rottnest
Kiwi       2      New Zealand
=========  =====  ==========
"""

MARKDOWN = """\
# Release notes

A **Markdown** page with `inline code`, a [link](other.md) and a fenced block:

```python
for row in table:
    print(row)  # indentation kept, nothing reflowed
```

| Version | Date       | Notes              |
|---------|------------|--------------------|
| 1.0     | 2025-05-07 | first release      |
| 1.1     | 2025-06-01 | 中文 wide cells     |

> A quote gets a bar
> and wraps like prose.
"""

PLAIN = """\
Plain notes

This paragraph was wrapped by hand at a short width
so the reader joins its lines and wraps them again
at the measure.

    $ folio show notes.txt --width 60
    indented lines are code: kept as they are

+--------+-------+
| name   | count |
+--------+-------+
| apples | 3     |
+--------+-------+
"""

DOCUMENTS = {"page.rst": REST, "page.md": MARKDOWN, "notes.txt": PLAIN}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_document_as_written(snap_compare, tmp_path: Path, name: str, size: tuple[int, int]) -> None:
    (tmp_path / name).write_text(DOCUMENTS[name])
    app = FolioApp(open_corpus(tmp_path))

    async def run_before(pilot) -> None:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
