"""Show and offer setup: performances, ticket types, the offers that join them, and the BPT mapping.

Each tab is a table loaded from the core; the keys add, offer, remap or
delete through the core, which checks the role and refuses in words (a
performance with tickets sold cannot be deleted).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from gbetix_core.boxoffice import catalog
from gbetix_core.boxoffice.clock import describe
from gbetix_core.bpt.mapping import PriceMapping
from gbetix_core.errors import InputError
from gbetix_core.models import Offer, Performance, Show, TicketType
from gbetix_tui.guard import reported
from gbetix_tui.screens.base import GbetixScreen
from gbetix_tui.screens.setup_mapping import MappingPane, remap, remap_reach
from gbetix_tui.widgets.columns import FitTable, LeftOut
from gbetix_tui.widgets.form import Field, FormDialog
from gbetix_tui.wording import counted, literal

CATEGORIES = ("revenue", "comp", "bundle", "subscriber", "nonticket")
TABS = {"tab-performances": "Performances", "tab-types": "Ticket types", "tab-offers": "Offers",
        "tab-mapping": "BPT mapping"}


def parse_times(text: str) -> list[dt.datetime]:
    """Curtain times typed as ``2026-12-04 19:30, 2026-12-05 20:00`` (festival-local)."""
    times = []
    for part in (p.strip() for p in (text or "").split(",")):
        if not part:
            continue
        try:
            times.append(dt.datetime.fromisoformat(part))
        except ValueError:
            raise InputError(f"{part!r} is not a date and time like 2026-12-04 19:30.") from None
    return times


def whole(text: str | None, what: str, default: int | None = None) -> int | None:
    if text in (None, ""):
        return default
    try:
        return int(text)
    except ValueError:
        raise InputError(f"The {what} must be a whole number (got {text!r}).") from None


def load_catalog() -> tuple[list[Performance], list[TicketType], list[Show]]:
    return catalog.list_performances(), catalog.list_ticket_types(), catalog.list_shows()


class SetupScreen(GbetixScreen):
    CSS_PATH = "setup.tcss"
    TITLE = "Shows and offers"
    HELP = """\
