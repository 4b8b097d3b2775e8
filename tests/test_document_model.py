"""The document model: display <-> canonical mapping, JSON, and the generated corpus end to end."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from folio_reader.index.corpus import open_corpus
from folio_reader.index.document import (
    Block,
    Display,
    InlineKind,
    Kind,
    Structure,
    block_displays,
    displayed_words,
    parse,
    render,
)
from folio_reader.index.document.model import merge_ranges, render_text
from tests.document_corpus import SAMPLES, write_corpus


def check_display(text: str, block: Block, disp: Display) -> None:
    """The map is strictly increasing, round-trips, and shows the canonical characters."""
    subs = {s: c for s, _, c in block.subs}
    last = -1
    for d, ch in enumerate(disp.text):
        c = disp.canonical(d)
        assert block.start <= c < block.end, (d, c)
        assert c > last
        last = c
        assert disp.display(c) == d
        if c in subs:
            assert ch == subs[c]
        elif ch != text[c]:
            assert ch == " " and text[c].isspace(), (ch, text[c])  # collapsed whitespace
    assert disp.display(disp.end) == len(disp.text) or disp.end == block.end
    previous = 0
    for c in range(block.start, block.end + 1):  # monotone from canonical to display too
        d = disp.display(c)
        assert previous <= d <= len(disp.text)
        previous = d


def test_render_hides_markers_and_maps_back() -> None:
    text = "A **bold** word\nand more"
    block = Block(Kind.PARAGRAPH, 0, len(text), hidden=((2, 4), (8, 10)))
    disp = render(text, block)
    assert disp.text == "A bold word and more"
    assert disp.span(4, 8) == (2, 6)  # "bold" in canonical -> in display
    assert disp.canonical(2) == 4 and disp.canonical(6) == 10
    assert disp.display(2) == 2 and disp.display(3) == 2  # a hidden marker maps onto what follows
    check_display(text, block, disp)


def test_verbatim_keeps_lines_and_raw_is_the_canonical_text() -> None:
    text = "```\n  a  b\n    c\n```"
    block = Block(Kind.CODE, 0, len(text), hidden=((0, 4), (16, 20)))
    assert render(text, block).text == "  a  b\n    c"
    assert render(text, block, raw=True).text == text


def test_substitutions_and_hard_breaks() -> None:
    text = "x &#x41; y\\\nz"
    block = Block(Kind.PARAGRAPH, 0, len(text), hidden=((10, 11),), subs=((2, 8, "A"), (11, 12, "\n")))
    disp = render(text, block)
    assert disp.text == "x A y\nz"
    check_display(text, block, disp)


def test_merge_ranges() -> None:
    assert merge_ranges([(5, 6), (0, 2), (1, 3), (4, 4), (6, 8)]) == ((0, 3), (5, 8))


def test_structures_round_trip_through_json() -> None:
    for name, (text, _) in SAMPLES.items():
        structure = parse(text, Path(name).suffix)
        again = Structure.from_json(structure.to_json())
        assert again == structure


def test_the_generated_corpus_reads_each_construct_as_its_kind(tmp_path: Path) -> None:
    corpus = open_corpus(write_corpus(tmp_path))
    for entry in corpus.scan().entries:
        doc = corpus.load(entry)
        assert doc.structure is not None and doc.structure.fallback == ""
        _, expected = SAMPLES[entry.rel]
        shown = [(b.kind.value, render(doc.text, b).text, b) for b in doc.structure.blocks]
        at = 0
        for kind, display in expected:
            quote = kind.startswith("quote-")
            kind = kind.removeprefix("quote-")
            found = next(
                (
                    i
                    for i in range(at, len(shown))
                    if shown[i][0] == kind and (display is None or shown[i][1] == display)
                ),
                None,
            )
            assert found is not None, (entry.rel, kind, display, shown[at:])
            assert not quote or Kind.QUOTE in shown[found][2].nest
            at = found + 1
        for block in doc.structure.blocks:
            for disp in block_displays(doc.text, block):
                check_display(doc.text, block, disp)


# -- the property: generated Markdown and reST ---------------------------------------------------

_WORD = st.text(alphabet="abcdefghij", min_size=1, max_size=6)
_INLINE_MD = st.one_of(
    _WORD,
    _WORD.map(lambda w: f"*{w}*"),
    _WORD.map(lambda w: f"**{w}**"),
    _WORD.map(lambda w: f"`{w}`"),
    _WORD.map(lambda w: f"[{w}](http://x.org/{w})"),
    _WORD.map(lambda w: f"\\*{w}"),
    _WORD.map(lambda w: f"++{w}++"),
    _WORD.map(lambda w: f"{{ .{w} }}"),
    st.just(":material-apple:"),
    st.just("&amp;"),
    st.just("<b>"),
    st.sampled_from(["*", "_", "[", "]", "`", "\\"]),
)
_LINE_MD = st.lists(_INLINE_MD, min_size=1, max_size=8).map(" ".join)
_BLOCK_MD = st.one_of(
    _LINE_MD,
    st.lists(_LINE_MD, min_size=2, max_size=3).map("\n".join),
    _LINE_MD.map(lambda s: "# " + s),
    _LINE_MD.map(lambda s: s + "\n===="),
    _LINE_MD.map(lambda s: "> " + s + "\n> " + s),
    st.lists(_LINE_MD, min_size=1, max_size=3).map(lambda items: "\n".join("- " + i for i in items)),
    st.lists(_LINE_MD, min_size=1, max_size=3).map(
        lambda items: "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1))
    ),
    _LINE_MD.map(lambda s: "```\n" + s + "\n```"),
    _LINE_MD.map(lambda s: "    " + s),
    st.tuples(_LINE_MD, _LINE_MD).map(lambda p: f"| {p[0]} | b |\n|---|---|\n| c | {p[1]} |"),
    st.just("<!-- c -->"),
    st.just("---"),
)
_INLINE_RST = st.one_of(
    _WORD,
    _WORD.map(lambda w: f"*{w}*"),
    _WORD.map(lambda w: f"**{w}**"),
    _WORD.map(lambda w: f"``{w}``"),
    _WORD.map(lambda w: f":func:`{w}`"),
    _WORD.map(lambda w: f":ref:`{w} <lab>`"),
    _WORD.map(lambda w: f"`{w} <http://x.org>`_"),
    _WORD.map(lambda w: f"{w}_"),
    st.sampled_from(["*", "`", "|", "\\*"]),
)
_LINE_RST = st.lists(_INLINE_RST, min_size=1, max_size=8).map(" ".join)
_BLOCK_RST = st.one_of(
    _LINE_RST,
    st.lists(_LINE_RST, min_size=2, max_size=3).map("\n".join),
    _WORD.map(lambda w: f"{w}\n{'=' * len(w)}"),
    _WORD.map(lambda w: f"{'-' * len(w)}\n{w}\n{'-' * len(w)}"),
    _LINE_RST.map(lambda s: "   " + s),
    st.lists(_LINE_RST, min_size=1, max_size=3).map(lambda items: "\n".join("- " + i for i in items)),
    _LINE_RST.map(lambda s: s + "::\n\n    code " + s),
    _LINE_RST.map(lambda s: ".. note:: " + s),
    _LINE_RST.map(lambda s: ".. versionchanged:: 3.7\n   " + s),
    _WORD.map(lambda w: f".. _{w}:"),
    _LINE_RST.map(lambda s: ".. " + s),
    _WORD.map(lambda w: f":Field: {w}"),
    st.lists(st.tuples(_LINE_RST, _LINE_RST), min_size=1, max_size=3).map(lambda rows: _simple_table(rows)),
    st.lists(_LINE_RST, min_size=1, max_size=3).map(lambda lines: "\n".join("| " + ln for ln in lines)),
)


def _simple_table(rows: list[tuple[str, str]]) -> str:
    """A reST simple table of two columns: a header row, then `rows`."""
    rows = [("head", "two"), *rows]
    width = max(len(a) for a, _ in rows)
    border = "=" * width + "  " + "=" * max(3, max(len(b) for _, b in rows))
    lines = [f"{a.ljust(width)}  {b}" for a, b in rows]
    return "\n".join([border, lines[0], border, *lines[1:], border])


def _check_structure(text: str, suffix: str) -> None:
    structure = parse(text, suffix)
    assert structure.fallback == ""
    previous_end = 0
    for block in structure.blocks:
        assert 0 <= block.start <= block.end <= len(text)
        assert block.start >= previous_end or block.start == block.end, "blocks overlap"
        previous_end = max(previous_end, block.end)
        for disp in block_displays(text, block):
            check_display(text, block, disp)
    assert Structure.from_json(structure.to_json()) == structure


@given(st.lists(_BLOCK_MD, min_size=1, max_size=6).map("\n\n".join))
def test_markdown_display_map_is_monotone_and_round_trips(text: str) -> None:
    _check_structure(text, ".md")


@given(st.lists(_BLOCK_RST, min_size=1, max_size=6).map("\n\n".join))
def test_rest_display_map_is_monotone_and_round_trips(text: str) -> None:
    _check_structure(text, ".rst")


def _check_render_text(text: str, suffix: str) -> None:
    for block in parse(text, suffix).blocks:
        for span in ((), (block.start, min(block.end, block.start + 7))):
            assert render_text(text, block, *span) == render(text, block, *span).text


@given(
    st.lists(_BLOCK_MD, min_size=1, max_size=6).map("\n\n".join),
    st.lists(_BLOCK_RST, min_size=1, max_size=6).map("\n\n".join),
)
def test_render_text_is_the_text_render_shows(markdown: str, rest: str) -> None:
    """The metadata's fast path (no map to canonical offsets, issue 12's build time) shows what
    `render` shows, whole blocks and their openings cut anywhere."""
    _check_render_text(markdown, ".md")
    _check_render_text(rest, ".rst")
    _check_render_text("a\u00a0 b\n\n    code  x\n\n<!-- c -->\n\n| a | b |\n|---|---|\n| c | d |", ".md")


def test_a_line_block_on_a_directives_line_does_not_overlap_its_title() -> None:
    """Found by the property above: `.. note:: | a` gave the line block the whole line, over the
    admonition's title row."""
    _check_structure("a\n\n.. note:: | a", ".rst")
    _check_structure(".. note:: | a\n   | b\n\nx", ".rst")


