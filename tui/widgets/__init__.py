"""Widgets of the Folio app, one a module; messages are nested in the widget that sends them."""

from tui.widgets.reader import SEARCH_LAYER, Reader

__all__ = ["Reader", "SEARCH_LAYER"]
