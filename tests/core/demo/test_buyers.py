"""The labelled buyer generator: every case present, truths consistent with the order lines."""

from collections import Counter

import pytest

from gbetix_core.demo.buyers import CASE_WEIGHTS, generate_orders
from gbetix_core.demo.people import generate_users
from gbetix_core.matching import tokens

SECRET = b"s" * 32
SLOTS = [("4410001", "5521001", "7730012"), ("4410002", "5521002", "7730013")]
ITEM_FIELDS = ("order_time", "date_id", "price_id", "quantity", "fname", "lname", "address", "city", "state", "zip",
               "country", "email", "phone", "cc", "shipping_method", "order_notes", "ticket_number", "section",
               "row", "seat", "tracker_id")


@pytest.fixture(scope="module")
def buyers():
    users = generate_users(3_000, seed=11)
    ids = {u["username"]: n for n, u in enumerate(users, start=10)}
    return users, ids, generate_orders(users, 6_000, slots=SLOTS, secret=SECRET, user_ids=ids, seed=3)


def test_every_case_appears_and_ordinary_buyers_dominate(buyers):
    _, _, result = buyers
    counts = Counter(result.cases.values())
    assert set(counts) == set(CASE_WEIGHTS)
    assert counts["token"] + counts["email"] > len(result.orders) / 3


def test_order_lines_carry_every_bpt_field_and_unique_ticket_numbers(buyers):
    _, _, result = buyers
    numbers = [o["ticket_number"] for o in result.orders]
    assert len(set(numbers)) == len(numbers)
    for order in result.orders:
        assert set(ITEM_FIELDS) <= set(order) and order["event_id"] in {s[0] for s in SLOTS}
        assert all(isinstance(order[key], str) and order[key] != "None" for key in ITEM_FIELDS)
        assert order["ticket_number"] in result.truth and order["ticket_number"] in result.cases


def test_signed_trackers_verify_and_name_the_true_buyer_unless_a_friend_used_the_browser(buyers):
    _, ids, result = buyers
    by_id = {v: k for k, v in ids.items()}
    for order in result.orders:
        case, truth = result.cases[order["ticket_number"]], result.truth[order["ticket_number"]]
        parsed = tokens.parse(SECRET, order["tracker_id"])
        if case == "token":
            assert parsed.kind == "user" and by_id[parsed.user_id] == truth
        if case == "friend_on_browser":
            assert parsed.kind == "user" and by_id[parsed.user_id] != truth
        if case == "forged_tracker":
            assert not parsed.trusted


def test_late_registrants_are_new_people_and_sessions_name_their_buyer(buyers):
    users, _, result = buyers
    known = {u["username"] for u in users}
    emails = {u["email"] for u in users}
    late = {u["username"] for u in result.late_users}
    assert late and not late & known and not {u["email"] for u in result.late_users} & emails
    late_truths = {result.truth[n] for n, c in result.cases.items() if c == "late_registration"}
    assert late_truths == late
    session_buyers = {t for n, t in result.truth.items() if result.cases[n] == "pending_session"}
    assert {s[2] for s in result.sessions} == session_buyers


def test_non_users_never_use_a_registered_address(buyers):
    users, _, result = buyers
    emails = {u["email"] for u in users} | {u["purchase_email"] for u in users if u["purchase_email"]}
    for order in result.orders:
        if result.truth[order["ticket_number"]] is None:
            assert order["email"].strip().lower() not in emails


def test_the_same_seed_gives_the_same_orders(buyers):
    users, ids, result = buyers
    again = generate_orders(users, 6_000, slots=SLOTS, secret=SECRET, user_ids=ids, seed=3)
    assert again.orders == result.orders
