"""How fast the terminal app answers, driven headless by Textual's Pilot at 100x30 on SQLite.

Prints medians over several runs of:
- start to first screen (the main menu with its figures), target <= 1.5 s;
- opening the unmatched-purchases queue on 100,000 purchases, target <= 1 s;
- a key press to the screen updated on that queue (cursor, next page, status switch), target <= 100 ms;
- a whole walkup sale (menu key, quantity, sell, confirm) to the receipt on screen, driven by Pilot
  (which waits for the app to go idle after each key) and with keys as the terminal sends them.

The 100,000 purchases, 50,000 buyers and their match rows are bulk-inserted
(insert_many), as the sync and the engine would leave them.

    python benchmarks/bench_tui.py [--purchases 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable

from textual import events
from textual.css.query import NoMatches

from gbetix_core import db as dbmod
from gbetix_core.config import Config, DatabaseConfig, TokensConfig
from gbetix_core.demo import DEMO_PIN, add_demo_staff
from gbetix_core.demo.festival import build_festival
from gbetix_core.demo.people import generate_users, users_csv
from gbetix_core.models import BptDate, BptEvent, BptPrice, Purchase, Purchaser, PurchaseMatch
from gbetix_core.people.accounts import ensure_special_accounts
from gbetix_core.people.users_import import import_users
from gbetix_tui.harness import build_app, finish_workers
from gbetix_tui.screens.dashboard import DashboardScreen
from gbetix_tui.screens.queue import QueueScreen
from gbetix_tui.widgets.paged_table import PagedTable

TODAY = dt.date(2026, 12, 1)
NOW = dt.datetime(2026, 12, 4, 18, 45)
SIZE = (100, 30)
BATCH = 1000


def seed(url: str, purchases: int, users: int = 2000) -> None:
    """The demo festival, its users and staff, and ``purchases`` BPT purchases waiting for a person."""
    database = dbmod.open_database(url)
    with dbmod.write():
        ensure_special_accounts()
        build_festival(today=TODAY)
    import_users(io.StringIO(users_csv(generate_users(users))), source="bench users")
    add_demo_staff()
    rng = random.Random(5)
    with dbmod.write():
        event = BptEvent.create(event_id="4412001", title="The Great Burlesque Expo")
        date = BptDate.create(date_id="5521001", event=event, date_start=TODAY)
        price = BptPrice.create(price_id="7730001", event=event, date=date, name="General Admission")
        buyers = purchases // 2
        rows = [{"identity": f"b{n}", "first_name": f"First{n}", "last_name": f"Last{n % 5000}",
                 "email": f"buyer{n}@example.org"} for n in range(buyers)]
        for start in range(0, len(rows), BATCH):
            Purchaser.insert_many(rows[start:start + BATCH]).execute()
        first_buyer = Purchaser.select(Purchaser.id).order_by(Purchaser.id).first().id
        at = dt.datetime(2026, 9, 1)
        rows = [{"ticket_number": f"K{40_000_000 + n}", "event": event.id, "date": date.id, "price": price.id,
                 "purchaser": first_buyer + n % buyers, "quantity": 1 + n % 3,
                 "order_time": at + dt.timedelta(minutes=n), "digest": f"d{n}"} for n in range(purchases)]
        for start in range(0, len(rows), BATCH):
            Purchase.insert_many(rows[start:start + BATCH]).execute()
        first_purchase = Purchase.select(Purchase.id).order_by(Purchase.id).first().id
        rows = [{"purchase": first_purchase + n, "status": "candidates" if n % 4 else "unmatched",
                 "score": round(rng.uniform(0.3, 0.89), 3) if n % 4 else None} for n in range(purchases)]
        for start in range(0, len(rows), BATCH):
            PurchaseMatch.insert_many(rows[start:start + BATCH]).execute()
    database.close()


async def key(app, name: str, character: str | None = None) -> None:
    """A key as the terminal driver delivers it: measured from here, without Pilot's idle waits."""
    app.post_message(events.Key(name, character))
    await asyncio.sleep(0)


