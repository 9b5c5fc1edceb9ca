"""Customer search at 50,000 users (target: median <= 30 ms per search), SQLite.

Imports generated users into a fresh database, then times ``search_users``
(the box office's customer search: prefixes, then a piece anywhere in names,
emails and streets) on a mix of what operators type, and the door search for
a nickname on a full house. Prints the median over every query and run.

    python benchmarks/bench_customer_search.py [--users 50000] [--runs 20]
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import time
from pathlib import Path

from gbetix_core import db as dbmod
from gbetix_core.demo.people import generate_users, users_csv
from gbetix_core.people.accounts import ensure_special_accounts
from gbetix_core.people.search import search_users
from gbetix_core.people.users_import import import_users

QUERIES = ("fox", "FOX", "smith", "rosa del", "gmail", "example.org", "123", "st", "ann", "elm st", "garc",
           "son", "delgdao", "ichae", "@example", "a")


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database = dbmod.open_database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        with dbmod.write():
            ensure_special_accounts()
        import_users(io.StringIO(users_csv(generate_users(args.users))), source="bench users")
        build = timed(lambda: search_users("warm the index up"))
        per_query = {q: [timed(lambda q=q: search_users(q)) for _ in range(args.runs)] for q in QUERIES}
        everything = [t for times in per_query.values() for t in times]
        print(f"{args.users} users; index built in {build:.0f} ms (once per change of the users table)")
        print("per query (median): " + ", ".join(f"{q!r} {statistics.median(t):.2f} ms" for q, t in per_query.items()))
        print(f"customer search median over all queries: {statistics.median(everything):.2f} ms "
              f"(p90 {statistics.quantiles(everything, n=10)[-1]:.2f} ms); target <= 30 ms")
        database.close()


if __name__ == "__main__":
    main()
