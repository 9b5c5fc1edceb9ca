"""Users claim purchases with the confirmation number: clear answers, rate limits, disputes queued."""

import pytest

from gbetix_core.config import MatchingConfig
from gbetix_core.errors import InputError, NotFound
from gbetix_core.matching import decisions
from gbetix_core.matching.claims import claim
from gbetix_core.matching.engine import match_all_unresolved
from gbetix_core.models import AuditEntry

from tests.core.matching.festival import order

LIMITS = MatchingConfig(claim_max_failures=3, claim_window_minutes=15, claim_number_max_failures=3)


def test_a_claim_with_the_last_name_links_and_moves_the_tickets(festival):
    festival.buy(order("K100", "Amy", "Lee", "amylee@elsewhere.example", quantity=2))
    match_all_unresolved(festival.config)
    result = claim("amy", "k100", "LEE", LIMITS)
    assert (result.outcome, result.ok) == ("linked", True)
    match = festival.match("K100")
    assert (match.user.username, match.method, match.human) == ("amy", "claim", True)
    assert festival.owners("K100") == {"amy"}
    assert AuditEntry.select().where(AuditEntry.action == "match.claim").count() == 1


def test_a_claim_with_the_buyer_email_works_too(festival):
    festival.buy(order("K101", "Amy", "Lee", "Amy.Lee+bpt@Elsewhere.example"))
    assert claim("amy", "K101", "amy.lee@elsewhere.example", LIMITS).outcome == "linked"


def test_a_wrong_proof_is_refused_without_saying_which_part(festival):
    festival.buy(order("K102", "Amy", "Lee", "amylee@elsewhere.example"))
    result = claim("amy", "K102", "Smith", LIMITS)
    assert result.outcome == "refused" and not result.ok
    assert "last name or email" in result.message and festival.match_or_none("K102") in (None, "unmatched")


def test_claiming_your_own_purchase_again_says_so(festival):
    festival.buy(order("K103", "Alice", "Jones", "alice.jones@gmail.com"))
    match_all_unresolved(festival.config)
    assert claim("alice", "K103", "Jones", LIMITS).outcome == "already_yours"


def test_a_claim_on_someone_elses_purchase_is_queued_for_an_admin(festival):
    festival.buy(order("K104", "Alice", "Jones", "alice.jones@gmail.com"))
    match_all_unresolved(festival.config)
    result = claim("amy", "K104", "Jones", LIMITS)
    assert result.outcome == "queued" and result.ok
    match = festival.match("K104")
    assert (match.user.username, match.flag, match.human) == ("alice", "disputed_claim", True)
    assert "amy" in festival.candidates("K104") and festival.owners("K104") == {"alice"}


def test_failed_claims_are_limited_per_user(festival):
    festival.buy(order("K105", "Amy", "Lee", "amylee@elsewhere.example"))
    for number in ("K9000001", "K9000002", "K9000003"):
        assert claim("amy", number, "Lee", LIMITS).outcome == "refused"
    result = claim("amy", "K105", "Lee", LIMITS)
    assert result.outcome == "rate_limited" and "Too many failed claims from amy" in result.message
    assert festival.match_or_none("K105") in (None, "unmatched")


def test_failed_claims_are_limited_per_ticket_number(festival):
    festival.buy(order("K106", "Amy", "Lee", "amylee@elsewhere.example"))
    for guesser in ("bob", "alice", "george"):
        assert claim(guesser, "K106", "Wrong", LIMITS).outcome == "refused"
    assert claim("amy", "K106", "Lee", LIMITS).outcome == "rate_limited"


def test_claims_need_a_known_user_and_both_values(festival):
    with pytest.raises(NotFound):
        claim("nobody", "K1", "Lee", LIMITS)
    with pytest.raises(InputError):
        claim("amy", "", "Lee", LIMITS)
    with pytest.raises(InputError):
        claim("amy", "K1", "  ", LIMITS)


def test_a_claim_never_overrides_a_box_office_decision(festival):
    festival.buy(order("K107", "Amy", "Lee", "amylee@elsewhere.example"))
    match_all_unresolved(festival.config)
    decisions.mark_not_festival(festival.admin, "K107", "bought by a visiting troupe")
    result = claim("amy", "K107", "Lee", LIMITS)
    assert result.outcome == "queued"
    match = festival.match("K107")
    assert (match.status, match.flag, match.human) == ("not_festival", "disputed_claim", True)
    assert "amy" in festival.candidates("K107")


def test_many_accounts_cannot_share_out_the_guessing(festival):
    limits = MatchingConfig(claim_max_failures=3, claim_number_max_failures=3, claim_max_failures_per_hour=4)
    festival.buy(order("K107", "Amy", "Lee", "amylee@elsewhere.example"))
    for guesser, number in (("bob", "K9000011"), ("alice", "K9000012"), ("george", "K9000013"), ("bob", "K9000014")):
        assert claim(guesser, number, "Lee", limits).outcome == "refused"
    result = claim("amy", "K107", "Lee", limits)
    assert result.outcome == "rate_limited"
    assert "Too many failed claims from everybody in the last hour. Try again in 60 minute(s)" in result.message


def test_a_refusal_says_when_to_try_again(festival):
    for number in ("K9000021", "K9000022", "K9000023"):
        claim("amy", number, "Lee", LIMITS)
    message = claim("amy", "K9000024", "Lee", LIMITS).message
    assert "Try again in 15 minute(s), at " in message and "UTC, or ask an admin to link the purchase from the unmatched purchases." in message


def test_claims_sent_at_the_same_moment_are_all_counted(festival):
    """40 wrong claims from 40 terminals at once against a limit of 5: only 5 are checked."""
    import threading

    from gbetix_core import db as dbmod

    limits = MatchingConfig(claim_max_failures=5, claim_number_max_failures=5)
    festival.buy(order("K108", "Amy", "Lee", "amylee@elsewhere.example"))
    start, outcomes = threading.Barrier(40), []

    def guess() -> None:
        with dbmod.connection():
            start.wait(10)
            outcomes.append(claim("bob", "K108", "Wrong", limits).outcome)

    threads = [threading.Thread(target=guess) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(set(outcomes)) == ["rate_limited", "refused"] and len(outcomes) == 40
    assert outcomes.count("refused") == 5


@pytest.mark.parametrize("user, number, proof", [("\x00", "K100", "Lee"), ("amy", "K1\x00", "Lee"),
                                                 ("amy", "K100", "L\x00ee"), ("amy", "K100", "x" * 300)])
def test_a_nul_byte_or_an_overlong_value_is_refused_before_the_database_sees_it(festival, user, number, proof):
    """Found by the fuzz test: PostgreSQL raised DataError on a NUL byte in a username."""
    with pytest.raises(InputError, match="control character|characters long"):
        claim(user, number, proof, LIMITS)
