"""The main menu: every place the operator's role reaches, by number, and a picture of the night beside it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Label, OptionList, Sparkline, Static
from textual.widgets.option_list import Option

from gbetix_core.boxoffice.night import House, coming_houses, tickets_by_day
from gbetix_core.overview import Overview, overview
from gbetix_tui.guard import reported
from gbetix_tui.places import PLACES
from gbetix_tui.screens.base import GbetixScreen
from gbetix_tui.widgets.house import HouseView
from gbetix_tui.wording import literal

LIVE_SECONDS = 5.0
SALES_DAYS = 21


@dataclass(frozen=True)
class Picture:
    """Everything the dashboard draws, read in one worker."""

    overview: Overview
    houses: list[House]
    by_day: list[int]


def picture_of_the_night(now: dt.datetime) -> Picture:
    return Picture(overview(now), coming_houses(now), tickets_by_day(now.date(), SALES_DAYS))


class DashboardScreen(GbetixScreen):
    CSS_PATH = "dashboard.tcss"
    TITLE = "Main menu"
    HELP = """\
The main menu. Press a place's key (a digit, or **s**, **m**, **e**) to open it, or move with the
arrows and press enter. Only the places your role reaches are listed.
Beside them, the night: for each coming performance a bar of seats sold (of the house) and one
of those sold already checked in, with where the seats came from (BPT, the door, the box office)
and how many are left; below, tickets sold per day. It refreshes every few seconds.
**ctrl+p** opens the command palette, **ctrl+o** switches operator, **r** refreshes the figures."""
    NEEDS = {f"open('{place.name}')": place.action for place in PLACES}
    BINDINGS = [
        *[Binding(place.key, f"open('{place.name}')", place.title, show=False) for place in PLACES],
        Binding("escape", "back", "Back", show=False),
        Binding("r", "refresh(True)", "Refresh"),
        Binding("ctrl+o", "app.switch_operator", "Operator"),
    ]

    def compose(self) -> ComposeResult:
        yield self.header()
        with Horizontal(id="body"):
            yield OptionList(*self._options(), id="places")
            with VerticalScroll(id="night"):
                yield Vertical(id="houses")
                yield Label(f"Tickets sold per day, last {SALES_DAYS} days", classes="muted")
                yield Sparkline([], id="sales")
                yield Static("Loading...", id="overview")
        yield self.footer()

    def _options(self) -> list[Option]:
        """The places the operator's role reaches, and no others (a number key of another says why not)."""
        return [Option(f"[b]{place.key}[/b]  {place.title}", id=place.name)
                for place in PLACES if self.session.can(place.action)]

    @reported
    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#places", OptionList).focus()
        self.query_one("#night").border_title = "The night"
        self.action_refresh()
        self.set_interval(LIVE_SECONDS, self._live)

    @reported
    def on_screen_resume(self) -> None:
        self.action_refresh()

    @reported
    def _live(self) -> None:
        """Keep the picture live while it is on screen (not behind another place)."""
        if self.is_current:
            self.action_refresh()

    def action_refresh(self, asked: bool = False) -> None:
        self.core(picture_of_the_night, self.session.now(), done=self.then_said(self._show, asked, "Dashboard"),
                  group="overview")

    def _show(self, picture: Picture) -> None:
        self.query_one("#overview", Static).update(describe(picture.overview))
        self.query_one("#sales", Sparkline).data = picture.by_day
        self._show_houses(picture.houses)

    def _show_houses(self, houses: list[House]) -> None:
        """Update the bars in place; rebuild them only when the coming performances change."""
        box = self.query_one("#houses", Vertical)
        views = list(box.query(HouseView))
        if [v.house.performance_id for v in views] == [h.performance_id for h in houses]:
            for view, house in zip(views, houses):
                view.show(house)
            return
        box.remove_children()
        box.mount_all([HouseView(house) for house in houses] or [Static("No performance ahead.")])

    def action_open(self, name: str) -> None:
        self.app.open_place(name)

    @reported
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.app.open_place(event.option.id)


def describe(view: Overview) -> str:
    """The overview panel's text."""
    lines = ["[b]Festival at a glance[/b]", ""]
    if view.next_show:
        lines.append(f"Next: [b]{literal(view.next_show)}[/b]")
        lines.append(f"      {view.next_starts_at:%a %d %b %H:%M}")
    else:
        lines.append("No performance ahead.")
    lines += ["", f"BPT purchases: {view.purchases:,}", f"  linked to a user: {view.linked:,}",
              f"  to review: [b]{view.to_review:,}[/b]"]
    if view.not_festival:
        lines.append(f"  not festival users: {view.not_festival:,}")
    lines.append("")
    run = view.last_sync
    if run is None:
        lines.append("No sync with BPT yet.")
    else:
        when = f"{run.started_at:%d %b %H:%M} UTC"
        lines.append(f"Last sync: {run.status} ({when})")
        lines.append(f"  {run.new} new, {run.changed} changed, {run.skipped} skipped")
    return "\n".join(lines)
