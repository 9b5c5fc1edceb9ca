"""Importing BPT's order lines: once each, N tickets per line, changes kept as versions, nothing deleted."""

import dataclasses
import datetime as dt
import json
from decimal import Decimal

from gbetix_core.models import (
    BptDate, BptEvent, BptPrice, Item, Order, Performance, Purchase, Purchaser, PurchaseVersion, Show, SyncRun,
    TicketType, User,
)
from tests.bpt_support import line


def tickets_of(number: int, kind: str = "ticket") -> list[Item]:
    purchase = Purchase.get(Purchase.ticket_number == f"K{48213000 + number}")
    return list(Item.select().where((Item.purchase == purchase) & (Item.kind == kind)).order_by(Item.seq))


def test_every_date_and_price_of_the_festival_maps_to_its_performance_and_ticket_type(bpt):
    run = bpt.sync()
    assert run.status == "ok"
    for date in BptDate.select():
        starts = dt.datetime.combine(date.date_start, dt.time.fromisoformat(date.time_start))
        assert date.performance.starts_at == starts
    names = {(p.name, p.ticket_type.name, p.ticket_type.category) for p in BptPrice.select()}
    assert ("Weekend Pass", "Weekend Pass", "bundle") in names
    assert ("General Admission", "General Admission", "revenue") in names
    assert Performance.select().count() == 5 and TicketType.select().count() == 6
    assert BptEvent.get().show is None


def test_a_line_of_n_becomes_one_bpt_order_with_n_tickets_held_by_the_daemon(bpt):
    bpt.dataset.add_orders([line(1, quantity=3, date=1, kind=1)])
    run = bpt.sync()
    assert (run.status, run.new) == ("ok", 1)
    daemon = User.get(User.special == "daemon")
    order = Order.get(Order.external_ref == "K48213001")
    assert (order.source, order.payment_method, order.customer_id, order.purchaser_id) == ("bpt", "bpt", daemon.id,
                                                                                          daemon.id)
    assert order.total == Decimal("75.00")
    tickets = tickets_of(1)
    assert [t.seq for t in tickets] == [1, 2, 3]
    date = BptDate.get(BptDate.date_id == "5521002")
    assert {(t.owner_id, t.performance_id, t.ticket_type.name, t.amount, t.order_id) for t in tickets} == {
        (daemon.id, date.performance_id, "Student", Decimal("25.00"), order.id)}


def test_a_weekend_pass_expands_into_an_admission_for_every_performance(bpt):
    bpt.dataset.add_orders([line(1, quantity=2, kind=3)])
    bpt.sync()
    passes = tickets_of(1)
    assert len(passes) == 2 and all(p.performance_id is None for p in passes)
    components = Item.select().where(Item.bundle.in_([p.id for p in passes]))
    assert components.count() == 10
    assert {c.performance_id for c in components} == {p.id for p in Performance.select()}


def test_syncing_again_imports_nothing_twice(bpt):
    bpt.dataset.add_orders([line(n, quantity=2) for n in range(20)])
    first = bpt.sync()
    second = bpt.sync()
    assert (first.new, first.unchanged) == (20, 0)
    assert (second.new, second.unchanged, second.changed, second.gone, second.status) == (0, 20, 0, 0, "ok")
    assert Purchase.select().count() == 20 and Order.select().count() == 20
    assert Item.select().count() == 40
    assert Purchase.select().where((Purchase.last_seen_run == first.id) & Purchase.gone_at.is_null()).count() == 20


def test_buyer_identity_ignores_case_and_spacing_but_not_a_different_email(bpt):
    bpt.dataset.add_orders([line(1, fname="rosa", email="Rosa@Example.org"),
                            line(2, fname=" Rosa ", email="rosa@example.org", phone="(617) 555 0142",
                                 **{"ticket_number": "K2"}),
                            line(3, fname="Rosa", email="rosa@elsewhere.org")])
    bpt.sync()
    assert Purchaser.select().count() == 2


def test_empty_tags_are_stored_as_null_never_the_text_none(bpt):
    bpt.dataset.add_orders([line(1, address="", order_notes="", tracker_id="", section="")])
    bpt.sync()
    purchase = Purchase.get()
    assert purchase.order_notes is None and purchase.tracker is None and purchase.section is None
    assert purchase.purchaser.address is None
    assert not Purchaser.select().where(Purchaser.address == "None").exists()


