"""A buyer proves a purchase is theirs with a code mailed to the address it was bought with."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from gbetix_core.db import write
from gbetix_core.errors import InputError
from gbetix_core.mail.sender import deliver
from gbetix_core.matching import decisions
from gbetix_core.matching.claim_codes import enter_code, request_code
from gbetix_core.matching.engine import match_all_unresolved
from gbetix_core.models import ClaimCode, OutboxMessage
from gbetix_core.models.base import utcnow
from tests.core.mail.conftest import with_mail
from tests.core.matching.festival import order


@pytest.fixture
def mailed(festival, smtp):
    """Request a code as ``username`` for ``number`` and return the code read from the delivered email."""
    def ask(username: str, number: str) -> str:
        config = with_mail(festival, smtp.settings)
        request_code(username, number, config)
        assert deliver(config).sent == 1
        text = smtp.recorder.log[-1].get_body(("plain",)).get_content()
        return re.search(r"Your code: (\d{8})", text).group(1)
    return ask


@pytest.fixture
def bought_under_old_email(festival):
    festival.buy(order("K400", "Bobby", "Smythe", "old.address@example.net", quantity=2))
    match_all_unresolved(festival.config)
    return "K400"


def test_the_right_code_links_the_purchase_and_is_never_stored(festival, smtp, mailed, bought_under_old_email):
    code = mailed("bob", "K400")
    message = smtp.recorder.log[-1]
    assert message["To"] == "Bobby Smythe <old.address@example.net>"
    assert "Festival user bob asked to claim purchase K400" in message.get_body(("plain",)).get_content()
    stored = ClaimCode.get()
    assert code not in stored.code_hash and code not in OutboxMessage.get().context
    result = enter_code("bob", "K400", code, festival.config)
    assert result.outcome == "linked"
    assert festival.owners("K400") == {"bob"}
    assert enter_code("bob", "K400", code, festival.config).outcome == "refused"  # used once


def test_a_wrong_or_expired_code_is_refused_and_counts_towards_the_limit(festival, mailed, bought_under_old_email):
    code = mailed("bob", "K400")
    wrong = str((int(code) + 1) % 10 ** 8).zfill(8)
    assert enter_code("bob", "K400", wrong, festival.config).outcome == "refused"
    with write():
        ClaimCode.update(expires_at=utcnow() - dt.timedelta(seconds=1)).execute()
    assert enter_code("bob", "K400", code, festival.config).outcome == "refused"
    for _ in range(3):
        enter_code("bob", "K400", wrong, festival.config)
    assert enter_code("bob", "K400", code, festival.config).outcome == "rate_limited"
    with pytest.raises(InputError, match="8 digits"):
        enter_code("bob", "K400", "abc", festival.config)


def test_asking_twice_while_a_code_is_live_mails_nothing_more(festival, smtp, bought_under_old_email):
    config = with_mail(festival, smtp.settings)
    first = request_code("bob", "K400", config)
    second = request_code("bob", "K400", config)
    assert first.ok and "mailed to o***@example.net" in first.message
    assert second.ok and "already mailed" in second.message
    assert OutboxMessage.select().count() == 1


def test_codes_cannot_flood_an_inbox_nor_guess_numbers(festival, smtp, bought_under_old_email):
    config = with_mail(festival, smtp.settings)
    for _ in range(config.matching.claim_max_failures):
        assert request_code("bob", "K400", config).ok
        with write():
            ClaimCode.update(used_at=utcnow()).execute()
    refused = request_code("bob", "K400", config)
    assert not refused.ok and "Too many codes" in refused.message
    assert "ask an admin" in refused.message and "box office" not in refused.message  # staff may be the box office
    guesses = [request_code("amy", f"K99{n}", config) for n in range(config.matching.claim_max_failures + 1)]
    assert "No purchase K990" in guesses[0].message
    assert not guesses[-1].ok and "Too many failed claims from amy" in guesses[-1].message


def test_a_code_for_a_purchase_already_linked_to_someone_else_queues_it_for_an_admin(festival, smtp, mailed,
                                                                                   bought_under_old_email):
    decisions.assign(festival.admin, "K400", "amy", "Amy said it was hers")
    assert deliver(with_mail(festival, smtp.settings)).sent == 1  # Amy is told
    code = mailed("bob", "K400")
    result = enter_code("bob", "K400", code, festival.config)
    assert result.outcome == "queued"
    assert festival.owners("K400") == {"amy"} and festival.match("K400").flag == "disputed_claim"
