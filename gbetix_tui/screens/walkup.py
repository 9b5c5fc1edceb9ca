"""Walkup sales: a whole door sale in a few keys, e.g. ``2`` ``enter`` ``enter`` for two at the next show, cash.

The performance defaults to the one the door is working on. Each row is a
ticket type sold at the door with what is left of it, refreshed every few
seconds so another terminal's sales show up; quantities are set with digits or
+/-; the total is priced by the core; the core sells atomically and refuses
in words what cannot be sold.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from decimal import Decimal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Static

from gbetix_core import validation
from gbetix_core.boxoffice.sales import Basket, Quote, check_sale, quote
from gbetix_core.errors import InputError
from gbetix_core.people.search import UserHit
from gbetix_tui.guard import reported
from gbetix_tui.screens.base import GbetixScreen, allowed
from gbetix_tui.screens.walkup_sale import Sale, SaleLine, Stock, load_stock, sell_at_door
from gbetix_tui.widgets.columns import Column, FitTable, LeftOut
from gbetix_tui.widgets.form import Field, FormDialog
from gbetix_tui.widgets.performance_picker import Choice, PerformancePicker, performance_choices
from gbetix_tui.widgets.user_picker import UserPicker
from gbetix_tui.wording import counted, literal, who

PAYMENT_KEYS = {"cash": "c", "check": "k", "card": "d", "comp": "o"}
NEEDS_REF = {"check": "Check number", "card": "Card reference"}
LIVE_SECONDS = 5.0
DIGIT_WINDOW = 0.8


class WalkupScreen(GbetixScreen):
    CSS_PATH = "walkup.tcss"
    TITLE = "Walkup sales"
    HELP = """\
