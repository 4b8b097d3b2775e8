"""Saved web pages: the article without its boilerplate, its structure and metadata; pages that
are not articles; limits; bad input given a reason."""

from __future__ import annotations

import datetime as dt
import sys

import pytest

from folio_reader.index.formats import ExtractionError, extract
from folio_reader.index.formats import html as html_extractor
from tests.formats_files import ARTICLE_PARAGRAPHS, INDEX_PAGE, article_html
from tests.test_formats_writer import _MD, blocks

BOILERPLATE = [
    "Subscribe today",
    "SkyDeals",
    "ad-network-beacon",
    "Related stories",
    "Sea wall repairs delayed",
    "seagull42",
    "brilliant news",
    "council tax",
    "All rights reserved",
    "Privacy policy",
    "Cookie settings",
]


def test_the_article_without_navigation_ads_comments_or_footer() -> None:
    x = extract(".html", article_html())
    for phrase in BOILERPLATE:
        assert phrase not in x.text, phrase
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in x.text
    assert (x.format, x.markdown) == ("html", True)
    assert (x.title, x.title_source) == ("Harbour council votes to rebuild the old pier", "metadata")
    assert (x.author, x.date, x.outlet) == ("Maria Okafor", dt.date(2025, 6, 14), "The Coastline Courier")
    assert x.notes == ()


def test_the_article_keeps_its_structure() -> None:
    x = extract(".htm", article_html())
    found = blocks(x.text)
    assert found[0] == ("h1", "Harbour council votes to rebuild the old pier")
    assert ("h2", "What the plan includes") in found
    assert [t for kind, t in found if kind == "li>p"] == [
        "A new hardwood deck on the original piles",
        "A lifeboat slipway at the seaward end",
        "Lighting that does not disturb nesting terns",
    ]
    assert any(kind == "quote>p" and t.startswith("“We are not building a monument") for kind, t in found)
    assert [t for kind, t in found if kind.startswith("table")] == [
        "Source",
        "Amount",
        "Heritage fund",
        "£2.5m",
        "Council reserves",
        "£1.7m",
    ]
    assert ("fence:", "phase 1: survey piles   (July)\nphase 2: lay deck       (September)\n") in found
    assert any(
        t.endswith("which flooded twice last winter, and asked for a public vote before work begins.") for _, t in found
    )
    links = [
        tok.attrs["href"]
        for block in _MD.parse(x.text)
        if block.type == "inline"
        for tok in block.children or []
        if tok.type == "link_open"
    ]
    assert links == ["pier-budget.html"]  # a link to another document of the corpus keeps its target


def test_a_page_that_is_not_an_article_still_shows_its_text() -> None:
    x = extract(".html", INDEX_PAGE)
    assert blocks(x.text) == [
        ("h1", "Archive"),
        ("li>p", "First story"),
        ("li>p", "Second story"),
        ("p", "Email Sign up"),
    ]
    assert x.title == "Archive"
    assert x.notes == ("no article found on this page: all of its text is shown",)


def test_a_page_over_the_article_limit_is_shown_whole_with_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    page = article_html()
    monkeypatch.setattr(html_extractor, "MAX_ARTICLE_BYTES", len(page) - 1)
    x = extract(".html", page)
    assert "Subscribe today" in x.text and ARTICLE_PARAGRAPHS[0] in x.text
    assert x.notes[0].startswith("page over ")
    assert (x.title, x.author, x.outlet) == (
        "Harbour council votes to rebuild the old pier",
        "Maria Okafor",
        "The Coastline Courier",
    )
    assert x.date == dt.date(2025, 6, 14)


def test_a_page_over_the_size_limit_is_refused_with_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_extractor, "MAX_HTML_BYTES", 1024 * 1024)
    with pytest.raises(ExtractionError, match=r"^web page too large: 2 MB \(the limit is 1 MB\)$"):
        extract(".html", b"<p>" + b"x" * (2 * 1024 * 1024) + b"</p>")


def test_same_bytes_same_result() -> None:
    page = article_html(extra_paragraphs=30)
    assert extract(".html", page) == extract(".html", page)


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02\xff" * 1000,
        b"<html><body><script>only script</script></body></html>",
        b"   \n\t  ",
    ],
    ids=["binary", "script only", "blank"],
)
def test_pages_without_words_get_a_reason(data: bytes) -> None:
    with pytest.raises(ExtractionError) as caught:
        extract(".html", data)
    assert str(caught.value)


def test_control_characters_in_a_page_are_made_inert() -> None:
    x = extract(
        ".xhtml", b"<html><body><h1>Bell\x07 and \x1b[31mred</h1><p>Body \x1b]0;title\x07 text.</p></body></html>"
    )
    assert "\x1b" not in x.text and "\x07" not in x.text
    assert "␛\\[31mred" in x.text  # the bracket escaped: text, not a link


def test_without_the_extra_a_page_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    from folio_reader.index.formats import install_command, unavailable

    reason = unavailable("html")
    assert (
        reason
        == f"a web page needs Folio's formats extra (trafilatura is not installed): install it with {install_command()}"
    )
    assert install_command().endswith(" -m pip install 'folio-reader[formats]'")
    with pytest.raises(ExtractionError) as caught:
        extract(".html", article_html())
    assert str(caught.value) == reason
