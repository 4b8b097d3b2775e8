"""docutils' nested state machines, built once per process and reused by every parse.

docutils reads a list, a field list, a definition list, an option list, a line block or a
directive's options with a state machine of its own (`RSTState.nested_list_parse`), built for
each: fifteen states, each making its transition table (~1 ms), and discarded with `unlink()`
once read. On real documentation pages that building was a quarter of docutils' time.
(`nested_parse` already keeps the machines it builds, in docutils' `RSTState.nested_sm_cache`.)

`install()` makes docutils' default nested machine class (`RSTState.nested_sm`) a factory
that hands out a kept machine (of docutils' standard states) when it has one. A machine's `unlink()` resets it to the state it
had when built: every attribute of the machine and of each of its states as `__init__` left
them (so nothing of the document read stays: no memo, node, lines or observers), and each
transition table copied back from the one built (a state may change its own table while it
reads, as `QuotedLiteralBlock` does), then keeps it for the next nested parse. Only its line
offsets stay until then: docutils asks the machine where it stopped after `unlink()`. A machine
that an exception leaves unfinished is never given back; at most `MAX_KEPT` are kept. Each
thread keeps its own machines, so that none is handed out between its `unlink()` and that
last question.
"""

from __future__ import annotations

import threading
from typing import Any

from docutils.parsers.rst import states

#: At most this many idle machines are kept (one per level of nesting in use at once).
MAX_KEPT = 32


class _Kept(threading.local):
    def __init__(self) -> None:
        self.machines: list[KeptMachine] = []


_kept = _Kept()


class KeptMachine(states.NestedStateMachine):
    """A nested state machine of docutils' standard states that `unlink()` resets and keeps."""

    def __init__(self, initial_state: str, parent_state_machine: Any) -> None:
        super().__init__(states.state_classes, initial_state, False, parent_state_machine)
        self._built = dict(self.__dict__), {name: dict(state.__dict__) for name, state in self.states.items()}

    def reset(self, initial_state: str, parent_state_machine: Any) -> None:
        """As it was built for `initial_state` under `parent_state_machine`."""
        self.input_offset, self.line_offset = 0, -1
        self.initial_state = self.current_state = initial_state
        self.parent_state_machine = parent_state_machine

    def unlink(self) -> None:
        built, state_attributes = self._built
        for name, state in built["states"].items():
            attributes = state_attributes[name]
            state.__dict__.clear()
            state.__dict__.update(attributes)
            state.transition_order = list(attributes["transition_order"])
            state.transitions = dict(attributes["transitions"])
        offsets = self.input_offset, self.line_offset
        self.__dict__.clear()
        self.__dict__.update(built)
        self.observers = []
        self._built = built, state_attributes
        self.input_offset, self.line_offset = offsets
        if len(_kept.machines) < MAX_KEPT:
            _kept.machines.append(self)


class _KeptMachines:
    """Called as docutils calls `RSTState.nested_sm`: a kept machine, else a new one; a machine
    of other states (as the one for a quoted literal block, which keeps what it read in
    attributes of its own) or for debugging is docutils' own, built each time. An instance, not
    a function, so that reading it off a state does not bind it."""

    def __call__(
        self, state_classes: Any, initial_state: str, debug: bool = False, parent_state_machine: Any = None
    ) -> states.NestedStateMachine:
        if debug or state_classes is not states.state_classes:
            return _DOCUTILS_NESTED_SM(state_classes, initial_state, debug, parent_state_machine)
        try:
            machine = _kept.machines.pop()
        except IndexError:
            return KeptMachine(initial_state, parent_state_machine)
        machine.reset(initial_state, parent_state_machine)
        return machine


_DOCUTILS_NESTED_SM = states.RSTState.nested_sm
_FACTORY = _KeptMachines()


def install(on: bool = True) -> None:
    """Nested parses take kept machines (`on`), or build each as docutils does (`on=False`,
    which also drops the kept ones)."""
    # a factory called as docutils calls the class (the stubs type the attribute as the class)
    states.RSTState.nested_sm = _FACTORY if on else _DOCUTILS_NESTED_SM  # type: ignore[assignment]
    if not on:
        _kept.machines.clear()
