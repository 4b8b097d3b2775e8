"""The main screen's key bindings, in one list (each with an id, for user keymaps).

The footer shows the few that matter (`show`), help and the command palette every one: the
footer stays within 80 columns whichever pane has focus (the reader adds `v`, the list `s`
and `f`)."""

from __future__ import annotations

from textual.binding import Binding, BindingType

MAIN_BINDINGS: list[BindingType] = [
    Binding("slash", "search", "Search", tooltip="Search the corpus as you type", id="main.search"),
    Binding(
        "a",
        "annotate",
        "Annotate",
        tooltip="Note the selection, the hit or the sentence; on an annotation, edit it",
        id="main.annotate",
    ),
    Binding(
        "h",
        "highlight",
        "Highlight",
        show=False,
        tooltip="Highlight the selection, the hit or the sentence, no note",
        id="main.highlight",
    ),
    Binding(
        "A",
        "annotations_panel",
        "Notes",
        show=False,
        tooltip="The annotations panel: every annotation of the corpus",
        id="main.annotations",
    ),
    Binding(
        "c",
        "compare",
        "Compare",
        show=False,
        tooltip="Compare this document with another, side by side",
        id="main.compare",
    ),
    Binding(
        "d", "toggle_documents", "List", tooltip="Show the document list; on the list, hide it", id="main.documents"
    ),
    Binding(
        "question_mark,f1",
        "app.help",
        "Help",
        tooltip="Every key, and the search syntax (f1 in a text box, where ? is typed)",
        id="app.help",
    ),
    Binding("q", "app.quit", "Quit", tooltip="Quit (the reading place and every note are kept)", id="app.quit"),
    Binding(
        "n",
        "next_hit",
        "Next hit",
        show=False,
        tooltip="Next search hit; past the last, the next document",
        id="main.next_hit",
    ),
    Binding("N", "previous_hit", "Prev hit", show=False, tooltip="Previous search hit", id="main.previous_hit"),
    Binding(
        "right_square_bracket",
        "next_annotation",
        "Next note",
        show=False,
        tooltip="Next annotation in the document",
        id="main.next_annotation",
    ),
    Binding(
        "left_square_bracket",
        "previous_annotation",
        "Prev note",
        show=False,
        tooltip="Previous annotation in the document",
        id="main.previous_annotation",
    ),
    Binding(
        "y",
        "copy",
        "Copy",
        show=False,
        tooltip="Copy the selection (or the annotation under the caret)",
        id="main.copy",
    ),
    Binding(
        "escape",
        "back",
        "Back",
        show=False,
        tooltip="Close the filter or the search, back to the reader, then clear the hits",
        id="main.back",
    ),
    Binding(
        "ctrl+g",
        "use_suggestion",
        "Take the suggestion",
        show=False,
        tooltip='Search for the "did you mean" suggestion',
        id="main.suggestion",
    ),
    Binding(
        "greater_than_sign",
        "widen_sidebar(1)",
        "Wider list",
        show=False,
        tooltip="A wider document list",
        id="main.sidebar_wider",
    ),
    Binding(
        "less_than_sign",
        "widen_sidebar(-1)",
        "Narrower list",
        show=False,
        tooltip="A narrower document list",
        id="main.sidebar_narrower",
    ),
    Binding(
        "asterisk",
        "word(1)",
        "Word forward",
        show=False,
        tooltip="The word under the caret: its next use in this document",
        id="main.word_next",
    ),
    Binding(
        "number_sign",
        "word(-1)",
        "Word back",
        show=False,
        tooltip="The word under the caret: its previous use in this document",
        id="main.word_previous",
    ),
    Binding("m", "mark", "Mark", show=False, tooltip="Set a mark: m and a letter", id="main.mark"),
    Binding(
        "apostrophe",
        "go_to_mark",
        "Go to mark",
        show=False,
        tooltip="Go to a mark: ' and its letter ('' back)",
        id="main.go_to_mark",
    ),
    Binding(
        "ctrl+o",
        "jump_back",
        "Jump back",
        show=False,
        tooltip="Back to where the last jump (hit, mark, annotation) came from",
        id="main.jump_back",
    ),
]
