"""Where Folio keeps what it writes: never in the corpus folder.

The index and cached comparisons live in the user cache dir, annotations in the user data dir
and reading state in the user state dir, each keyed by the corpus's absolute path (platformdirs
honours `XDG_*_HOME`).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import platformdirs

from folio_reader.index.atomic_io import read_json_file

APP = "folio"
#: The file that marks a folder as a Folio index (`{"schema": version, "corpus": label}`), named
#: here, without Whoosh, for the start path (`session.index_owner`) as for the index (`schema`).
INDEX_MARKER = "folio-index.json"


def index_marker(index_dir: Path) -> dict[str, object] | None:
    """What the index marker in `index_dir` says, or None (no marker, or not one of ours)."""
    try:
        found = read_json_file(index_dir / INDEX_MARKER, max_bytes=1 << 20)
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def index_owner(index_dir: Path) -> str | None:
    """The corpus whose index `index_dir` holds, as its marker records it (None: no marker, or
    one that does not say)."""
    owner = (index_marker(index_dir) or {}).get("corpus")
    return owner if isinstance(owner, str) else None


def corpus_key(root: Path) -> str:
    """A stable, readable file name for a corpus: its folder name plus a hash of its path."""
    absolute = str(Path(root).absolute())
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(absolute).name)[:40] or "root"
    return f"{name}-{hashlib.sha256(absolute.encode('utf-8', 'surrogateescape')).hexdigest()[:16]}"


def index_dir(root: Path, override: Path | None = None) -> Path:
    if override is not None:
        return Path(override)
    return Path(platformdirs.user_cache_dir(APP)) / "index" / corpus_key(root)


def compare_cache_dir(root: Path) -> Path:
    """Cached comparisons of two documents of a corpus (keyed by content, so safe to delete)."""
    return Path(platformdirs.user_cache_dir(APP)) / "compare" / corpus_key(root)


def extract_cache_dir() -> Path:
    """The text extracted from web pages, EPUBs and PDFs, shared by every corpus (keyed by
    content and extractor version, so safe to delete)."""
    return Path(platformdirs.user_cache_dir(APP)) / "extracted"


def structure_cache_dir() -> Path:
    """Parsed document structures that took a while to parse, shared by every corpus (keyed by
    content and parser version, so safe to delete)."""
    return Path(platformdirs.user_cache_dir(APP)) / "structure"


def annotations_path(root: Path, override: Path | None = None) -> Path:
    if override is not None:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP)) / "annotations" / f"{corpus_key(root)}.json"


def state_path(root: Path, override: Path | None = None) -> Path:
    if override is not None:
        return Path(override)
    return Path(platformdirs.user_state_dir(APP)) / f"{corpus_key(root)}.json"


def settings_path() -> Path:
    """App-wide preferences (theme, keymap), shared by every corpus."""
    return Path(platformdirs.user_config_dir(APP)) / "settings.json"


def log_path() -> Path:
    """The log of unexpected errors (tracebacks), shared by every corpus."""
    return Path(platformdirs.user_state_dir(APP)) / "folio.log"
