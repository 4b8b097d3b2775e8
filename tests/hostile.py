"""A hostile corpus, generated at test time (nothing binary is committed).

`build_hostile_corpus(root)` fills a folder with what an uncurated folder holds: terminal
escape sequences, text that looks like Rich/Textual markup, broken and foreign encodings, NUL
bytes, a BOM with CRLF endings, a 3 MB single line, a 35 MB file, empty and blank files, wide and
combining and right-to-left scripts, a PNG named `.txt`, awkward file names, a folder named
`x.txt`, symlinks out of the corpus and in a loop. It returns a `HostileCorpus` saying what each
file should become: a readable document (with a word found only in it) or a problem (with the
start of its reason).

The escape payloads carry marker strings (`owned-title`, `evil.example`, …) so that a test can
look for them among the bytes written to a terminal: a payload that reached the terminal raw
shows up as ESC followed by its marker.
"""

from __future__ import annotations

import json
import os
import re
import struct
import sys
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pexpect
import pyte
import pytest

FOLIO = Path(sys.executable).with_name("folio")

#: Sequences a document must never get to the terminal (each ends in a marker to look for).
ESCAPES = {
    "clear": "\x1b[2J\x1b[H",
    "title": "\x1b]0;owned-title\x07",
    "title2": "\x1b]2;owned-title-two\x1b\\",
    "clipboard": "\x1b]52;c;b3duZWQtY2xpcGJvYXJk\x07",  # base64 of "owned-clipboard"
    "link": "\x1b]8;;http://evil.example/\x07click me\x1b]8;;\x07",
    "colour": "\x1b[31;1mred\x1b[0m",
    "c1": "\x9b2J\x9d0;owned-c1\x9c",  # the 8-bit forms (C1 CSI, OSC, ST) as code points
    "bell": "\x07\x07",
}
#: Byte strings that would show that a payload was written raw: each sequence as it stands in
#: the document, and C1 controls (U+0080-U+009F) encoded as UTF-8.
RAW_MARKERS = (
    *((seq + " after").encode() for seq in ESCAPES.values()),
    b"\x1b]0;owned",
    b"\xc2\x9b",
    b"\xc2\x9c",
    b"\xc2\x9d",
)
#: The colour Textual's default theme draws a focused input's border in (as pyte reports it).
FOCUS_COLOUR = "0178d4"
#: The only OSC Textual itself writes (22: the pointer shape).
TEXTUAL_OSCS = {b"22"}


def raw_escapes(raw: bytes) -> list[bytes]:
    """What in the bytes written to a terminal came from a document: markers of the payloads,
    and any OSC that Textual does not write itself (a title, the clipboard, a hyperlink)."""
    found = [m for m in RAW_MARKERS if m in raw]
    for m in re.finditer(rb"\x1b\](\d*)", raw):
        if m.group(1) not in TEXTUAL_OSCS:
            found.append(raw[m.start() : m.start() + 40])
    return found


MARKUP = "[bold]not bold[/] [/] [link=http://evil.example/]a link[/link] [@click=app.quit]quit[/] [red on white]x[/]"
#: Lines of wide, combining and right-to-left text, each ending in `|end`: a terminal that draws
#: them as Folio measured them puts `|` exactly `cell_len(prefix)` cells after the line's start.
ALIGNED = (
    "宽字符宽字符",
    "日本語のテキスト",
    "한국어 텍스트",
    "😀😀🎉 emoji",
    "e\u0301te\u0301 cafe\u0301 combining",
    "مرحبا بالعالم right to left",
    "שלום עולם right to left",
)
#: Sequences terminals disagree on (ZWJ families, flags): shown, not measured.
UNMEASURED = "👩\u200d👩\u200d👧 family, 🇨🇦 flag, \u202eevil override\u202c done"
SCRIPTS = "\n\n".join([*(f"{line}|end" for line in ALIGNED), UNMEASURED]) + "\n"
BIG_BYTES = 35 * 1024 * 1024
LONG_LINE_BYTES = 3 * 1024 * 1024


@dataclass
class HostileCorpus:
    root: Path
    #: rel -> a word found only in that document (readable documents)
    readable: dict[str, str] = field(default_factory=dict)
    #: rel -> how its reason starts (what is listed as unreadable)
    unreadable: dict[str, str] = field(default_factory=dict)


