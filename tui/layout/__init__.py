"""The reader's layout: a document's blocks turned into display rows. Nothing here imports Textual.

* `cells` — clusters, their widths in terminal cells, soft wrapping of a string;
* `plan` — blocks -> layout units (how each is drawn, indents, blank rows): the structured
  layout, the plain layout (paragraphs, nothing hidden) and the raw view;
* `draw` — a unit -> its rows at a width, every content cell mapped to a canonical offset;
* `doc` — `DocLayout`: the rows of a whole document, drawn lazily, and caret positions;
* `motion` — word, sentence and paragraph motions over the canonical text;
* `markdown_styles` — the plain layout's Markdown styles (markers kept and dimmed);
* `rowindex` — row counts with prefix sums.

`LRU` (the core's `index.lru`) is re-exported for the reader's caches.
"""

from folio_reader.index.lru import LRU

from .cells import TAB_SIZE, WIDE_STANDIN, Cell, row_cells, wrap
from .doc import LAYOUT_LIMIT, DocLayout
from .draw import Line
from .markdown_styles import markdown_spans
from .motion import (
    next_sentence_start,
    paragraph_index,
    paragraph_step,
    sentence_bounds,
    sentence_step,
    word_end,
    word_next,
    word_prev,
)
from .rowindex import RowIndex

__all__ = [
    "LAYOUT_LIMIT",
    "LRU",
    "TAB_SIZE",
    "WIDE_STANDIN",
    "Cell",
    "DocLayout",
    "Line",
    "RowIndex",
    "markdown_spans",
    "next_sentence_start",
    "paragraph_index",
    "paragraph_step",
    "row_cells",
    "sentence_bounds",
    "sentence_step",
    "word_end",
    "word_next",
    "word_prev",
    "wrap",
]
