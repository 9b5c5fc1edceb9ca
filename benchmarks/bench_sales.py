"""How fast the box office sells and finds people, and whether four terminals can oversell.

    .venv/bin/python benchmarks/bench_sales.py [--pg-url URL] [--runs 3]

1. One walkup sale on SQLite with 10,000 tickets already sold for the same
   performance: p50 and p99 latency (targets: p50 <= 10 ms, p99 <= 50 ms).
2. Four processes selling single tickets at once on PostgreSQL (URL from
   --pg-url or GBETIX_TEST_PG_URL; a throwaway database is created and
   dropped): sales per second, and tickets sold past the limit (must be 0).
3. Door search over 20,000 tickets on SQLite: p50 latency of name (with
   typos), last-name, email and confirmation searches (target p50 <= 30 ms),
   plus the first search after a sale or a transfer (the index grows), after
   a refund (the index stays), and with no index yet (a moved sale, a renamed
   user or a changed BPT purchase rebuild it).

Each figure is printed per run and as the median over the runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gbetix_core import db  # noqa: E402
from gbetix_core.boxoffice import catalog, door_search  # noqa: E402
from gbetix_core.boxoffice.door_search import search  # noqa: E402
from gbetix_core.boxoffice.orders import cancel_items  # noqa: E402
from gbetix_core.boxoffice.sales import Basket, sell_walkup  # noqa: E402
from gbetix_core.boxoffice.tickets import issue_tickets  # noqa: E402
from gbetix_core.boxoffice.transfers import transfer_tickets  # noqa: E402
from gbetix_core.demo.people import generate_users, users_csv  # noqa: E402
from gbetix_core.errors import SaleRefused  # noqa: E402
from gbetix_core.models import (  # noqa: E402
    BptDate,
    BptEvent,
    BptPrice,
    Item,
    Order,
    Performance,
    Purchase,
    Purchaser,
    TicketType,
    User,
)
from gbetix_core.models.base import utcnow  # noqa: E402
from gbetix_core.people.accounts import ensure_special_accounts, special_account  # noqa: E402
from gbetix_core.people.staff import add_staff, get_staff  # noqa: E402
from gbetix_core.people.users_import import import_users  # noqa: E402

CURTAIN = dt.datetime(2026, 12, 11, 19, 30)
NOW = CURTAIN - dt.timedelta(hours=1)
BATCH = 500


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def build_catalog(house: int, advance: int) -> tuple[Performance, int, int]:
    """A show with one performance and a GA and Student offer; returns (performance, GA id, Student id)."""
    with db.write():
        ensure_special_accounts()
    admin = add_staff("Bench Admin", "admin")
    manager = add_staff("Bench Manager", "manager", by=admin)
    add_staff("Bench Seller", "boxoffice", by=admin)
    show = catalog.add_show(manager, "Benchmark Night", 2026)
    [perf] = catalog.add_performances(manager, show, [CURTAIN], house, advance)
    ga = catalog.add_ticket_type(manager, "General Admission", "35", 2026)
    student = catalog.add_ticket_type(manager, "Student", "25", 2026)
    catalog.set_offers(manager, ga, [perf])
    catalog.set_offers(manager, student, [perf], max_sales=advance // 4)
    return perf, ga.id, student.id


def fill_tickets(perf: Performance, type_ids: list[int], count: int, owners: list[int]) -> None:
    """``count`` tickets already sold, in orders of one to four seats, inserted in bulk."""
    rng = random.Random(7)
    walkup = special_account("walkup").id
    made = 0
    with db.write():
        while made < count:
            rows = []
            for _ in range(min(BATCH, count - made)):
                owner = rng.choice(owners) if owners else walkup
                order = Order.create(source="boxoffice", customer=owner, purchaser=owner, payment_method="card",
                                     payment_ref="X", total=Decimal("35.00"))
                seats = min(rng.randint(1, 4), count - made - len(rows)) or 1
                rows += [{"order": order.id, "kind": "ticket", "amount": Decimal("35.00"),
                          "ticket_type": rng.choice(type_ids), "performance": perf.id, "owner": owner,
                          "created_at": utcnow()} for _ in range(seats)]
                if made + len(rows) >= count:
                    break
            rows = rows[:count - made]
            Item.insert_many(rows).execute()
            made += len(rows)


def bench_walkup_sqlite(runs: int, sales: int) -> None:
    print(f"1. walkup sale latency on SQLite, 10,000 tickets already sold ({sales} sales per run)")
    p50s, p99s = [], []
    for run in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            database = db.open_database(f"sqlite:///{tmp}/bench.db")
            perf, ga, student = build_catalog(house=12_000, advance=11_500)
            fill_tickets(perf, [ga], 10_000, [])
            seller = get_staff("Bench Seller")
            timings = []
            for n in range(sales):
                basket = Basket(perf.id, {ga: 1 + n % 2} if n % 3 else {ga: 1, student: 1})
                start = time.perf_counter()
                sell_walkup(seller, basket, payment="cash", now=NOW)
                timings.append((time.perf_counter() - start) * 1000)
            database.close()
        p50s.append(statistics.median(timings))
        p99s.append(percentile(timings, 99))
        print(f"   run {run + 1}: p50 {p50s[-1]:.2f} ms, p99 {p99s[-1]:.2f} ms")
    print(f"   median over {runs} runs: p50 {statistics.median(p50s):.2f} ms (target <= 10), "
          f"p99 {statistics.median(p99s):.2f} ms (target <= 50)")


def worker(url: str, perf_id: int, type_id: int, attempts: int, start_at: float) -> None:
    """One terminal: single-ticket sales as fast as it can; prints sold and refused counts as JSON."""
    db.open_database(url, upgrade=False)
    seller = get_staff("Bench Seller")
    sold = refused = 0
    time.sleep(max(0.0, start_at - time.time()))
    for _ in range(attempts):
        try:
            sell_walkup(seller, Basket(perf_id, {type_id: 1}), payment="cash", now=NOW)
            sold += 1
        except SaleRefused:
            refused += 1
    print(json.dumps({"sold": sold, "refused": refused}))


def bench_concurrent_pg(pg_url: str, runs: int, seats: int, attempts: int) -> None:
    import psycopg

    print(f"2. four processes on PostgreSQL: {seats} seats, {attempts} single-ticket attempts each")
    name = f"gbetix_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = pg_url.rsplit("/", 1)[0] + "/" + name
    rates, oversold = [], []
    try:
        database = db.open_database(url)
        manager = None
        for run in range(runs):
            if manager is None:
                perf, ga, _ = build_catalog(house=seats + 50, advance=seats)
                manager = get_staff("Bench Manager")
            else:
                [perf] = catalog.add_performances(manager, perf.show_id, [CURTAIN + dt.timedelta(days=run)],
                                                  seats + 50, seats)
                catalog.set_offers(manager, ga, [perf])
            database.close()
            start_at = time.time() + 1.5
            procs = [subprocess.Popen([sys.executable, __file__, "--worker", url, str(perf.id), str(ga),
                                       str(attempts), str(start_at)], stdout=subprocess.PIPE, text=True)
                     for _ in range(4)]
            results = [json.loads(p.communicate()[0]) for p in procs]
            elapsed = time.time() - start_at
            database.connect(reuse_if_open=True)
            sold = Item.select().where((Item.performance == perf.id) & (Item.kind == "ticket")).count()
            rates.append(sum(r["sold"] for r in results) / elapsed)
            oversold.append(max(0, sold - seats))
            print(f"   run {run + 1}: {sold} sold of {seats}, {sum(r['refused'] for r in results)} refused, "
                  f"{rates[-1]:.0f} sales/s, oversold {oversold[-1]}")
        database.close()
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"   median over {runs} runs: {statistics.median(rates):.0f} sales/s, "
          f"oversold {statistics.median(oversold):.0f} (must be 0; max {max(oversold)})")


def fill_door(perf: Performance, ga: int, tickets: int) -> list[str]:
    """20,000 tickets: users' orders and unmatched BPT purchases; returns confirmation numbers."""
    users = generate_users(9_000, seed=11)
    import_users(io.StringIO(users_csv(users)), source="bench users")
    owners = [u.id for u in User.select(User.id).where(User.special.is_null())]
    fill_tickets(perf, [ga], tickets - 3_000, owners)
    ga_type = TicketType.get_by_id(ga)
    numbers = []
    rng = random.Random(3)
    daemon = special_account("daemon")
    with db.write():
        event = BptEvent.create(event_id="E1", title="GBE")
        date = BptDate.create(date_id="D1", event=event, performance=perf)
        price = BptPrice.create(price_id="P1", event=event, date=date, value=Decimal("35"), ticket_type=ga)
        made = 0
        while made < 3_000:
            person = rng.choice(users)
            number = f"K{40_000_000 + made}"
            qty = min(rng.randint(1, 3), 3_000 - made)
            buyer = Purchaser.create(identity=uuid.uuid4().hex, first_name=person["first_name"],
                                     last_name=person["last_name"], email=f"x{made}@{person['email'].split('@')[1]}")
            purchase = Purchase.create(ticket_number=number, event=event, date=date, price=price, purchaser=buyer,
                                       quantity=qty, digest="d")
            order = Order.create(source="bpt", external_ref=number, customer=daemon, purchaser=daemon,
                                 payment_method="bpt")
            issue_tickets(order, ga_type, perf, qty, daemon, Decimal("35"),
                          purchase=purchase)
            numbers.append(number)
            made += qty
    return numbers


