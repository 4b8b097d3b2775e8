"""Helpers shared by the test modules (no test module imports another): driving the app through
Textual's pilot, watching what it tells the user, and the installed `folio` in a pty.

The `notifications` fixture (registered in conftest) records every notification the app shows,
through the pilot's public `message_hook`: pass `message_hook=notifications.hook` to `run_test`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.message import Message
from textual.notifications import Notification, Notify
from textual.pilot import Pilot

from folio_reader.index.corpus import open_corpus, seeds_path
from folio_reader.tui.app import FolioApp
from tests.hostile import Pty

ROOT = Path(__file__).resolve().parent.parent
SEED_NAMES = sorted(p.name for p in seeds_path().glob("*.txt"))

#: The terminal of the pty end-to-end tests.
ROWS, COLS = 24, 80


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and their messages land."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def type_query(pilot: Pilot[Any], text: str) -> None:
    """`/`, the query, and the debounce: the results are in when it returns."""
    await pilot.press("slash")
    await pilot.pause()
    await pilot.press(*text)
    await pilot.pause(0.3)  # the debounce
    await settle(pilot)


def make_app(corpus_dir: Path | None = None, **kwargs: Any) -> FolioApp:
    """The app on a folder (the bundled seeds by default), as `folio` opens it."""
    return FolioApp(open_corpus(corpus_dir), **kwargs)


class Notifications:
    """Every notification the app showed, in order (see the module docstring)."""

    def __init__(self) -> None:
        self.seen: list[Notification] = []

    def hook(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.seen.append(message.notification)

    @property
    def messages(self) -> list[str]:
        return [str(n.message) for n in self.seen]

    def count(self, text: str) -> int:
        """How many notifications said `text` (in part)."""
        return sum(1 for m in self.messages if text in m)

    def clear(self) -> None:
        self.seen.clear()


@pytest.fixture
def notifications() -> Notifications:
    return Notifications()


def Terminal(*args: str) -> Pty:
    """The installed `folio` in an 80x24 pty, its output fed to a pyte screen, every byte kept."""
    return Pty.folio(*args, rows=ROWS, cols=COLS)
