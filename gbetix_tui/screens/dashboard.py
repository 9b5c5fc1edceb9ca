"""The main menu: every place the operator's role reaches, by number, and how the festival stands."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from gbetix_core.overview import Overview, overview
from gbetix_tui.places import PLACES
from gbetix_tui.screens.base import GbetixScreen


class DashboardScreen(GbetixScreen):
    CSS_PATH = "dashboard.tcss"
    TITLE = "Main menu"
    HELP = """\
The main menu. Press a number to open a place, or move with the arrows and
press enter. Places your role does not reach are shown dimmed.
**ctrl+p** opens the command palette, **ctrl+o** switches operator, **r** refreshes the figures."""
    BINDINGS = [
        *[Binding(place.key, f"open('{place.name}')", place.title, show=False) for place in PLACES],
        Binding("escape", "back", "Back", show=False),
        Binding("r", "refresh", "Refresh"),
        Binding("ctrl+o", "app.switch_operator", "Operator"),
    ]

    def compose(self) -> ComposeResult:
        yield self.header()
        with Horizontal(id="body"):
            yield OptionList(*self._options(), id="places")
            yield Static("Loading...", id="overview")
        yield self.footer()

    def _options(self) -> list[Option]:
        options = []
        for place in PLACES:
            allowed = self.session.can(place.action)
            label = f"[b]{place.key}[/b]  {place.title}" if allowed else f"[dim]{place.key}  {place.title}[/dim]"
            options.append(Option(label, id=place.name, disabled=not allowed))
        return options

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#places", OptionList).focus()
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        self.core(overview, self.session.now(), done=self._show, group="overview")

    def _show(self, view: Overview) -> None:
        self.query_one("#overview", Static).update(describe(view))

    def action_open(self, name: str) -> None:
        self.app.open_place(name)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.app.open_place(event.option.id)


def describe(view: Overview) -> str:
    """The overview panel's text."""
    lines = ["[b]Festival at a glance[/b]", ""]
    if view.next_show:
        lines.append(f"Next: [b]{view.next_show}[/b]")
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