def test_a_directives_argument_is_shown_without_its_markup() -> None:
    """Seen in the pytest docs: `.. seealso:: :ref:`how-to-fixtures`` showed the role and its
    backticks in the admonition's title ("See also :ref:`how-to-fixtures`")."""
    text = (
        ".. seealso:: :ref:`how-to-fixtures`\n"
        ".. seealso:: :ref:`Fixtures reference <reference-fixtures>`\n"
        ".. versionchanged:: 8.0\n\n   The ``-p`` option and :func:`~pytest.main`.\n\n"
        ".. seealso:: *plain* words\n"
    )
    structure = parse(text, ".rst")
    labels = [b.label for b in structure.blocks if b.kind is Kind.ADMONITION]
    assert labels == [
        "See also how-to-fixtures",
        "See also Fixtures reference",
        "Changed in version 8.0",
        "See also plain words",
    ]
    _check_structure(text, ".rst")


def test_mkdocs_admonitions_are_admonitions_not_code() -> None:
    """Seen in Textual's docs: `!!! tip` and its indented body read as a code block (the body
    wrapped with continuation marks, its inline code shown with backticks)."""
    text = (
        "Intro.\n\n!!! tip\n\n    The `__name__` test is *true*.\n    More.\n\n"
        '!!! note "Custom title"\n    Body.\n\n- item\n\n    ??? warning\n        folded\n\nAfter.\n'
    )
    structure = parse(text, ".md")
    kinds = [(b.kind, b.label) for b in structure.blocks if b.kind in (Kind.ADMONITION, Kind.CODE)]
    assert kinds == [(Kind.ADMONITION, "Tip"), (Kind.ADMONITION, "Custom title"), (Kind.ADMONITION, "Warning")]
    body = next(b for b in structure.blocks if b.kind is Kind.PARAGRAPH and "__name__" in text[b.start : b.end])
    assert body.nest == (Kind.ADMONITION,)
    assert render(text, body).text == "The __name__ test is true. More."  # markers hidden
    _check_structure(text, ".md")


