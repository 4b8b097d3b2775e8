"""Widgets of the Folio app, one a module; messages are nested in the widget that sends them."""

from folio_reader.tui.widgets.reader import SEARCH_LAYER, Reader

__all__ = ["SEARCH_LAYER", "Reader"]
