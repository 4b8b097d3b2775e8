"""`folio search … | head -1`: a reader that goes away is not an error.

Each command that writes to stdout is run with its stdout a pipe whose reading end is already
closed, so its first write meets EPIPE whatever the size of its output (with `head -1` that
happens only when the output outgrows the pipe's buffer). Every one must end with status 0 and
write nothing to stderr: no traceback, no "Exception ignored" at exit (status 120), and not
Rich's own handling (status 1, which `folio search` uses for "no results").
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.helpers import SEED_NAMES
from tests.hostile import FOLIO


def run_into_a_closed_pipe(*args: str) -> subprocess.CompletedProcess[bytes]:
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody reads: the first write fails with EPIPE
    try:
        return subprocess.run(
            [str(FOLIO), *args], stdout=write_end, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=120
        )
    finally:
        os.close(write_end)


def test_every_command_that_writes_to_stdout_ends_quietly_on_a_closed_pipe(tmp_path: Path) -> None:
    assert subprocess.run([str(FOLIO), "index"], capture_output=True, timeout=300).returncode == 0
    export = tmp_path / "export.json"
    export.write_bytes(
        subprocess.run([str(FOLIO), "annotations", "export", "--format", "w3c"], capture_output=True).stdout
    )
    a, b = SEED_NAMES[0], SEED_NAMES[1]
    commands = [
        ["search", "carney"],  # Rich text
        ["search", "carney", "--json"],  # plain writes
        ["search", "zzqxnothing"],  # "No documents match" (status 1 when it is read)
        ["index"],
        ["list"],
        ["list", "--json"],
        ["compare", a, b],  # the plain-text report (stdout is not a terminal)
        ["compare", a, b, "--json"],
        ["annotations", "list"],
        ["annotations", "list", "--json"],
        ["annotations", "export"],
        ["annotations", "export", "--format", "w3c"],
        ["annotations", "import", str(export), "--dry-run"],
        ["annotations", "path"],
        ["--help"],
        ["search", "--help"],
        ["--version"],
    ]
    failures = []
    for args in commands:
        done = run_into_a_closed_pipe(*args)
        if done.returncode != 0 or done.stderr:
            failures.append((args, done.returncode, done.stderr[-400:]))
    assert not failures


def test_head_reads_the_first_line_and_folio_ends_with_zero(tmp_path: Path) -> None:
    """The shell pipeline itself, on text output larger than a pipe's buffer (400 hits)."""
    corpus = tmp_path / "many"
    corpus.mkdir()
    for i in range(400):
        (corpus / f"note {i:04d}.txt").write_text(f"Tariffs, note {i}.\n\n" + "tariff quota levy " * 200)
    script = f'"{FOLIO}" search tariff --corpus "{corpus}" --limit 400 | head -1; echo "status ${{PIPESTATUS[0]}}"'
    done = subprocess.run(["bash", "-c", script], capture_output=True, timeout=300)
    first, status = done.stdout.splitlines()
    assert b"Tariffs, note" in first and status == b"status 0", done.stdout[-300:]
    assert done.stderr == b""
