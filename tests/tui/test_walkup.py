"""A walkup sale from key presses to the rows in the database."""

from __future__ import annotations

from decimal import Decimal

from textual.widgets import DataTable

from gbetix_core.boxoffice.sales import Basket, sell_walkup
from gbetix_core.models import AuditEntry, CheckIn, Item, Offer, Order, Performance, Staff, TicketType, User
from gbetix_tui.screens.confirm import ConfirmScreen
from gbetix_tui.screens.walkup import WalkupScreen
from tests.tui.conftest import NOW, open_place, settle
from tests.tui.festival_data import opened


def _text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_two_general_admissions_for_cash_in_three_keys(make_app, festival_url):
    """``2`` on the first offer, ``enter`` to confirm, ``enter`` to sell."""
    app = make_app("Bea Boxoffice")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "1")
        assert isinstance(app.screen, WalkupScreen)
        assert "The Main Event, Fri 04 Dec 19:30" in _text(app, "#performance")
        assert "seats left 280" in _text(app, "#performance")
        await pilot.press("2")
        await settle(pilot)
        assert "Total $70.00 (2 tickets)" in _text(app, "#total")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "2 × General Admission, cash, $70.00, checked in" in _text(app, "#receipt")
        assert "seats left 278" in _text(app, "#performance")
        table = app.screen.query_one("#offers", DataTable)
        assert table.get_row_at(0)[2] == "278"
    with opened(festival_url):
        order = Order.get()
        assert (order.source, order.payment_method, order.total) == ("walkup", "cash", Decimal("70.00"))
        tickets = list(Item.select().where(Item.order == order))
        assert [t.ticket_type.name for t in tickets] == ["General Admission"] * 2
        assert CheckIn.select().count() == 2


async def test_a_check_sale_needs_the_check_number(make_app, festival_url):
    app = make_app("Bea Boxoffice")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "1")
        await pilot.press("down", "3", "k")
        await settle(pilot)
        assert "Total $75.00 (3 tickets)" in _text(app, "#total")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmScreen), "a sale the core would refuse is refused before the yes"
        assert any("check number" in n.message for n in app.notices)
        await pilot.press(*"1042", "enter")
        await settle(pilot)
        assert "Collect $75.00 by check 1042." in str(app.screen.query_one("#question").render())
        await pilot.press("y")
        await settle(pilot)
        assert "3 × Student, check, $75.00" in _text(app, "#receipt")
    with opened(festival_url):
        assert [(o.payment_method, o.payment_ref) for o in Order.select()] == [("check", "1042")]


async def test_a_boxoffice_operator_is_not_offered_a_comp_and_told_why(make_app, festival_url):
    app = make_app("Bea Boxoffice")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "1")
        assert "Comp" not in [key.description for key in app.screen.query("FooterKey")]
        await pilot.press("1", "o")
        await settle(pilot)
        assert any(n.message == "Comp needs the manager role or higher (you are boxoffice)." for n in app.notices)
        assert app.screen.sale.payment == "cash"
        await pilot.press("enter")
        await settle(pilot)
        assert "Collect $35.00 by cash." in str(app.screen.query_one("#question").render())
        await pilot.press("n")
        await settle(pilot)
        assert "seats left 280" in _text(app, "#performance")
    with opened(festival_url):
        assert Order.select().count() == 0


async def test_a_manager_sells_a_comp_past_its_cap_only_with_the_override(make_app, festival_url):
    with opened(festival_url):
        manager = Staff.get(Staff.name == "Manny Manager")
        perf = Performance.select().order_by(Performance.starts_at).first()
        comp = TicketType.get(TicketType.name == "Comp")
        sell_walkup(manager, Basket(performance=perf.id, tickets={comp.id: 10}), payment="comp", now=NOW)
        sell_walkup(manager, Basket(performance=perf.id, tickets={comp.id: 10}), payment="comp", now=NOW)
    app = make_app("Manny Manager")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "1")
        await pilot.press("down", "down", "1")
        await settle(pilot)
        assert "Comp: Tickets of this type are sold out" in _text(app, "#why")
        assert any("Comp:" in n.message and n.severity == "warning" for n in app.notices)
        await pilot.press("exclamation_mark")
        await settle(pilot)
        assert "OVERRIDE" in _text(app, "#performance")
        await pilot.press("1", "o", "enter", "y")
        await settle(pilot)
        assert "1 × Comp, comp, $0.00" in _text(app, "#receipt")
    with opened(festival_url):
        assert AuditEntry.select().where(AuditEntry.action == "sale.override").count() == 1


