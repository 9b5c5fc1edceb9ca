"""A sync that matches what it imports issues each ticket once, to its holder; until then its seats wait, counted."""

import datetime as dt
import io

import pytest
from peewee import fn

from gbetix_core.boxoffice.availability import inventory, offers_for
from gbetix_core.bpt import importer, pending
from gbetix_core.bpt.mapping import map_date, tickets_remapped
from gbetix_core.config import Config, TokensConfig
from gbetix_core.demo.people import users_csv
from gbetix_core.matching import decisions, engine
from gbetix_core.matching.engine import match_purchases
from gbetix_core.models import BptDate, BptPrice, Item, OwnershipChange, Performance, Purchase, Purchaser, User, WaitingSeats
from gbetix_core.people.accounts import special_account
from gbetix_core.people.staff import add_staff
from gbetix_core.people.users_import import import_users
from tests.bpt_support import DATES, line
from tests.core.matching.festival import SECRET, user_rows

BOB = {"fname": "Robert", "lname": "Smith", "email": "bob.smith@example.org"}


def matching_killed(purchase_ids: list[int]) -> None:
    """A sync's matching that never got to run: what it was handed stays waiting."""
    raise RuntimeError("the sync was killed before matching")


def waiting_seats() -> int:
    return WaitingSeats.select(fn.COALESCE(fn.SUM(WaitingSeats.count), 0)).scalar()


def performances() -> list[Performance]:
    return list(Performance.select().order_by(Performance.starts_at, Performance.id))


def holders(number: int) -> set[int]:
    """Who holds the purchase's tickets (passes and plain tickets, not a pass's admissions)."""
    purchase = Purchase.get(Purchase.ticket_number == f"K{48213000 + number}")
    return {item.owner_id for item in Item.select().where(Item.purchase == purchase)}


def user(username: str) -> int:
    return User.get(User.username == username).id


@pytest.fixture
def people(bpt) -> Config:
    """The matching tests' users, and the config to match with."""
    import_users(io.StringIO(users_csv(user_rows())))
    return Config(tokens=TokensConfig(secret=SECRET))


def test_seats_wait_counted_until_matching_issues_the_tickets_straight_to_their_holders(bpt, people):
    bpt.dataset.add_orders([line(1, quantity=3, **BOB), line(2, quantity=2, kind=3)])
    run = bpt.sync(after_import=matching_killed)
    assert run.new == 2 and Item.select().count() == 0
    opening = performances()[0]
    assert inventory(opening).sold == 3 + 2  # three admissions, and the two passes' admissions to the opening
    assert waiting_seats() == 3 + 2 * len(performances())
    match_purchases([p.id for p in Purchase.select()], people)
    assert waiting_seats() == 0 and inventory(opening).sold == 5
    assert holders(1) == {user("bob")} and holders(2) == {special_account("daemon").id}
    assert Item.select().count() == 3 + 2 + 2 * len(performances())
    assert OwnershipChange.select().count() == 0  # issued to their holders, never moved


def test_the_door_counts_the_seats_waiting_for_their_tickets(bpt):
    bpt.sync()
    opening = performances()[0]
    opening.house_capacity = opening.max_advance_sales = 4
    opening.save()
    bpt.dataset.add_orders([line(1, quantity=3)])
    bpt.sync(after_import=matching_killed)
    offers = {s.ticket_type.name: s for s in offers_for(opening, now=opening.starts_at - dt.timedelta(hours=1),
                                                          walkup=True)}
    assert offers["General Admission"].remaining == 1


def test_a_sync_that_does_not_match_gives_the_tickets_left_waiting_to_the_daemon(bpt):
    bpt.dataset.add_orders([line(1, quantity=2)])
    bpt.sync(after_import=matching_killed)
    assert bpt.sync().status == "ok"
    assert waiting_seats() == 0 and holders(1) == {special_account("daemon").id}
    assert inventory(performances()[0]).sold == 2


