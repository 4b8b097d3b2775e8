"""The Markdown every extractor writes, read back by markdown-it-py (the parser the Markdown block
model uses): the structure it meant, and document text that stays text (escaped, never markup)."""

from __future__ import annotations

import html

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from folio_reader.index.formats.mdwriter import Options, escape_paragraph, heading_line, to_markdown

_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def plain(inline: Token) -> str:
    """The text an inline token shows, markers and escapes resolved."""
    out = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", "text_special"):
            out.append(child.content)
        elif child.type == "softbreak":
            out.append(" ")
        elif child.type == "hardbreak":
            out.append("\n")
    return "".join(out)


def blocks(markdown: str) -> list[tuple[str, str]]:
    """(what, text) per leaf block: "h2", "p", "li>p", "quote>p", "fence:python", "table" ..."""
    out: list[tuple[str, str]] = []
    stack: list[str] = []
    tokens = _MD.parse(markdown)
    for i, tok in enumerate(tokens):
        if tok.type in ("bullet_list_open", "ordered_list_open", "list_item_open", "blockquote_open", "table_open"):
            stack.append({"list_item_open": "li", "blockquote_open": "quote", "table_open": "table"}.get(tok.type, ""))
        elif tok.type in (
            "bullet_list_close",
            "ordered_list_close",
            "list_item_close",
            "blockquote_close",
            "table_close",
        ):
            stack.pop()
        elif tok.type == "inline":
            parent = tokens[i - 1]
            kind = (
                parent.tag
                if parent.type == "heading_open"
                else {"th_open": "th", "td_open": "td"}.get(parent.type, "p")
            )
            out.append((">".join([s for s in stack if s] + [kind]), plain(tok)))
        elif tok.type == "fence":
            out.append((f"fence:{tok.info}", tok.content))
        elif tok.type == "hr":
            out.append(("hr", ""))
    return out


def html_md(fragment: str, **kw: bool | int) -> str:
    parser = lxml.html.HTMLParser(huge_tree=True)
    root = lxml.html.document_fromstring(f"<html><body>{fragment}</body></html>", parser=parser)
    return to_markdown(root, Options(**kw))  # type: ignore[arg-type]


def test_structure_survives_the_round_trip() -> None:
    md = html_md(
        "<h1>Title</h1><p>One <em>two</em> <strong>three</strong> <code>x|y</code>.</p>"
        "<ul><li>first</li><li>second<ul><li>nested</li></ul></li></ul>"
        "<ol start='3'><li>three</li><li>four</li></ol>"
        "<blockquote><p>quoted</p><p>twice</p></blockquote>"
        "<pre><code class='language-python'>def f():\n    return '```'</code></pre>"
        "<table><tr><th>a|b</th><th>c</th></tr><tr><td>1</td><td><code>p|q</code></td></tr></table>"
        "<hr><h7>not a heading</h7>"
    )
    assert blocks(md) == [
        ("h1", "Title"),
        ("p", "One two three x|y."),
        ("li>p", "first"),
        ("li>p", "second"),
        ("li>li>p", "nested"),
        ("li>p", "three"),
        ("li>p", "four"),
        ("quote>p", "quoted"),
        ("quote>p", "twice"),
        ("fence:python", "def f():\n    return '```'\n"),
        ("table>th", "a|b"),
        ("table>th", "c"),
        ("table>td", "1"),
        ("table>td", "p|q"),
        ("hr", ""),
        ("p", "not a heading"),
    ]
    assert "3. three\n4. four" in md  # an ordered list keeps its numbers, items tight


def test_emphasis_links_and_skipped_content() -> None:
    md = html_md(
        "<p>See <a href='other.html'>the other page</a>, <a href='javascript:alert(1)'>no script</a>,"
        " <a href='https://example.org/a_(b)'>parens</a>.<script>var x = 1;</script><!-- a comment --></p>"
        "<p><em> spaced </em>and<b></b> <i>(punct)</i>x</p>"
    )
    tokens = _MD.parseInline(md.split("\n\n")[0])[0].children or []
    links = [t.attrs["href"] for t in tokens if t.type == "link_open"]
    assert links == ["other.html", "https://example.org/a_(b)"]
    assert [b[1] for b in blocks(md)] == ["See the other page, no script, parens.", "spaced and (punct)x"]
    assert "var x" not in md and "comment" not in md
    assert html_md("<p><a href='x.html'>kept</a></p>", links=False) == "kept"


def test_document_text_is_escaped_not_read_as_markup() -> None:
    hostile = [
        "# not a heading",
        "> not a quote",
        "- not a list",
        "1986. A fine year",
        "**not bold** and _not em_ and `not code` and [not](a link) and <b>not html</b>",
        "a | table | row",
        "&amp; stays &amp; and ~~not struck~~",
        "===",
        "snake_case_name stays",
        "ends with a backslash \\",
    ]
    md = html_md("".join(f"<p>{html.escape(t)}</p>" for t in hostile))
    assert blocks(md) == [("p", t) for t in hostile]
    assert "snake_case_name" in md  # intraword underscores need no escape


_ALPHABET = st.characters(
    codec="utf-8",
    exclude_categories=("Cs", "Cc", "Zl", "Zp"),
    exclude_characters="\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\u1680\x85",
)
_MARKUP = st.sampled_from(
    [*list("#>*_-+=`[]()<>&|~!\\.:;0123456789 \t\n"), "&amp;", "&#65;", "1. ", "- ", "```", "~~~", "    "]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_MARKUP, st.text(_ALPHABET, max_size=4)), min_size=1, max_size=30).map("".join))
def test_any_text_is_one_paragraph_of_itself(text: str) -> None:
    expected = " ".join(text.split())
    md = escape_paragraph(text)
    if not expected:
        assert md == ""
        return
    assert blocks(md) == [("p", expected)]


@settings(max_examples=100, deadline=None)
@given(st.text(_ALPHABET, min_size=1, max_size=40))
def test_any_label_is_one_heading_of_itself(label: str) -> None:
    expected = " ".join(label.split())
    if expected:
        assert blocks(heading_line(2, label)) == [("h2", expected)]


def test_headings_shift_and_clamp() -> None:
    md = html_md("<h1>a</h1><h3>b</h3><h6>c</h6>", heading_shift=1)
    assert [b[0] for b in blocks(md)] == ["h2", "h4", "h6"]


def test_deep_nesting_is_bounded_and_keeps_its_text() -> None:
    deep = "<div><em>" * 900 + "deep words" + "</em></div>" * 900  # 1,800 levels; lxml reads 2,048
    assert blocks(html_md(deep)) == [("p", "deep words")]
