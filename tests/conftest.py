"""Shared fixtures: every test gets its own XDG dirs, so nothing touches the real home."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.helpers", "tests.hostile")  # (imported here, before pytest would)

from hypothesis import settings  # noqa: E402
from hypothesis.database import DirectoryBasedExampleDatabase  # noqa: E402

from folio_reader.index.corpus import seeds_path  # noqa: E402
from tests.helpers import ROOT, SEED_NAMES  # noqa: E402

# Hypothesis: random locally, with the failing examples it finds kept in the repository's
# example database, tests/hypothesis-examples/ (committed, so a failure found on one machine is
# tried first on every other until it passes); the same examples every run on CI (CI=true:
# derandomized, which Hypothesis runs without a database, so a failure worth keeping for CI
# also becomes an `@example` on its test). HYPOTHESIS_PROFILE=ci or =dev picks one by hand.
EXAMPLES = DirectoryBasedExampleDatabase(ROOT / "tests" / "hypothesis-examples")
# No deadline in either: a property's examples timed against 200 ms is a timed assertion, and
# the suite runs in two processes on shared machines (speed lives in tests/bench/).
settings.register_profile("dev", derandomize=False, database=EXAMPLES, deadline=None)
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") == "true" else "dev"))

# The hostile-corpus fixtures live with the generator that builds them; the app's (notifications)
# with the other shared helpers.
pytest_plugins = ["tests.hostile", "tests.helpers"]

__all__ = ["ROOT", "SEED_NAMES"]  # (still imported from here by some modules: tests.helpers is their home)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CONFIG_HOME", "config"),
    ):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("HOME", str(home))
    # pytest-xdist's workers are given LINES=24 and COLUMNS=80, which Textual takes over the size
    # of the terminal a test's pty has: the app under test must see its own terminal's size
    monkeypatch.delenv("LINES", raising=False)
    monkeypatch.delenv("COLUMNS", raising=False)
    return home


@pytest.fixture
def seed_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled seeds (with their catalog)."""
    dest = tmp_path / "seeds"
    dest.mkdir()
    for name in [*SEED_NAMES, "catalog.toml"]:
        shutil.copy2(seeds_path() / name, dest / name)
    return dest
