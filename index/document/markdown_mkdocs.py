"""Block rules for mkdocs-material's Markdown extensions that CommonMark reads as code or text:
content tabs (pymdownx.tabbed, `=== "Title"`) and mkdocstrings' `::: identifier` lines; and the
label of a fence whose output the docs build makes (`generated_label`).

Each gives admonition tokens (mdit-py-plugins' admon), so the builder reads them as a labelled
block: a tab's indented body is Markdown inside it; an API line's indented `options:` YAML is
hidden with it (mkdocs renders the object's documentation there, which the file does not hold).
Written here because no library parses them for markdown-it-py: mdit-py-plugins has no tabs or
mkdocstrings rule, and admon's marker set (`!!!`, `???`) is a module constant its rule reads.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

_TAB_RE = re.compile(r'===[+!]?[ \t]+"([^"\n]*)"[ \t]*')
_API_RE = re.compile(r":::[ \t]+([A-Za-z_][\w.:\-]*)[ \t]*")
#: Textual's docs: `{.textual path="docs/examples/x.py" press="tab"}`, a superfences custom fence
#: the docs build replaces with a screenshot of the app at that path
_TEXTUAL_FENCE_RE = re.compile(r"""\{\s*\.textual\b[^}]*?\bpath\s*=\s*(["']?)([^"'\s,}]+)\1[^}]*\}\s*""")


def generated_label(info: str, content: str) -> str:
    """The row shown for an empty fence whose output the docs build makes ("Output of
    docs/examples/x.py (a screenshot made by the docs build)"), else "". Shown as a labelled row,
    not hidden: under a content tab "Output" it says what the tab holds and which file makes
    it, where an empty code box said nothing."""
    if content.strip() or "textual" not in info:
        return ""
    m = _TEXTUAL_FENCE_RE.fullmatch(info)
    return f"Output of {m.group(2)} (a screenshot made by the docs build)" if m else ""


def _end(state: StateBlock, start_line: int, end_line: int, indent: int) -> int:
    """The line after an indented body: a line indented less ends it, blank lines do not (as in
    Python-Markdown: a tab's code with two blank lines in it was cut there, its closing fence
    left to open a code block running on)."""
    line = start_line + 1
    while line < end_line:
        if not state.isEmpty(line) and state.sCount[line] < indent:
            break
        line += 1
    while line > start_line + 1 and state.isEmpty(line - 1):
        line -= 1
    return line


def _labelled(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False  # an indented code block
    pos, maximum = state.bMarks[start_line] + state.tShift[start_line], state.eMarks[start_line]
    line = state.src[pos:maximum]
    tab, api = _TAB_RE.fullmatch(line), _API_RE.fullmatch(line)
    if not (tab or api):
        return False
    if silent:
        return True
    indent = state.sCount[start_line] + 4
    last = _end(state, start_line, end_line, indent)
    token = state.push("admonition_open", "div", 1)
    token.block = True
    token.map = [start_line, last]
    if tab:
        token.content, token.meta = tab.group(1), {"tag": "tab"}
        title = state.push("admonition_title_open", "p", 1)
        title.map = [start_line, start_line + 1]
        inline = state.push("inline", "", 0)
        inline.content, inline.map, inline.children = tab.group(1), [start_line, start_line + 1], []
        state.push("admonition_title_close", "p", -1)
        old_parent, old_max, old_indent = state.parentType, state.lineMax, state.blkIndent
        state.parentType, state.lineMax, state.blkIndent = "admonition", last, indent
        state.md.block.tokenize(state, start_line + 1, last)
        state.parentType, state.lineMax, state.blkIndent = old_parent, old_max, old_indent
    elif api:  # no title token: the whole span (the line and its options) is the label row
        token.content, token.meta = f"API: {api.group(1)}", {"tag": "api"}
    state.push("admonition_close", "div", -1).block = True
    state.line = last
    return True


def mkdocs_plugin(md: MarkdownIt) -> None:
    """Content tabs and mkdocstrings lines as admonition tokens."""
    md.block.ruler.before(
        "fence", "mkdocs_labelled", _labelled, {"alt": ["paragraph", "reference", "blockquote", "list"]}
    )
