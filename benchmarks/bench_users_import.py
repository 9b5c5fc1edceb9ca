"""How long `gbetix users import` takes for 10,000 users (target: under 3 s), median of several runs.

Each run imports the same generated CSV into a fresh SQLite database through
the real CLI entry point, then re-imports it (every row unchanged) once.

    python benchmarks/bench_users_import.py [--users 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from gbetix_core.cli import main
from gbetix_core.demo.people import generate_users, users_csv


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    code = main(argv)
    elapsed = time.perf_counter() - start
    if code != 0:
        raise SystemExit(f"gbetix {' '.join(argv)} exited {code}")
    return elapsed


def run_once(folder: Path, csv_path: Path) -> tuple[float, float]:
    config = folder / "gbetix.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{folder / "bench.db"}"\n')
    main(["--config", str(config), "init"])
    first = timed(["--config", str(config), "users", "import", str(csv_path)])
    again = timed(["--config", str(config), "users", "import", str(csv_path)])
    return first, again


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "users.csv"
        csv_path.write_text(users_csv(generate_users(args.users)))
        firsts, agains = [], []
        for run in range(args.runs):
            folder = Path(tmp) / f"run{run}"
            folder.mkdir()
            first, again = run_once(folder, csv_path)
            firsts.append(first)
            agains.append(again)
    print(f"users import, {args.users:,} users, {args.runs} runs, SQLite")
    print(f"  new users:        median {statistics.median(firsts):.2f} s  (min {min(firsts):.2f}, max {max(firsts):.2f})  target < 3 s")
    print(f"  re-import same:   median {statistics.median(agains):.2f} s  (min {min(agains):.2f}, max {max(agains):.2f})")


if __name__ == "__main__":
    main_bench()