def test_remapping_a_date_issues_its_waiting_tickets_first_so_that_their_seats_follow(bpt):
    bpt.dataset.add_orders([line(1, quantity=2)])
    bpt.sync(after_import=matching_killed)
    date = BptDate.get(BptDate.date_id == DATES[0])
    before = Performance.get_by_id(date.performance_id)
    target = Performance.select().where(Performance.id != before.id).first()
    assert tickets_remapped(BptPrice.get(BptPrice.date == date.id), date_too=True, price_too=False) == 2
    assert map_date(date, target, add_staff("Manny", "manager", by=add_staff("Ada", "admin"))) == 2
    assert waiting_seats() == 0
    assert (inventory(before).sold, inventory(target).sold) == (0, 2)


def test_an_admin_deciding_a_waiting_purchase_issues_its_tickets_to_the_user_named(bpt, people):
    bpt.dataset.add_orders([line(1, quantity=2)])
    bpt.sync(after_import=matching_killed)
    decisions.assign(add_staff("Ada", "admin"), "K48213001", "amy", "bought for Amy")
    assert holders(1) == {user("amy")} and waiting_seats() == 0
    assert OwnershipChange.select().count() == 0


def test_a_line_changed_while_its_tickets_waited_is_issued_then_resized(bpt):
    bpt.dataset.add_orders([line(1, quantity=2)])
    bpt.sync(after_import=matching_killed)
    bpt.dataset.change_order("K48213001", quantity="3")
    run = bpt.sync(after_import=matching_killed)
    assert run.changed == 1 and waiting_seats() == 0
    assert Item.select().where(Item.kind == "ticket").count() == 3 == inventory(performances()[0]).sold


def test_batches_stored_at_once_bring_the_same_new_buyers_once(bpt, monkeypatch):
    """On PostgreSQL two batches are stored at once; buyers they share are created once, and no batch waits on
    the other for ever."""
    monkeypatch.setattr(importer, "FIRST_WRITE_BATCH", 4)
    monkeypatch.setattr(importer, "MIN_WRITE_BATCH", 4)
    monkeypatch.setattr(importer, "MAX_WRITE_BATCH", 4)
    bpt.dataset.add_orders([line(n, fname=f"Buyer{n % 5}", email=f"buyer{n % 5}@example.org",
                                 ticket_number=f"K{48213000 + n}") for n in range(60)])
    run = bpt.sync(after_import=matching_killed)
    assert (run.new, Purchase.select().count(), Purchaser.select().count()) == (60, 60, 5)
    assert waiting_seats() == 60


def test_tickets_a_sync_s_matching_left_waiting_go_to_the_daemon_once_it_is_done(bpt):
    bpt.dataset.add_orders([line(1, quantity=2)])
    bpt.sync(after_import=lambda purchase_ids: None)  # a script's hook that decides nothing
    assert waiting_seats() == 0 and holders(1) == {special_account("daemon").id}
    assert Purchase.get().needs_match is None


def test_matching_notes_each_chunk_matched_as_it_stores_it(bpt, people, monkeypatch):
    """A sync killed after the engine stored a chunk, before the sync noted the run matched, need not match it
    again: the flag is cleared with the chunk's decisions."""
    monkeypatch.setattr(engine, "WRITE_CHUNK", 2)
    bpt.dataset.add_orders([line(number, **BOB) for number in range(1, 6)])
    bpt.sync(after_import=matching_killed)
    ids = pending.awaiting_match()
    real = engine._store

    def killed_at_the_last_chunk(outcomes):
        if ids[-1] in outcomes:
            raise RuntimeError("killed")
        return real(outcomes)

    monkeypatch.setattr(engine, "_store", killed_at_the_last_chunk)
    with pytest.raises(RuntimeError):
        match_purchases(ids, people)
    assert pending.awaiting_match() == ids[4:]  # the last chunk was never stored
    assert holders(1) == {user("bob")} and waiting_seats() == 1
