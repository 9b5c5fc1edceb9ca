"""Properties of the validation layer, the one check every outside value passes (the app's money fields use it too)."""

from __future__ import annotations

import sys
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbetix_core import validation
from gbetix_core.boxoffice import catalog
from gbetix_core.errors import InputError
from gbetix_core.models import Staff, TicketType
from gbetix_core.people.staff import add_staff
from tests.fuzz_support import values

ANYTHING = values() | st.integers() | st.floats() | st.decimals() | st.none() | st.booleans()


def refused_in_one_line(call, *args, **kwargs):
    """The value ``call`` returns, or None when it refused with a one-line InputError naming the field."""
    try:
        return call(*args, **kwargs)
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(args[0])
        return None


@given(value=ANYTHING)
def test_money_is_a_finite_amount_in_cents_that_fits_the_column_or_a_refusal(value):
    amount = refused_in_one_line(validation.money, "donation", value)
    if amount is not None:
        assert amount.is_finite() and Decimal(0) <= amount <= validation.MAX_MONEY
        assert amount == amount.quantize(validation.CENT)


@given(value=ANYTHING)
def test_an_integer_fits_a_32_bit_column_or_is_refused(value):
    number = refused_in_one_line(validation.integer, "house capacity", value, low=1)
    if number is not None:
        assert type(number) is int and 1 <= number <= validation.MAX_INT


@given(value=ANYTHING | st.sampled_from(["a\u2028b", "a\x85b", "\u202eevil", "a\x1cb"]))
def test_text_is_one_line_that_fits_a_column_or_is_refused(value):
    text = refused_in_one_line(validation.text, "name", value)
    if text is not None:
        assert len(text) <= validation.MAX_TEXT and text == text.strip() and len(text.splitlines()) <= 1


@given(record=st.dictionaries(st.sampled_from(["first_name", "address", "zip", "notes"]),
                              values() | st.text(min_size=250, max_size=260) | st.none()))
def test_a_record_is_refused_exactly_when_one_of_its_values_is_and_names_the_first(record):
    """record_problem clears the usual record in one search; it must agree with text() value by value."""
    refused = [key for key, value in record.items()
               if value is not None and refused_in_one_line(validation.text, key, value) is None]
    problem = validation.record_problem(record)
    assert (problem is not None) == bool(refused)
    assert problem is None or problem.startswith(refused[0])


@given(value=ANYTHING | st.sampled_from(["http://", "http://h:0", "http://h:65536", "https://h:443/x", "ftp://h"]))
def test_a_url_has_a_scheme_a_host_and_a_port_in_range_or_is_refused(value):
    url = refused_in_one_line(validation.url, "base_url", value)
    if url is not None:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        assert parts.scheme in ("http", "https") and parts.hostname and 0 < (parts.port or 80) <= 65535


@pytest.fixture
def manager(db) -> Staff:
    return add_staff("Manny", "manager", by=add_staff("Ada", "admin"))


@given(price=ANYTHING)
def test_a_ticket_price_from_a_form_is_stored_exactly_or_refused(manager, price):
    try:
        made = catalog.add_ticket_type(manager, f"T{TicketType.select().count()}", price, 2026)
    except InputError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("price")
        return
    assert TicketType.get_by_id(made.id).price == validation.money("price", price)


def test_every_character_text_refuses_is_a_control_a_separator_a_surrogate_or_a_bidi_override():
    """The one character class of ``validation.text`` says what Unicode's categories say, for every code point."""
    overrides = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    for point in range(sys.maxunicode + 1):
        character = chr(point)
        unseen = unicodedata.category(character) in ("Cc", "Cs", "Zl", "Zp") or character in overrides
        assert bool(validation.UNSEEN.search(character)) == unseen, hex(point)