def png_bytes() -> bytes:
    """A real 16x16 PNG (what a renamed image holds)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\0" + bytes(range(48)) for _ in range(16))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def prose(words: int, marker: str) -> str:
    base = [
        "the",
        "committee",
        "read",
        "the",
        "long",
        "report",
        "about",
        "trade",
        "and",
        "tariffs",
        "before",
        "the",
        "meeting",
    ]
    out = [base[i % len(base)] for i in range(words)]
    out[len(out) // 2] = marker
    return " ".join(out)


def build_hostile_corpus(root: Path, *, big: bool = True) -> HostileCorpus:
    """Fill `root` (made if missing) with the hostile files; `big=False` leaves out the 35 MB file."""
    root.mkdir(parents=True, exist_ok=True)
    hc = HostileCorpus(root)

    def doc(rel: str, data: bytes | str, marker: str) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        hc.readable[rel] = marker

    def bad(rel: str, data: bytes | None, reason: str) -> None:
        if data is not None:
            (root / rel).write_bytes(data)
        hc.unreadable[rel] = reason

    escapes = "".join(f"{name}: {seq} after\n" for name, seq in ESCAPES.items())
    doc("escapes.txt", f"Escape sequences\n\nansimarker here\n{escapes}" * 3, "ansimarker")
    doc("markup.md", f"# Markup [bold]title[/]\n\nmarkupmarker {MARKUP}\n\n{MARKUP}\n", "markupmarker")
    doc(
        "invalid-utf8.txt",
        b"Invalid bytes\n\nbrokenmarker " + ("valid text " * 200).encode() + b"\xff\xfe\xc3(\xa0\xa1 end\n",
        "brokenmarker",
    )
    doc("nul.txt", b"Nul bytes\n\nnulmarker " + ("plain words " * 60).encode() + b"a\0b\0c\n", "nulmarker")
    doc("latin1.txt", "Café crème\n\nlatinmarker naïve résumé, déjà vu à Montréal\n".encode("latin-1"), "latinmarker")
    doc(
        "bom-crlf.txt",
        b"\xef\xbb\xbf" + b"Windows file\r\n\r\ncrlfmarker first line\r\nsecond line\r\n\r\nlast\r\n",
        "crlfmarker",
    )
    line = prose(LONG_LINE_BYTES // 6, "longlinemarker")
    doc("long-line.txt", line[:LONG_LINE_BYTES], "longlinemarker")
    if big:
        paragraph = prose(120, "bigmarker") + "\n\n"  # the marker in every paragraph; the last one at the end
        count = BIG_BYTES // len(paragraph) + 1
        with open(root / "huge.txt", "w", encoding="utf-8") as f:
            f.write("A very large file\n\n")
            for _ in range(count):
                f.write(paragraph)
            f.write("the last words: hugeendmarker\n")
        hc.readable["huge.txt"] = "bigmarker"
    doc("scripts.md", f"Scripts\n\nscriptmarker\n\n{SCRIPTS}", "scriptmarker")
    doc("with spaces é ñ.txt", "Spaces in the name\n\nspacemarker text\n", "spacemarker")
    doc("日本語の名前.md", "Japanese name\n\ncjknamemarker text\n", "cjknamemarker")
    doc("esc\x1b]0;owned-name\x07.txt", "Escape in the name\n\nescnamemarker text\n", "escnamemarker")
    doc("[bold]name[/] [@click=app.quit].md", "Markup in the name\n\nmarkupnamemarker text\n", "markupnamemarker")
    bad(os.fsdecode(b"bad-\xff-name.txt"), b"Invalid UTF-8 in the name\n", "the file name is not valid UTF-8")
    doc("x.txt/inner.md", "Inside a folder named x.txt\n\ninnermarker text\n", "innermarker")
    bad("image.txt", png_bytes(), "binary file")
    bad("empty.txt", b"", "empty file")
    bad("blank.md", b"  \n\t\n\r\n   \n", "no text")
    hc.unreadable["x.txt"] = "is a folder"
    os.symlink("/etc/passwd", root / "passwd.txt")
    hc.unreadable["passwd.txt"] = "symlink leads outside the corpus"
    os.symlink("loop.txt", root / "loop.txt")
    hc.unreadable["loop.txt"] = "symlink loop"
    (root / "sub").mkdir()
    doc("sub/deeper.txt", "A sub folder\n\nsubmarker text\n", "submarker")
    os.symlink("..", root / "sub" / "back")
    hc.unreadable["sub/back"] = "symlink loop"
    return hc


#: File names that try to reach the terminal: each readable one holds a document with its marker.
HOSTILE_NAMES = {
    "osc-title\x1b]0;owned-name\x07.txt": "osctitlemarker",
    "osc-clip\x1b]52;c;b3duZWQ=\x07.md": "oscclipmarker",
    "clear\x1b[2J\x1b[H.txt": "clearmarker",
    "sgr\x1b[31;1mred.txt": "sgrmarker",
    "c1\x9b2J\x9d0;owned-c1\x9c.txt": "conemarker",
    "new\nline.txt": "newlinemarker",
    "tab\tcr\rdel\x7fbell\x07.txt": "controlsmarker",
    "[bold]markup[/] [@click=app.quit].md": "markupnamemarker",
    "dir\x1b]0;owned-dir\x07/inner.txt": "dirnamemarker",
}
#: Hostile names of files that are not documents (listed as skipped, with their reason).
HOSTILE_SKIPPED = {
    "binary\x1b]0;owned-bin\x07.txt": "binary file",
    "empty\x1b[2J\n.txt": "empty file",
    "link\x1b]2;owned-link\x1b\\.txt": "symlink leads outside the corpus",
    os.fsdecode(b"bad-\xff\x1b[2J.txt"): "the file name is not valid UTF-8",
}
#: A catalog entry whose title, outlet and author hold escapes and a newline (for `HOSTILE_CATALOGUED`).
HOSTILE_CATALOGUED = "catalogued.txt"
HOSTILE_CATALOG = (
    '["catalogued.txt"]\n'
    'title = "Cata\\u001b]0;owned-cat\\u0007logued\\ntitle"\n'
    'outlet = "Out\\u001b[2Jlet\\u009b"\n'
    'author = "Au\\u001b]52;c;b3duZWQ=\\u0007thor"\n'
)


def build_hostile_names(root: Path) -> HostileCorpus:
    """A corpus of small documents whose names (and catalog metadata) carry terminal escapes,
    C1 controls and newlines: every document holds its marker and the word `committee`."""
    root.mkdir(parents=True, exist_ok=True)
    hc = HostileCorpus(root)
    for n, (rel, marker) in enumerate([*HOSTILE_NAMES.items(), (HOSTILE_CATALOGUED, "cataloguedmarker")]):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = f"Hostile name {n}\n\n{marker} and the committee read the report on trade and tariffs.\n"
        path.write_text(text * 2, encoding="utf-8")
        hc.readable[rel] = marker
    (root / "catalog.toml").write_text(HOSTILE_CATALOG, encoding="utf-8")
    for rel, reason in HOSTILE_SKIPPED.items():
        path = root / rel
        if reason == "binary file":
            path.write_bytes(png_bytes())
        elif reason == "empty file":
            path.write_bytes(b"")
        elif reason.startswith("symlink"):
            os.symlink("/etc/passwd", path)
        else:
            path.write_bytes(b"a document behind a name that is not UTF-8\n")
        hc.unreadable[rel] = reason
    return hc


#: the document of an orphaned note in `write_hostile_annotations` (it does not exist)
HOSTILE_GONE = "gone\x1b]0;owned-gone\x07\n.txt"
HOSTILE_NOTE = "a note \x1b]0;owned-note\x07 [bold]x[/]\x9b2J\nsecond line"
HOSTILE_TAG = "tag\x1b[2J\x1b]52;c;b3duZWQ=\x07"


def write_hostile_annotations(hc: HostileCorpus, path: Path) -> None:
    """An annotations file as another program might write it: a note on the marker of every
    readable document, with escapes in its note and tag, and an orphan whose document (a hostile
    name too) is gone."""
    from folio_reader.index.annotations import Annotation, encode
    from folio_reader.index.corpus import open_corpus

    corpus = open_corpus(hc.root)
    entries = []
    for rel, marker in hc.readable.items():
        doc = corpus.load(rel)
        start = doc.text.index(marker)
        ann = Annotation.new(doc, start, start + len(marker), note=HOSTILE_NOTE, tags=[HOSTILE_TAG])
        entries.append(ann.to_w3c())
    orphan = json.loads(json.dumps(entries[0]))
    orphan["id"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
    orphan["target"]["source"] = HOSTILE_GONE
    orphan["target"]["selector"][0].update(exact="a vanished passage", prefix="", suffix="")
    data = json.loads(encode([]))
    data["annotations"] = [*entries, orphan]
    path.write_text(json.dumps(data), encoding="utf-8")


def leaked_controls(raw: bytes, names: list[str] | None = None) -> list[bytes]:
    """What a terminal would act on in bytes written by Folio: a payload marker or a foreign OSC
    (`raw_escapes`), a C1 control encoded as UTF-8, or a name's control character
    written raw with the characters around it. (Textual's and Rich's own sequences pass.)"""
    found = raw_escapes(raw) + re.findall(rb"\xc2[\x80-\x9f]", raw)
    for name in names or ():
        data = name.encode("utf-8", "surrogateescape")
        found += [data[max(0, m.start() - 6) : m.start() + 6] for m in re.finditer(rb"[\x00-\x08\x0b-\x1f\x7f]", data)]
    return [f for f in found if f in raw]


@pytest.fixture(scope="session")
def hostile_corpus(tmp_path_factory: pytest.TempPathFactory) -> HostileCorpus:
    """The hostile corpus, built once per test session; tests must not change it."""
    return build_hostile_corpus(tmp_path_factory.mktemp("hostile") / "corpus")


@pytest.fixture
def small_hostile_corpus(tmp_path: Path) -> HostileCorpus:
    """The hostile corpus without the 35 MB file, in this test's own folder (free to change)."""
    return build_hostile_corpus(tmp_path / "corpus", big=False)


