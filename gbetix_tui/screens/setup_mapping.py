"""The BPT mapping tab of the setup screen: each BPT price and the performance and ticket type it sells."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from gbetix_core.boxoffice.clock import describe
from gbetix_core.bpt.mapping import PriceMapping, map_date, map_price, price_mappings
from gbetix_core.models import BptPrice, Performance, TicketType
from gbetix_tui.widgets.columns import add_columns


def remap(staff, price_id: int, performance_id: int | None, ticket_type_id: int | None) -> int:
    """Map a BPT price's date to a performance and the price to a ticket type; tickets moved (the core audits)."""
    price = BptPrice.get_by_id(price_id)
    moved = 0
    if performance_id is not None:
        moved += map_date(price.date, Performance.get_by_id(performance_id), staff)
    if ticket_type_id is not None:
        moved += map_price(price, TicketType.get_by_id(ticket_type_id), staff)
    return moved


class MappingPane(Vertical):
    """Styled in setup.tcss with the rest of the setup screen."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[PriceMapping] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="mapping-summary")
        yield DataTable(id="mapping", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        add_columns(self.query_one(DataTable), (("BPT event", 18), ("BPT date", 10), ("BPT price", 18), ("Value", 6),
                                                ("→ Performance", 36), ("→ Ticket type", 18)))

    def current(self) -> PriceMapping | None:
        row = self.query_one(DataTable).cursor_row
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def reload(self) -> None:
        self.app.run_core(price_mappings, done=self._show, group="mapping", exclusive=True)

    def _show(self, rows: list[PriceMapping]) -> None:
        self.rows = rows
        table = self.query_one(DataTable)
        table.clear()
        for row in rows:
            perf = f"{row.performance}, {describe(row.starts_at)}" if row.performance else "[b red]not mapped[/]"
            table.add_row(row.event, row.date, row.price, "" if row.value is None else f"{row.value:.2f}", perf,
                          row.ticket_type or "[b red]not mapped[/]", key=str(row.price_id))
        unmapped = sum(not r.mapped for r in rows)
        summary = "No BPT prices yet: run a sync." if not rows else (
            f"{len(rows)} BPT prices, [b]{unmapped} not mapped[/b]" if unmapped else f"{len(rows)} BPT prices, all mapped")
        self.query_one("#mapping-summary", Static).update(summary)
