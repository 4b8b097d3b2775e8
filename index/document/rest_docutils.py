"""docutils set up to read any reStructuredText quietly: unknown directives and roles generically.

docutils parses (its own parser, no transforms: node order and line numbers stay those of the
source). It is told never to print, halt, read other files or pass raw output through. Sphinx
and other extensions add directives (`versionchanged`, `code-block`, `function`) and roles
(`:func:`, `:ref:`) docutils does not know; each name found in a document is looked up, and one
docutils does not know is registered once, for the process, with a generic handler: the
directive keeps its name, argument and source lines in a `folio_directive` node (its content
parsed as reST, or kept as code for code-like names), and the role becomes a `folio_role` node.
Registering with `register_directive`/`register_local_role` is docutils' public extension API.
Nested parses reuse state machines built once per process (`rest_machines`).
"""

from __future__ import annotations

import copy
import io
import re
from typing import Any, ClassVar, cast

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.languages import en
from docutils.parsers.rst import Directive, Parser, directives, roles
from docutils.statemachine import StringList
from docutils.utils import Reporter, new_document

from . import rest_machines

#: Directive names whose content is code, not reST (with the language they imply, if any).
CODE_DIRECTIVES = {
    "code": "",
    "code-block": "",
    "sourcecode": "",
    "testcode": "python",
    "testoutput": "",
    "testsetup": "python",
    "testcleanup": "python",
    "doctest": "pycon",
    "productionlist": "",
    "graphviz": "dot",
    "digraph": "dot",
    "mermaid": "mermaid",
    "prompt": "",
    "kernel-figure": "",
}
#: Directive names that show nothing of their own to a reader.
HIDDEN_DIRECTIVES = frozenset(
    "index toctree highlight currentmodule module py:module py:currentmodule c:namespace "  # noqa: SIM905
    "tabularcolumns autosummary literalinclude include raw kernel-doc kernel-include "
    "kernel-abi kernel-feat default-domain sectionauthor moduleauthor codeauthor".split()
)
#: Titles of Sphinx's admonition-like directives (the argument, a version, follows).
TITLES = {
    "versionadded": "New in version",
    "versionchanged": "Changed in version",
    "deprecated": "Deprecated since version",
    "versionremoved": "Removed in version",
    "seealso": "See also",
    "todo": "Todo",
    "impl-detail": "CPython implementation detail",
    # Sphinx autodoc: the build puts the object's documentation here, which the file does not
    # hold ("API: rich.table", as mkdocstrings' `::: rich.table` reads in Markdown)
    **dict.fromkeys(
        ("automodule", "autoclass", "autofunction", "automethod", "autoattribute", "autodata", "autoexception"),
        "API:",
    ),
}

_NAME_RE = re.compile(r"^[ \t]*\.\.[ \t]+([A-Za-z0-9][-_+.:A-Za-z0-9]*)[ \t]*::", re.MULTILINE)
#: `:name:`text`` (no word character or backtick before the first colon) or `` `text`:name: ``.
#: Both branches open with a literal (the look-behind comes after the colon), so the regex
#: engine skips to the next `:` or backtick: looking behind first, it tried every position of
#: the text (0.10 s a pass over docutils' docs, 5x what it takes now).
_ROLE_RE = re.compile(r":(?<![\w`]:)([A-Za-z0-9][-_+.:A-Za-z0-9]*):`|`:([A-Za-z0-9][-_+.:A-Za-z0-9]*):")


class folio_directive(nodes.Element):
    """A directive docutils does not know: `name`, `argument`, `line` (0-based, its `..` line),
    `content_line` (0-based line of its content) and `content_lines` (how many)."""


class folio_role(nodes.Inline, nodes.TextElement):
    """Interpreted text with a role docutils does not know: `role`, and the text shown."""


class _AnyOptions(dict[str, Any]):
    """Accepts every option, keeping its value as written. Truthy though empty: docutils reads
    a directive's options only when its `option_spec` is (an empty one left `:type: str` in the
    argument, parsed as a field list the walker then looked for further on)."""

    def __bool__(self) -> bool:
        return True

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: str) -> Any:
        return directives.unchanged


class GenericDirective(Directive):
    required_arguments = 0
    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec: ClassVar[dict[str, Any]] = _AnyOptions()

    def run(self) -> list[nodes.Node]:
        name = self.name.lower()
        # an argument running onto the next lines (`versionchanged:: 3.7` then text) is body text
        first, *more = self.arguments[0].split("\n") if self.arguments else [""]
        node = folio_directive(
            self.block_text,
            name=name,
            argument=first,
            line=self.lineno - 1,
            content_line=self.content_offset,
            content_lines=len(self.content),
        )
        if name in CODE_DIRECTIVES:
            language = self.arguments[0].split()[0] if self.arguments else CODE_DIRECTIVES[name]
            node["language"] = language
            node += nodes.literal_block("\n".join(self.content), "\n".join(self.content))
        elif name not in HIDDEN_DIRECTIVES:
            if more:
                self.state.nested_parse(StringList(more, "<folio>"), self.lineno, node)
            if self.content:
                self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def generic_role(
    name: str, rawtext: str, text: str, lineno: int, inliner: Any, options: Any = None, content: Any = None
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    return [folio_role(rawtext, nodes.unescape(text), role=name.lower())], []


_known: dict[str, bool] = {}
# docutils' own `code` (and its aliases) refuses Sphinx's options (`:linenos:`) and drops the
# block: these three are read by the generic directive, which keeps the code whatever the options.
for _name in ("code", "code-block", "sourcecode"):
    directives.register_directive(_name, GenericDirective)
    _known[_name] = True
rest_machines.install()
_quiet = new_document("<folio>", get_default_settings(Parser))
_quiet.reporter = Reporter("<folio>", 5, 5, stream=io.StringIO())


def _register(text: str) -> None:
    for m in _NAME_RE.finditer(text):
        name = m.group(1).lower()
        if name not in _known:
            found, _ = directives.directive(name, cast(Any, en), _quiet)
            _known[name] = found is not None
            if found is None:
                directives.register_directive(name, GenericDirective)
    for m in _ROLE_RE.finditer(text):
        name = (m.group(1) or m.group(2)).lower()
        key = "role " + name
        if key not in _known:
            found_role, _ = roles.role(name, cast(Any, en), 0, _quiet.reporter)
            _known[key] = found_role is not None
            if found_role is None:
                roles.register_local_role(name, cast(Any, generic_role))


def settings() -> Any:
    """docutils settings for one parse: a copy of one made once per process (making them from
    the option specs took ~7 ms, a third of the cost of reading a short page's metadata)."""
    global _settings
    if _settings is None:
        s = get_default_settings(Parser)
        s.report_level = 5
        s.halt_level = 5
        s.file_insertion_enabled = False
        s.raw_enabled = False
        s.syntax_highlight = "none"
        s.smart_quotes = False
        s.character_level_inline_markup = False
        s.pep_references = False
        s.rfc_references = False
        s.tab_width = 8
        _settings = s
    fresh = copy.copy(_settings)
    fresh.warning_stream = io.StringIO()
    fresh.record_dependencies = None
    return fresh


_settings: Any = None


def doctree(text: str) -> nodes.document:
    """The parsed document (no transforms applied). Raises RecursionError on deep nesting."""
    _register(text)
    document = new_document("<folio>", settings())
    Parser().parse(text, document)
    return document
