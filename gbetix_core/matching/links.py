"""Purchase links for the festival site, and binding a browser session to the user who signs in.

A signed-in user's link carries a tracker signed for them; a visitor who is
not signed in gets a pending tracker tied to their browser session. When that
browser signs in or registers, :func:`bind_session` names the user, and the
purchases made through the session's links are matched again.
"""

from __future__ import annotations

import csv
from typing import TextIO

from gbetix_core import validation
from gbetix_core.config import Config
from gbetix_core.db import write
from gbetix_core.errors import InputError, NotFound
from gbetix_core.matching import tokens
from gbetix_core.matching.engine import MatchSummary, match_purchases
from gbetix_core.models import Purchase, PurchaseToken, User
from gbetix_core.models.base import utcnow

BPT_EVENT_URL = "https://www.brownpapertickets.com/event/{tracker}/{event_id}/"
MAX_SESSION_ID = 128


def find_user(username: str) -> User:
    username = validation.text("username", username, required=True)
    user = User.get_or_none((User.username == username) & User.special.is_null())
    if user is None:
        raise NotFound(f"No festival user called {username!r}.")
    return user


def _event(event_id: str) -> str:
    event_id = str(event_id).strip()
    if not event_id.isdigit():
        raise InputError(f"BPT event ids are numbers; {event_id!r} is not one.")
    return event_id


def event_url(tracker: str, event_id: str) -> str:
    return BPT_EVENT_URL.format(tracker=tracker, event_id=event_id)


def user_link(username: str, event_id: str, secret: bytes) -> str:
    """The tracker for ``username``'s purchase link to a BPT event (always the same for that pair)."""
    return tokens.user_tracker(secret, find_user(username).id, _event(event_id))


def session_link(session_id: str, event_id: str, secret: bytes, user_agent: str | None = None) -> str:
    """A pending tracker for a visitor not signed in, kept with their browser session."""
    session_id = _session(session_id)
    event_id = _event(event_id)
    agent = validation.text("user agent", user_agent or "")[:255] or None
    tracker, _ = tokens.session_tracker(secret)
    with write():
        PurchaseToken.create(tracker=tracker, kind="session", session_id=session_id, user_agent=agent,
                             event_id=event_id)
    return tracker


def _session(session_id: str) -> str:
    """A browser session id as the site sends it: 1 to MAX_SESSION_ID characters, no control character (a NUL
    would not even reach PostgreSQL)."""
    session_id = validation.text("session id", session_id or "", max_length=MAX_SESSION_ID)
    if not session_id:
        raise InputError(f"A session id must be 1 to {MAX_SESSION_ID} characters.")
    return session_id


def bind_session(session_id: str, username: str, config: Config) -> MatchSummary:
    """The browser with ``session_id`` signed in as ``username``: its purchases are matched again."""
    session_id, user = _session(session_id), find_user(username)
    with write():
        tokens_ = list(PurchaseToken.select().where((PurchaseToken.session_id == session_id)
                                                    & (PurchaseToken.kind == "session")))
        if not tokens_:
            raise NotFound(f"No purchase link was made for session {session_id!r}.")
        PurchaseToken.update(bound_user=user, bound_at=utcnow()).where(
            PurchaseToken.id.in_([t.id for t in tokens_]) & PurchaseToken.bound_user.is_null()).execute()
    trackers = [t.tracker for t in tokens_]
    ids = [r[0] for r in Purchase.select(Purchase.id).where(Purchase.tracker.in_(trackers)).tuples()]
    return match_purchases(ids, config)


def export_trackers(out: TextIO, event_id: str, secret: bytes) -> int:
    """Write ``username,tracker`` for every festival user (for the site); returns how many."""
    event_id = _event(event_id)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("username", "tracker"))
    count = 0
    for username, user_id in User.select(User.username, User.id).where(User.special.is_null()).order_by(User.username).tuples():
        writer.writerow((username, tokens.user_tracker(secret, user_id, event_id)))
        count += 1
    return count