def test_order_times_are_converted_from_the_vendors_zone_to_utc(bpt):
    bpt.dataset.add_orders([line(1, order_time="2026-10-02 21:14:05"), line(2, order_time="2026-12-02 21:14:05")])
    bpt.sync()
    summer, winter = Purchase.select().order_by(Purchase.ticket_number)
    assert summer.order_time == dt.datetime(2026, 10, 3, 2, 14, 5)
    assert winter.order_time == dt.datetime(2026, 12, 3, 3, 14, 5)
    assert Order.get(Order.external_ref == summer.ticket_number).created_at == summer.order_time


def test_an_unknown_price_skips_only_that_line_and_names_it(bpt):
    bpt.dataset.add_orders([line(1), line(2, price_id="999"), line(3)])
    run = bpt.sync()
    assert (run.status, run.new, run.skipped) == ("partial", 2, 1)
    [warning] = json.loads(run.warnings)
    assert "K48213002" in warning and "999" in warning
    assert not Purchase.select().where(Purchase.ticket_number == "K48213002").exists()
    assert Item.select().count() == 2


def test_changed_buyer_details_become_a_new_version_not_an_overwrite(bpt):
    bpt.dataset.add_orders([line(1, quantity=2)])
    bpt.sync()
    old_purchaser = Purchase.get().purchaser_id
    bpt.dataset.change_order("K48213001", email="rosa.new@example.org", order_notes="for Amy")
    run = bpt.sync()
    assert (run.changed, run.new, run.unchanged) == (1, 0, 0)
    purchase = Purchase.get()
    assert purchase.version == 2 and purchase.order_notes == "for Amy"
    assert purchase.purchaser.email == "rosa.new@example.org"
    [kept] = PurchaseVersion.select()
    assert (kept.version, kept.purchaser_id, kept.order_notes, kept.replaced_by_run_id) == (1, old_purchaser, None,
                                                                                          run.id)
    assert len(tickets_of(1)) == 2
    assert bpt.sync().unchanged == 1


def test_quantity_up_issues_more_tickets_and_down_cancels_the_surplus(bpt):
    bpt.dataset.add_orders([line(1, quantity=2)])
    bpt.sync()
    bpt.dataset.change_order("K48213001", quantity="4")
    bpt.sync()
    assert [t.seq for t in tickets_of(1)] == [1, 2, 3, 4]
    assert Order.get().total == Decimal("140.00")
    bpt.dataset.change_order("K48213001", quantity="1")
    bpt.sync()
    assert [t.seq for t in tickets_of(1)] == [1]
    canceled = tickets_of(1, kind="canceled")
    assert [t.seq for t in canceled] == [2, 3, 4]
    assert all(t.original_kind == "ticket" and t.canceled_at for t in canceled)
    assert Purchase.get().version == 3


def test_a_line_that_disappears_is_flagged_and_kept(bpt):
    bpt.dataset.add_orders([line(1), line(2)])
    bpt.sync()
    bpt.dataset.remove_order("K48213002")
    run = bpt.sync()
    assert (run.gone, run.unchanged) == (1, 1)
    gone = Purchase.get(Purchase.ticket_number == "K48213002")
    assert gone.gone_at is not None
    assert len(tickets_of(2)) == 1
    assert bpt.sync().gone == 0


def test_a_line_that_comes_back_is_unflagged(bpt):
    bpt.dataset.add_orders([line(1)])
    bpt.sync()
    bpt.dataset.remove_order("K48213001")
    bpt.sync()
    bpt.dataset.add_orders([line(1)])
    run = bpt.sync()
    assert run.changed == 1 and Purchase.get().gone_at is None


def test_local_edits_and_mappings_survive_a_sync(bpt):
    bpt.sync()
    event = BptEvent.get()
    show = Show.create(name="Expo (local)", season=2026)
    other = Performance.select().order_by(Performance.id.desc()).first()
    student = TicketType.get(TicketType.name == "Student")
    BptEvent.update(local_title="GBE", show=show).execute()
    BptDate.update(performance=other).where(BptDate.date_id == "5521001").execute()
    BptPrice.update(ticket_type=student).where(BptPrice.price_id == "7730001").execute()
    bpt.dataset.events[0]["title"] = "Renamed at BPT"
    bpt.sync()
    event = BptEvent.get_by_id(event.id)
    assert (event.title, event.local_title, event.show_id) == ("Renamed at BPT", "GBE", show.id)
    assert BptDate.get(BptDate.date_id == "5521001").performance_id == other.id
    assert BptPrice.get(BptPrice.price_id == "7730001").ticket_type_id == student.id