def test_bare_words_after_an_admonitions_kind_are_classes_not_its_title() -> None:
    """Textual's index.md: `!!! tip inline end` was labelled "inline end" (mkdocs-material's
    placement classes); by Python-Markdown only a quoted title is a title."""
    text = '!!! tip inline end\n    Side.\n\n??? note inline "Folded title"\n    Body.\n'
    assert [b.label for b in parse(text, ".md").blocks if b.kind is Kind.ADMONITION] == ["Tip", "Folded title"]
    _check_structure(text, ".md")


def test_content_tabs_are_labelled_blocks_not_code() -> None:
    """Seen in Textual's docs (widgets/collapsible.md): `=== "Output"` and its indented body read
    as a code block, the body's own fences shown raw."""
    text = (
        'Intro.\n\n=== "Output"\n\n    ```python\n    x = 1\n    ```\n\n'
        '===+ "app.py"\n    Some *words*.\n\n- item\n\n    === "In a list"\n        nested\n\nAfter.\n'
    )
    structure = parse(text, ".md")
    kinds = [(b.kind, b.label) for b in structure.blocks if b.kind in (Kind.ADMONITION, Kind.CODE)]
    assert kinds == [
        (Kind.ADMONITION, "Output"),
        (Kind.CODE, ""),
        (Kind.ADMONITION, "app.py"),
        (Kind.ADMONITION, "In a list"),
    ]
    code = next(b for b in structure.blocks if b.kind is Kind.CODE)
    assert code.nest == (Kind.ADMONITION,)
    assert render(text, code).text == "x = 1"
    body = next(b for b in structure.blocks if "words" in text[b.start : b.end])
    assert render(text, body).text == "Some words."
    _check_structure(text, ".md")


