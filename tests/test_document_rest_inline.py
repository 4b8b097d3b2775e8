"""reST as a reader sees it, from docutils 0.23's own docs: markup that was shown raw or wrong."""

from __future__ import annotations

from folio_reader.index.document import Kind, parse
from folio_reader.index.document.model import render_text
from tests.test_document_model import _check_structure


def _shown(text: str) -> list[tuple[str, str]]:
    return [(b.kind.value, render_text(text, b)) for b in parse(text, ".rst").blocks if b.kind is not Kind.HIDDEN]


def test_a_lone_double_colon_introduces_its_literal_block_and_is_not_shown() -> None:
    """docutils' docs: a paragraph of `::` alone was shown as "::" above its code."""
    text = "Intro.\n\n::\n\n    code here\n\nafter\n"
    assert _shown(text) == [("paragraph", "Intro."), ("code", "code here"), ("paragraph", "after")]
    _check_structure(text, ".rst")


def test_raw_content_for_another_format_is_hidden_with_its_directive() -> None:
    """`.. raw:: html` (disabled in docutils, so no node claims it): its directive line was
    hidden but its indented HTML shown as a block of lines. It is output for another format:
    hidden, under one row that says so (Rich's docs: "This produces the following output:"
    then nothing; since session 6)."""
    text = "a\n\n.. raw:: html\n\n   <b>x</b>\n\n   <i>y</i>\n\nafter\n"
    assert _shown(text) == [("paragraph", "a"), ("admonition", ""), ("paragraph", "after")]
    assert [b.label for b in parse(text, ".rst").blocks if b.kind is Kind.ADMONITION] == [
        "Raw html output (for that format, not shown)"
    ]
    _check_structure(text, ".rst")


def test_footnote_references_read_as_markers_without_the_autonumber_sign() -> None:
    """config.rst, the Publisher page: `[#override]_` was shown `[#override]`. The `#` only asks
    docutils to number the footnote, so a reader sees `[override]`; `[#]_` (its number unknown
    here) stays `[#]`; the trailing `_` is hidden on every kind."""
    text = "A [#override]_, [#]_, [1]_ and [CIT]_.\n\n.. [#override] a\n.. [#] b\n.. [1] c\n.. [CIT] d\n"
    assert _shown(text)[0] == ("paragraph", "A [override], [#], [1] and [CIT].")
    _check_structure(text, ".rst")


def test_a_substitution_that_is_a_link_shows_its_name_without_the_pipes() -> None:
    """config.rst: `|config|_`, its `.. |config| replace::` three lines up, was shown raw."""
    text = "See |config|_ now.\n\n.. |config| replace:: ``docutils.conf``\n.. _config: x.html\n"
    assert _shown(text) == [("paragraph", "See config now.")]
    _check_structure(text, ".rst")


def test_an_escaped_angle_bracket_in_a_reference_name_is_not_a_target() -> None:
    """directives.rst, "Doctree Elements: `\\<admonition>`_": a lone backslash was shown (the
    `\\<admonition>` read as a title `\\` and a target `admonition`)."""
    text = "See `\\<admonition>`_ and `t <u>`_.\n\n.. _<admonition>: y\n"
    assert _shown(text) == [("paragraph", "See <admonition> and t.")]
    _check_structure(text, ".rst")


def test_a_line_block_after_a_field_name_keeps_the_walk_in_place() -> None:
    """restructuredtext.rst: `:See also: | `hyperlink references`_` was looked for by its text
    without the markup, found 550 lines on at a line ending "hyperlink references", and all
    between was shown as written: a `::` block was cut at its indented `..` line (a hidden
    admonition). A line block is found by its lines as written, one source line each."""
    text = (
        ":See also: | `hyperlink references`_\n"
        "           | `other`_\n\n"
        "Put an empty comment in-between::\n\n"
        "    This is\n      a definition list.\n\n    ..\n\n      A quote.\n\n"
        "Read about hyperlink references\n"
    )
    shown = _shown(text)
    assert ("code", "This is\n  a definition list.\n\n..\n\n  A quote.") in shown
    assert shown[-1] == ("paragraph", "Read about hyperlink references")
    assert ("lines", "hyperlink references\nother") in shown  # (their markup hidden since revision 9)
    _check_structure(text, ".rst")


def test_a_field_name_alone_on_its_line_is_not_shown_twice() -> None:
    """doctree.rst, demo.rst: `:compound:` with its body on the lines below was shown as a line
    of its own and again as the marker of its body; an empty field is still shown as written."""
    text = "x\n\n:compound:\n  body two\n  more\n:same: line\n:empty:\n\ny\n"
    blocks = [b for b in parse(text, ".rst").blocks if b.kind is not Kind.HIDDEN]
    shown = [(b.marker, render_text(text, b)) for b in blocks]
    assert shown == [("", "x"), ("compound:", "body two more"), ("same:", "line"), ("", ":empty:"), ("", "y")]
    _check_structure(text, ".rst")


def test_an_auto_numbered_footnote_is_marked_as_its_references_read() -> None:
    """docutils' api/transforms.rst: `.. [#] The default_transforms() …` read as a bullet item
    (no transforms, so no label node); its marker now reads as its references do."""
    text = "Text [#]_ and [#note]_ and [*]_.\n\n.. [#] First.\n.. [#note] Second.\n.. [*] Third.\n.. [1] Fourth.\n"
    items = [(b.marker, render_text(text, b)) for b in parse(text, ".rst").blocks if b.kind is Kind.LIST_ITEM]
    assert items == [("[#]", "First."), ("[note]", "Second."), ("[*]", "Third."), ("[1]", "Fourth.")]
    _check_structure(text, ".rst")


def test_a_target_after_a_list_marker_hides_itself_not_the_item() -> None:
    """docutils' dev/todo.rst: `* .. _classes for table cells:` hid the whole item (its body was
    taken for the target's, being indented past the `*`), so its text was not shown; the
    target block also overlapped the next. The item keeps its `*`."""
    text = "* .. _classes for table cells:\n\n  William Dode suggested that.\n\n  More text.\n\n* Next.\n"
    assert _shown(text) == [
        ("list_item", "William Dode suggested that."),
        ("paragraph", "More text."),
        ("list_item", "Next."),
    ]
    assert [b.marker for b in parse(text, ".rst").blocks if b.kind is Kind.LIST_ITEM] == ["*", "*"]
    _check_structure(text, ".rst")
