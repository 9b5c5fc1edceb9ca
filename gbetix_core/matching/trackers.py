"""What each order line's tracker says about who bought it, read in bulk for the engine.

A signed user tracker names a user, but only for the event it was signed
for: on another event's order line it is at most a hint ("other_event"). A
session tracker names whoever that browser signed in as, if anyone yet. An
old ``ID-<n>`` tracker carries the festival site's own user id, so it is
looked up in ``User.site_id`` (never in gbetix's row ids); one that names no
known site id says nothing.
"""

from __future__ import annotations

from gbetix_core.db import rows_by
from gbetix_core.matching import tokens
from gbetix_core.matching.decide import Link
from gbetix_core.models import PurchaseToken, User

NO_LINK = Link()


def links(rows: list[tuple], secret: bytes) -> dict[int, Link]:
    """Each (purchase id, tracker, BPT event id, ...) row's Link."""
    parsed = {row[0]: (tokens.parse(secret, row[1]), row[2]) for row in rows if row[1]}
    bound = dict(rows_by(PurchaseToken, ("tracker", "bound_user"), "tracker",
                         list({t.raw for t, _ in parsed.values() if t.kind == "session"})))
    by_site_id = dict(rows_by(User, ("site_id", "id"), "site_id",
                              list({str(t.user_id) for t, _ in parsed.values() if t.kind == "legacy"})))
    found = {row[0]: NO_LINK for row in rows}
    for purchase_id, (tracker, event_id) in parsed.items():
        found[purchase_id] = _link(tracker, event_id, bound, by_site_id)
    return found


def _link(tracker: tokens.Tracker, event_id: str, bound: dict, by_site_id: dict) -> Link:
    if tracker.kind == "session":
        user = bound.get(tracker.raw)
        return Link("session", user) if user else Link("pending")
    if tracker.kind == "legacy":
        user = by_site_id.get(str(tracker.user_id))
        return Link("legacy", user) if user else NO_LINK
    if tracker.kind == "user" and tracker.event_id != event_id:
        return Link("other_event", tracker.user_id)
    return Link(tracker.kind, tracker.user_id)