def test_a_tabs_body_runs_on_over_blank_lines() -> None:
    """Textual's blog (inline-mode.md): a tab's code with two blank lines in it was cut there (a
    rule of admon's, not Python-Markdown's), the rest read as an indented code block and the
    closing fence left to open a code block running on to the end."""
    text = '=== "app.py"\n    ```python\n    import a\n\n\n    class A:\n        pass\n    ```\n\nAfter.\n'
    structure = parse(text, ".md")
    assert [(b.kind, b.nest) for b in structure.blocks] == [
        (Kind.ADMONITION, ()),
        (Kind.CODE, (Kind.ADMONITION,)),
        (Kind.PARAGRAPH, ()),
    ]
    assert render(text, structure.blocks[1]).text == "import a\n\n\nclass A:\n    pass"
    _check_structure(text, ".md")


def test_snippet_includes_are_one_labelled_row() -> None:
    """Seen all over Textual's docs: a code block holding only `--8<-- "docs/examples/x.py"`
    (pymdownx.snippets) showed that line raw; the file's text is not in this file. Code with a
    snippet line among its own lines, and an escaped `;--8<--`, stay code."""
    text = (
        '```python\n--8<-- "docs/examples/a.py"\n```\n\n'
        '=== "CSS"\n\n    ```\n    --8<--\n    b.css\n    c.css\n    --8<--\n    ```\n\n'
        "--8<-- 'd.md'\n\n"
        '```python\nx = 1\n--8<-- "e.py"\n```\n\n```\n;--8<-- "f.py"\n```\n'
    )
    structure = parse(text, ".md")
    shown = [(b.kind, b.label) for b in structure.blocks]
    assert shown == [
        (Kind.ADMONITION, "Included: docs/examples/a.py"),
        (Kind.ADMONITION, "CSS"),
        (Kind.ADMONITION, "Included: b.css, c.css"),
        (Kind.ADMONITION, "Included: d.md"),
        (Kind.CODE, ""),
        (Kind.CODE, ""),
    ]
    _check_structure(text, ".md")


