"""Purchase-link trackers: short enough for BPT, unforgeable, and legacy ones never trusted."""

import pytest

from gbetix_core.matching import tokens

SECRET = b"s" * 32


def test_a_user_tracker_round_trips_and_fits_bpt():
    raw = tokens.user_tracker(SECRET, 48_213, "4821977")
    assert len(raw) <= tokens.MAX_LENGTH
    assert raw.replace("-", "").isalnum()
    parsed = tokens.parse(SECRET, raw)
    assert (parsed.kind, parsed.user_id, parsed.event_id, parsed.trusted) == ("user", 48_213, "4821977", True)


def test_trackers_already_handed_out_keep_their_signature():
    # Made before the MAC was encoded from its first bytes only: links on festival pages and in mails still verify.
    assert tokens.user_tracker(SECRET, 48_213, "4821977") == "g1u-1179-2vcnt-7jawb55e3356"
    assert tokens.session_tracker(SECRET, "abcde12345")[0] == "g1s-abcde12345-zugjuqtjtked"


def test_the_largest_ids_still_fit():
    assert len(tokens.user_tracker(SECRET, 2**31 - 1, "9" * 10)) <= tokens.MAX_LENGTH


def test_a_session_tracker_carries_its_nonce():
    raw, nonce = tokens.session_tracker(SECRET)
    parsed = tokens.parse(SECRET, raw)
    assert (parsed.kind, parsed.nonce) == ("session", nonce)


@pytest.mark.parametrize("mangle", [
    lambda raw: raw.replace("g1u-", "g1u-1", 1),   # another user id
    lambda raw: raw[:-1] + ("a" if raw[-1] != "a" else "b"),   # edited MAC
])
def test_an_edited_tracker_is_forged(mangle):
    raw = tokens.user_tracker(SECRET, 42, "100")
    assert tokens.parse(SECRET, mangle(raw)).kind == "forged"


def test_a_tracker_signed_with_another_secret_is_forged():
    raw = tokens.user_tracker(b"another secret key of 32 bytes!", 42, "100")
    assert tokens.parse(SECRET, raw).kind == "forged"


@pytest.mark.parametrize("raw, kind", [("ID-42", "legacy"), ("", "none"), (None, "none"),
                                       ("x" * 200, "foreign"), ("<script>", "foreign")])
def test_other_trackers_are_never_trusted(raw, kind):
    parsed = tokens.parse(SECRET, raw)
    assert parsed.kind == kind and not parsed.trusted


def test_non_numeric_event_ids_are_refused():
    with pytest.raises(ValueError):
        tokens.user_tracker(SECRET, 1, "gbe-2026")
