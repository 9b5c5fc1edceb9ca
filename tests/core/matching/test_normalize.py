"""Buyer and user details in comparable form: what differs only in form must compare equal."""

import pytest

from gbetix_core.matching import normalize


@pytest.mark.parametrize("raw, expected", [
    (" Rosa.Delgado@Example.ORG ", "rosa.delgado@example.org"),
    ("rosa+gbe2026@example.org", "rosa@example.org"),
    ("R.o.s.a.Delgado+bpt@GoogleMail.com", "rosadelgado@gmail.com"),
    ("not an email", ""),
    ("", ""),
])
def test_emails_compare_by_mailbox(raw, expected):
    assert normalize.email(raw) == expected


@pytest.mark.parametrize("raw", ["617-555-0142", "(617) 555-0142", "+1 617 555 0142", "1-617-555-0142", "617.555.0142",
                                 "6175550142"])
def test_phone_formats_become_e164(raw):
    assert normalize.phone(raw) == "+16175550142"


def test_foreign_and_junk_phones():
    assert normalize.phone("+44 20 7946 0958") == "+442079460958"
    assert normalize.phone("n/a") == "" and normalize.phone("12") == ""


def test_names_ignore_case_accents_hyphens_and_apostrophes():
    assert normalize.surname("O'Brien") == normalize.surname("obrien") == normalize.surname("O BRIEN")
    assert normalize.given_name("RENÉE") == normalize.given_name("renee") == "renee"
    assert {"smith", "jones", "smithjones"} <= normalize.surname_parts("Smith-Jones")


def test_nicknames_go_both_ways():
    assert "robert" in normalize.name_forms("bob") and "bob" in normalize.name_forms("robert")
    assert "elizabeth" in normalize.name_forms("liz")


def test_street_words_are_abbreviated():
    assert normalize.street("637 Galli Street") == normalize.street("637 galli st.")
