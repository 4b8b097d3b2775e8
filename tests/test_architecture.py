"""The core is headless: no module of `folio_reader.index` imports textual, rich or the TUI.

Harlequin's way: import every core module in a fresh interpreter and look at `sys.modules`, so an
import hidden in a helper module, a re-export or a lazily imported package is caught too.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import folio_reader.index

FORBIDDEN = ("textual", "rich", "folio_reader.tui")
ROOT = Path(__file__).resolve().parent.parent


def core_modules() -> list[str]:
    prefix = folio_reader.index.__name__ + "."
    found = sorted(info.name for info in pkgutil.walk_packages(folio_reader.index.__path__, prefix))
    return [folio_reader.index.__name__, *found]


def test_there_is_a_core_to_check() -> None:
    modules = core_modules()
    assert "folio_reader.index.corpus" in modules and "folio_reader.index.atomic_io" in modules
    on_disk = {p.stem for p in (ROOT / "index").glob("*.py") if p.stem != "__init__"}
    assert {m.rsplit(".", 1)[-1] for m in modules} >= on_disk


def test_no_core_module_imports_the_ui_or_rich() -> None:
    code = (
        "import importlib, json, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r} "
        f"or m.startswith('folio_reader.tui'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(done.stdout) == []


def test_the_architecture_page_names_every_module() -> None:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for folder in ("index", "tui"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path.name in ("__init__.py", "__main__.py"):
                continue
            rel = path.relative_to(ROOT).as_posix()
            assert f"`{rel}`" in page, f"{rel} is missing from docs/architecture.md"
