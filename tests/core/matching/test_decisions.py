"""Admins decide by fiat; every decision is audited, undoable, and refused to anyone but an admin."""

import json

import pytest

from gbetix_core.errors import InputError, PermissionDenied
from gbetix_core.matching import decisions
from gbetix_core.matching.engine import match_all_unresolved
from gbetix_core.models import AuditEntry, MatchDecision, OwnershipChange

from tests.core.matching.festival import order


@pytest.fixture
def namesake_purchase(festival):
    festival.buy(order("K200", "Rosa", "Delgado", "rosa.new@example.net", quantity=2))
    match_all_unresolved(festival.config)
    return "K200"


def test_accepting_a_candidate_links_it_and_hands_over_the_tickets(festival, namesake_purchase):
    decision = decisions.accept_candidate(festival.admin, "K200", "rosa2", "she showed the BPT email")
    match = festival.match("K200")
    assert (match.user.username, match.human, match.decided_by.name) == ("rosa2", True, "Ada Admin")
    assert festival.owners("K200") == {"rosa2"}
    entry = AuditEntry.get(AuditEntry.action == "match.accept")
    assert (entry.operator, entry.subject, entry.reason) == ("Ada Admin", "purchase:K200", "she showed the BPT email")
    assert json.loads(entry.before)["status"] == "candidates" and json.loads(entry.after)["status"] == "linked"
    assert "linked to rosa2" in decisions.summary(decision)


def test_accepting_someone_who_is_not_a_candidate_is_refused(festival, namesake_purchase):
    with pytest.raises(InputError, match="not a candidate"):
        decisions.accept_candidate(festival.admin, "K200", "bob", "oops")
    assert festival.match("K200").status == "candidates"


def test_assigning_to_anyone_and_undoing_puts_everything_back(festival, namesake_purchase):
    before = festival.candidates("K200")
    decision = decisions.assign(festival.admin, "K200", "amy", "Amy bought it with her mother's card")
    assert festival.owners("K200") == {"amy"}
    undo = decisions.undo(festival.admin, decision.id, "wrong Amy")
    match = festival.match("K200")
    assert (match.status, match.user, match.human) == ("candidates", None, False)
    assert festival.candidates("K200") == before
    assert festival.owners("K200") == {"@boxoffice-daemon"}
    assert MatchDecision.get_by_id(decision.id).undone_by.name == "Ada Admin"
    assert undo.action == "undo" and AuditEntry.select().where(AuditEntry.action == "match.undo").count() == 1
    assert [d.action for d in decisions.decisions_for("K200")] == ["assign", "undo"]
    assert OwnershipChange.select().count() == 4


def test_only_the_latest_decision_can_be_undone_and_only_once(festival, namesake_purchase):
    first = decisions.assign(festival.admin, "K200", "amy", "first")
    second = decisions.assign(festival.admin, "K200", "rosa1", "second")
    with pytest.raises(InputError, match="later decision"):
        decisions.undo(festival.admin, first.id, "too early")
    decisions.undo(festival.admin, second.id, "back to Amy")
    assert festival.match("K200").user.username == "amy"
    with pytest.raises(InputError, match="already undone"):
        decisions.undo(festival.admin, second.id, "again")


def test_rejecting_one_candidate_keeps_the_others(festival, namesake_purchase):
    decisions.reject(festival.admin, "K200", "not her: different city", username="rosa1")
    assert festival.candidates("K200") == ["rosa2"] and festival.match("K200").human


def test_rejecting_everything_leaves_it_unmatched_for_good(festival, namesake_purchase):
    decisions.reject(festival.admin, "K200", "neither Rosa bought this")
    match_all_unresolved(festival.config)
    assert (festival.match("K200").status, festival.candidates("K200")) == ("unmatched", [])


def test_not_a_festival_user_takes_it_out_of_the_queue(festival, namesake_purchase):
    decisions.mark_not_festival(festival.admin, "K200", "a walk-in's friend")
    match_all_unresolved(festival.config)
    assert festival.match("K200").status == "not_festival"
    assert festival.owners("K200") == {"@boxoffice-daemon"}


def test_one_identity_used_by_two_people_is_decided_per_purchase(festival):
    festival.buy(order("K201", "Liz", "Hall", "hallfamily@example.org"),
                 order("K202", "Liz", "Hall", "hallfamily@example.org"))
    match_all_unresolved(festival.config)
    decisions.split_identity(festival.admin, {"K201": "liz", "K202": "tom"}, "Tom used Liz's BPT account")
    assert festival.match("K201").user.username == "liz" and festival.match("K202").user.username == "tom"
    assert festival.owners("K202") == {"tom"}
    assert [(p.ticket_number, p.quantity, p.owner) for p in decisions.buyer_purchases("K202")] == [
        ("K201", 1, "liz"), ("K202", 1, "tom")]


def test_a_split_typed_by_hand_leaves_blank_purchases_alone_and_rejects_a_dash():
    assert decisions.owners_from({"K1": " tom ", "K2": "", "K3": "-", "K4": None}) == {"K1": "tom", "K3": None}


def test_split_refuses_purchases_of_different_buyers(festival):
    festival.buy(order("K203", "Liz", "Hall", "liz.hall@example.org"), order("K204", "Amy", "Lee", "amy.lee@example.org"))
    with pytest.raises(InputError, match="different buyer"):
        decisions.split_identity(festival.admin, {"K203": "liz", "K204": "tom"}, "mixed up")


def test_a_manager_may_not_decide(festival, namesake_purchase):
    with pytest.raises(PermissionDenied, match="admin"):
        decisions.assign(festival.manager, "K200", "amy", "I think so")
    with pytest.raises(PermissionDenied):
        decisions.mark_not_festival(None, "K200", "no operator")
    assert festival.match("K200").status == "candidates" and not MatchDecision.select().exists()


def test_a_decision_needs_a_reason(festival, namesake_purchase):
    with pytest.raises(InputError, match="reason"):
        decisions.assign(festival.admin, "K200", "amy", "  ")


def test_the_weights_say_how_many_decisions_by_people_they_learned_from(festival, namesake_purchase):
    festival.buy(order("K201", "Amy", "Lee", "amy.new@example.net"))
    assert "refined by 0 decisions by people (0 of them rejections)" in match_all_unresolved(festival.config).weights
    decisions.accept_candidate(festival.admin, "K200", "rosa2", "she showed the BPT email")
    assert "refined by 1 decisions by people (0 of them rejections)" in match_all_unresolved(festival.config).weights


def test_a_rejection_is_a_decision_the_weights_learn_from(festival, namesake_purchase):
    festival.buy(order("K201", "Amy", "Lee", "amy.new@example.net"))
    candidates = [c.user.username for c in festival.match("K200").purchase.candidates]
    decisions.reject(festival.admin, "K200", "not her: another Rosa", username=candidates[0])
    assert "refined by 1 decisions by people (1 of them rejections)" in match_all_unresolved(festival.config).weights
    decisions.mark_not_festival(festival.admin, "K200", "a guest of the venue")
    assert "refined by 2 decisions by people (2 of them rejections)" in match_all_unresolved(festival.config).weights