class Pty:
    """A command in a pseudo-terminal, its output fed to a pyte screen; every byte kept.

    Like `tests.helpers.Terminal`, for any command and size, with what the hostile, fault,
    signal and SSH tests need besides (waiting on a condition, the exit status).
    """

    def __init__(self, argv: list[str], *, rows: int = 24, cols: int = 80, env: dict[str, str] | None = None) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor", **(env or {})}
        self.child = pexpect.spawn(argv[0], argv[1:], env=env, dimensions=(rows, cols))

    @classmethod
    def folio(cls, *args: str, **kwargs) -> Pty:
        return cls([str(FOLIO), *args], **kwargs)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def pump(self, seconds: float = 0.1) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                data = self.child.read_nonblocking(65536, timeout=0.05)
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                time.sleep(0.05)
                return
            self.raw += data
            self.stream.feed(data)

    def wait_until(self, predicate, what: str, timeout: float = 30) -> None:
        """Pump until `predicate()` holds; the timeout only stops a hang."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.pump(0.1)
            if predicate():
                return
        raise AssertionError(f"{what} never happened; the screen:\n{self.text()}")

    def wait_for(self, needle: str, timeout: float = 30) -> None:
        self.wait_until(lambda: needle in self.text(), f"{needle!r} on screen", timeout)

    def wait_gone(self, needle: str, timeout: float = 60) -> None:
        self.wait_until(lambda: needle not in self.text(), f"{needle!r} gone from the screen", timeout)

    def input_focused(self, y: int) -> bool:
        """A one-line input box (Textual's tall border above and below) on row y has the focus:
        its left edge is drawn in the focus colour of Textual's default theme."""
        rows = self.screen.display
        return (
            0 < y < len(rows) - 1
            and rows[y - 1].startswith("▊▔")
            and rows[y + 1].startswith("▊▁")
            and self.screen.buffer[y][0].fg == FOCUS_COLOUR
        )

    def send(self, keys: str | bytes, settle: float = 0.3) -> None:
        self.child.send(keys)
        self.pump(settle)

    def wait_exit(self, timeout: float = 30) -> int | None:
        """Read to the end; the exit status (None when killed by a signal: see `signal_status`)."""
        end = time.monotonic() + timeout
        while self.child.isalive() and time.monotonic() < end:
            self.pump(0.2)
        self.pump(0.2)
        if self.child.isalive():
            raise AssertionError(f"still running after {timeout} s; the screen:\n{self.text()}")
        self.child.close()
        return self.child.exitstatus

    def close(self) -> None:
        if self.child.isalive():
            self.child.close(force=True)


def terminal_restored(raw: bytes) -> bool:
    """The alternate screen was entered, then left with the cursor shown again."""
    entered = raw.rfind(b"\x1b[?1049h")
    after = raw[entered:]
    return entered != -1 and b"\x1b[?1049l" in after and b"\x1b[?25h" in after
