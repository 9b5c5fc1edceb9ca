"""Orders and receipts: find an order by its number, show its receipt again, export it, cancel, refund or move.

The customer gives the number on their receipt. The receipt is re-read from
the order after every change, so it always says what stands; every rule
(who may refund, whether the other night has room) is the core's.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from gbetix_core.boxoffice.receipts import export_receipt
from gbetix_tui.guard import reported
from gbetix_tui.screens.base import GbetixScreen
from gbetix_tui.screens.orders_view import OrderView, cancel_and_reload, load_order, move_and_reload
from gbetix_tui.widgets.columns import Column, FitTable, LeftOut
from gbetix_tui.widgets.form import Field, FormDialog
from gbetix_tui.widgets.performance_picker import PerformancePicker, performance_choices


class OrdersScreen(GbetixScreen):
    CSS_PATH = "orders.tcss"
    TITLE = "Orders and receipts"
    HELP = """\
Type an order number (from the receipt) and **enter**: the receipt shows again, with the items
still standing below it. **space** marks items; **r** cancels and refunds the marked items (all
that stand when none is marked), **x** cancels them without a refund (managers, with a reason);
**m** moves the marked tickets to another performance if it has room; **e** exports the receipt
as text and PDF into the data folder's receipts/. **/** goes back to the order number."""
    NEEDS = {"cancel": "refund", "move": "move_sale"}
    ROW_ACTIONS = frozenset({"mark", "cancel", "move", "export"})
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("slash", "focus_number", "Order number"),
        Binding("space", "mark", "Mark"),
        Binding("r", "cancel(True)", "Refund"),
        Binding("x", "cancel(False)", "Cancel, no refund"),
        Binding("m", "move", "Move"),
        Binding("e", "export", "Export"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view: OrderView | None = None
        self.marked: set[int] = set()

    def compose(self) -> ComposeResult:
        yield self.header()
        yield Input(placeholder="order number, e.g. 42", id="number")
        yield Static("", id="receipt")
        yield FitTable(id="items")
        yield LeftOut("items")
        yield self.footer()

    @reported
    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#items", FitTable).set_columns((
            Column("", 1, 1, "mark"), Column("Item", 6, 2), Column("What", 20, 1, most=60), Column("Kind", 6, 3),
            Column("Amount", 9, 1)))
        self.query_one("#number", Input).focus()

    @property
    def zone(self) -> str:
        return self.session.config.boxoffice.time_zone

    @reported
    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.nothing_to("Type an order number first, e.g. 42.")
            return
        self.core(load_order, event.value, self.zone, done=self._show, group="order")

    def _show(self, view: OrderView) -> None:
        if self.view is None or self.view.order_id != view.order_id:
            self.marked.clear()
        self.view = view
        self.marked &= {s.item_id for s in view.standing}
        self.query_one("#receipt", Static).update(view.receipt.text().rstrip())
        table = self.query_one("#items", FitTable)
        table.clear()
        for s in view.standing:
            table.add_row("✓" if s.item_id in self.marked else "", str(s.item_id), s.what, s.kind,
                          f"{s.amount:,.2f}", key=str(s.item_id))
        table.focus()

    def action_focus_number(self) -> None:
        self.query_one("#number", Input).focus()

    def _highlighted(self) -> int | None:
        table = self.query_one("#items", FitTable)
        if self.view is None or not self.view.standing or table.cursor_row >= len(self.view.standing):
            return None
        return self.view.standing[table.cursor_row].item_id

    def action_mark(self) -> None:
        item = self._highlighted()
        if item is not None:
            self.marked ^= {item}
            self.query_one("#items", FitTable).update_cell(str(item), "mark", "✓" if item in self.marked else "")

    def action_cancel(self, refund: bool) -> None:
        if self.view is None:
            self.nothing_to("No order yet: type its number and press enter.")
            return
        what = f"{len(self.marked)} marked item(s)" if self.marked else "everything still standing"
        title = f"{'Cancel and refund' if refund else 'Cancel without refund'}: {what} of order #{self.view.order_id}"
        self.app.push_screen(FormDialog(title, [Field("reason", "Reason (goes to the audit log)")]),
                             lambda values: self._cancel(values, refund))

    def _cancel(self, values: dict | None, refund: bool) -> None:
        if values is None or self.view is None:
            return
        self.core(cancel_and_reload, self.session.operator, self.view.order_id, sorted(self.marked), refund,
                  values["reason"], self.zone, done=self._cancelled)

    def _cancelled(self, answer: tuple) -> None:
        view, count, refunded = answer
        self.marked.clear()
        self._show(view)
        self.notify(f"Order #{view.order_id}: {count} item(s) cancelled, ${refunded:,.2f} refunded.", timeout=5)

    def action_move(self) -> None:
        if self.view is not None:
            self.core(performance_choices, done=self._pick)

    def _pick(self, choices) -> None:
        self.app.push_screen(PerformancePicker(choices, None), self._picked)

    def _picked(self, performance_id: int | None) -> None:
        if performance_id is None or self.view is None:
            return
        self.core(move_and_reload, self.session.operator, self.view.order_id, sorted(self.marked), performance_id,
                  "moved at the box office", self.session.now(), self.zone, done=self._moved)

    def _moved(self, answer: tuple) -> None:
        view, moved = answer
        self.marked.clear()
        self._show(view)
        self.notify(f"Order #{view.order_id}: {moved} ticket(s) moved.", timeout=5)

    def action_export(self) -> None:
        if self.view is not None:
            self.core(export_receipt, self.view.order_id, self.session.config.data_dir / "receipts", self.zone,
                      done=self._exported)

    def _exported(self, paths: tuple) -> None:
        self.notify("Receipt written: " + ", ".join(str(p) for p in paths), title="Exported", timeout=8)
