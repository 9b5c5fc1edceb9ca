"""A footer that shows only the keys that fit, in the order the screen lists them.

Textual's footer scrolls sideways when a screen has more keys than the
terminal is wide, which cuts the last ones ("x Cl") and leaves stray letters
beside the palette key. Screens list their keys most important first; a key
that does not fit is left out whole (a shorter one after it may still fit),
and F1 (help) and ctrl+p (the palette) list every one of them.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widget import Widget

from gbetix_tui.guard import reported

PALETTE_WIDTH = 12


def key_width(key: Widget) -> int:
    """Cells a compact footer key takes: key, space, words, and the margin after it."""
    words = f" {key.description}" if key.description else ""
    return cell_len(key.key_display) + cell_len(words) + 1


def is_screen_key(widget: Widget) -> bool:
    """A key of the screen (the footer's key widgets carry ``key_display``), not the palette's."""
    return hasattr(widget, "key_display") and not widget.has_class("-command-palette")


class FittingFooter(Footer):
    def __init__(self) -> None:
        super().__init__(compact=True)

    def compose(self) -> ComposeResult:
        room = self.size.width - PALETTE_WIDTH
        for widget in super().compose():
            if is_screen_key(widget):
                if key_width(widget) > room:
                    continue
                room -= key_width(widget)
            yield widget

    @reported
    def on_resize(self) -> None:
        self.call_after_refresh(self.recompose)
