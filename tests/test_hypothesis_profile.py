"""Hypothesis runs the same examples on CI and random ones locally, with the repository's
example database (tests/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHOW = (
    "import tests.conftest; from hypothesis import settings; s = settings.default;"
    "print(s.derandomize, type(s.database).__name__, s.database)"
)


@pytest.mark.parametrize(("ci", "derandomized", "database"), [("true", True, "NoneType"), ("", False, "Directory")])
def test_ci_is_derandomized_and_local_runs_keep_examples_in_the_repository(
    ci: str, derandomized: bool, database: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    out = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=REPO,
        env={**env, **({"CI": ci} if ci else {})},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split(maxsplit=2)
    assert out[0] == str(derandomized) and out[1].startswith(database), out
    if not derandomized:
        assert str(REPO / "tests" / "hypothesis-examples") in out[2]
