"""Where the reader is and where it can go: the status line's context, the outline, links.

Functions of a `Reader` through its public API: `context` (the link under the caret, else why
the plain layout is used, else the section), `show_outline` (`t`, opened on the section being
read: `reading_at`, the caret's), `link_at` and `follow_link` (`enter` on a link: a path is
posted as `Reader.LinkFollowed` for the screen to open; an external link is never opened).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from folio_reader.index.inert import inert_inline
from folio_reader.tui.layout import outline

if TYPE_CHECKING:
    from folio_reader.tui.widgets.reader import Reader
    from folio_reader.tui.widgets.reader_view import ReaderView


def link_at(reader: ReaderView, offset: int) -> str | None:
    """The target of the link shown at offset, if any (none in the raw view)."""
    doc = reader.document
    if doc is None or reader.raw:
        return None
    link = reader.document_outline.link_at(offset)
    return link.target if link is not None else None


def context(reader: ReaderView) -> str:
    doc = reader.document
    if doc is None or not reader.laid_out:
        return ""
    section = reader.document_outline.section_at(reading_at(reader))
    return inert_inline(
        outline.place(link_at(reader, reader.caret), reader.layout_note, reader.raw, section, doc.meta.title)
    )


def reading_at(reader: ReaderView) -> int:
    """Where the reader is reading: the caret, or the top of the view when the view was scrolled
    away from it (the next motion puts the caret there)."""
    caret = reader.caret
    return caret if reader.screen_row_of(caret) is not None else reader.top_offset


def show_outline(reader: Reader) -> None:
    from folio_reader.tui.screens.outline import OutlineScreen

    def jump(offset: int | None) -> None:
        if offset is not None:
            reader.move_caret(offset, reveal=False)
            reader.scroll_to_offset(offset, center="top")

    reader.app.push_screen(OutlineScreen(reader.headings, reading_at(reader)), jump)


def follow_link(reader: Reader) -> None:
    doc = reader.document
    target = link_at(reader, reader.caret)
    if doc is None or target is None:
        return
    path = outline.link_path(doc.text, doc.structure, target)
    if path:
        reader.post_message(reader.LinkFollowed(reader, path))
    elif target:
        reader.notify(inert_inline(f"Not opened: {target}"), severity="warning", markup=False)
    else:
        reader.notify("Not opened: this link's target is not known", severity="warning", markup=False)
