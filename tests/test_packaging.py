"""The wheel installs one import package, `folio_reader`, with the seeds inside it.

Folio's repository keeps top-level `index/`, `tui/` and `seeds/` folders, but what is installed
must not be called `index`, `tui` or `seeds`: PyPI has distributions installing those very names.
This builds the real wheel (with pip, as a user's `pip install .` would) and reads its file list.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    (path,) = out.glob("folio_reader-*.whl")
    return zipfile.ZipFile(path)


def test_the_only_top_level_name_is_folio_reader(wheel: zipfile.ZipFile) -> None:
    tops = {name.split("/")[0] for name in wheel.namelist()}
    dist_info = {t for t in tops if t.endswith(".dist-info")}
    assert len(dist_info) == 1
    assert tops - dist_info == {"folio_reader"}
    entry_points = wheel.read(f"{dist_info.pop()}/entry_points.txt").decode()
    assert "folio = folio_reader.tui.cli:main" in entry_points


def test_every_source_module_and_the_seeds_are_in_the_wheel(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for folder in ("index", "tui"):
        for source in (ROOT / folder).rglob("*"):
            if source.suffix in (".py", ".tcss") and "__pycache__" not in source.parts:
                assert f"folio_reader/{source.relative_to(ROOT).as_posix()}" in names, source
        assert f"folio_reader/{folder}/py.typed" in names
    seeds = sorted(p.name for p in (ROOT / "seeds").iterdir() if p.suffix in (".txt", ".toml"))
    assert len(seeds) == 6
    for name in seeds:
        data = wheel.read(f"folio_reader/seeds/{name}")
        assert data == (ROOT / "seeds" / name).read_bytes(), name
