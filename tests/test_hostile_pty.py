"""The hostile corpus through the installed `folio` in a real pseudo-terminal.

Every readable document is searched for and opened, every unreadable one is listed and chosen,
and the bytes Folio wrote to the terminal are checked: nothing from a document (or a file name,
or an annotation read from a file) reaches the terminal raw, and wide characters land in the
cells Folio measured for them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from rich.cells import cell_len

from folio_reader.index.annotations import Annotation, encode
from folio_reader.index.corpus import inert_label, open_corpus
from tests.hostile import (
    ALIGNED,
    HOSTILE_CATALOGUED,
    HOSTILE_GONE,
    HOSTILE_NAMES,
    HOSTILE_NOTE,
    HOSTILE_SKIPPED,
    HOSTILE_TAG,
    HostileCorpus,
    Pty,
    build_hostile_names,
    leaked_controls,
    raw_escapes,
    terminal_restored,
    write_hostile_annotations,
)

pytestmark = pytest.mark.e2e
ROWS, COLS = 60, 120  # tall enough to list every file at once


def hostile_annotations(root: Path, path: Path) -> None:
    """An annotations file as another program might write it: escapes in the note and tags."""
    doc = open_corpus(root).load("escapes.txt")
    start = doc.text.index("ansimarker")
    ann = Annotation.new(doc, start, start + len("ansimarker here"))
    obj = ann.to_w3c()
    obj["body"] = [
        {"type": "TextualBody", "value": "pwned \x1b]0;owned-title\x07 [bold]note[/] \x1b]52;c;b3duZWQ=\x07"},
        {"type": "TextualBody", "value": "\x1b[2J\x1b]8;;http://evil.example/\x07tag", "purpose": "tagging"},
    ]
    obj["target"]["selector"][0]["prefix"] += "\x1b]0;owned-title\x07"
    data = json.loads(encode([]))
    data["annotations"] = [obj]
    path.write_text(json.dumps(data))


def _pane(term: Pty, left: bool) -> str:
    """The text left (the list) or right (the reader, where notifications show) of the list's
    border, its rows joined: a reason wrapped over two rows reads whole."""
    rows = []
    for line in term.screen.display:
        cut = min((i for i in (line.find("▎"), line.find("▕")) if i != -1), default=-1)
        part = line if cut == -1 else line[:cut] if left else line[cut + 1 :]
        rows.append(part.strip("▊▌ "))
    return " ".join(" ".join(rows).split())


def sidebar_text(term: Pty) -> str:
    return _pane(term, left=True)


def reader_text(term: Pty) -> str:
    return _pane(term, left=False)


def column_of(term: Pty, y: int, needle: str, after: int = 0) -> int | None:
    """The screen column where `needle` starts on row y (wide characters take two cells)."""
    row = term.screen.buffer[y]
    cells = [unicodedata.normalize("NFC", row[x].data) for x in range(term.screen.columns)]
    needle = unicodedata.normalize("NFC", needle)  # pyte composes a letter and its combining mark
    for x in range(after, term.screen.columns):
        if cells[x].startswith(needle[0]) and "".join(c for c in cells[x : x + 4 * len(needle)] if c).startswith(
            needle
        ):
            return x
    return None


def assert_aligned(term: Pty) -> None:
    """Each `…|end` line in the reading pane: `|` exactly cell_len(line) cells after the line's
    first character, as Folio measured it."""
    found = set()
    for y, shown in enumerate(term.screen.display):
        pane = shown.find("▕")  # the reading pane's left edge
        for line in ALIGNED:
            if pane == -1 or unicodedata.normalize("NFC", f"{line}|end") not in shown[pane:]:
                continue
            x0 = column_of(term, y, line, after=pane)
            bar = column_of(term, y, "|end", x0 or 0)
            assert x0 is not None and bar is not None, shown
            assert bar - x0 == cell_len(line), (line, bar - x0, cell_len(line))
            found.add(line)
    assert found == set(ALIGNED), term.text()


def type_into_box(term: Pty, key: str, y: int, placeholder: str, text: str) -> None:
    """Press `key`, wait for the input box on row y to take the focus (keys sent before would go
    elsewhere), empty it, and type `text`. Each step waits for the last one's effect: in Textual
    8.2.8 a key's binding (ctrl+u) runs after printable keys that arrive in the same read were
    typed, so `\\x15word` in one read types the word and then deletes it."""
    term.send(key, settle=0)
    term.wait_until(lambda: term.input_focused(y), f"the box on row {y} focused")
    if placeholder not in term.screen.display[y]:
        term.send("\x15", settle=0)  # ctrl+u
        term.wait_until(lambda: placeholder in term.screen.display[y], f"the box on row {y} emptied")
    term.send(text, settle=0)


def search_and_open(term: Pty, word: str, title: str) -> None:
    type_into_box(term, "/", 1, 'words, "a phrase"', word)  # (the search box's placeholder)
    # one document found, listed beside the box holding the word (not an earlier search's count);
    # an annotation found by its quote is listed first: it opens the same
    term.wait_until(
        lambda: re.search(r"(?<![\d,])1 documents?\b", term.text()) and sidebar_text(term).count(word) >= 2,
        f"{word!r} found",
    )
    term.send("\r", settle=0)
    term.wait_until(lambda: title[:30] in term.screen.display[-2], f"{title!r} open")


@pytest.mark.timeout(240)
def test_the_hostile_corpus_in_a_real_terminal(hostile_corpus: HostileCorpus, tmp_path: Path) -> None:
    hc = hostile_corpus
    notes = tmp_path / "notes.json"
    hostile_annotations(hc.root, notes)
    corpus = open_corpus(hc.root)
    titles = {rel: inert_label(corpus.load(rel).meta.title) for rel in hc.readable}
    term = Pty.folio(str(hc.root), "--annotations", str(notes), rows=ROWS, cols=COLS)
    try:
        term.wait_for(f"{len(hc.readable)} documents, {len(hc.unreadable)} unreadable", timeout=90)
        term.wait_until(lambda: "index" not in term.screen.display[-2], "indexing done", timeout=90)
        listed = sidebar_text(term)
        for rel in ("esc␛]0;owned-name␇.txt", "[bold]name[/] [@click=app.quit].md"):  # names shown as they are
            assert rel in listed or titles[rel.replace("␛", "\x1b").replace("␇", "\x07")] in listed

        for rel, word in hc.readable.items():
            search_and_open(term, word, titles[rel])
            if rel == "scripts.md":
                term.wait_until(lambda: "|end" in reader_text(term), "the scripts drawn in the reader")
                assert_aligned(term)
            if rel == "huge.txt":
                term.send("G", settle=0.3)  # the end of a 35 MB document
                term.wait_for("hugeendmarker")
            if rel == "escapes.txt":
                term.wait_for("pwned ␛]0;owned-title␇ [bold]note[/]")  # the note panel: the caret is on it
                term.send("A", settle=0.5)  # the annotations panel lists it, tags and all
                term.wait_for("#␛[2J␛]8;;http://evil.example/␇tag")
                term.send("\x1b", settle=0.5)

        term.send("d", settle=0.3)  # every unreadable file listed, with its reason
        term.wait_until(
            lambda: all(f"⚠ {inert_label(r)} {why}" in sidebar_text(term) for r, why in hc.unreadable.items()),
            "every reason listed",
        )
        for rel in ("passwd.txt", "image.txt", "x.txt"):  # and a few chosen: a warning says why
            reason = hc.unreadable[rel]
            type_into_box(term, "f", 2, "filter: words", rel)
            term.wait_until(lambda: f"⚠ {rel} {reason}" in sidebar_text(term), f"{rel} filtered")
            term.send("\t", settle=0.2)  # from the filter box to the list (enter would open the first)
            term.send("\x1b[F", settle=0.2)  # end: unreadable files are listed last
            term.send("\r", settle=0)
            term.wait_until(lambda: f"{rel}: {reason}" in reader_text(term), f"the reason for {rel}")
            term.send("\x1b", settle=0)  # the filter closed (waited for: ESC and the next f in one read are alt+f)
            term.wait_until(lambda: " shown · " not in term.screen.display[0], "the filter closed")
        assert term.child.isalive()
        term.send("q")
        assert term.wait_exit() == 0
    finally:
        term.close()
    raw = bytes(term.raw)
    assert raw_escapes(raw) == []
    assert b"Traceback" not in raw and terminal_restored(raw)


HOSTILE_ALL = [*HOSTILE_NAMES, *HOSTILE_SKIPPED, HOSTILE_CATALOGUED, HOSTILE_GONE, HOSTILE_NOTE, HOSTILE_TAG]


def open_hostile_names(tmp_path: Path) -> tuple[HostileCorpus, Pty]:
    """The app on the hostile-names corpus with its hostile notes, the index built."""
    hc = build_hostile_names(tmp_path / "corpus")
    notes = tmp_path / "notes.json"
    write_hostile_annotations(hc, notes)
    args = [str(hc.root), "--index-dir", str(tmp_path / "index"), "--annotations", str(notes)]
    term = Pty.folio(*args, rows=ROWS, cols=COLS)
    term.wait_for(f"{len(hc.readable)} documents, {len(hc.unreadable)} unreadable", timeout=90)
    term.wait_until(lambda: "index" not in term.screen.display[-2], "indexing done", timeout=90)
    return hc, term


@pytest.mark.timeout(180)
def test_hostile_names_on_the_main_screen_and_in_help(tmp_path: Path) -> None:
    """File names, catalog metadata, notes and tags with escapes, C1 controls and newlines:
    listed, searched, opened (reader, margin and status bar), in the notes panel and under the
    help screen, nothing of them reaches the terminal raw."""
    hc, term = open_hostile_names(tmp_path)
    corpus = open_corpus(hc.root)
    titles = {rel: inert_label(corpus.load(rel).meta.title) for rel in hc.readable}
    try:
        for rel, why in HOSTILE_SKIPPED.items():
            assert f"⚠ {inert_label(rel)} {why}" in sidebar_text(term), sidebar_text(term)
        assert titles[HOSTILE_CATALOGUED] == "Cata␛]0;owned-cat␇logued␊title" in sidebar_text(term)
        for rel, word in hc.readable.items():
            search_and_open(term, word, titles[rel])
        term.send("A", settle=0.5)  # the notes panel: every note, its tag, and the orphan's lost document
        term.wait_for("1 orphaned")
        assert inert_label(HOSTILE_TAG) in term.text()
        term.send("\x1b", settle=0.5)
        term.send("?", settle=0.5)
        term.wait_for("Folio keys")  # (help grouped by pane: its search syntax is further down)
        term.send("\x1b", settle=0.5)
        term.wait_gone("Folio keys")
        term.send("q")
        assert term.wait_exit() == 0
    finally:
        term.close()
    raw = bytes(term.raw)
    assert leaked_controls(raw, HOSTILE_ALL) == []
    assert b"Traceback" not in raw and terminal_restored(raw)


@pytest.mark.timeout(180)
def test_hostile_names_in_the_compare_picker(tmp_path: Path) -> None:
    _, term = open_hostile_names(tmp_path)
    try:
        term.send("\r", settle=1)  # open the first document, then pick one to compare it with
        term.send("c", settle=2)
        term.send("q")
    finally:
        term.close()
    assert leaked_controls(bytes(term.raw), HOSTILE_ALL) == []


#: A name as long as a file system allows (255 bytes), with an escape, markup and a bidi override
HUGE_NAME = "huge\x1b]0;owned-huge\x07[b]bold[@click=app.quit]q\u202eevil\u202c" + "n" * 197 + ".txt"
#: Document text and pasted text with escapes, markup and bidi controls
HOSTILE_PROSE = "[b]not bold[/b] \x1b]0;owned-prose\x07 \x1b[2J \u202egnirts desrever\u202c \u2066isolate\u2069"
HOSTILE_PASTE = "pasted \x1b]0;owned-paste\x07 [b]x[/b] \x1b]52;c;b3duZWQ=\x07 \u202eevil\u202c"


def paste(term: Pty, text: str) -> None:
    """Text pasted into the terminal (bracketed paste, as Textual asks the terminal for)."""
    term.send("\x1b[200~" + text + "\x1b[201~", settle=0.5)


@pytest.mark.timeout(240)
def test_hostile_text_in_the_editor_the_draft_question_the_palette_and_the_picker(tmp_path: Path) -> None:
    """The screens the other tests do not walk: the note editor (its quote, a pasted note and
    tags), the question that offers a draft back at the next start (it names the file), the
    command palette (a pasted query) and the compare picker, over a file whose 255-byte name and
    whose text carry escapes, markup and bidi controls. Everything is shown as written, inert:
    no byte of it acts on the terminal, no markup is parsed."""
    root = tmp_path / "corpus"
    root.mkdir()
    assert len(HUGE_NAME.encode()) <= 255
    (root / HUGE_NAME).write_text(f"Hostile title {HOSTILE_PROSE}\n\neditormarker {HOSTILE_PROSE} words.\n")
    (root / "plain.txt").write_text("A plain document\n\nabout the committee and the tariffs.\n")
    args = [str(root), "--index-dir", str(tmp_path / "index"), "--annotations", str(tmp_path / "notes.json")]
    raws: list[bytes] = []

    term = Pty.folio(*args, rows=ROWS, cols=COLS)
    try:
        term.wait_for("2 documents", timeout=90)
        search_and_open(term, "editormarker", "Hostile title")
        term.send("}", settle=0.5)  # the paragraph holding the prose
        term.send("a", settle=0)
        term.wait_for("Note (Markdown")
        assert "[b]not bold[/b] ␛]0;owned-prose␇" in term.text()  # the quote, markup unparsed
        paste(term, HOSTILE_PASTE)
        term.send("\t", settle=0.5)  # the tags
        paste(term, "tag\x1b[2J [b]t[/b]")
        term.wait_for("[b]t[/b]")
        term.pump(2)  # the draft journal is written (debounced) as the user types
        term.child.kill(9)  # the terminal goes away with the note unsaved
        term.pump(0.5)
    finally:
        raws.append(bytes(term.raw))
        term.close()

    term = Pty.folio(*args, rows=ROWS, cols=COLS)
    try:
        term.wait_for("Open it again?", timeout=90)
        question = " ".join(term.text().split())
        assert "huge␛]0;owned-huge␇[b]bold[@click=app.quit]q" in question.replace(" ", ""), (
            question
        )  # the file, named inert
        term.send("y", settle=0)
        term.wait_for("Unfinished note")
        assert "owned-paste" in term.text() and "[b]x[/b]" in term.text()
        term.send("\x13", settle=0)  # ctrl+s
        term.wait_gone("Unfinished note")
        term.send("\x10", settle=0)  # ctrl+p: the command palette
        term.wait_until(lambda: "🔎" in term.text(), "the palette")
        paste(term, HOSTILE_PASTE)
        term.wait_for("[b]x[/b]")
        term.send("\x1b", settle=0.5)
        term.wait_gone("🔎")
        term.send("c", settle=0)  # the compare picker, from the open (hostile) document
        term.wait_for("Compare")
        assert "Hostile title [b]not bold[/b] ␛]0;owned-prose␇" in " ".join(term.text().split()), term.text()
        paste(term, HOSTILE_PASTE)  # into its filter
        term.wait_for("no document matches the filter")
        term.send("\x1b", settle=0)
        term.wait_gone("no document matches the filter")
        term.send("q")
        assert term.wait_exit() == 0
    finally:
        raws.append(bytes(term.raw))
        term.close()
    names = [HUGE_NAME, HOSTILE_PROSE, HOSTILE_PASTE, "tag\x1b[2J"]
    for raw in raws:
        assert leaked_controls(raw, names) == []
        assert b"Traceback" not in raw