def typo(text: str, rng: random.Random) -> str:
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    return text[:i] + text[i + 1:]


def bench_door_search(runs: int, searches: int) -> None:
    print(f"3. door search over 20,000 tickets on SQLite ({searches} searches per run)")
    p50s, after_sale, after_transfer, after_refund, cold = [], [], [], [], []
    for run in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            database = db.open_database(f"sqlite:///{tmp}/bench.db")
            perf, ga, _ = build_catalog(house=25_000, advance=24_000)
            numbers = fill_door(perf, ga, 20_000)
            holders = list(User.select().join(Item, on=(Item.owner == User.id))
                           .where(User.special.is_null()).distinct().limit(2_000))
            rng = random.Random(run)
            queries = []
            for n in range(searches):
                person = rng.choice(holders)
                queries.append((typo(f"{person.first_name} {person.last_name}", rng), person.email,
                                rng.choice(numbers), person.last_name)[n % 4])
            search("warm up", perf)
            timings = []
            for query in queries:
                start = time.perf_counter()
                search(query, perf)
                timings.append((time.perf_counter() - start) * 1000)
            after_sale.append(_timed_after(lambda: sell_walkup(get_staff("Bench Seller"), Basket(perf.id, {ga: 1}),
                                                               payment="cash", now=NOW), queries[0], perf))
            ticket = Item.select().where(Item.performance == perf.id).order_by(Item.id).first()
            after_transfer.append(_timed_after(
                lambda: transfer_tickets(get_staff("Bench Seller"), [ticket.id], to_user=holders[-1]), queries[0], perf))
            after_refund.append(_timed_after(
                lambda: cancel_items(get_staff("Bench Manager"), [ticket.id]), queries[0], perf))
            cold.append(_timed_after(door_search._indexes.clear, queries[0], perf))
            database.close()
        p50s.append(statistics.median(timings))
        print(f"   run {run + 1}: p50 {p50s[-1]:.2f} ms, p99 {percentile(timings, 99):.2f} ms; first search after "
              f"a sale {after_sale[-1]:.1f} ms, after a transfer {after_transfer[-1]:.1f} ms, "
              f"after a refund {after_refund[-1]:.1f} ms; cold (index built) {cold[-1]:.0f} ms")
    print(f"   median over {runs} runs: p50 {statistics.median(p50s):.2f} ms (target <= 30); first search after a "
          f"sale {statistics.median(after_sale):.1f} ms, after a transfer {statistics.median(after_transfer):.1f} ms, "
          f"after a refund {statistics.median(after_refund):.1f} ms; cold {statistics.median(cold):.0f} ms")


def _timed_after(change, query: str, perf: Performance) -> float:
    """Milliseconds of the first search after ``change`` (which grows or rebuilds the index)."""
    change()
    start = time.perf_counter()
    search(query, perf)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        url, perf, ttype, attempts, start_at = sys.argv[2:]
        worker(url, int(perf), int(ttype), int(attempts), float(start_at))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg-url", default=os.environ.get("GBETIX_TEST_PG_URL"),
                        help="PostgreSQL server URL (default: $GBETIX_TEST_PG_URL); a throwaway database is made")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sales", type=int, default=300, help="walkup sales timed per run")
    parser.add_argument("--searches", type=int, default=300, help="door searches timed per run")
    args = parser.parse_args()
    bench_walkup_sqlite(args.runs, args.sales)
    if args.pg_url:
        bench_concurrent_pg(args.pg_url, args.runs, seats=400, attempts=150)
    else:
        print("2. skipped: give --pg-url or set GBETIX_TEST_PG_URL")
    bench_door_search(args.runs, args.searches)


if __name__ == "__main__":
    main()
