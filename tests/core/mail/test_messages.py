"""Every kind of message, from its event to the SMTP server's log: one per event, once per person and purchase."""

from __future__ import annotations

import io
import re

from gbetix_core.boxoffice.transfers import transfer_tickets
from gbetix_core.db import write
from gbetix_core.mail import notices
from gbetix_core.mail.rounds import mail_round
from gbetix_core.mail.sender import deliver
from gbetix_core.matching import decisions
from gbetix_core.matching.engine import match_all_unresolved
from gbetix_core.matching.status import status_message
from gbetix_core.models import Item, OutboxMessage, Purchase, User
from gbetix_core.people.users_import import import_users
from gbetix_core.pipeline import after_users_imported
from tests.core.mail.conftest import with_mail
from tests.core.matching.festival import order

HEADER = "username,first_name,last_name,email,phone,purchase_email\n"


def tickets_of(number: str) -> list[int]:
    purchase = Purchase.get(Purchase.ticket_number == number)
    return [i.id for i in Item.select().where(Item.purchase == purchase.id).order_by(Item.id)]


def plain(message) -> str:
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def send(festival, smtp) -> None:
    delivery = deliver(with_mail(festival, smtp.settings))
    assert not delivery.problems, delivery.problems


def test_a_gift_to_someone_not_registered_tells_them_and_both_hear_when_they_register(festival, smtp):
    festival.buy(order("K300", "George", "Baker", "george@example.org", quantity=2))
    match_all_unresolved(festival.config)
    result = transfer_tickets(festival.manager, tickets_of("K300"), to_name="Dora Diaz", to_email="Dora@Example.NET")
    assert len(result.pending) == 2
    send(festival, smtp)
    (gift,) = smtp.recorder.log
    assert gift["To"] == "Dora Diaz <dora@example.net>"
    assert gift["Subject"] == "George Baker gave you tickets to Great Burlesque Expo"
    text, html = plain(gift), gift.get_body(("html",)).get_content()
    assert "2 x General Admission, The Main Event, Fri 27 Nov 19:30" in text
    assert "register at https://example.org with this email" in text and "dora@example.net" in html
    import_users(io.StringIO(HEADER + "dora,Dora,Diaz,dora@example.net,,\n"))
    after_users_imported([User.get(User.username == "dora").id], festival.config)
    send(festival, smtp)
    told = {m["To"]: m["Subject"] for m in smtp.recorder.log[1:]}
    assert told == {"Dora Diaz <dora@example.net>": "Great Burlesque Expo: the tickets from George Baker are yours",
                    "George Baker <george@example.org>": "Great Burlesque Expo: Dora Diaz received your tickets"}


def test_several_tickets_to_a_registered_user_make_one_message_and_never_a_second(festival, smtp):
    festival.buy(order("K301", "George", "Baker", "george@example.org", quantity=3))
    match_all_unresolved(festival.config)
    amy = festival.users["amy"]
    tickets = tickets_of("K301")
    transfer_tickets(festival.manager, tickets[:2], to_user=amy)
    transfer_tickets(festival.manager, tickets[2:], to_user=amy)
    send(festival, smtp)
    (message,) = smtp.recorder.log
    assert message["To"] == "Amy Lee <amy.lee@example.org>"
    assert "2 x General Admission" in plain(message)


def test_an_admin_link_tells_the_user_once_even_after_an_undo_and_a_redo(festival, smtp):
    festival.buy(order("K302", "Rosa", "Delgado", "rosa.new@example.net", quantity=2))
    match_all_unresolved(festival.config)
    first = decisions.assign(festival.admin, "K302", "rosa2", "she showed the BPT email")
    decisions.undo(festival.admin, first.id, "wrong Rosa")
    decisions.assign(festival.admin, "K302", "rosa2", "right Rosa after all")
    send(festival, smtp)
    (message,) = smtp.recorder.log
    assert message["Subject"] == "Great Burlesque Expo: purchase K302 is now in your account"
    assert message["To"] == "Rosa Delgado <rdelgado@example.com>"


def test_a_purchase_still_unmatched_after_the_grace_period_asks_its_buyer_to_claim_once(festival, smtp):
    festival.buy(order("K303", "Nora", "Nobody", "nora@example.net"),
                 order("K304", "Nora", "Nobody", "nora@example.net", quantity=2),
                 order("K305", "Robert", "Smith", "bob.smith@example.org"))
    match_all_unresolved(festival.config)
    config = with_mail(festival, smtp.settings, unmatched_grace_hours=0)
    mail_round(with_mail(festival, smtp.settings, unmatched_grace_hours=24))
    assert smtp.recorder.log == []
    mail_round(config)
    mail_round(config)
    (message,) = smtp.recorder.log
    text = plain(message)
    assert message["To"] == "Nora Nobody <nora@example.net>"
    assert "K303: 1 x General Admission" in text and "K304: 2 x General Admission" in text
    assert "claim it with the confirmation numbers above" in text


def test_a_user_can_be_sent_the_text_of_gbetix_status(festival, smtp):
    festival.buy(order("K306", "Alice", "Jones", "alice.jones@gmail.com"))
    match_all_unresolved(festival.config)
    with write():
        notices.status_on_demand("alice")
    send(festival, smtp)
    (message,) = smtp.recorder.log
    assert status_message("alice") in plain(message)
    assert "purchase K306: 1 x" in status_message(festival.users["alice"])


def test_html_is_escaped_and_plain_text_is_not(festival, smtp):
    festival.buy(order("K307", "George", "Baker", "george@example.org"))
    match_all_unresolved(festival.config)
    transfer_tickets(festival.manager, tickets_of("K307"), to_name="<b>Eve</b> & co", to_email="eve@example.net")
    send(festival, smtp)
    (message,) = smtp.recorder.log
    assert "Hello <b>Eve</b> & co" in plain(message)
    assert "Hello &lt;b&gt;Eve&lt;/b&gt; &amp; co" in message.get_body(("html",)).get_content()


def test_every_message_carries_its_own_message_id_and_both_parts(festival, smtp):
    festival.buy(order("K308", "George", "Baker", "george@example.org"))
    match_all_unresolved(festival.config)
    transfer_tickets(festival.manager, tickets_of("K308"), to_user=festival.users["amy"])
    send(festival, smtp)
    (message,) = smtp.recorder.log
    row = OutboxMessage.get()
    assert re.fullmatch(rf"<outbox\.{row.id}\.{row.token}@example\.org>", message["Message-ID"])
    assert (row.status, row.attempts, row.sent_at is not None) == ("sent", 1, True)
    assert message.get_content_type() == "multipart/alternative"


def test_a_backlog_of_unmatched_buyers_is_queued_a_few_buyers_at_a_time(festival):
    festival.buy(*(order(f"K31{n}", "Nora", f"Nobody{n}", f"nora{n}@example.net") for n in range(3)))
    match_all_unresolved(festival.config)
    assert [notices.unmatched_after_grace(0, buyers=2) for _ in range(3)] == [2, 1, 0]
    assert OutboxMessage.select().where(OutboxMessage.kind == "unmatched").count() == 3
