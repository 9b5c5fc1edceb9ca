"""Why gbetix does not link a FEBRL buyer automatically, or does not find them: one count per cause, with examples.

bench_matching.py says how many true pairs are missed; this says why, so that
a change to the engine aims at a cause and not at a figure. It runs the
matcher in memory (blocking, learned weights, the decision) on the records
febrl_sets.py builds, and files every buyer who is not linked to their user
under the first cause that holds:

- blocking miss: no pass brings the user to the buyer;
- below candidate_min: brought, but weighed too little to be a candidate;
- wrong link / not best: linked to another user / another user ranks first (rank 1-3
  still counts as resolved);
- flag <name>: a protective flag stopped the link (namesakes, shared email, ...);
- below auto_link: the probability is short of the threshold;
- another given name: the names cannot be one person's because the given names differ
  (or one is an initial): at the same address, the household guard;
- other name: the names cannot be one person's otherwise (another surname away from
  the home, a name missing on one side);
- no identifier: a name that fits, but no email, phone or address ties the pair.

    .venv/bin/python benchmarks/febrl_misses.py --set 3 --examples 5
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import febrl_sets  # noqa: E402
from gbetix_core.config import MatchingConfig  # noqa: E402
from gbetix_core.matching.blocking import UserIndex  # noqa: E402
from gbetix_core.matching.compare import LEVELS, compare  # noqa: E402
from gbetix_core.matching.decide import Matcher, Outcome  # noqa: E402
from gbetix_core.matching.normalize import Person, person  # noqa: E402
from gbetix_core.matching.scoring import score  # noqa: E402
from gbetix_core.matching.training import learn  # noqa: E402
from gbetix_core.matching.users import buyer_person  # noqa: E402


INITIAL = LEVELS["first"].index("initial")  # this level and "different": another given name


def cause(matcher: Matcher, buyer: Person, user: Person, outcome: Outcome) -> str:
    """The first reason that holds for a buyer not linked to ``user`` (see the module's list)."""
    index, settings = matcher.index, matcher.settings
    if user.key not in index.close(buyer) | index.sounding(buyer):
        return "blocking miss"
    evidence = score(buyer, user, matcher.weights)
    ranked = [candidate.user for candidate in outcome.candidates]
    if user.key not in ranked and evidence.score < settings.candidate_min:
        return "below candidate_min"
    if outcome.status == "linked" or (ranked and ranked[0] != user.key):
        return "wrong link" if outcome.status == "linked" else "not best"
    if outcome.flag:
        return f"flag {outcome.flag}"
    if evidence.score < settings.auto_link:
        return "below auto_link"
    if evidence.name_compatible:
        return "no identifier"
    return "another given name" if compare(buyer, user)[0] >= INITIAL else "other name"


def example(buyer_row: dict, user_row: dict, buyer: Person, user: Person) -> str:
    """The two records as typed, and the comparison levels (in compare.FIELDS order)."""
    return (f"    buyer {buyer_row['fname']!r} {buyer_row['lname']!r} | {buyer_row['address']!r} {buyer_row['city']!r} "
            f"{buyer_row['zip']} {buyer_row['state']}\n"
            f"    user  {user_row['first_name']!r} {user_row['last_name']!r} | {user_row['address']!r} "
            f"{user_row['city']!r} {user_row['zip']} {user_row['state']}   levels {compare(buyer, user)}")


def report(which: int, examples: int) -> None:
    users, orders, truth = febrl_sets.split(febrl_sets.load(which))
    people = [person(key, u["first_name"], u["last_name"], u["email"], u["phone"], u["address"], u["zip"], None,
                     u["city"], u["state"]) for key, u in enumerate(users, start=1)]
    key_of = {u["username"]: key for key, u in enumerate(users, start=1)}
    index = UserIndex(people)
    buyers = [buyer_person(o["fname"], o["lname"], o["email"], o["phone"], o["address"], o["zip"], o["city"],
                           o["state"]) for o in orders]
    matcher = Matcher(index, MatchingConfig(), learn(index, buyers))
    causes: Counter = Counter()
    shown: dict[str, list[str]] = defaultdict(list)
    for row, buyer in zip(orders, buyers):
        key = key_of[truth[row["ticket_number"]]]
        outcome = matcher.decide(buyer)
        if outcome.status == "linked" and outcome.user == key:
            continue
        why = cause(matcher, buyer, index.people[key], outcome)
        causes[why] += 1
        if len(shown[why]) < examples:
            shown[why].append(example(row, users[key - 1], buyer, index.people[key]))
    print(f"FEBRL {which}: {len(orders)} buyers, {len(orders) - sum(causes.values())} linked to their user")
    for why, count in causes.most_common():
        print(f"  {why}: {count}", *shown[why], sep="\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", type=int, choices=febrl_sets.SETS, action="append", help="FEBRL set (default: all)")
    parser.add_argument("--examples", type=int, default=3, help="examples printed per cause")
    arguments = parser.parse_args()
    for which in arguments.set or febrl_sets.SETS:
        report(which, arguments.examples)
