"""The reading pane's component classes and their default styles (themes may restyle them).

Text styles (`reader--h1`…, `reader--strong`, `reader--code`…) come from the layout's style
spans; decorations (`reader--bullet`, `reader--quote`, `reader--table-rule`…) from the cells that
draw them; caret, selection, hits and margin marks from the reader itself.
"""

from __future__ import annotations

COMPONENT_CLASSES = {
    "reader--caret",
    "reader--selection",
    "reader--heading",
    "reader--strong",
    "reader--emphasis",
    "reader--code",
    "reader--link",
    "reader--marker",
    "reader--hit",
    "reader--hit-current",
    "reader--margin",
    "reader--placeholder",
    "reader--h1",
    "reader--h2",
    "reader--h3",
    "reader--code-block",
    "reader--strike",
    "reader--bullet",
    "reader--field",
    "reader--quote",
    "reader--admonition",
    "reader--rule",
    "reader--table-rule",
    "reader--table-header",
    "reader--term",
}

DEFAULT_CSS = """
Reader {
    background: $surface;
    color: $foreground;
    overflow-x: hidden;
    overflow-y: scroll;
    scrollbar-size-vertical: 1;
    & > .reader--caret { text-style: underline; }
    &:focus > .reader--caret { text-style: reverse; }
    & > .reader--selection { background: $primary 35%; text-style: underline; }
    & > .reader--heading { color: $accent; text-style: bold; }
    & > .reader--strong { text-style: bold; }
    & > .reader--emphasis { text-style: italic; }
    & > .reader--code { color: $warning; background: $boost; }
    & > .reader--link { color: $primary; text-style: underline; }
    & > .reader--marker { color: $text-muted; text-style: dim; }
    & > .reader--hit { background: $warning 35%; text-style: bold; }
    & > .reader--hit-current { background: $warning 80%; color: $background; text-style: bold underline; }
    & > .reader--margin { color: $secondary; }
    & > .reader--placeholder { color: $text-muted; text-style: italic; }
    & > .reader--h1 { color: $accent; text-style: bold underline; }
    & > .reader--h2 { color: $accent; text-style: bold; }
    & > .reader--h3 { text-style: bold; }
    & > .reader--code-block { color: $text-warning; }
    & > .reader--strike { text-style: strike; }
    & > .reader--bullet { color: $secondary; }
    & > .reader--field { color: $secondary; text-style: bold; }
    & > .reader--quote { color: $secondary; }
    & > .reader--admonition { color: $accent; text-style: bold; }
    & > .reader--rule { color: $text-muted; }
    & > .reader--table-rule { color: $text-muted; }
    & > .reader--table-header { text-style: bold; }
    & > .reader--term { text-style: bold; }
}
"""