def test_textual_output_fences_are_a_labelled_row_not_an_empty_code_box() -> None:
    """Textual's docs: the "Output" tab holds an empty `{.textual path=…}` fence (the docs build
    puts a screenshot of that app there), shown as an empty code row under the tab's title.
    Code in such a fence, and an empty fence of another kind, stay code."""
    text = (
        '=== "Output"\n\n    ```{.textual path="docs/examples/widgets/button.py"}\n    ```\n\n'
        '```{.textual path="docs/examples/app.py" press="tab,enter" lines=20}\n```\n\n'
        '```{.textual path="x.py"}\nprint(1)\n```\n\n```python\n```\n'
    )
    structure = parse(text, ".md")
    shown = [(b.kind, b.label) for b in structure.blocks]
    assert shown == [
        (Kind.ADMONITION, "Output"),
        (Kind.ADMONITION, "Output of docs/examples/widgets/button.py (a screenshot made by the docs build)"),
        (Kind.ADMONITION, "Output of docs/examples/app.py (a screenshot made by the docs build)"),
        (Kind.CODE, ""),
        (Kind.CODE, ""),
    ]
    assert structure.blocks[1].nest == (Kind.ADMONITION,)
    assert [render(text, b).text for b in structure.blocks[1:3]] == ["", ""]
    _check_structure(text, ".md")


def test_mkdocstrings_lines_are_labelled_with_their_options_hidden() -> None:
    """Seen in Textual's docs: `::: textual.widgets.Collapsible` and its indented `options:` YAML
    showed as one raw paragraph (mkdocs puts the object's documentation there)."""
    text = "Intro.\n\n::: textual.widgets.Collapsible\n    options:\n      heading_level: 2\n\n::: a.b\n\nAfter.\n"
    structure = parse(text, ".md")
    shown = [(b.kind, b.label) for b in structure.blocks]
    assert shown == [
        (Kind.PARAGRAPH, ""),
        (Kind.ADMONITION, "API: textual.widgets.Collapsible"),
        (Kind.ADMONITION, "API: a.b"),
        (Kind.PARAGRAPH, ""),
    ]
    api = structure.blocks[1]
    assert text[api.start : api.end].endswith("heading_level: 2")
    _check_structure(text, ".md")


def test_mkdocs_icons_are_hidden_and_keys_shown_as_code() -> None:
    """Textual's getting_started.md: "│ :fontawesome-brands-linux: Linux (all distros)" and
    "press ++ctrl+q++" (icon shortcodes, pymdownx.keys: an image and a key in the site) read
    as written; `C++` and `a++b++` are no keys."""
    text = (
        "### :fontawesome-brands-linux: Linux\n\nPress ++ctrl+q++ or ++r++. C++ and C++ stay; a++b++ too.\n\n"
        "| key | what |\n|---|---|\n| ++tab++ | :octicons-book-16: Docs |\n"
    )
    heading, para, table = parse(text, ".md").blocks
    assert render(text, heading).text == "Linux"
    disp = render(text, para)
    assert disp.text == "Press ctrl+q or r. C++ and C++ stay; a++b++ too."
    assert [(disp.text[s:e], k) for s, e, k, _ in disp.styles] == [("ctrl+q", InlineKind.CODE), ("r", InlineKind.CODE)]
    assert [[render(text, table, s, e).text for s, e in row] for row in table.rows] == [
        ["key", "what"],
        ["tab", "Docs"],
    ]
    assert [w for w, _, _ in displayed_words(text, parse(text, ".md"))][:3] == ["Linux", "Press", "ctrl"]
    _check_structure(text, ".md")


def test_attribute_lists_are_hidden() -> None:
    """Textual's index.md: "Get started{ .md-button .md-button--primary } or go…" and
    "• { .lg .middle } Rapid development" (Python-Markdown's attr_list: HTML attributes for the
    site); braces that are no attribute list stay."""
    text = (
        "[Get started](./g.md){ .md-button .md-button--primary } or go\n\n- { .lg .middle } Rapid\n\n"
        "![alt](a.png){ loading=lazy } after {'foo': 1} and {x} stay.\n"
    )
    structure = parse(text, ".md")
    assert [render(text, b).text for b in structure.blocks] == [
        "Get started or go",
        "Rapid",
        "alt after {'foo': 1} and {x} stay.",
    ]
    _check_structure(text, ".md")


