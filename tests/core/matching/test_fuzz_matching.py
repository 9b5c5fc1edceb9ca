"""Fuzzing ``gbetix claim``, ``gbetix decide`` and ``gbetix status``: an answer or a one-line refusal, never a traceback.

A refused claim is recorded (that is what the rate limit counts) and exits 1
with its message; nothing else may change when a verb refuses.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbetix_core.matching.engine import match_all_unresolved
from gbetix_core.models import AuditEntry, MatchCandidate, MatchDecision, PurchaseMatch
from tests.core.matching.festival import SECRET, order
from tests.fuzz_support import assert_success_or_refusal, run_cli, values

USERS = st.sampled_from(["amy", "bob", "alice", "nobody"]) | values()
NUMBERS = st.sampled_from(["K100", "k100", "K101", "K9"]) | values()


@pytest.fixture
def config(festival, db_url, tmp_path) -> str:
    festival.buy(order("K100", "Amy", "Lee", "amylee@elsewhere.example"),
                 order("K101", "Bob", "Smith", "bob.smith@example.org"))
    match_all_unresolved(festival.config)
    path = tmp_path / "gbetix.toml"
    path.write_text(f'[database]\nurl = "{db_url}"\n[tokens]\nsecret = "{SECRET}"\n'
                    "[matching]\nclaim_max_failures = 1000\nclaim_number_max_failures = 1000\n"
                    "claim_max_failures_per_hour = 100000\n")
    return str(path)


def decided() -> tuple:
    return (tuple(PurchaseMatch.select(PurchaseMatch.status, PurchaseMatch.user).tuples().order_by(PurchaseMatch.id)),
            MatchCandidate.select().count(), MatchDecision.select().count(), AuditEntry.select().count())


@given(user=USERS, number=NUMBERS, proof=st.sampled_from(["Lee", "amylee@elsewhere.example"]) | values())
def test_claim_answers_or_refuses_in_one_line(config, capsys, user, number, proof):
    code, err = run_cli(capsys, "--config", config, "claim", user, number, proof)
    assert_success_or_refusal(code, err, codes=(0, 1, 2))


@given(action=st.sampled_from(["accept", "assign", "reject", "not-festival", "split", "undo"]),
       target=NUMBERS | st.sampled_from(["1", "K100=amy", "K101=-"]), user=st.none() | USERS,
       staff=st.sampled_from(["Ada Admin", "Manny Manager", "Nobody"]) | values(), reason=values())
def test_decide_succeeds_or_refuses_in_one_line_and_changes_nothing_when_refused(
        config, capsys, action, target, user, staff, reason):
    before = decided()
    by_user = ["--user", user] if user is not None and action in ("accept", "assign", "reject") else []
    positional = [target, user] if action in ("accept", "assign") and user is not None else [target]
    code, err = run_cli(capsys, "--config", config, "decide", action, *positional,
                        *(by_user if action == "reject" else []), "--as", staff, "--reason", reason)
    assert_success_or_refusal(code, err)
    if code != 0:
        assert decided() == before


@given(user=USERS)
def test_status_answers_or_refuses_in_one_line(config, capsys, user):
    code, err = run_cli(capsys, "--config", config, "status", user)
    assert_success_or_refusal(code, err, codes=(0, 2))
