"""The scan for the roles a reST text uses (`rest_docutils._ROLE_RE`, which decides the roles
registered before docutils parses): its look-behind moved after the first colon, so that the
regex engine skips to candidates, it finds what the pattern it replaced found, match for match."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from folio_reader.index.document import rest_docutils
from tests.document_corpus import REST

#: The pattern as it was: the look-behind first.
_LOOKING_BEHIND_FIRST = re.compile(r"(?<![\w`]):([A-Za-z0-9][-_+.:A-Za-z0-9]*):`|`:([A-Za-z0-9][-_+.:A-Za-z0-9]*):")


def _matches(pattern: re.Pattern[str], text: str) -> list[tuple[object, ...]]:
    return [(m.span(), m.groups()) for m in pattern.finditer(text)]


@given(st.text(alphabet=":`ab1_.-+ \n", max_size=40))
@example(text=":a:`x` and `y`:b: and w:c:`z` ``:d:`` :e:f:`g`")
@example(text="`:a:`b`")  # a backtick before the colon: the suffix form, not the prefix
def test_the_roles_found_are_those_of_the_pattern_looking_behind_first(text: str) -> None:
    assert _matches(rest_docutils._ROLE_RE, text) == _matches(_LOOKING_BEHIND_FIRST, text)


def test_the_roles_of_a_page() -> None:
    found = _matches(rest_docutils._ROLE_RE, REST)
    assert found and found == _matches(_LOOKING_BEHIND_FIRST, REST)
