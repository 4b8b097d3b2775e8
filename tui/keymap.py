"""Every key binding of the app, by id, and the user's keymap over them.

Each binding has an id `<where>.<what>` (`main.search`, `reader.line_down`); the prefix names the
pane it belongs to (`PANES`). A user remaps keys with a `keymap` object in settings.json
(`{"main.search": "s", "reader.line_down": "j,down"}`), applied with Textual's
`App.set_keymap`. `check_keymap` validates it first: unknown ids, values that are not key
lists, and keys that two bindings of one screen would share are reported (never fatal; the
entries that are sound still apply). The help screen, the command palette and the README's keys
table all come from `binding_rows`, so they say the same thing (a test compares the README).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from textual.binding import Binding
from textual.dom import DOMNode
from textual.keys import format_key

#: What each id prefix is called where the user sees it (help, palette, README).
PANES = {
    "app": "Everywhere",
    "main": "Reading",
    "reader": "Reading pane",
    "list": "Document list",
    "search": "Search box",
    "annotations": "Annotations panel",
    "editor": "Note editor",
    "confirm": "Questions",
    "help": "Help",
    "compare": "Compare",
    "outline": "Outline",
}
#: The panes on one screen at once: their keys must not clash (besides the defaults' own).
SCREENS = {
    "the reading screen": ("app", "main", "reader", "list", "search"),
    "the annotations panel": ("app", "annotations"),
    "the note editor": ("app", "editor"),
    "a question": ("app", "confirm"),
    "help": ("app", "help"),
    "the compare screen": ("app", "compare", "reader"),
    "the outline": ("app", "outline"),
}
#: Keys whose name says more than Textual's display of them.
NAMES = {"up": "↑", "down": "↓", "left": "←", "right": "→", "enter": "enter"}


@dataclass(frozen=True, slots=True)
class BindingRow:
    """One binding as the user sees it."""

    id: str
    keys: str  #: the effective keys, comma-separated, as Textual names them
    name: str  #: short: the footer's and the command palette's
    does: str  #: what it does, in a sentence: help's and the README's
    action: str

    @property
    def pane(self) -> str:
        return PANES.get(self.id.partition(".")[0], self.id.partition(".")[0])

    @property
    def key_labels(self) -> str:
        return ", ".join(key_label(k) for k in split_keys(self.keys))


def split_keys(keys: str) -> list[str]:
    return [k.strip() for k in keys.split(",") if k.strip()]


def key_label(key: str) -> str:
    """A key as a person writes it: `?` for question_mark, `]`, `/`, `ctrl+g`, `↓`, `esc`."""
    mods, plus, base = key.rpartition("+")
    label = NAMES.get(base) or (base if len(base) == 1 else format_key(base))
    return f"{mods}{plus}{label}"


def canonical(key: str) -> str:
    """One spelling per key, to compare them: `?` and `question_mark` are the same key."""
    return key_label(key)


def folio_bindings() -> list[tuple[type[DOMNode], Binding]]:
    """Every binding with an id of every Folio widget, screen and the app, in module order."""
    import folio_reader.tui as tui

    found: list[tuple[type[DOMNode], Binding]] = []
    for info in pkgutil.walk_packages(tui.__path__, "folio_reader.tui."):
        if info.name.endswith(("__main__", ".cli")) or ".commands" in info.name:
            continue  # (the command line: no bindings, and importing __main__ runs it)
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, DOMNode):
                found += [(cls, b) for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding) and b.id]
    return found


def binding_rows(bindings: Iterable[Binding], keymap: Mapping[str, str] | None = None) -> list[BindingRow]:
    """One row per binding id (the first of those sharing one), with its effective keys."""
    rows: dict[str, BindingRow] = {}
    for binding in bindings:
        assert binding.id is not None
        if binding.id not in rows:
            keys = (keymap or {}).get(binding.id, binding.key)
            name = binding.description or binding.action
            rows[binding.id] = BindingRow(binding.id, keys, name, binding.tooltip or name, binding.action)
    return list(rows.values())


def check_keymap(raw: object, bindings: Iterable[Binding]) -> tuple[dict[str, str], list[str]]:
    """The sound entries of a user keymap, and what is wrong with the others."""
    if raw is None:
        return {}, []
    if not isinstance(raw, dict):
        return {}, ["the keymap in settings.json must be an object of binding ids and keys"]
    defaults = {row.id: row.keys for row in binding_rows(bindings)}
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, keys in raw.items():
        if binding_id not in defaults:
            problems.append(f"keymap: no binding has the id {binding_id!r} (the README lists them)")
        elif not isinstance(keys, str) or not split_keys(keys):
            problems.append(f'keymap: {binding_id!r} needs keys such as "ctrl+f" or "f,ctrl+f"')
        else:
            keymap[binding_id] = ",".join(split_keys(keys))
    problems += _clashes(defaults, keymap)
    return keymap, problems


def _clashes(defaults: Mapping[str, str], keymap: Mapping[str, str]) -> list[str]:
    """Keys that two bindings of one screen share because of the keymap (not the defaults' own
    sharing, as escape both cancelling a selection and going back)."""
    found: list[str] = []
    for screen, prefixes in SCREENS.items():
        ids = [i for i in defaults if i.partition(".")[0] in prefixes]
        for n, one in enumerate(ids):
            for other in ids[n + 1 :]:
                if one not in keymap and other not in keymap:
                    continue
                shared = _keys(keymap.get(one, defaults[one])) & _keys(keymap.get(other, defaults[other]))
                if shared - (_keys(defaults[one]) & _keys(defaults[other])):
                    keys = ", ".join(sorted(key_label(k) for k in shared))
                    found.append(f"keymap: {keys} would be both {one} and {other} on {screen}")
    return found


def _keys(keys: str) -> set[str]:
    return {canonical(k) for k in split_keys(keys)}


def readme_table(keymap: Mapping[str, str] | None = None) -> str:
    """The README's table of every binding (`folio_bindings`), as Markdown."""
    lines = ["| where | keys | does | id |", "|---|---|---|---|"]
    order = list(PANES)
    rows = binding_rows([b for _, b in folio_bindings()], keymap)
    rows.sort(key=lambda r: order.index(r.id.partition(".")[0]) if r.id.partition(".")[0] in order else len(order))
    for row in rows:
        keys = " · ".join(f"`{label}`" for label in row.key_labels.split(", "))
        lines.append(f"| {row.pane} | {keys} | {row.does} | `{row.id}` |")
    return "\n".join(lines)
