"""The user's settings: one JSON object in the config dir (`settings.json`: the theme, the
keymap), shared by every corpus.

Read with bounds (index/atomic_io). A file that exists but cannot be read as an object is the
user's to fix (a keymap typed by hand with a comma missing): it is never overwritten, and the
app says so once; until then Folio runs on its defaults.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from folio_reader.index import locations
from folio_reader.index.atomic_io import read_json_file, write_json_atomic

#: Settings are a few lines; a larger file is not Folio's.
MAX_SETTINGS_BYTES = 1024 * 1024


class Settings:
    def __init__(self, path: Path | None = None) -> None:
        self.path = path or locations.settings_path()
        self.problem: str | None = None  #: why the file could not be read (it is then left alone)
        self.data: dict[str, Any] = {}
        try:
            data = read_json_file(self.path, max_bytes=MAX_SETTINGS_BYTES)
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            self.problem = f"{self.path} cannot be read ({exc}); Folio uses its defaults and leaves the file as it is"
            return
        if isinstance(data, dict):
            self.data = data
        else:
            self.problem = f"{self.path} is not a JSON object; Folio uses its defaults and leaves the file as it is"

    def get(self, key: str) -> Any:
        return self.data.get(key)

    def set(self, key: str, value: Any) -> str | None:
        """Store `value` under `key` (the file rewritten atomically); why not, when it was not."""
        if self.problem is not None:
            return self.problem
        if self.data.get(key) == value:
            return None
        self.data[key] = value
        try:
            write_json_atomic(self.path, self.data, indent=2)
        except OSError as exc:
            return f"Cannot save settings: {exc}"
        return None