def test_sphinx_autodoc_directives_are_api_rows() -> None:
    """Rich's reference pages: `.. automodule:: rich.table` with `:members:` read "rich.table"
    under the heading "rich.table" (an unknown directive is labelled by its argument alone)."""
    text = "rich.table\n==========\n\n.. automodule:: rich.table\n    :members:\n\n.. autoclass:: rich.table.Table\n"
    structure = parse(text, ".rst")
    assert [(b.kind, b.label) for b in structure.blocks if b.kind is Kind.ADMONITION] == [
        (Kind.ADMONITION, "API: rich.table"),
        (Kind.ADMONITION, "API: rich.table.Table"),
    ]
    _check_structure(text, ".rst")


def test_mkdocs_autorefs_links_show_their_text_not_their_brackets() -> None:
    """Seen all over Textual's docs (and their search snippets): `[App.run()][textual.app.App.run]`
    names an identifier no definition in the text gives, so by CommonMark it was literal text,
    brackets and identifier shown. A definition the text does give still wins, and brackets in
    code stay code."""
    text = (
        "Call [App.run()][textual.app.App.run] or see [Widget][].\n\n"
        "A [real one][b] too.\n\n[b]: https://example.org/b\n\nCode `a[0][b]` stays.\n"
    )
    structure = parse(text, ".md")
    first, second = [b for b in structure.blocks if b.kind is Kind.PARAGRAPH and "[" in text[b.start : b.end]][:2]
    assert render(text, first).text == "Call App.run() or see Widget."
    assert [(text[i.start : i.end], i.target) for i in first.inlines] == [
        ("App.run()", "textual.app.App.run"),
        ("Widget", "Widget"),
    ]
    assert [i.target for i in second.inlines] == ["https://example.org/b"]
    code = next(b for b in structure.blocks if "Code" in text[b.start : b.end])
    assert render(text, code).text == "Code a[0][b] stays."
    _check_structure(text, ".md")


def test_a_page_of_directives_is_parsed_by_docutils_once(monkeypatch) -> None:
    """The labels' markup is dropped by pattern: a docutils parse per directive argument (206
    for pytest's changelog) made one page's parse take 13 s under load."""
    from folio_reader.index.document import rest_docutils

    calls: list[int] = []
    original = rest_docutils.doctree
    monkeypatch.setattr(rest_docutils, "doctree", lambda text: calls.append(1) or original(text))
    text = "".join(
        f".. versionchanged:: 8.{n}\n\n   The ``-p{n}`` option.\n\n.. seealso:: :ref:`x{n}`\n\n" for n in range(40)
    )
    structure = parse(text, ".rst")
    assert len(calls) == 1
    assert [b.label for b in structure.blocks if b.kind is Kind.ADMONITION][:2] == [
        "Changed in version 8.0",
        "See also x0",
    ]


def test_options_of_a_directive_docutils_does_not_know_are_options() -> None:
    """Seen in pytest's reference: `.. confval:: addopts` then `:type: ``list[str]``` left the
    option in the argument (docutils reads options only when the spec is truthy, and ours was an
    empty dict), parsed as a field list that the walker found at the next confval's `:type:`
    line: the cursor jumped ahead, 289 blocks ended before they started, the structure was
    refused by the cache (parsed again at every search, 6 s) and the page shown as written."""
    text = "".join(
        f".. confval:: name{n}\n   :type: ``str``\n   :default: ``{n}``\n\n   About {n}.\n\n" for n in range(3)
    )
    structure = parse(text, ".rst")
    assert all(b.start <= b.end for b in structure.blocks)
    paragraphs = [text[b.start : b.end].strip() for b in structure.blocks if b.kind is Kind.PARAGRAPH]
    assert paragraphs == ["About 0.", "About 1.", "About 2."]
    assert [b.label for b in structure.blocks if b.kind is Kind.ADMONITION] == ["name0", "name1", "name2"]
    _check_structure(text, ".rst")
