"""A soak: the fake BPT selling with faults, the sync worker, and four terminals at the door, for N minutes.

    python benchmarks/soak.py --minutes 10 [--pg-url URL] [--users 2000] [--sell-rate 600] [--fail-rate 0.2]

Processes: ``gbetix fake-bpt`` selling ``--sell-rate`` lines a minute with
``--fail-rate`` of its answers a 500; ``gbetix sync --watch`` polling it every
5 s; two walkup sellers on a performance of 400 seats (sales run past sold
out, so refusals are expected and overselling would show); two door
terminals checking in the BPT tickets the sync brings in. It stops by itself,
syncs once more with the fake's answer in hand, and prints sales made,
oversold (must be 0), BPT lines lost or duplicated (must be 0), failed
operations (an error that is not a sale rule's refusal) and latency
percentiles.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_sync import Store, in_scratch, percentile, secret  # noqa: E402
from gbetix_core import db  # noqa: E402

SEATS = 400
CURTAIN = dt.datetime(2026, 12, 11, 19, 30)


def prepare(store: Store, folder: Path, users: int) -> str:
    """The demo festival, its users, staff, and a soak performance of SEATS seats; returns the database URL."""
    from gbetix_core.boxoffice import catalog
    from gbetix_core.demo.festival import build_festival
    from gbetix_core.demo.people import generate_users, users_csv
    from gbetix_core.people.accounts import ensure_special_accounts
    from gbetix_core.people.staff import add_staff
    from gbetix_core.people.users_import import import_users

    url = store.create_empty("soak")
    database = db.open_database(url)
    with db.write():
        ensure_special_accounts()
        build_festival()
    import_users(io.StringIO(users_csv(generate_users(users))), source="soak users")
    admin = add_staff("Soak Admin", "admin")
    manager = add_staff("Soak Manager", "manager", by=admin)
    add_staff("Soak Seller", "boxoffice", by=admin)
    add_staff("Soak Door", "door", by=admin)
    show = catalog.add_show(manager, "Soak Night", 2026)
    [perf] = catalog.add_performances(manager, show, [CURTAIN], SEATS + 50, SEATS)
    ticket = catalog.add_ticket_type(manager, "Soak Walkup", "20", 2026)
    catalog.set_offers(manager, ticket, [perf])
    secret(folder)
    database.close()
    return url


def config_file(folder: Path, db_url: str, port: int) -> Path:
    path = folder / "soak.toml"
    path.write_text(f'data_dir = "{folder / "data"}"\n[database]\nurl = "{db_url}"\n'
                    f'[bpt]\nbase_url = "http://127.0.0.1:{port}"\npoll_interval = 5.0\nretries = 2\n'
                    f'retry_backoff = 0.2\n[tokens]\nsecret_file = "{folder / "token.key"}"\n')
    return path


def gbetix(config: Path, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gbetix_core.cli", "--config", str(config), *args], cwd=ROOT,
                            **kwargs)


def terminal(db_url: str, role: str, share: int, until: float) -> None:
    """One terminal until ``until``: prints its latencies (ms), refusals and failures as JSON."""
    from gbetix_core.boxoffice.door import check_in
    from gbetix_core.boxoffice.sales import Basket, sell_walkup
    from gbetix_core.errors import SaleRefused
    from gbetix_core.models import CheckIn, Item, Performance, TicketType
    from gbetix_core.people.staff import get_staff

    db.open_database(db_url, upgrade=False)
    perf = Performance.select().where(Performance.starts_at == CURTAIN).get()
    ticket = TicketType.get(TicketType.name == "Soak Walkup")
    seller, door = get_staff("Soak Seller"), get_staff("Soak Door")
    rng = random.Random(share)
    latencies, refused, failures, errors, done = [], 0, 0, [], 0
    waiting: list[tuple[int, int]] = []
    while time.time() < until:
        if role == "checkin" and not waiting:
            admitted = CheckIn.select(CheckIn.item).where(CheckIn.undone_at.is_null())
            found = Item.select(Item.id, Item.performance).where(
                Item.purchase.is_null(False) & Item.performance.is_null(False) & Item.id.not_in(admitted))
            waiting = [row for row in found.limit(400).tuples() if row[0] % 2 == share]  # each door its half
            if not waiting:
                time.sleep(0.5)
                continue
        start = time.perf_counter()
        try:
            if role == "sell":
                sell_walkup(seller, Basket(perf.id, {ticket.id: rng.choice((1, 1, 2))}), payment="cash",
                            now=CURTAIN - dt.timedelta(hours=1))
            else:
                item, performance = waiting.pop()
                check_in(door, performance, [item])
            done += 1
        except SaleRefused:
            refused += 1
        except Exception as exc:  # noqa: BLE001  (a failure is what the soak counts)
            failures += 1
            errors.append(f"{type(exc).__name__}: {exc}")
        latencies.append((time.perf_counter() - start) * 1000)
        time.sleep(rng.uniform(0.01, 0.05))
    print(json.dumps({"role": role, "done": done, "refused": refused, "failures": failures,
                      "errors": errors[:3], "latencies": latencies}))


def final_sync(config: Path, port: int) -> tuple[list[dict], str]:
    """BPT's answer as it stands, then syncs until one imports it all (the fake keeps failing some answers)."""
    from gbetix_core.bpt import feed
    from gbetix_core.bpt.client import BptClient
    from gbetix_core.config import load

    settings = load(config)
    lines = []
    for attempt in range(20):
        try:
            with BptClient(settings.bpt) as client:
                for event in client.events():
                    if event.get("title") != "Someone else's show":
                        lines += list(feed.iter_records(client.orders(event["event_id"]), "orderlist"))
            break
        except Exception:  # noqa: BLE001  (the fake's injected faults)
            lines = []
    status = "failed"
    for attempt in range(20):
        proc = gbetix(config, "sync", "--quiet", stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        out, _ = proc.communicate()
        status = out.split(":", 1)[0].split()[-1] if out.startswith("sync") else "failed"
        if proc.returncode == 0:
            break
    return lines, status


def check(db_url: str, bpt_lines: list[dict]) -> dict:
    """Oversold seats, BPT lines lost or duplicated, purchases left unmatched."""
    from gbetix_core.models import Item, Performance, Purchase, PurchaseMatch

    db.open_database(db_url, upgrade=False)
    perf = Performance.select().where(Performance.starts_at == CURTAIN).get()
    sold = Item.select().where((Item.performance == perf.id) & (Item.kind == "ticket")).count()
    held = {number: (pid, quantity) for number, pid, quantity in
            Purchase.select(Purchase.ticket_number, Purchase.id, Purchase.quantity).tuples()}
    tickets = Counter(row[0] for row in Item.select(Item.purchase).where(
        Item.purchase.is_null(False) & Item.bundle.is_null() & (Item.kind == "ticket")).tuples())
    lost = sum(1 for line in bpt_lines if line["ticket_number"] not in held)
    wrong = sum(1 for pid, quantity in held.values() if tickets[pid] != quantity)
    matched = PurchaseMatch.select().count()
    db.database.close()
    return {"walkup_sold": sold, "oversold": max(0, sold - SEATS), "bpt_lines": len(bpt_lines), "held": len(held),
            "lost": lost, "wrong_ticket_count": wrong, "unmatched_rows_missing": len(held) - matched}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--pg-url", help="soak on PostgreSQL: a server URL where the user may create databases")
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--sell-rate", type=float, default=600.0, help="BPT lines sold a minute")
    parser.add_argument("--fail-rate", type=float, default=0.2, help="share of BPT answers that are a 500")
    parser.add_argument("--terminal", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.terminal:
        url, role, share, until = args.terminal
        terminal(url, role, int(share), float(until))
        return
    in_scratch(args.pg_url, lambda store, folder: soak(store, folder, args))


def soak(store: Store, folder: Path, args) -> None:
    url = prepare(store, folder, args.users)
    port = 18_000 + os.getpid() % 1000
    config = config_file(folder, url, port)
    fake = gbetix(config, "fake-bpt", "--port", str(port), "--generate", "200", "--sell-rate", str(args.sell_rate),
                  "--fail-rate", str(args.fail_rate), stdout=subprocess.PIPE, text=True)
    fake.stdout.readline()
    worker = gbetix(config, "sync", "--watch", "--quiet", stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                    text=True)
    try:
        until = time.time() + args.minutes * 60
        print(f"soaking {args.minutes:g} min on {store.kind}: fake BPT selling {args.sell_rate:g} lines/min with "
              f"{args.fail_rate:.0%} failed answers, the sync worker, 2 sellers, 2 door terminals", flush=True)
        terminals = [subprocess.Popen([sys.executable, __file__, "--terminal", url, role, str(share), str(until)],
                                      stdout=subprocess.PIPE, text=True, cwd=ROOT)
                     for role in ("sell", "checkin") for share in (0, 1)]
        results = [json.loads(p.communicate()[0].strip().splitlines()[-1]) for p in terminals]
        worker.send_signal(signal.SIGTERM)
        runs = [line for line in worker.communicate(timeout=300)[0].splitlines() if line.startswith("sync ")]
        bpt_lines, last = final_sync(config, port)
    finally:
        for proc in (worker, fake):
            proc.terminate()
            proc.wait()
    report(args, store, results, runs, last, check(url, bpt_lines))


def report(args, store: Store, results: list[dict], runs: list[str], last: str, found: dict) -> None:
    statuses = Counter(line.split(":", 1)[0].split()[-1] for line in runs)
    print(f"soak of {args.minutes:g} min on {store.kind}")
    print(f"  sync runs during the soak: {len(runs)} ({', '.join(f'{n} {s}' for s, n in statuses.items())}); "
          f"final sync: {last}")
    print(f"  BPT lines at the end: {found['bpt_lines']:,}; held: {found['held']:,}; lost: {found['lost']} (must be 0); "
          f"lines whose ticket count differs from their quantity (lost or duplicated tickets): "
          f"{found['wrong_ticket_count']} (must be 0); purchases with no match record: "
          f"{found['unmatched_rows_missing']}")
    for role in ("sell", "checkin"):
        mine = [r for r in results if r["role"] == role]
        values = sorted(v for r in mine for v in r["latencies"])
        print(f"  {role:8} {sum(r['done'] for r in mine):6,} done, {sum(r['refused'] for r in mine):6,} refused by a "
              f"rule, {sum(r['failures'] for r in mine)} failed; p50 {percentile(values, 50):.1f} ms, "
              f"p99 {percentile(values, 99):.1f} ms, max {max(values, default=float('nan')):.1f} ms")
    print(f"  walkup seats sold: {found['walkup_sold']} of {SEATS}; oversold: {found['oversold']} (must be 0)")
    errors = [e for r in results for e in r["errors"]]
    if errors:
        print("  failures: " + "; ".join(errors))
    print(f"  load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (other work shares this machine)")


if __name__ == "__main__":
    main()