def test_a_date_with_no_performance_creates_its_show_and_performance(bpt):
    bpt.dataset.events[0]["dates"].append({"date_id": "5529999", "live": "y", "datestart": "2030-01-05",
                                           "timestart": "20:00", "prices": [
                                               {"price_id": "7739999", "name": "Late Show", "value": "12.00"}]})
    bpt.dataset.add_orders([line(1, date_id="5529999", price_id="7739999")])
    run = bpt.sync()
    assert run.new == 1
    date = BptDate.get(BptDate.date_id == "5529999")
    assert date.performance.starts_at == dt.datetime(2030, 1, 5, 20, 0)
    assert date.performance.show.name == BptEvent.get().title
    late = TicketType.get(TicketType.name == "Late Show")
    assert (late.season, late.price) == (2030, Decimal("12.00"))
    assert any("created performance" in w for w in json.loads(run.warnings))


def test_each_run_is_recorded_with_its_counts(bpt):
    bpt.dataset.add_orders([line(1)])
    run = bpt.sync(trigger="timer")
    stored = SyncRun.get_by_id(run.id)
    assert (stored.status, stored.trigger, stored.new) == ("ok", "timer", 1)
    assert stored.finished_at >= stored.started_at


def test_after_import_gets_the_new_and_changed_purchases_once_committed(bpt):
    bpt.dataset.add_orders([line(1), line(2)])
    calls = []
    bpt.sync(after_import=lambda ids: calls.append(sorted(ids)))
    assert calls == [sorted(p.id for p in Purchase.select())]
    bpt.dataset.change_order("K48213002", email="x@example.org")
    calls.clear()
    bpt.sync(after_import=calls.append)
    assert calls == [[Purchase.get(Purchase.ticket_number == "K48213002").id]]


def test_a_failing_after_import_is_a_warning_and_keeps_the_import(bpt):
    bpt.dataset.add_orders([line(1)])

    def broken(ids):
        raise RuntimeError("matcher down")

    run = bpt.sync(after_import=broken)
    assert run.new == 1 and "matcher down" in run.warnings
    assert Purchase.select().count() == 1


def test_progress_reports_phases_and_counts(bpt):
    bpt.dataset.add_orders([line(1)])
    seen = []
    bpt.sync(progress=seen.append)
    assert [p.phase for p in seen][0] == "events" and seen[-1].phase == "done"
    assert seen[-1].counts["new"] == 1


def test_thousands_of_skipped_lines_are_counted_but_warned_about_only_so_often(bpt):
    from gbetix_core.bpt.sync import MAX_WARNINGS

    bpt.dataset.add_orders([line(n, price_id="999") for n in range(MAX_WARNINGS + 50)])
    run = bpt.sync()
    warnings = json.loads(run.warnings)
    assert run.skipped == MAX_WARNINGS + 50
    assert len(warnings) == MAX_WARNINGS + 1 and warnings[-1].startswith("... and 50 more")


def test_a_configured_event_bpt_does_not_list_is_reported(bpt):
    bpt.config = dataclasses.replace(bpt.config, bpt=dataclasses.replace(bpt.config.bpt,
                                                                         event_ids=("4412001", "4419999")))
    run = bpt.sync()
    assert run.status == "ok" and BptEvent.select().count() == 1
    assert any("event 4419999 of [bpt] event_ids" in w for w in json.loads(run.warnings))


def test_new_lines_are_committed_without_waiting_for_the_disk_as_the_next_sync_reads_them_again(bpt, monkeypatch):
    from gbetix_core.bpt import importer
    from gbetix_core.db import database

    inside = []
    real = importer.commit_without_waiting
    monkeypatch.setattr(importer, "commit_without_waiting", lambda: (inside.append(database.in_transaction()), real()))
    bpt.dataset.add_orders([line(n) for n in range(5)])
    assert bpt.sync().new == 5
    assert inside and all(inside)