async def test_a_door_sale_for_a_festival_user_is_theirs(make_app, festival_url):
    with opened(festival_url):
        fan = User.select().where(User.special.is_null()).order_by(User.id).offset(3).first()
    app = make_app("Bea Boxoffice")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "1")
        assert app.screen.check_action("override", ()) is False
        await pilot.press("u", *fan.username)
        await settle(pilot)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        told_apart = f"for {fan.full_name} ({fan.username}, {fan.email})"
        assert told_apart in _text(app, "#total"), "two users of one name are told apart"
        await pilot.press("1", "enter", "y")
        await settle(pilot)
        assert f"{told_apart}: 1 × General Admission" in _text(app, "#receipt")
    with opened(festival_url):
        order = Order.get()
        assert order.customer_id == fan.id and order.source == "walkup"


async def test_a_ticket_a_programme_and_a_donation_in_one_order(make_app, festival_url):
    app = make_app("Bea Boxoffice")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "1")
        table = app.screen.query_one("#offers", DataTable)
        programme = next(row for row in range(table.row_count) if table.get_row_at(row)[0] == "Programme")
        await pilot.press("1")
        table.move_cursor(row=programme)
        await pilot.press("1", "dollar_sign")
        await settle(pilot)
        await pilot.press(*"10", "enter")
        await settle(pilot)
        assert "Total $50.00 (1 ticket)" in _text(app, "#total")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert "1 × General Admission, 1 × Programme, $10.00 donation, cash, $50.00" in _text(app, "#receipt")
    with opened(festival_url):
        order = Order.get()
        assert order.total == Decimal("50.00")
        assert sorted(item.kind for item in Item.select().where(Item.order == order)) == ["donation", "retail", "ticket"]


def _rows(app) -> list[str]:
    table = app.screen.query_one("#offers", DataTable)
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


async def test_a_promo_code_opens_its_offer_sells_it_and_clearing_it_hides_it_again(make_app, festival_url):
    with opened(festival_url):
        friend = TicketType.create(name="Friend of the Expo", price=Decimal("20.00"), season=NOW.year,
                                   category="revenue", availability="anyone", walkup_allowed=True, display_order=5)
        perf = Performance.select().order_by(Performance.starts_at, Performance.id).first()
        Offer.create(performance=perf, ticket_type=friend, max_sales=12, promo_codes="TASSEL, burly")
    app = make_app("Bea Boxoffice")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_place(pilot, "1")
        assert "Friend of the Expo" not in _rows(app)
        assert "promo" not in _text(app, "#performance")
        await pilot.press("percent_sign", *"tassel", "enter")
        await settle(pilot)
        assert "promo tassel opens Friend of the Expo" in _text(app, "#performance")
        row = _rows(app).index("Friend of the Expo")
        assert app.screen.query_one("#offers", DataTable).get_row_at(row)[2] == "12"
        app.screen.query_one("#offers", DataTable).move_cursor(row=row)
        await pilot.press("2", "enter", "enter")
        await settle(pilot)
        assert "2 × Friend of the Expo, cash, $40.00" in _text(app, "#receipt")
        assert app.screen.query_one("#offers", DataTable).get_row_at(row)[2] == "10"
        await pilot.press("percent_sign", "ctrl+u", "enter")
        await settle(pilot)
        assert "Friend of the Expo" not in _rows(app)
        assert "promo" not in _text(app, "#performance")
    with opened(festival_url):
        order = Order.get()
        assert [i.ticket_type.name for i in Item.select().where(Item.order == order)] == ["Friend of the Expo"] * 2
        assert CheckIn.select().count() == 2
