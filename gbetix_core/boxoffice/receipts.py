"""A receipt for every order: shown again from the order number, exported as text and as PDF.

The receipt is read from the rows, never kept: cancelled items and refunds
show as they stand today, so a receipt printed after a refund says so. PDFs
are drawn with fpdf2 (a maintained, pure-Python library with no system
dependencies) in its built-in Helvetica, which covers Latin-1; other letters
are replaced rather than refused, because a receipt must always print.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from gbetix_core.boxoffice.catalog import get, label
from gbetix_core.boxoffice.clock import DEFAULT_TIME_ZONE, utc_to_local
from gbetix_core.models import Item, Order, Performance, Product, Purchase, TicketType
from gbetix_core.models.base import ZERO

KIND_NOTES = {"canceled": "cancelled", "refunded": "refund"}
WIDTH = 72


@dataclass(frozen=True)
class ReceiptLine:
    what: str
    quantity: int
    amount: Decimal
    note: str = ""


@dataclass(frozen=True)
class Receipt:
    order_id: int
    sold_at: dt.datetime
    customer: str
    operator: str
    payment: str
    payment_ref: str | None
    lines: tuple[ReceiptLine, ...]
    total: Decimal
    refunded: Decimal
    tendered: Decimal | None
    comment: str | None

    @property
    def change_due(self) -> Decimal | None:
        return None if self.tendered is None else self.tendered - self.total

    def rows(self) -> list[tuple[str, str]]:
        """The receipt as (left, right) pairs, shared by the text and the PDF."""
        paid = self.payment + (f" {self.payment_ref}" if self.payment_ref else "")
        rows = [(f"Order #{self.order_id}", f"{self.sold_at:%a %d %b %Y %H:%M}"),
                (f"Customer: {self.customer}", ""), (f"Sold by: {self.operator}", ""), ("", "")]
        for line in self.lines:
            note = f" ({line.note})" if line.note else ""
            rows.append((f"{line.quantity} x {line.what}{note}", f"{line.amount:,.2f}"))
        rows += [("", ""), ("Total", f"{self.total:,.2f}"), (f"Paid by {paid}", "")]
        if self.refunded:
            rows.append(("Refunded", f"{self.refunded:,.2f}"))
        if self.tendered is not None:
            rows += [("Cash tendered", f"{self.tendered:,.2f}"), ("Change", f"{self.change_due:,.2f}")]
        if self.comment:
            rows.append((f"Note: {self.comment}", ""))
        return rows

    def text(self) -> str:
        lines = []
        for left, right in self.rows():
            gap = max(1, WIDTH - len(left) - len(right))
            lines.append((left + " " * gap + right).rstrip())
        return "\n".join(lines) + "\n"

    def pdf(self) -> bytes:
        from fpdf import FPDF  # here, not at the top: importing it costs every gbetix command half a second

        document = FPDF(format=(148, 210))  # A5 in millimetres
        document.add_page()
        document.set_font("helvetica", "B", 14)
        document.cell(0, 10, "Receipt", new_x="LMARGIN", new_y="NEXT")
        document.set_font("helvetica", size=10)
        for left, right in self.rows():
            document.cell(document.epw * 0.75, 6, _latin1(left))
            document.cell(0, 6, _latin1(right), align="R", new_x="LMARGIN", new_y="NEXT")
        return bytes(document.output())


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def receipt(order: Order | int, time_zone: str = DEFAULT_TIME_ZONE) -> Receipt:
    """The receipt of an order as it stands (call with the order number the customer gives)."""
    order = get(Order, order, "order")
    items = list(Item.select().where((Item.order == order.id) & Item.bundle.is_null()).order_by(Item.id))
    names = item_names(items)
    grouped: dict[tuple[str, str], list[Decimal]] = {}
    for item in items:
        source = names.get(item.refund_of_id, "") if item.kind == "refunded" else names[item.id]
        grouped.setdefault((source, KIND_NOTES.get(item.kind, "")), []).append(item.amount)
    lines = tuple(ReceiptLine(what, len(amounts), sum(amounts, ZERO), note) for (what, note), amounts in grouped.items())
    refunded = -sum((i.amount for i in items if i.kind == "refunded"), ZERO)
    operator = order.processed_by.name if order.processed_by_id else "BPT"
    return Receipt(order.id, utc_to_local(order.created_at, time_zone), _customer(order), operator,
                   order.payment_method, order.payment_ref, lines, order.total, refunded, order.cash_tendered,
                   order.comments)


def _customer(order: Order) -> str:
    """Who the order is for: the holder, or the BPT buyer while nobody is matched to the purchase."""
    if order.customer.special == "daemon" and order.external_ref:
        purchase = Purchase.get_or_none(Purchase.ticket_number == order.external_ref)
        if purchase is not None:
            buyer = purchase.purchaser
            return f"{buyer.first_name or ''} {buyer.last_name or ''}".strip() or "BPT buyer"
    return order.customer.full_name


def item_names(items: list[Item]) -> dict[int, str]:
    """What each item is, in words: ``General Admission, The Main Event, Fri 12 Dec 19:30``."""
    types = {t.id: t.name for t in TicketType.select().where(TicketType.id.in_({i.ticket_type_id for i in items}))}
    products = {p.id: p.name for p in Product.select().where(Product.id.in_({i.product_id for i in items}))}
    perfs = {p.id: label(p) for p in Performance.select().where(Performance.id.in_({i.performance_id for i in items}))}
    names = {}
    for item in items:
        if item.product_id:
            names[item.id] = products[item.product_id]
        elif item.ticket_type_id:
            where = perfs.get(item.performance_id, "every performance of the pass")
            names[item.id] = f"{types[item.ticket_type_id]}, {where}"
        else:
            names[item.id] = "Donation"
    return names


def export_receipt(order: Order | int, folder: Path, time_zone: str = DEFAULT_TIME_ZONE) -> tuple[Path, Path]:
    """Write ``receipt-<order>.txt`` and ``.pdf`` into ``folder``; return both paths."""
    shown = receipt(order, time_zone)
    folder.mkdir(parents=True, exist_ok=True)
    text_path = folder / f"receipt-{shown.order_id}.txt"
    pdf_path = folder / f"receipt-{shown.order_id}.pdf"
    text_path.write_text(shown.text(), encoding="utf-8")
    pdf_path.write_bytes(shown.pdf())
    return text_path, pdf_path
