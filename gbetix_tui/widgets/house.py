"""One performance on the dashboard: how full it is (bar), where its tickets came from, and the doors' progress.

Drawn with Textual's own ProgressBar and updated in place, so the
dashboard can refresh every few seconds during the doors without flicker.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widgets import Label, ProgressBar, Static

from gbetix_core.boxoffice.night import House
from gbetix_tui.guard import reported


def sources(house: House) -> str:
    """Where the seats went, in words beside the bars."""
    return (f"BPT {house.bpt} · door {house.door} · box office {house.boxoffice} · "
            f"[b]{house.seats_left} left[/b] of {house.capacity}")


class HouseView(Vertical):
    DEFAULT_CSS = """
    HouseView { height: auto; margin-bottom: 1; }
    HouseView Horizontal { height: 1; }
    HouseView .bar-label { width: 8; color: $text-muted; }
    HouseView ProgressBar Bar { width: 1fr; }
    HouseView ProgressBar { width: 1fr; }
    """

    def __init__(self, house: House) -> None:
        super().__init__()
        self.house = house

    def compose(self) -> ComposeResult:
        yield Label(classes="house-title", markup=False)
        with Horizontal():
            yield Label("sold", classes="bar-label")
            yield ProgressBar(show_eta=False, id="sold")
        with Horizontal():
            yield Label("in", classes="bar-label", id="admitted-label")
            yield ProgressBar(show_eta=False, id="admitted")
        yield Static(classes="house-sources")

    @reported
    def on_mount(self) -> None:
        self.show(self.house)
        self.call_after_refresh(self.draw_newest)

    @reported
    def draw_newest(self) -> None:
        """Once every bar is mounted (its labels may still be mounting at ``on_mount`` on a busy machine)."""
        self.show(self.house)

    def show(self, house: House) -> None:
        """Bring the bars and words up to date with ``house`` (same performance, newer figures). A newer answer
        can come while the view is still being mounted, before all its bars exist: mounting then shows the newest."""
        self.house = house
        try:
            self._draw(house)
        except NoMatches:
            return

    def _draw(self, house: House) -> None:
        self.query_one(".house-title", Label).update(house.title)
        self.query_one("#admitted-label", Label).update(f"in {house.checked_in}")
        self.query_one("#sold", ProgressBar).update(total=max(house.capacity, 1), progress=house.sold)
        self.query_one("#admitted", ProgressBar).update(total=max(house.sold, 1), progress=house.checked_in)
        self.query_one(".house-sources", Static).update(sources(house))
