"""Every order has a receipt that can be shown again from its number and exported as text and PDF."""

from __future__ import annotations

from decimal import Decimal

from gbetix_core.boxoffice.orders import cancel_order_items
from gbetix_core.boxoffice.receipts import export_receipt, receipt
from gbetix_core.boxoffice.sales import Basket, sell_to_customer
from gbetix_core.models import Item, Order, Product, User
from tests.core.boxoffice.helpers import NOW, bpt_purchase


def _order(festival):
    programme = Product.create(name="Programme", price=Decimal("5.00"))
    rosa = User.create(username="rosa", first_name="Rósa", last_name="Delgado", email="rosa@example.org")
    return sell_to_customer(festival.boxoffice, rosa, Basket(festival.friday.id, {festival.ga.id: 2},
                                                             {programme.id: 1}),
                            payment="cash", now=NOW, time_zone="UTC", cash_tendered=Decimal("80"),
                            comments="2 wheelchairs")


def test_the_receipt_reads_the_order_as_it_stands(festival):
    order = _order(festival)
    [ticket, *_] = Item.select().where((Item.order == order.id) & (Item.kind == "ticket")).order_by(Item.id)
    cancel_order_items(festival.manager, order, [ticket.id], reason="one could not come")
    text = receipt(order.id, "UTC").text()
    assert f"Order #{order.id}" in text and "Fri 11 Dec 2026 17:30" in text
    assert "Customer: Rósa Delgado" in text and "Sold by: Bea" in text
    assert "1 x General Admission, The Main Event, Fri 11 Dec 19:30 " in text
    assert "(cancelled)" in text and "(refund)" in text and "-35.00" in text
    assert "1 x Programme" in text and "Total" in text and "75.00" in text
    assert "Cash tendered" in text and "Change" in text and "Note: 2 wheelchairs" in text


def test_export_writes_text_and_a_pdf(festival, tmp_path):
    order = _order(festival)
    text_path, pdf_path = export_receipt(order.id, tmp_path / "receipts")
    assert text_path.read_text().startswith(f"Order #{order.id}")
    assert pdf_path.read_bytes().startswith(b"%PDF-")


def test_receipt_from_the_command_line(festival, db_url, tmp_path, capsys):
    from gbetix_core.cli import main

    order = _order(festival)
    config = tmp_path / "gbetix.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n')
    assert main(["--config", str(config), "receipt", f"#{order.id}"]) == 0
    assert "Change" in capsys.readouterr().out
    assert main(["--config", str(config), "receipt", f"#{order.id}", "--export", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / f"receipt-{order.id}.pdf").exists()
    assert main(["--config", str(config), "receipt", "#999"]) == 2


def test_an_unmatched_bpt_order_names_the_buyer(festival):
    purchase = bpt_purchase(festival.friday, festival.ga, 2, "Amy", "Lee", "amy@example.org")
    order = Order.get(Order.external_ref == purchase.ticket_number)
    assert "Customer: Amy Lee" in receipt(order.id).text()
