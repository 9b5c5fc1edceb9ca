"""Export every order line's match: for the festival site, for audits, and for checking the engine.

One record per purchase: ``ticket_number``, ``status`` (matched, candidate or
unmatched), ``user``, ``method``, ``candidates`` (``{user, score, reasons}``
best first) and ``decided_by``. Records are streamed in purchase order, so
100,000 lines never sit in memory as objects.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from typing import Iterator, TextIO

from peewee import JOIN

from gbetix_core.matching.engine import LINK_REASONS
from gbetix_core.models import MatchCandidate, Purchase, PurchaseMatch, Staff, User

FORMATS = ("json", "csv")
STATUS = {"linked": "matched", "candidates": "candidate"}
BATCH = 2_000


def match_records() -> Iterator[dict]:
    usernames = dict(User.select(User.id, User.username).tuples())
    staff = dict(Staff.select(Staff.id, Staff.name).tuples())
    last = 0
    while True:
        rows = list(Purchase.select(Purchase.id, Purchase.ticket_number, PurchaseMatch.status, PurchaseMatch.user,
                                    PurchaseMatch.method, PurchaseMatch.decided_by, PurchaseMatch.score,
                                    PurchaseMatch.reason, PurchaseMatch.human)
                    .join(PurchaseMatch, JOIN.LEFT_OUTER).where(Purchase.id > last)
                    .order_by(Purchase.id).limit(BATCH).tuples())
        if not rows:
            return
        last = rows[-1][0]
        ranked: dict[int, list[dict]] = defaultdict(list)
        query = (MatchCandidate.select(MatchCandidate.purchase, MatchCandidate.user, MatchCandidate.score, MatchCandidate.bits,
                                       MatchCandidate.reasons)
                 .where(MatchCandidate.purchase.between(rows[0][0], last)).order_by(MatchCandidate.purchase, MatchCandidate.rank))
        for purchase, user, score, bits, reasons in query.tuples():
            ranked[purchase].append({"user": usernames.get(user), "score": round(score, 3), "bits": bits,
                                     "reasons": json.loads(reasons)})
        for pid, number, status, user, method, decided_by, score, reason, human in rows:
            linked = usernames.get(user) if status == "linked" else None
            candidates = ranked.get(pid) or ([link_evidence(linked, score, reason, human)] if linked else [])
            yield {"ticket_number": number, "status": STATUS.get(status or "", "unmatched"), "user": linked,
                   "method": method, "candidates": candidates, "decided_by": staff.get(decided_by)}


def link_evidence(username: str, score: float | None, reason: str | None, human: bool) -> dict:
    """The linked user as a candidate record: the engine keeps a link's reasons on the match row."""
    reasons = reason.split(LINK_REASONS) if reason and not human else [reason] if reason else []
    return {"user": username, "score": round(score, 3) if score is not None else None, "bits": None, "reasons": reasons}


def write_matches(out: TextIO, fmt: str) -> int:
    """Write every record as a JSON array or as CSV (candidates as JSON in one column); returns how many."""
    count = 0
    if fmt == "json":
        out.write("[")
        for count, record in enumerate(match_records(), start=1):
            out.write(("\n" if count == 1 else ",\n") + json.dumps(record))
        out.write("\n]\n")
        return count
    writer = csv.DictWriter(out, fieldnames=["ticket_number", "status", "user", "method", "candidates", "decided_by"],
                            lineterminator="\n")
    writer.writeheader()
    for count, record in enumerate(match_records(), start=1):
        writer.writerow({**record, "candidates": json.dumps(record["candidates"])})
    return count
