"""What a festival runs, timed as whole processes: users import, sync, match, export, on SQLite or PostgreSQL.

Each run starts from an empty database (the special accounts and the demo
festival's shows only), then times, each as its own `gbetix` process:

    gbetix users import users.csv          # 50,000 users (with site ids)
    gbetix sync                            # 100,000 order lines from the fake BPT over loopback, matched as imported
    gbetix match                           # everything still unresolved, matched again
    gbetix export matches --format json    # one record per order line

and prints, per command, the median wall time over --runs, its CPU time and
the peak memory of that process (ru_maxrss from wait4). Targets (2 cores):
matching 100,000 purchases against 50,000 users <= 10 s, peak memory <= 1 GB.

    python benchmarks/bench_commands.py [--users 50000] [--lines 100000] [--runs 3]
                                        [--pg-url postgresql://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gbetix_core import db  # noqa: E402
from gbetix_core.bpt.fake.catalog import festival_events, slots  # noqa: E402
from gbetix_core.bpt.fake.dataset import Dataset  # noqa: E402
from gbetix_core.demo.buyers import generate_orders  # noqa: E402
from gbetix_core.demo.people import generate_users, users_csv  # noqa: E402

COMMANDS = ("users import", "sync", "match", "export matches")
SECRET = "bench-commands-secret-0123456789"


def gbetix(config: Path, *argv: str, output: Path | None = None) -> tuple[float, float, float]:
    """Run one gbetix command as its own process: (wall seconds, CPU seconds, peak MB)."""
    started = time.perf_counter()
    with open(output or os.devnull, "w") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "gbetix_core.cli", *argv, "--config", str(config)],
                                stdout=sink, stderr=subprocess.PIPE, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"gbetix {' '.join(argv)} exited {code}: {proc.stderr.read()[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


@contextmanager
def fake_server(data: Path):
    proc = subprocess.Popen([sys.executable, "-m", "gbetix_core.cli", "fake-bpt", "--port", "0", "--data", str(data)],
                            stdout=subprocess.PIPE, text=True)
    try:
        yield proc.stdout.readline().split(" at ", 1)[1].split()[0]
    finally:
        proc.terminate()
        proc.wait()


@contextmanager
def fresh_database(folder: Path, run: int, pg_url: str | None):
    """A URL for an empty database of this run (a new PostgreSQL database, dropped afterwards)."""
    if not pg_url:
        yield f"sqlite:///{folder / f'run{run}.db'}"
        return
    import psycopg

    name = f"gbetix_bench_commands_{os.getpid()}_{run}"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield pg_url.rsplit("/", 1)[0] + "/" + name
    finally:
        db.database.close()
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(url: str) -> None:
    """The empty festival: schema, special accounts, shows (as `gbetix init` and setup would leave it)."""
    from gbetix_core.demo.festival import build_festival
    from gbetix_core.people.accounts import ensure_special_accounts

    db.open_database(url)
    with db.write():
        ensure_special_accounts()
        build_festival()
    db.database.close()


def write_config(folder: Path, url: str, bpt_url: str) -> Path:
    config = folder / "gbetix.toml"
    config.write_text(f'data_dir = "{folder}"\n[database]\nurl = "{url}"\n[bpt]\nbase_url = "{bpt_url}"\n'
                      f'[tokens]\nsecret = "{SECRET}"\n', encoding="utf-8")
    return config


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50_000)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pg-url", help="a PostgreSQL server URL (a database per run is made and dropped)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gbetix-bench-commands-"))
    users = generate_users(args.users)
    (folder / "users.csv").write_text(users_csv(users), encoding="utf-8")
    events = festival_events("gbe")
    # The fake BPT sells to the users as they will be numbered after the import (ids from 4: three special accounts).
    orders = generate_orders(users, args.lines, slots=slots(events, "gbe"), secret=SECRET.encode(),
                             user_ids={u["username"]: i for i, u in enumerate(users, start=4)}, seed=7).orders
    Dataset(events=events, orders=orders).save(folder / "bpt")
    times: dict[str, list[tuple[float, float, float]]] = {name: [] for name in COMMANDS}
    with fake_server(folder / "bpt") as bpt_url:
        for run in range(args.runs):
            with fresh_database(folder, run, args.pg_url) as url:
                prepare(url)
                config = write_config(folder, url, bpt_url)
                times["users import"].append(gbetix(config, "users", "import", str(folder / "users.csv")))
                times["sync"].append(gbetix(config, "sync", "--quiet"))
                times["match"].append(gbetix(config, "match"))
                times["export matches"].append(gbetix(config, "export", "matches", "--format", "json",
                                                      output=folder / "matches.json"))
    where = "PostgreSQL" if args.pg_url else "SQLite"
    print(f"{args.users:,} users, {args.lines:,} order lines, {where}, {args.runs} run(s); medians; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, runs in times.items():
        walls = [wall for wall, _, _ in runs]
        print(f"  gbetix {name:<16} {statistics.median(walls):7.2f} s  (runs: {', '.join(f'{w:.2f}' for w in walls)})"
              f"  CPU {statistics.median(cpu for _, cpu, _ in runs):6.2f} s  peak {max(mb for _, _, mb in runs):5.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
