"""A real SSH session: Debian's OpenSSH server on 127.0.0.1, `ssh -tt` from a pseudo-terminal,
the installed `folio` on the other side.

The test makes a throwaway host key and user key, starts `sshd -D` on a free loopback port with a
config of its own (nothing of the machine's SSH setup is used or changed), and logs in as the
current user. `.ci/run` installs `openssh-server` and `openssh-client` on CI; elsewhere the test
is skipped, with the reason, when they are missing or sshd cannot be started.

On the server the command is a small wrapper that starts folio and records its pid and exit
status, forwarding SIGHUP as a login shell forwards it to its foreground job when the
connection drops.
"""

from __future__ import annotations

import getpass
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from folio_reader.index.annotations import decode
from tests.hostile import FOLIO, Pty

pytestmark = pytest.mark.e2e
SSHD = "/usr/sbin/sshd"  # sshd re-executes itself: it wants its absolute path

WRAPPER = """
import signal, subprocess, sys
from pathlib import Path
pid_file, status_file, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
proc = subprocess.Popen(argv)
Path(pid_file).write_text(str(proc.pid))
signal.signal(signal.SIGHUP, lambda *_: proc.send_signal(signal.SIGHUP))  # as a login shell does
Path(status_file).write_text(str(proc.wait()))
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True)


class Server:
    """sshd on 127.0.0.1, with its own keys and config in `folder`."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir()
        self.folder = folder
        self.port = free_port()
        self.user_key = folder / "user_ed25519"
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / "host_ed25519"))
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(self.user_key))
        authorized = folder / "authorized_keys"
        shutil.copy(folder / "user_ed25519.pub", authorized)
        authorized.chmod(0o600)
        self.log = folder / "sshd.log"
        config = folder / "sshd_config"
        config.write_text(
            f"Port {self.port}\n"
            "ListenAddress 127.0.0.1\n"
            f"HostKey {folder / 'host_ed25519'}\n"
            f"AuthorizedKeysFile {authorized}\n"
            f"PidFile {folder / 'sshd.pid'}\n"
            "PubkeyAuthentication yes\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
            "PermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\nPrintMotd no\nPrintLastLog no\n"
            "AcceptEnv LANG LC_*\nLogLevel VERBOSE\n"
        )
        if os.geteuid() == 0:
            Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # its privilege separation directory
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=log, stderr=log)
        end = time.monotonic() + 15
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                break
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        pytest.skip(f"sshd cannot be started here: {self.log.read_text(errors='replace').strip()[-500:]}")

    def ssh(self, remote: str) -> Pty:
        return Pty(
            [
                shutil.which("ssh") or "ssh",
                "-tt",
                "-F",
                "/dev/null",
                "-p",
                str(self.port),
                "-i",
                str(self.user_key),
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "BatchMode=yes",
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                f"UserKnownHostsFile={self.folder / 'known_hosts'}",
                "-o",
                "LogLevel=ERROR",
                f"{getpass.getuser()}@127.0.0.1",
                remote,
            ],
            rows=24,
            cols=80,
        )

    def sessions(self) -> list[int]:
        """The per-connection sshd processes (children of the listener)."""
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                fields = stat.rsplit(")", 1)[1].split()
                if int(fields[1]) == self.proc.pid and fields[0] != "Z":
                    found.append(int(entry.name))
        return found

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def server(tmp_path: Path):
    missing = [tool for tool in ("ssh", "ssh-keygen") if shutil.which(tool) is None] + (
        [] if Path(SSHD).exists() else [SSHD]
    )
    if missing:
        pytest.skip(
            f"OpenSSH is not installed here ({', '.join(missing)} missing): apt-get install openssh-server openssh-client"
        )
    server = Server(tmp_path / "ssh")
    yield server
    server.stop()


def processes_mentioning(marker: str, *, but: int) -> list[str]:
    """Command lines of the processes (but this one and `but`) that mention `marker`."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) not in (os.getpid(), but):
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if marker in cmdline:
                found.append(cmdline)
    return found


def remote_command(home: Path, notes: Path, run_dir: Path) -> str:
    """folio through the wrapper, with the user's dirs in the test's folder."""
    env = {f"XDG_{kind}_HOME": str(home / kind.lower()) for kind in ("CACHE", "DATA", "STATE", "CONFIG")}
    env["HOME"] = str(home)
    argv = [
        sys.executable,
        "-c",
        WRAPPER,
        str(run_dir / "folio.pid"),
        str(run_dir / "folio.status"),
        str(FOLIO),
        "--annotations",
        str(notes),
    ]
    return "env " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " " + shlex.join(argv)


def wait_for_file(path: Path, timeout: float = 60) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if path.exists() and path.read_text().strip():
            return path.read_text().strip()
        time.sleep(0.1)
    raise AssertionError(f"{path} never written")


@pytest.mark.timeout(240)
def test_read_search_annotate_over_ssh_then_drop_the_connection_mid_note(server: Server, tmp_path: Path) -> None:
    home = tmp_path / "remote-home"
    notes = tmp_path / "notes.json"
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()

    term = server.ssh(remote_command(home, notes, first))
    try:
        term.wait_for("In White House meeting", timeout=60)
        term.send("/", settle=0.5)
        term.send('"golden dome"')
        term.wait_for("2 documents")
        term.send("\r")
        term.wait_for("hit 1/1")
        term.send("a", settle=0.8)
        term.wait_for("Note (Markdown")
        term.send("typed over ssh", settle=0.3)
        term.send("\x13")  # ctrl+s
        term.wait_for("✎ typed over ssh")
        term.send("q")
        assert term.wait_exit(timeout=60) == 0  # ssh gives the remote command's status
    finally:
        term.close()
    assert wait_for_file(first / "folio.status") == "0"
    [saved] = [a for a in decode(notes.read_bytes())[0] if not a.deleted]
    assert saved.exact.lower() == "golden dome" and saved.note == "typed over ssh"
    before = notes.read_bytes()

    term = server.ssh(remote_command(home, notes, second))
    try:
        term.wait_for("Canada-US talks resume", timeout=60)  # the last document, reopened
        folio_pid = int(wait_for_file(second / "folio.pid"))
        term.send("}}", settle=0.3)
        term.send("a", settle=0.8)
        term.wait_for("Note (Markdown")
        term.send("half a thou", settle=0.5)
        term.child.kill(signal.SIGKILL)  # the connection drops in the middle of the note
    finally:
        term.close()
    status = int(wait_for_file(second / "folio.status"))  # folio ended, on its own clean path
    assert status == 128 + signal.SIGHUP
    assert not Path(f"/proc/{folio_pid}").exists()
    end = time.monotonic() + 30
    while (server.sessions() or processes_mentioning(str(tmp_path), but=server.proc.pid)) and time.monotonic() < end:
        time.sleep(0.2)
    assert server.sessions() == [], "the session's sshd is still there (its pty not given back)"
    assert processes_mentioning(str(tmp_path), but=server.proc.pid) == [], "a process of the session was left behind"
    assert notes.read_bytes() == before  # what was saved is intact, untouched
    assert decode(notes.read_bytes())[1] == []
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".notes.json.", "notes.json.unsaved"))]
    state = json.loads(next((home / "state" / "folio").glob("*.json")).read_text())
    assert state["last"]["rel"] == "002_7e2b7b2634023611.txt"  # the reading place was saved on the way out
