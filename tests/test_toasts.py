"""Toasts (notifications) stay clear of the status line and the footer: at 80x24 a toast in the
bottom-right corner hid the reading position ("▌ 37%"), which is what a reader looks at."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Footer
from textual.widgets._toast import Toast

from folio_reader.tui.screens.main import MainScreen
from tests.helpers import make_app, settle


async def test_a_toast_leaves_the_status_line_and_the_footer_visible(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("\n\n".join(f"Paragraph {n} of a document long enough to scroll." for n in range(200)))
    app = make_app(path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        screen: MainScreen = app.screen
        await pilot.press("space", "space")
        app.notify("A toast long enough to take three lines of the corner it is shown in, or more", timeout=30)
        for _ in range(40):
            await pilot.pause(0.05)
            if screen.query(Toast):
                break
        assert any(toast.region.height >= 3 for toast in screen.query(Toast))  # (shown)
        bottom = [screen.status, screen.query_one(Footer)]
        for widget in bottom:
            y = widget.region.y
            assert y >= 22, widget  # the two bottom rows
            for x in range(80):
                covering, _ = screen.get_widget_at(x, y)
                assert covering is widget or widget in covering.ancestors, (x, y, covering)
        assert "%" in str(screen.status.render())  # the reading position, shown
