"""The installed `folio` under output encodings and locales that are not UTF-8 (issue 13 item 10).

`PYTHONIOENCODING=ascii` (or latin-1): text output replaces what it cannot encode, JSON escapes
it (and stays exact). A C locale without UTF-8 mode: a query typed in UTF-8 still finds what it
names, and one that is not UTF-8 at all is an ordinary query, never a traceback.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.hostile import FOLIO

#: the seed whose title holds "führer"
FUHRER_SEED = "000_4516db8e315558cc.txt"


def folio(*args: str | bytes, env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    base = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8") and not k.startswith("LC_")
    }
    return subprocess.run([str(FOLIO), *args], capture_output=True, timeout=120, env={**base, **env})


C_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_text_output_in_an_encoding_that_lacks_its_characters(encoding: str) -> None:
    env = {"PYTHONIOENCODING": encoding}
    for args in (["search", "carney", "--limit", "3"], ["search", "führer"], ["search", "zzqxnothing"]):
        done = folio(*args, env=env)
        assert done.returncode in (0, 1) and b"Traceback" not in done.stderr, done.stderr
        text = done.stdout.decode(encoding)  # what was written is that encoding
        assert ("Carney" in text) if args[1] == "carney" else True
    assert "f?hrer" in folio("search", "führer", env={"PYTHONIOENCODING": "ascii"}).stdout.decode("ascii")


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_json_output_stays_exact_in_any_encoding(encoding: str) -> None:
    expected = json.loads(folio("search", "führer", "--json", env={"PYTHONIOENCODING": "utf-8"}).stdout)
    done = folio("search", "führer", "--json", env={"PYTHONIOENCODING": encoding})
    assert done.returncode == 0, done.stderr
    hits = json.loads(done.stdout.decode(encoding))
    drop_timing = [{k: v for k, v in h.items() if k != "score"} for h in hits]
    assert drop_timing == [{k: v for k, v in h.items() if k != "score"} for h in expected]
    assert "führer" in hits[0]["title"]


def test_a_utf8_query_under_a_c_locale_finds_what_it_names() -> None:
    done = folio("search", "führer", "--json", env=C_LOCALE)
    assert done.returncode == 0, done.stderr
    assert FUHRER_SEED in {h["path"] for h in json.loads(done.stdout)}
    text = folio("search", "führer", env=C_LOCALE)
    assert text.returncode == 0 and b"Traceback" not in text.stderr
    assert b"f?hrer" in text.stdout  # the title, as the C locale's ASCII can show it


def test_a_query_that_is_not_utf8_is_an_ordinary_query() -> None:
    for env in (C_LOCALE, {"LANG": "C.UTF-8"}):
        done = folio("search", b"f\xfchrer", env=env)  # a Latin-1 terminal's "führer"
        assert done.returncode == 1 and b"Traceback" not in done.stdout + done.stderr, done.stderr
        assert b"No documents match" in done.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["index"],
        ["compare", FUHRER_SEED, "001_b23a58cccaa29fe1.txt"],
        ["annotations", "list"],
        ["annotations", "export"],
        ["--help"],
    ],
    ids=["index", "compare", "annotations-list", "annotations-export", "help"],
)
def test_every_command_prints_under_ascii(args: list[str], tmp_path) -> None:
    extra = ["--index-dir", str(tmp_path / "ix")] if args == ["index"] else []
    extra += ["--annotations", str(tmp_path / "notes.json")] if args[0] == "annotations" else []
    done = folio(*args, *extra, env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr
    done.stdout.decode("ascii")
