"""docutils' nested state machines kept and reused (`rest_machines`): parses stay identical.

Each test parses with kept machines, one text after another (a machine one text used reads the
next), and compares docutils' whole doctree (`pformat`: every node, attribute and line) with a
parse that builds every machine afresh, as docutils does by itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from folio_reader.index.document import rest_docutils, rest_machines
from folio_reader.index.document.rest_inline import find_loose
from tests.document_corpus import REST

NESTED = """\
Title
=====

:Author: Ada Lovelace
:Date: 2024-03-05

- one

  - two

    1. three
    2. four

       #. five

- back out

term
   definition with a list:

   * x
   * y

-a         option a
--bee=ARG  option b
/C         option c

| a line block
|    indented line
| last

Paragraph::

> quoted literal
> block

.. |sub| replace:: substituted *text*

.. note::
   :class: extra

   A note with a field list:

   :one: 1
   :two: 2

.. image:: picture.png
   :alt: a picture
   :width: 20

.. versionchanged:: 3.7
   Changed text with ``code``.

.. [#] A footnote.

.. [CIT] A citation.

+-----+-----+
| a   | b   |
+=====+=====+
| - x | 2   |
+-----+-----+

=====  =====
A      B
=====  =====
1      - y
=====  =====

Section
-------

3. starts at three
4. four
"""

BROKEN = """\
- list

  - unindent
 wrong

1. one
3. three

:field: value
 bad indent

.. note::

.. image::

Title
===

Quoted, inconsistently::

> one
< two

Unexpected indentation::

> one
    two
"""


@pytest.fixture
def fresh_and_kept() -> Iterator[None]:
    yield
    rest_machines.install(True)


def _doctree(text: str, *, kept: bool) -> str:
    rest_machines.install(kept)
    return rest_docutils.doctree(text).pformat()


def test_kept_machines_parse_as_fresh_ones_text_after_text(fresh_and_kept: None) -> None:
    texts = [NESTED, REST, BROKEN, NESTED, BROKEN, REST]
    fresh = [_doctree(t, kept=False) for t in texts]
    rest_machines.install(True)
    assert [_doctree(t, kept=True) for t in texts] == fresh
    for kind in ("definition_list", "option_list", "line_block", "field_list", "enumerated_list", "table"):
        assert f"<{kind}" in fresh[0], kind
    assert "> quoted literal" in fresh[0]  # the quoted literal block (a machine that changes its table)


def test_a_nested_parse_reuses_the_machines_a_parse_gave_back(fresh_and_kept: None) -> None:
    """What makes the build faster: the second parse of a page full of lists builds no machine
    (before, docutils built one for each list, field list and directive's options)."""
    rest_machines.install(True)
    rest_docutils.doctree(NESTED)
    kept = {id(m) for m in rest_machines._kept.machines}
    assert kept
    built: list[int] = []
    original = rest_machines.KeptMachine.__init__

    def counting(self: rest_machines.KeptMachine, *args: object, **kwargs: object) -> None:
        built.append(1)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    rest_machines.KeptMachine.__init__ = counting  # type: ignore[method-assign]
    try:
        rest_docutils.doctree(NESTED)
    finally:
        rest_machines.KeptMachine.__init__ = original  # type: ignore[method-assign]
    assert built == []
    assert {id(m) for m in rest_machines._kept.machines} == kept


def test_a_machine_given_back_keeps_nothing_of_the_document(fresh_and_kept: None) -> None:
    rest_machines.install(True)
    rest_docutils.doctree(NESTED)
    assert rest_machines._kept.machines
    for machine in rest_machines._kept.machines:
        assert machine.input_lines is None and machine.observers == []
        assert not hasattr(machine, "memo") and not hasattr(machine, "node")
        for state in machine.states.values():
            assert state.state_machine is machine
            assert not hasattr(state, "memo") and not hasattr(state, "document")


_WORD = st.text(alphabet="abcxyz", min_size=1, max_size=5)
_LINE = st.lists(
    st.one_of(_WORD, _WORD.map(lambda w: f"*{w}*"), _WORD.map(lambda w: f":func:`{w}`"), st.just("``a b``")),
    min_size=1,
    max_size=5,
).map(" ".join)
_BLOCK = st.one_of(
    _LINE,
    st.lists(_LINE, min_size=1, max_size=3).map(lambda items: "\n".join("- " + i for i in items)),
    st.lists(_LINE, min_size=1, max_size=3).map(lambda items: "\n".join("#. " + i for i in items)),
    st.lists(_LINE, min_size=1, max_size=2).map(lambda items: "- a\n\n  - " + "\n  - ".join(items)),
    _LINE.map(lambda s: f"term\n   {s}"),
    _WORD.map(lambda w: f":{w}: value"),
    _LINE.map(lambda s: f"-{s[0]}  {s}"),
    _LINE.map(lambda s: f"| {s}\n|  {s}"),
    _LINE.map(lambda s: f".. note::\n   :class: c\n\n   - {s}"),
    _LINE.map(lambda s: f".. image:: x.png\n   :alt: {s}"),
    _LINE.map(lambda s: f"{s}::\n\n> {s}"),
    _WORD.map(lambda w: f"{w}\n{'=' * len(w)}"),
    _WORD.map(lambda w: f".. |{w}| replace:: {w}"),
)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.lists(_BLOCK, min_size=1, max_size=6).map("\n\n".join), min_size=2, max_size=3))
def test_kept_machines_parse_generated_rest_as_fresh_ones(texts: list[str]) -> None:
    try:
        fresh = [_doctree(t, kept=False) for t in texts]
        assert [_doctree(t, kept=True) for t in texts] == fresh
    finally:
        rest_machines.install(True)


_SPACED = st.text(alphabet="ab \t\n\u00a0.*", max_size=30)


@given(_SPACED, _SPACED.filter(lambda r: r.strip() != ""), st.integers(0, 30), st.integers(0, 30))
@example(text="a", raw="a a", start=0, end=2)  # an end past the text (IndexError, found by Hypothesis)
def test_find_loose_finds_what_the_whitespace_tolerant_pattern_finds(text: str, raw: str, start: int, end: int) -> None:
    pattern = re.compile(r"\s+".join(re.escape(part) for part in raw.split()))
    m = pattern.search(text, start, end)
    assert find_loose(text, raw, start, end) == (None if m is None else m.span())
