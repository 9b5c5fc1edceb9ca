"""The BPT mapping tab of the setup screen: each BPT price and the performance and ticket type it sells."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from gbetix_core.boxoffice.clock import describe
from gbetix_core.bpt.mapping import PriceMapping, map_date, map_price, price_mappings, tickets_remapped
from gbetix_core.models import BptPrice, Performance, TicketType
from gbetix_tui.answers import TakesAnswers
from gbetix_tui.guard import reported
from gbetix_tui.widgets.columns import FitTable, LeftOut
from gbetix_tui.wording import counted

NOT_MAPPED = Text("not mapped", "b red")


def remap(staff, price_id: int, performance_id: int | None, ticket_type_id: int | None) -> int:
    """Map a BPT price's date to a performance and the price to a ticket type; tickets moved (the core audits)."""
    price = BptPrice.get_by_id(price_id)
    moved = 0
    if performance_id is not None:
        moved += map_date(price.date, Performance.get_by_id(performance_id), staff)
    if ticket_type_id is not None:
        moved += map_price(price, TicketType.get_by_id(ticket_type_id), staff)
    return moved


def remap_reach(price_id: int, date_too: bool, price_too: bool) -> int:
    """Tickets a remap of this BPT price would move (asked before the operator confirms)."""
    return tickets_remapped(BptPrice.get_by_id(price_id), date_too, price_too)


class MappingPane(TakesAnswers, Vertical):
    """Styled in setup.tcss with the rest of the setup screen."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[PriceMapping] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="mapping-summary")
        yield FitTable(id="mapping")
        yield LeftOut("mapping")

    @reported
    def on_mount(self) -> None:
        self.query_one(FitTable).set_columns((("BPT event", 12, 3), ("BPT date", 10, 2), ("BPT price", 12, 1),
                                              ("Value", 6, 4), ("→ Performance", 20, 1), ("→ Ticket type", 12, 1)))

    def current(self) -> PriceMapping | None:
        row = self.query_one(DataTable).cursor_row
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def reload(self) -> None:
        self.app.run_core(price_mappings, done=self._show, group="mapping", exclusive=True, owner=self)

    def _show(self, rows: list[PriceMapping]) -> None:
        self.rows = rows
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            perf = f"{row.performance}, {describe(row.starts_at)}" if row.performance else NOT_MAPPED
            table.add_row(row.event, row.date, row.price, "" if row.value is None else f"{row.value:.2f}", perf,
                          row.ticket_type or NOT_MAPPED, key=str(row.price_id))
        unmapped = sum(not r.mapped for r in rows)
        prices = counted(len(rows), "BPT price")
        summary = "No BPT prices yet: run a sync." if not rows else (
            f"{prices}, [b]{unmapped} not mapped[/b]" if unmapped else f"{prices}, all mapped")
        self.query_one("#mapping-summary", Static).update(summary)