async def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Wait (yielding to the app) until ``condition`` holds."""
    deadline = time.perf_counter() + timeout
    while not holds(condition):
        if time.perf_counter() > deadline:
            raise TimeoutError("the screen did not update in time")
        await asyncio.sleep(0.001)


def holds(condition: Callable[[], bool]) -> bool:
    """The condition, counting a screen not composed yet (NoMatches) as not yet."""
    try:
        return condition()
    except NoMatches:
        return False


def config_for(url: str, folder: Path) -> Config:
    return Config(database=DatabaseConfig(url=url), tokens=TokensConfig(secret="bench-secret-0123456789abcdef0123"),
                  data_dir=folder / "data", source="bench")


async def first_screen(config: Config) -> float:
    app = build_app(config, operator="Ada Admin", pin=DEMO_PIN, now=NOW)
    start = time.perf_counter()
    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: isinstance(app.screen, DashboardScreen)
                    and "Festival at a glance" in str(app.screen.query_one("#overview").render()))
        elapsed = time.perf_counter() - start
        await settle(pilot)
    return elapsed


async def queue_and_keys(config: Config) -> dict[str, float]:
    app = build_app(config, operator="Ada Admin", pin=DEMO_PIN, now=NOW)
    found: dict[str, float] = {}
    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: isinstance(app.screen, DashboardScreen))
        await settle(pilot)
        start = time.perf_counter()
        await key(app, "3", "3")
        await until(lambda: isinstance(app.screen, QueueScreen) and app.screen.query_one(PagedTable).row_count > 0)
        found["open queue"] = time.perf_counter() - start
        table = app.screen.query_one(PagedTable)
        row = table.cursor_row
        await settle(pilot)
        start = time.perf_counter()
        await key(app, "down")
        await until(lambda: table.cursor_row == row + 1)
        found["down"] = time.perf_counter() - start
        first_key = table.current_key()
        await settle(pilot)
        start = time.perf_counter()
        await key(app, "right_square_bracket", "]")
        await until(lambda: table.page_index == 1 and table.current_key() != first_key)
        found["next page"] = time.perf_counter() - start
        await settle(pilot)
        start = time.perf_counter()
        await key(app, "s", "s")
        await until(lambda: app.screen.query_one("#status").value == "unmatched" and table.page_index == 0
                    and table.row_count > 0 and table.get_row_at(0)[0] == "")
        found["switch status"] = time.perf_counter() - start
        await settle(pilot)
    return found


async def walkup_sale(config: Config, by_pilot: bool) -> float:
    """Menu key, quantity, sell, confirm, until the receipt line shows.

    ``by_pilot`` presses with Pilot (which also waits for the app to go idle
    after every key); otherwise keys arrive as the terminal driver sends them.
    """
    app = build_app(config, operator="Bea Boxoffice", pin=DEMO_PIN, now=NOW)
    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: isinstance(app.screen, DashboardScreen))
        await settle(pilot)

        async def press(name: str, character: str | None = None) -> None:
            if by_pilot:
                await pilot.press(name)
            else:
                await key(app, name, character)

        start = time.perf_counter()
        await press("1", "1")
        await until(lambda: "seats left" in str(app.screen.query_one("#performance").render()))
        await press("2", "2")
        await until(lambda: "$70.00" in str(app.screen.query_one("#total").render()))
        await press("enter")
        await until(lambda: type(app.screen).__name__ == "ConfirmScreen")
        await press("y", "y")
        await until(lambda: "Sold" in str(app.screen.query_one("#receipt").render()))
        elapsed = time.perf_counter() - start
        await settle(pilot)
    return elapsed


async def settle(pilot) -> None:
    """Let the app finish what it started before the run closes it."""
    await finish_workers(pilot.app)
    await pilot.pause()


def report(name: str, values: list[float], target: float | None = None) -> None:
    note = f"  target <= {target * 1000:.0f} ms" if target else ""
    print(f"  {name:36} median {statistics.median(values) * 1000:7.1f} ms"
          f"  (min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f}){note}")


async def run(purchases: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'bench.db'}"
        started = time.perf_counter()
        seed(url, purchases)
        print(f"seeded {purchases:,} purchases in {time.perf_counter() - started:.1f} s; {runs} runs each, SQLite, {SIZE[0]}x{SIZE[1]}")
        config = config_for(url, folder)
        starts = [await first_screen(config) for _ in range(runs)]
        queues = [await queue_and_keys(config) for _ in range(runs)]
        piloted = [await walkup_sale(config, by_pilot=True) for _ in range(runs)]
        direct = [await walkup_sale(config, by_pilot=False) for _ in range(runs)]
    report("start to first screen", starts, 1.5)
    report(f"open queue ({purchases:,} purchases)", [q["open queue"] for q in queues], 1.0)
    for key in ("down", "next page", "switch status"):
        report(f"key press on queue: {key}", [q[key] for q in queues], 0.1)
    report("walkup sale 1-2-enter-y, by Pilot", piloted)
    report("walkup sale 1-2-enter-y, driver keys", direct)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--purchases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(run(args.purchases, args.runs))


if __name__ == "__main__":
    main()
