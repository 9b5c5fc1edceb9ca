"""BPT sync: 100,000 order lines, 50,000 registered users, from the fake BPT over loopback into SQLite.

Buyers come from the labelled generator (every problem case of the seed), as in the demo.

Prints the first full sync, a re-sync with 1% new lines (median of several
runs, each from a copy of the database as the first sync left it), the peak
memory of the syncing process, and the floor: the same XML parsed and its raw
rows bulk-inserted in one transaction, so the ratio shows.
Targets (2 cores): first sync <= 15 s, re-sync <= 4 s, peak memory <= 500 MB.

    python benchmarks/bench_sync.py [--lines 100000] [--users 50000] [--runs 3]

The fake server runs in its own process (as BPT would); every sync runs in a
fresh child process so that its ru_maxrss is the sync's own peak. The CPU
time of the syncing process is printed too: wall times swing with whatever
else the machine runs, CPU time much less.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from gbetix_core import db
from gbetix_core.bpt.fake.catalog import festival_events, slots
from gbetix_core.bpt.fake.dataset import Dataset
from gbetix_core.cli.sync import registered_users
from gbetix_core.demo.buyers import generate_orders
from gbetix_core.config import BptConfig, Config, DatabaseConfig

TARGETS = {"first": 15.0, "resync": 4.0, "memory_mb": 500.0}


def prepare(folder: Path, lines: int, users: int) -> None:
    """The festival database with ``users`` users, and two datasets: ``lines`` lines, then 1% more."""
    from gbetix_core.demo.festival import build_festival
    from gbetix_core.demo.people import generate_users, users_csv
    from gbetix_core.people.accounts import ensure_special_accounts
    from gbetix_core.people.users_import import import_users

    database = db.open_database(f"sqlite:///{folder / 'base.db'}")
    with db.write():
        ensure_special_accounts()
        build_festival()
    import_users(io.StringIO(users_csv(generate_users(users))), source="bench users")
    people = registered_users()
    database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    events = festival_events("gbe")
    orders = generate_orders(people, lines + lines // 100, slots=slots(events, "gbe"), secret=b"bench-secret-key",
                             user_ids={user["username"]: user["id"] for user in people}, seed=7).orders
    Dataset(events=events, orders=orders[:lines]).save(folder / "first")
    Dataset(events=events, orders=orders).save(folder / "resync")


@contextmanager
def fake_server(data: Path):
    proc = subprocess.Popen([sys.executable, "-m", "gbetix_core.cli", "fake-bpt", "--port", "0", "--data", str(data)],
                            stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        yield line.split(" at ", 1)[1].split()[0]
    finally:
        proc.terminate()
        proc.wait()


def child(mode: str, url: str, db_path: str) -> None:
    """Runs in a fresh process: one sync (or the floor), printing JSON with its time and peak memory."""
    config = Config(database=DatabaseConfig(url=f"sqlite:///{db_path}"), bpt=BptConfig(base_url=url))
    database = db.open_database(config.database_url)
    start, cpu_start = time.perf_counter(), time.process_time()
    if mode == "floor":
        counts = floor(config)
    else:
        from gbetix_core.bpt.sync import run_sync
        run = run_sync(config, trigger="bench")
        counts = {"status": run.status, "new": run.new, "unchanged": run.unchanged, "error": run.error}
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    database.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "cpu": cpu, "peak_mb": peak, **counts}))


def floor(config: Config) -> dict:
    """Download, parse with the same feed code, and bulk-insert raw rows into one table in one transaction."""
    from gbetix_core.bpt import feed
    from gbetix_core.bpt.client import BptClient

    with BptClient(config.bpt) as client:
        event_id = client.events()[0]["event_id"]
        stream = client.orders(event_id)
    connection = sqlite3.connect(config.database_url[len("sqlite:///"):])
    columns = ", ".join(f'"{name}"' for name in feed.ORDER_FIELDS)
    connection.execute(f"CREATE TABLE raw_line ({columns})")
    marks = ", ".join("?" * len(feed.ORDER_FIELDS))
    rows = 0
    with connection:
        batch = []
        for record in feed.iter_records(stream, "orderlist"):
            batch.append(tuple(record.get(name) for name in feed.ORDER_FIELDS))
            if len(batch) == 5000:
                connection.executemany(f"INSERT INTO raw_line VALUES ({marks})", batch)
                rows += len(batch)
                batch = []
        connection.executemany(f"INSERT INTO raw_line VALUES ({marks})", batch)
        rows += len(batch)
    connection.close()
    return {"rows": rows}


def in_child(mode: str, url: str, db_path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, url, str(db_path)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=3, metavar=("MODE", "URL", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        prepare(folder, args.lines, args.users)
        print(f"prepared {args.users:,} users and {args.lines:,} order lines in {time.perf_counter() - started:.1f} s")
        firsts, resyncs, floors, peaks, cpus = [], [], [], [], {"first": [], "resync": [], "floor": []}
        with fake_server(folder / "first") as url:
            for run in range(args.runs):
                path = folder / f"first{run}.db"
                shutil.copy(folder / "base.db", path)
                result = in_child("first", url, path)
                assert result["new"] == args.lines and result["status"] == "ok", result
                firsts.append(result["seconds"])
                cpus["first"].append(result["cpu"])
                peaks.append(result["peak_mb"])
                floor_path = folder / f"floor{run}.db"
                shutil.copy(folder / "base.db", floor_path)
                result = in_child("floor", url, floor_path)
                floors.append(result["seconds"])
                cpus["floor"].append(result["cpu"])
        with fake_server(folder / "resync") as url:
            for run in range(args.runs):
                path = folder / f"resync{run}.db"
                shutil.copy(folder / "first0.db", path)
                result = in_child("resync", url, path)
                assert result["new"] == args.lines // 100 and result["unchanged"] == args.lines, result
                resyncs.append(result["seconds"])
                cpus["resync"].append(result["cpu"])
                peaks.append(result["peak_mb"])
    first, resync, floor_s = statistics.median(firsts), statistics.median(resyncs), statistics.median(floors)
    cpu = {name: statistics.median(values) for name, values in cpus.items()}
    print(f"BPT sync, {args.lines:,} lines, {args.users:,} users, SQLite, {args.runs} runs each (medians)")
    print(f"  first full sync:     {first:6.2f} s  (min {min(firsts):.2f}, max {max(firsts):.2f})  "
          f"target <= {TARGETS['first']:g} s")
    print(f"  re-sync, 1% new:     {resync:6.2f} s  (min {min(resyncs):.2f}, max {max(resyncs):.2f})  "
          f"target <= {TARGETS['resync']:g} s")
    print(f"  floor (parse + raw bulk insert): {floor_s:.2f} s  -> first sync is {first / floor_s:.1f}x the floor")
    print(f"  peak memory (sync process): {max(peaks):.0f} MB  target <= {TARGETS['memory_mb']:g} MB")
    print(f"  CPU time of the syncing process (median; the server's is apart): first {cpu['first']:.2f} s, "
          f"re-sync {cpu['resync']:.2f} s, floor {cpu['floor']:.2f} s; load average now "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
