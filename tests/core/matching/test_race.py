"""A person's decision and a sync's re-match at the same moment: the person wins, whoever starts first."""

import threading
import time

from gbetix_core import db as dbmod
from gbetix_core.matching import decisions
from gbetix_core.matching.engine import match_all_unresolved, match_purchases
from gbetix_core.models import Purchase

from tests.core.matching.festival import order


def hold_decision_open(monkeypatch, holding: threading.Event, release: threading.Event) -> None:
    """Make the next decision pause inside its transaction, after locking the row."""
    real = decisions.restore

    def paused(*args, **kwargs):
        holding.set()
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(decisions, "restore", paused)


def race(festival, monkeypatch, number: str):
    holding, release = threading.Event(), threading.Event()
    hold_decision_open(monkeypatch, holding, release)
    failures = []

    def admin():
        try:
            with dbmod.connection():
                decisions.assign(festival.admin, number, "amy", "Amy showed her BPT email")
        except Exception as exc:  # reported below: a thread's exception would otherwise vanish
            failures.append(exc)

    purchase_id = Purchase.get(Purchase.ticket_number == number).id
    results: list = []
    thread = threading.Thread(target=admin)
    thread.start()
    assert holding.wait(10), "the decision never reached its transaction"
    sync = threading.Thread(target=lambda: results.append(_sync(festival, purchase_id)))
    sync.start()
    time.sleep(0.5)  # let the sync reach the row the decision holds; the outcome must not depend on it
    release.set()
    thread.join(20)
    sync.join(20)
    assert not failures, failures
    return results[0]


def _sync(festival, purchase_id):
    with dbmod.connection():
        return match_purchases([purchase_id], festival.config)


def test_a_sync_racing_a_first_decision_yields_to_it(festival, monkeypatch):
    festival.buy(order("K600", "Alice", "Jones", "alice.jones@gmail.com"))
    summary = race(festival, monkeypatch, "K600")
    assert summary.skipped_human == 1
    match = festival.match("K600")
    assert (match.user.username, match.human) == ("amy", True) and festival.owners("K600") == {"amy"}


def test_a_sync_racing_a_decision_on_a_matched_purchase_yields_to_it(festival, monkeypatch):
    festival.buy(order("K601", "Alice", "Jones", "alice.jones@gmail.com"))
    match_all_unresolved(festival.config)
    summary = race(festival, monkeypatch, "K601")
    assert summary.skipped_human == 1
    assert (festival.match("K601").user.username, festival.owners("K601")) == ("amy", {"amy"})