Set up what the box office sells. **Performances** tab: **s** adds a show, **n** adds performances
(several curtain times at once), **delete** removes a performance nothing was sold for (asks first).
**Ticket types**: **t** adds one. **Offers** lists the offers of the performance highlighted in the
first tab; **o** offers a ticket type for every performance of that show at once.
**BPT mapping**: each Brown Paper Tickets price and the performance and ticket type it sells;
**m** remaps the highlighted price (tickets already imported move with it).
**1**-**4** switch tabs."""
    BINDINGS = [
        Binding("s", "add_show", "Add show"),
        Binding("n", "add_performances", "Performances"),
        Binding("t", "add_type", "Ticket type"),
        Binding("o", "add_offer", "Offer"),
        Binding("m", "remap", "Remap"),
        Binding("delete", "delete_performance", "Delete performance"),
        Binding("r", "reload(True)", "Refresh"),
        Binding("escape", "back", "Back"),
        *[Binding(str(n), f"tab('{tab}')", title, show=False)
          for n, (tab, title) in enumerate(TABS.items(), start=1)],
    ]

    def __init__(self) -> None:
        super().__init__()
        self.performances: list[Performance] = []
        self.types: list[TicketType] = []
        self.shows: list[Show] = []

    def compose(self) -> ComposeResult:
        yield self.header()
        with TabbedContent(id="tabs"):
            with TabPane("1 Performances", id="tab-performances"):
                yield FitTable(id="performances")
                yield LeftOut("performances")
            with TabPane("2 Ticket types", id="tab-types"):
                yield FitTable(id="types")
                yield LeftOut("types")
            with TabPane("3 Offers", id="tab-offers"):
                yield Static("", id="offers-of")
                yield FitTable(id="offers")
                yield LeftOut("offers")
            with TabPane("4 BPT mapping", id="tab-mapping"):
                yield MappingPane()
        yield self.footer()

    @reported
    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#performances", FitTable).set_columns(
            (("Show", 16, 1), ("Curtain", 16, 1), ("House", 5, 1), ("Advance", 7, 2), ("Note", 12, 3)))
        self.query_one("#types", FitTable).set_columns(
            (("Ticket type", 16, 1), ("Price", 8, 1), ("Category", 10, 2), ("Door", 4, 2), ("Who", 12, 3)))
        self.query_one("#offers", FitTable).set_columns((("Ticket type", 16, 1), ("Cap", 5, 1), ("On sale from", 16, 2),
                                                         ("Until", 16, 2), ("Promo", 8, 3), ("Per order", 9, 3)))
        self.query_one("#performances", DataTable).focus()
        self.action_reload()

    @on(DataTable.RowSelected)
    @reported
    def open_row(self, event: DataTable.RowSelected) -> None:
        """Enter on a performance shows its offers, on a BPT price remaps it; elsewhere it says what the keys do."""
        table = event.data_table.id
        if table == "performances":
            self.action_tab("tab-offers")
        elif table == "mapping":
            self.action_remap()
        else:
            self.nothing_to("Enter changes nothing here: t adds a ticket type, o offers one for a show.")

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.query_one(f"#{tab} DataTable", DataTable).focus()

    def action_reload(self, asked: bool = False) -> None:
        self.core(load_catalog, done=self.then_said(self._show, asked, "Shows and offers"), group="catalog")
        self.query_one(MappingPane).reload()

    def _show(self, loaded: tuple[list[Performance], list[TicketType], list[Show]]) -> None:
        self.performances, self.types, self.shows = loaded
        perfs = self.query_one("#performances", DataTable)
        row = perfs.cursor_row
        perfs.clear()
        for perf in self.performances:
            perfs.add_row(perf.show.name, describe(perf.starts_at), str(perf.house_capacity),
                          str(perf.max_advance_sales), perf.description or "", key=str(perf.id))
        if perfs.row_count:
            perfs.move_cursor(row=min(row, perfs.row_count - 1))
        types = self.query_one("#types", DataTable)
        types.clear()
        for ttype in self.types:
            types.add_row(ttype.name, f"{ttype.price:.2f}", ttype.category, "yes" if ttype.walkup_allowed else "no",
                          ttype.availability, key=str(ttype.id))
        self._load_offers()

    def _performance(self) -> Performance | None:
        row = self.query_one("#performances", DataTable).cursor_row
        return self.performances[row] if 0 <= row < len(self.performances) else None

    @reported
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "performances":
            self._load_offers()

    def _load_offers(self) -> None:
        perf = self._performance()
        if perf is None:
            return
        self.query_one("#offers-of", Static).update(f"Offers for [b]{literal(catalog.label(perf))}[/b]")
        self.core(catalog.list_offers, perf.id, done=self._show_offers, group="offers")

    def _show_offers(self, offers: list[Offer]) -> None:
        table = self.query_one("#offers", DataTable)
        table.clear()
        for offer in offers:
            per_order = f"{offer.min_per_order}-{offer.max_per_order}" if offer.max_per_order else f"{offer.min_per_order}+"
            table.add_row(offer.ticket_type.name, "" if offer.max_sales is None else str(offer.max_sales),
                          describe(offer.sales_start) if offer.sales_start else "",
                          describe(offer.sales_end) if offer.sales_end else "",
                          offer.promo_codes or "", per_order, key=str(offer.id))

    def _ask(self, title: str, fields: list[Field], then) -> None:
        def answered(values: dict[str, Any] | None) -> None:
            if values is None:
                return
            try:
                then(values)
            except InputError as exc:
                self.app.report_error(exc)

        self.app.push_screen(FormDialog(title, fields), answered)

    def _saved(self, what: str):
        def done(_result) -> None:
            self.notify(what, timeout=3)
            self.action_reload()

        return done

    def action_add_show(self) -> None:
        season = str(self.session.now().year)
        self._ask("Add a show", [Field("name", "Name"), Field("season", "Season", season),
                                 Field("description", "Description")],
                  lambda v: self.core(catalog.add_show, self.session.operator, v["name"],
                                      whole(v["season"], "season"), v["description"] or None,
                                      done=self._saved(f"Show {v['name']!r} added.")))

    def action_add_performances(self) -> None:
        shows = tuple((f"{s.name} ({s.season})", s.id) for s in self.shows)
        perf = self._performance()
        self._ask("Add performances", [
            Field("show", "Show", perf.show_id if perf else "", choices=shows),
            Field("times", "Curtain times (festival-local), comma-separated", placeholder="2026-12-04 19:30, 2026-12-05 20:00"),
            Field("house", "House capacity", "300"), Field("advance", "Advance-sales limit (blank: the house)"),
        ], lambda v: self.core(catalog.add_performances, self.session.operator, v["show"], parse_times(v["times"]),
                               whole(v["house"], "house capacity"), whole(v["advance"], "advance-sales limit"),
                               done=lambda made: self._saved(f"{counted(len(made), 'performance')} added.")(made)))

    def action_add_type(self) -> None:
        self._ask("Add a ticket type", [
            Field("name", "Name"), Field("price", "Price", "0.00"),
            Field("category", "Category", "revenue", choices=tuple((c, c) for c in CATEGORIES)),
            Field("season", "Season", str(self.session.now().year)),
            Field("open", "A pass of open admissions: any N shows (blank: none)"),
            Field("reserved_as", "Its admissions are reserved as", choices=tuple(
                (t.name, t.id) for t in self.types if t.category == "subscriber")),
        ], lambda v: self.core(catalog.add_ticket_type, self.session.operator, v["name"], v["price"],
                               whole(v["season"], "season"), category=v["category"],
                               open_admissions=whole(v["open"], "number of open admissions", 0),
                               open_admission_type=v["reserved_as"],
                               done=self._saved(f"Ticket type {v['name']!r} added.")))

    def action_add_offer(self) -> None:
        perf = self._performance()
        if perf is None:
            return
        same_show = [p.id for p in self.performances if p.show_id == perf.show_id]
        self._ask(f"Offer a ticket type for every {perf.show.name} performance", [
            Field("type", "Ticket type", choices=tuple((t.name, t.id) for t in self.types)),
            Field("cap", "Most that may be sold per performance (blank: no cap)"),
            Field("until", "Stop selling, minutes after curtain (negative: before)", "45"),
            Field("promo", "Promo codes, comma-separated (blank: none)"),
            Field("max", "Most per order (blank: no limit)", "10"),
        ], lambda v: self.core(catalog.set_offers, self.session.operator, v["type"], same_show,
                               max_sales=whole(v["cap"], "cap"),
                               end_before_curtain=dt.timedelta(minutes=-whole(v["until"], "minutes", 0)),
                               promo_codes=v["promo"] or None, max_per_order=whole(v["max"], "most per order"),
                               done=lambda made: self._saved(f"{counted(len(made), 'offer')} set.")(made)))

    def action_delete_performance(self) -> None:
        """On another tab, delete first shows the performances (it deletes the one highlighted there)."""
        if self.query_one(TabbedContent).active != "tab-performances":
            self.action_tab("tab-performances")
            return
        perf = self._performance()
        if perf is None:
            return
        self.app.confirm(f"Delete {catalog.label(perf)} and its offers?",
                         lambda: self.core(catalog.delete_performance, self.session.operator, perf.id,
                                           done=self._saved(f"{catalog.label(perf)} deleted.")), yes="Delete")

    def action_remap(self) -> None:
        if self.query_one(TabbedContent).active != "tab-mapping":
            self.action_tab("tab-mapping")
            return
        row = self.query_one(MappingPane).current()
        if row is None:
            return
        keep = (("(leave as it is)", 0),)
        self._ask(f"Remap BPT {row.event} · {row.date} · {row.price}", [
            Field("performance", "Its date sells the performance",
                  0, choices=keep + tuple((catalog.label(p), p.id) for p in self.performances)),
            Field("type", "The price sells the ticket type", 0, choices=keep + tuple((t.name, t.id) for t in self.types)),
        ], lambda v: self._confirm_remap(row, v["performance"] or None, v["type"] or None))

    def _confirm_remap(self, row: PriceMapping, performance_id: int | None, type_id: int | None) -> None:
        """Count what would move, then ask: a remap moves tickets people already hold."""
        if performance_id is None and type_id is None:
            self.nothing_to("Nothing to remap: choose a performance or a ticket type.")
            return

        def ask(count: int) -> None:
            self.app.confirm(f"Remap BPT {row.event} · {row.date} · {row.price}? "
                             f"Up to {counted(count, 'imported ticket')} move with it.",
                             lambda: self.core(remap, self.session.operator, row.price_id, performance_id, type_id,
                                               done=self._remapped(row)), yes="Remap")

        self.core(remap_reach, row.price_id, performance_id is not None, type_id is not None, done=ask)

    def _remapped(self, row: PriceMapping):
        return lambda moved: self._saved(f"BPT {row.price} remapped; {counted(moved, 'ticket')} moved.")(moved)
