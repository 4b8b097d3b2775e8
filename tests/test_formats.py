"""The seam between the corpus and the extractors: dispatch, canonical text, the cache key and
cache, results that survive JSON, the missing extra named, and imports kept lazy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from folio_reader.index.corpus import canonical_text, content_hash
from folio_reader.index.formats import (
    Extracted,
    ExtractionError,
    cache_key,
    extract,
    extractor_version,
    format_of,
    install_command,
    unavailable,
)
from folio_reader.index.formats import deps as formats_deps
from folio_reader.index.formats.cache import ExtractCache
from tests.formats_files import article_html, make_epub, make_pdf, typeset

SAMPLES = {
    ".html": article_html,
    ".epub": make_epub,
    ".pdf": lambda: make_pdf([typeset(["One paragraph of a report."]), typeset(["Another page."])], {"Title": "R"}),
}


@pytest.mark.parametrize("suffix", sorted(SAMPLES))
def test_each_format_gives_canonical_text_that_survives_json(suffix: str) -> None:
    x = extract(suffix, SAMPLES[suffix]())
    assert x.text and canonical_text(x.text) == x.text and "\r" not in x.text
    assert Extracted.from_json(json.loads(json.dumps(x.to_json()))) == x
    assert x.extractor_version == extractor_version(format_of(suffix) or "")
    for section in x.sections:
        assert 0 <= section.start < section.end <= len(x.text)


def test_suffixes_and_unknown_ones() -> None:
    assert [format_of(s) for s in (".HTML", ".htm", ".xhtml", ".Epub", ".pdf", ".txt")] == [
        "html",
        "html",
        "html",
        "epub",
        "pdf",
        None,
    ]
    with pytest.raises(ExtractionError, match=r"^no extractor for \.docx$"):
        extract(".docx", b"PK")


def test_the_cache_key_changes_with_the_content_and_the_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    digest = content_hash(b"a")
    key = cache_key(".pdf", digest)
    assert key == cache_key(".PDF", digest) and len(key) == 64
    assert key != cache_key(".pdf", content_hash(b"b"))
    assert key != cache_key(".epub", digest)
    monkeypatch.setitem(formats_deps.REVISIONS, "pdf", formats_deps.REVISIONS["pdf"] + 1)
    assert cache_key(".pdf", digest) != key
    assert "pypdfium2-" in extractor_version("pdf") and "trafilatura-" in extractor_version("html")


def test_the_cache_stores_and_misses(tmp_path: Path) -> None:
    cache = ExtractCache(tmp_path / "extracted")
    data = make_epub()
    key = cache_key(".epub", content_hash(data))
    assert cache.get(key) is None
    x = extract(".epub", data)
    cache.put(key, x)
    assert cache.get(key) == x
    assert cache.path(key).stat().st_mode & 0o777 == 0o600
    cache.path(key).write_text('{"format": "epub", "text": 3}')  # damaged: a miss, then replaced
    assert cache.get(key) is None
    cache.put(key, x)
    assert cache.get(key) == x


@pytest.mark.parametrize(("suffix", "module"), [(".pdf", "pypdfium2"), (".epub", "lxml"), (".html", "trafilatura")])
def test_without_the_extra_each_format_names_the_install_command(
    monkeypatch: pytest.MonkeyPatch, suffix: str, module: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    fmt = format_of(suffix) or ""
    reason = unavailable(fmt)
    assert reason is not None and f"({module} is not installed)" in reason and reason.endswith(install_command())
    with pytest.raises(ExtractionError) as caught:
        extract(suffix, SAMPLES[suffix]())
    assert str(caught.value) == reason


def test_the_extra_is_installed_here() -> None:
    assert [unavailable(f) for f in ("html", "epub", "pdf")] == [None, None, None]


def test_importing_the_core_does_not_import_the_libraries() -> None:
    code = (
        "import json, sys\n"
        "import folio_reader.index.corpus\n"
        "import folio_reader.index.formats as f\n"
        "import folio_reader.index.formats.html, folio_reader.index.formats.epub, folio_reader.index.formats.pdf\n"
        "import folio_reader.index.formats.cache, folio_reader.index.formats.mdwriter\n"
        "f.unavailable('html'); f.extractor_version('pdf'); f.cache_key('.epub', '0' * 64)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('trafilatura', 'lxml', 'pypdfium2', 'justext'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(done.stdout) == []