Sell at the door. The performance is the one the door is working on; **p** picks another,
**[** and **]** step through them. Move to a ticket type with the arrows and type a quantity
(a digit, or **+** / **-**). Choose the payment: **c** cash, **k** check, **d** card, **o** comp
(managers). **enter** asks to confirm, and **enter** (or **y**) again sells; the tickets are checked in
at once.
Retail items are listed under the tickets; **$** adds a donation. **%** enters a promo code: the
offers it opens appear with their seats left, and the code stays in force (shown beside the
performance) until you enter an empty one.
A manager entering a paper sale later presses **b** to date it when it happened, with a reason
(audited). **n** adds a note for the door ("2 wheelchairs"); **t** takes the cash tendered and shows the change due.
**u** sells to a festival user instead of the Walkup customer. A manager can press **!** to sell
past a ticket type's cap or the advance-sales limit (never past the house); it is written to the
audit log. **x** empties the basket. Seats left are refreshed every few seconds."""
    NEEDS = {"pay('comp')": "comp", "override": "override_cap", "backdate": "backdate"}
    BINDINGS = [
        Binding("enter", "sell", "Sell", priority=True),
        Binding("escape", "back", "Back"),
        *[Binding(key, f"pay('{method}')", method.title()) for method, key in PAYMENT_KEYS.items()],
        Binding("x", "clear", "Clear"),
        Binding("u", "customer", "Customer"),
        Binding("exclamation_mark", "override", "Override"),
        Binding("dollar_sign", "donation", "Donation"),
        Binding("percent_sign", "promo", "Promo"),
        Binding("p", "pick_performance", "Performance"),
        Binding("plus,equals_sign", "more", "One more"),
        Binding("minus", "less", "One fewer"),
        *[Binding(str(n), f"digit({n})", f"Quantity {n}", show=False) for n in range(10)],
        Binding("left_square_bracket", "step_performance(-1)", "Previous show", show=False),
        Binding("right_square_bracket", "step_performance(1)", "Next show", show=False),
        Binding("n", "comment", "Note for the door", show=False),
        Binding("t", "tendered", "Cash tendered", show=False),
        Binding("b", "backdate", "Date this sale earlier", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.stock: Stock | None = None
        self.sale = Sale()
        self.choices: list[Choice] = []
        self._last_digit: tuple[int, float] | None = None

    def compose(self) -> ComposeResult:
        yield self.header()
        yield Static("Loading...", id="performance")
        yield FitTable(id="offers")
        yield LeftOut("offers")
        yield Static("", id="why")
        with Horizontal(id="payment-row"):
            yield Static("", id="total")
            yield Input(placeholder="reference", id="ref")
        yield Static("", id="receipt")
        yield self.footer()

    @reported
    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#offers", FitTable)
        table.set_columns((Column("Ticket or item", 16, 1, "type"), Column("Price", 7, 1, "price"),
                           Column("Left", 5, 2, "left"), Column("Qty", 4, 1, "qty"), Column("Amount", 8, 1, "amount"),
                           Column("", 10, 3, "note")))
        table.focus()
        self.query_one("#ref", Input).display = False
        self.refresh_stock()
        self.set_interval(LIVE_SECONDS, self.refresh_stock)
        self.core(performance_choices, done=self._got_choices)

    def _got_choices(self, choices: list[Choice]) -> None:
        self.choices = choices

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """In the reference box, enter goes to the box first (it submits there, then sells), so the digits
        typed just before it are in the reference."""
        if action == "sell" and isinstance(self.focused, Input):
            return False
        return super().check_action(action, parameters)

    @reported
    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "ref":
            self.action_sell()

    @reported
    def refresh_stock(self, performance_id: int | None = None) -> None:
        pid = performance_id if performance_id is not None else (self.stock.performance_id if self.stock else None)
        self.core(load_stock, pid, self._clock(), self.sale.override, self.sale.promo_code,
                  self.session.operator, done=self._show_stock, group="stock")

    def _show_stock(self, stock: Stock | None) -> None:
        if stock is None:
            self.query_one("#performance", Static).update("No performance ahead: press p to choose one.")
            return
        if self.stock is None or stock.performance_id != self.stock.performance_id:
            self.sale.quantities = {k: q for k, q in self.sale.quantities.items() if k.startswith("p:")}
        offered = {line.key for line in stock.lines}
        self.sale.quantities = {k: q for k, q in self.sale.quantities.items() if k in offered}
        self.stock = stock
        override = "   [b reverse red] OVERRIDE [/]" if self.sale.override else ""
        if self.sale.dated:
            override += f"   [b reverse yellow] DATED {self.sale.dated:%a %d %b %H:%M} [/]"
        self.query_one("#performance", Static).update(
            f"[b]{literal(stock.title)}[/b]   seats left [b]{stock.saleable}[/b]"
            f" · sold {stock.sold} · house left {stock.house_left}{override}{self._promo_note(stock)}")
        self._fill_table()
        self._reprice()

    def _promo_note(self, stock: Stock) -> str:
        """The code in force and what it opened here, so a mistyped code is seen at once."""
        if not self.sale.promo_code:
            return ""
        opened = literal(", ".join(stock.unlocked) or "nothing here")
        return f"   promo [b reverse]{literal(self.sale.promo_code)}[/] opens {opened}"

    def _lines(self) -> list[SaleLine]:
        return self.stock.lines if self.stock else []

    def _fill_table(self) -> None:
        table = self.query_one("#offers", DataTable)
        row = table.cursor_row
        table.clear()
        for line in self._lines():
            qty = self.sale.quantities.get(line.key, 0)
            note = "" if line.for_sale() else line.why
            table.add_row(line.name, f"{line.price:.2f}", "" if line.left is None else str(line.left),
                          str(qty) if qty else "", self._amount(line, qty), note, key=line.key)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self._explain()

    @staticmethod
    def _amount(line: SaleLine, qty: int) -> str:
        return f"{line.price * qty:.2f}" if qty else ""

    @reported
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._explain()

    def _explain(self) -> None:
        """The highlighted line in words: why it cannot sell, or how many are left."""
        line = self._current()
        self.query_one("#why", Static).update(f"{literal(line.name)}: {literal(line.why)}" if line is not None else "")

    def _current(self) -> SaleLine | None:
        lines = self._lines()
        row = self.query_one("#offers", DataTable).cursor_row
        return lines[row] if 0 <= row < len(lines) else None

    def _set_quantity(self, wanted: int) -> None:
        line = self._current()
        if line is None:
            return
        qty = wanted if wanted in line.allowed else max((q for q in line.allowed if q <= wanted), default=0)
        if qty != wanted:
            top = line.max_per_order
            why = f"at most {top} per order" if top is not None and wanted > top else line.why
            self.notify(f"{line.name}: {why}.", severity="warning", timeout=3)
        if qty:
            self.sale.quantities[line.key] = qty
        else:
            self.sale.quantities.pop(line.key, None)
        table = self.query_one("#offers", DataTable)
        table.update_cell(line.key, "qty", str(qty) if qty else "")
        table.update_cell(line.key, "amount", self._amount(line, qty))
        self._reprice()

    def action_digit(self, digit: int) -> None:
        row = self.query_one("#offers", DataTable).cursor_row
        now = time.monotonic()
        if self._last_digit and self._last_digit[0] == row and now - self._last_digit[1] < DIGIT_WINDOW:
            current = self.sale.quantities.get(self._current().key, 0) if self._current() else 0
            wanted = current * 10 + digit
        else:
            wanted = digit
        self._last_digit = (row, now)
        self._set_quantity(wanted)

    def action_more(self) -> None:
        line = self._current()
        if line is not None:
            self._last_digit = None
            self._set_quantity(self.sale.quantities.get(line.key, 0) + 1)

    def action_less(self) -> None:
        line = self._current()
        if line is None:
            return
        current = self.sale.quantities.get(line.key, 0)
        if not current:
            self.nothing_to(f"No {line.name} in this sale to take off.")
            return
        self._last_digit = None
        self._set_quantity(max((q for q in line.allowed if q < current), default=0))

    def action_pay(self, method: str) -> None:
        if method == self.sale.payment and method not in NEEDS_REF:
            self.nothing_to(f"The sale is already {'in cash' if method == 'cash' else 'a comp'}.")
            return
        self._pay(method)

    def _pay(self, method: str) -> None:
        """Take the sale in ``method``: a check or card asks for its reference, the total is priced again."""
        self.sale.payment = method
        ref = self.query_one("#ref", Input)
        ref.display = method in NEEDS_REF
        if ref.display:
            ref.placeholder = NEEDS_REF[method]
            ref.focus()
        else:
            self.query_one("#offers", DataTable).focus()
        self._reprice()

    def _basket(self) -> Basket | None:
        return self.sale.basket(self.stock.performance_id) if self.stock else None

    def _reprice(self) -> None:
        basket = self._basket()
        if basket is None or basket.is_empty():
            self._show_total(None)
            return
        self.core(quote, basket, self.sale.payment, done=self._show_total, group="quote")

    def _show_total(self, priced: Quote | None) -> None:
        total = priced.total if priced else Decimal("0.00")
        count = self.sale.tickets()
        methods = "  ".join(f"[reverse] {m.upper()} [/reverse]" if m == self.sale.payment else f"{k}:{m}"
                            for m, k in PAYMENT_KEYS.items() if allowed(self, f"pay({m!r})", self.session))
        buyer = f"   for [b]{literal(who(self.sale.customer))}[/b]" if self.sale.customer else ""
        self.query_one("#total", Static).update(
            f"Total [b]${total:,.2f}[/b] ({counted(count, 'ticket')})   {methods}{buyer}{self._change(total)}")

    def _change(self, total: Decimal) -> str:
        """Cash tendered and the change due (or what is still owed), while the sale is in cash."""
        tendered = self.sale.tendered
        if tendered is None or self.sale.payment != "cash":
            return ""
        if tendered < total:
            return f"   tendered ${tendered:,.2f}: [b red]${total - tendered:,.2f} short[/]"
        return f"   tendered ${tendered:,.2f}, change due [b]${tendered - total:,.2f}[/b]"

    def action_sell(self) -> None:
        basket = self._basket()
        if basket is None or basket.is_empty():
            self.notify("Nothing to sell yet: type a quantity first.", severity="warning", timeout=3)
            return
        ref = self.query_one("#ref", Input).value.strip() if self.sale.payment in NEEDS_REF else None
        self.core(check_sale, self.session.operator, basket, self.sale.payment, ref, self.sale.override,
                  done=lambda priced: self._confirm(basket, ref, priced), group="check-sale")

    def _confirm(self, basket: Basket, ref: str | None, priced: Quote) -> None:
        """Ask once the core has found nothing to refuse; the question names the sum to collect."""
        buyer = f" to {who(self.sale.customer)}" if self.sale.customer else ""
        past = " PAST THE CAPS (override)" if self.sale.override else ""
        paid = f"{self.sale.payment} {ref}" if ref else self.sale.payment
        collect = "Nothing to collect (comp)." if priced.total == 0 else f"Collect ${priced.total:,.2f} by {paid}."
        question = f"Sell {self._described()}{buyer} for {self.stock.title}{past}?\n{collect}"
        self.app.confirm(question, lambda: self._sell(basket, ref), yes="Sell", danger=False)

    def unfinished(self) -> str | None:
        """A basket not yet sold (the app asks before quitting)."""
        basket = self._basket()
        if basket is None or basket.is_empty():
            return None
        return f"A sale is half made: {self._described()}."

    def _described(self) -> str:
        """The basket in words: ``2 × General Admission, 1 × Programme, $10.00 donation``."""
        names = {line.key: line.name for line in self._lines()}
        parts = [f"{qty} × {names.get(key, '?')}" for key, qty in self.sale.quantities.items() if qty]
        if self.sale.donation:
            parts.append(f"${self.sale.donation:,.2f} donation")
        return ", ".join(parts)

    def _sell(self, basket: Basket, ref: str | None) -> None:
        self.core(sell_at_door, self.session.operator, basket, self.sale, ref, self._clock(),
                  self.session.config.boxoffice.time_zone, done=self._sold)

    def _sold(self, order) -> None:
        buyer = f" for {who(self.sale.customer)}" if self.sale.customer else ""
        admitted = ", checked in" if self.sale.tickets() else ""
        change = f", change due ${order.cash_tendered - order.total:,.2f}" if order.cash_tendered is not None else ""
        receipt = (f"Order #{order.id}{buyer}: {self._described()}, {order.payment_method}, "
                   f"${order.total:,.2f}{change}{admitted}")
        self.query_one("#receipt", Static).update(f"[b]Sold[/b] {literal(receipt)}")
        self.notify(receipt, title="Sold", timeout=4)
        self.action_clear()
        self.refresh_stock()

    def action_donation(self) -> None:
        self.app.push_screen(FormDialog("Donation", [Field("amount", "Amount (blank: none)",
                                                           str(self.sale.donation or ""))]), self._donated)

    def _donated(self, values: dict | None) -> None:
        amount = self._amount_entered(values, "donation")
        if amount is not False:
            self.sale.donation = amount or Decimal("0.00")
            self._reprice()

    def _clock(self):
        """The sale's clock: when a manager dated this sale, else now."""
        return self.sale.dated or self.session.now()

    def action_backdate(self) -> None:
        fields = [Field("when", "When the sale happened (YYYY-MM-DD HH:MM; blank: now)",
                        f"{self.sale.dated:%Y-%m-%d %H:%M}" if self.sale.dated else ""),
                  Field("reason", "Why it is entered late (audited)", self.sale.backdate_reason or "")]
        self.app.push_screen(FormDialog("Date this sale", fields), self._dated)

    def _dated(self, values: dict | None) -> None:
        if values is None:
            return
        try:
            self.sale.dated = dt.datetime.fromisoformat(values["when"]) if values["when"] else None
        except ValueError:
            self.app.report_error(InputError(f"{values['when']!r} is not a date and time like 2026-12-04 21:15."))
            return
        self.sale.backdate_reason = values["reason"] or None
        self.refresh_stock()

    def action_comment(self) -> None:
        self.app.push_screen(FormDialog("Note for the door", [Field("note", "Note (blank: none)",
                                                                     self.sale.comment or "")]), self._commented)

    def _commented(self, values: dict | None) -> None:
        if values is not None:
            self.sale.comment = values["note"].strip() or None

    def action_tendered(self) -> None:
        self.app.push_screen(FormDialog("Cash tendered", [Field("amount", "Amount handed over (blank: none)",
                                                                str(self.sale.tendered or ""))]), self._tendered)

    def _tendered(self, values: dict | None) -> None:
        amount = self._amount_entered(values, "cash tendered")
        if amount is not False:
            self.sale.tendered = amount
            self._pay("cash")

    def _amount_entered(self, values: dict | None, field: str) -> Decimal | None | bool:
        """The amount typed in a one-field dialog: None when blank, False when cancelled or refused.

        The core's money rule decides, so NaN, infinity and amounts no column can hold are
        refused here with the same one line as on the command line.
        """
        if values is None:
            return False
        text = next(iter(values.values())).strip()
        try:
            return validation.money(field, text) if text else None
        except InputError as exc:
            self.app.report_error(exc)
            return False

    def action_promo(self) -> None:
        self.app.push_screen(FormDialog("Promo code", [Field("code", "Promo code (blank: none)",
                                                             self.sale.promo_code or "")]), self._promo_entered)

    def _promo_entered(self, values: dict | None) -> None:
        if values is not None:
            self.sale.promo_code = values["code"] or None
            self.refresh_stock()

    def action_customer(self) -> None:
        self.app.push_screen(UserPicker("Sell to which festival user?"), self._customer)

    def _customer(self, user: UserHit | None) -> None:
        if user is not None:
            self.sale.customer = user
            self._reprice()

    def action_override(self) -> None:
        self.sale.override = not self.sale.override
        self.notify("Override on: caps lifted up to the house, written to the audit log." if self.sale.override
                    else "Override off.", severity="warning" if self.sale.override else "information", timeout=4)
        self.refresh_stock()

    def action_clear(self) -> None:
        """Empty the basket and end an override or a dating (each was for one sale); a promo code stays."""
        chosen = {key: q for key, q in self.sale.quantities.items() if q}
        if dataclasses.replace(self.sale, quantities=chosen) == Sale(promo_code=self.sale.promo_code):
            self.nothing_to("Nothing to clear: the sale is empty.")
            return
        one_sale_only = self.sale.override or self.sale.dated is not None
        self.sale = Sale(promo_code=self.sale.promo_code)
        if one_sale_only:
            self.refresh_stock()
        ref = self.query_one("#ref", Input)
        ref.value = ""
        ref.display = False
        self.query_one("#offers", DataTable).focus()
        self._fill_table()
        self._reprice()

    def action_pick_performance(self) -> None:
        current = self.stock.performance_id if self.stock else None
        self.app.push_screen(PerformancePicker(self.choices, current), self._picked)

    def _picked(self, performance_id: int | None) -> None:
        if performance_id is not None:
            self.refresh_stock(performance_id)

    def action_step_performance(self, step: int) -> None:
        ids = [c.id for c in self.choices]
        if not ids or self.stock is None or self.stock.performance_id not in ids:
            return
        index = min(max(ids.index(self.stock.performance_id) + step, 0), len(ids) - 1)
        self.refresh_stock(ids[index])
