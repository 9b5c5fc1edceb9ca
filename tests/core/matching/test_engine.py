"""The seed's problem cases, end to end through the engine and the database."""

import io
import re

from gbetix_core.demo.people import users_csv
from gbetix_core.matching import decisions, engine, tokens
from gbetix_core.matching.decide import Matcher
from gbetix_core.matching.engine import match_all_unresolved, match_purchases, rematch_users
from gbetix_core.matching.links import bind_session, session_link
from gbetix_core.matching.queue import candidates_for
from gbetix_core.models import Purchase, PurchaseToken
from gbetix_core.people.users_import import import_users

from tests.core.matching.festival import order, site_id, user_rows


def reasons(festival, number, username):
    """The reasons the queue screen shows for ``username`` on this purchase, without their weights in bits."""
    view = candidates_for(festival.match(number).purchase_id)
    shown = next(c.reasons for c in view.candidates if c.username == username)
    assert all(re.search(r": [+-]\d+\.\d$", reason) for reason in shown)
    return [reason.rpartition(": ")[0] for reason in shown]


def test_a_signed_in_buyer_is_linked_and_gets_the_tickets(festival):
    festival.buy(order("K1", "Bob", "Smith", "bobby@elsewhere.com", tracker=festival.token("bob"), quantity=2))
    match_all_unresolved(festival.config)
    match = festival.match("K1")
    assert (match.status, match.user.username, match.method) == ("linked", "bob", "token")
    assert festival.owners("K1") == {"bob"}


def test_the_registered_email_in_another_form_links(festival):
    festival.buy(order("K2", "ALICE", "jones", " Alice.Jones+gbe@GMAIL.com "))
    match_all_unresolved(festival.config)
    assert (festival.match("K2").user.username, festival.match("K2").method) == ("alice", "email")


def test_a_purchase_email_links_and_says_so(festival):
    festival.buy(order("K3", "George", "Baker", "george.work@example.org"))
    match_all_unresolved(festival.config)
    assert festival.match("K3").method == "purchase_email"
    assert "email equals purchase email" in reasons(festival, "K3", "george")


def test_another_email_with_nickname_and_phone_links_with_readable_reasons(festival):
    festival.buy(order("K4", "Bob", "Smith", "bob@work.example.com", phone="+1 (617) 555 0101"))
    match_all_unresolved(festival.config)
    assert festival.match("K4").user.username == "bob"
    assert {"phone matches", "Bob is a form of Robert"} <= set(reasons(festival, "K4", "bob"))


def test_accents_hyphens_and_apostrophes_do_not_hide_a_user(festival):
    festival.buy(order("K5", "RENEE", "OBrien Muller", "renee.other@example.net", phone="401.555.0177"))
    match_all_unresolved(festival.config)
    assert festival.match("K5").user.username == "renee"


def test_a_gift_belongs_to_the_buyer_and_keeps_the_note(festival):
    festival.buy(order("K6", "George", "Baker", "george@example.org", notes="ticket is for Amy Lee", quantity=2))
    match_all_unresolved(festival.config)
    assert festival.match("K6").user.username == "george"
    assert Purchase.get(Purchase.ticket_number == "K6").order_notes == "ticket is for Amy Lee"


def test_a_friend_on_a_signed_in_browser_is_flagged_with_both_people(festival):
    festival.buy(order("K7", "Alice", "Jones", "alice.jones@gmail.com", tracker=festival.token("bob")))
    match_all_unresolved(festival.config)
    match = festival.match("K7")
    assert (match.status, match.flag) == ("candidates", "token_conflict")
    assert festival.candidates("K7")[:2] == ["alice", "bob"]
    assert festival.owners("K7") == {"@boxoffice-daemon"}


def test_namesakes_are_never_linked_automatically(festival):
    festival.buy(order("K8", "Rosa", "Delgado", "rosa.new@example.net"))
    match_all_unresolved(festival.config)
    match = festival.match("K8")
    assert (match.status, match.flag) == ("candidates", "namesakes")
    assert set(festival.candidates("K8")) == {"rosa1", "rosa2"}


def test_a_shared_household_email_is_left_for_a_person_when_the_name_fits_both(festival):
    festival.buy(order("K9", "T", "Hall", "hallfamily@example.org"))
    match_all_unresolved(festival.config)
    match = festival.match("K9")
    assert (match.status, match.flag) == ("candidates", "shared_email")
    assert set(festival.candidates("K9")[:2]) == {"tom", "liz"}


def test_a_shared_household_email_links_whoever_the_name_names(festival):
    festival.buy(order("K23", "Tom", "Hall", "hallfamily@example.org"))
    match_all_unresolved(festival.config)
    assert festival.match("K23").user.username == "tom"


def test_the_household_email_used_by_someone_else_is_flagged(festival):
    festival.buy(order("K10", "Amy", "Lee", "george@example.org"))
    match_all_unresolved(festival.config)
    assert (festival.match("K10").status, festival.match("K10").flag) == ("candidates", "shared_email")


def test_a_buyer_who_registers_later_is_linked_when_imported(festival):
    festival.buy(order("K11", "Nora", "Quinn", "nora.quinn@example.org"))
    match_all_unresolved(festival.config)
    assert festival.match("K11").status == "unmatched"
    late = user_rows({"nora": ("Nora", "Quinn", "nora.quinn@example.org", "", "")})
    result = import_users(io.StringIO(users_csv(late)))
    rematch_users(result.user_ids, festival.config)
    assert (festival.match("K11").status, festival.match("K11").user.username) == ("linked", "nora")
    assert festival.owners("K11") == {"nora"}


def test_a_pending_session_binds_to_whoever_signs_in(festival):
    tracker = session_link("sess-42", "4410001", festival.secret, "Firefox")
    festival.buy(order("K12", "Liz", "Hall", "lizzie@other.example.com", tracker=tracker))
    match_all_unresolved(festival.config)
    assert festival.match("K12").status != "linked"
    bind_session("sess-42", "liz", festival.config)
    match = festival.match("K12")
    assert (match.status, match.user.username, match.method) == ("linked", "liz", "session")
    assert PurchaseToken.get(PurchaseToken.tracker == tracker).bound_user.username == "liz"


def test_a_legacy_tracker_confirmed_by_the_email_and_name_links(festival):
    festival.buy(order("K13", "Robert", "Smith", "bob.smith@example.org", tracker=f"ID-{site_id('bob')}"))
    match_all_unresolved(festival.config)
    assert (festival.match("K13").status, festival.match("K13").user.username) == ("linked", "bob")


def test_a_legacy_tracker_alone_is_at_most_a_candidate(festival):
    festival.buy(order("K14", "Robert", "Smith", "rs@elsewhere.example", tracker=f"ID-{site_id('bob')}"))
    match_all_unresolved(festival.config)
    match = festival.match("K14")
    assert (match.status, match.flag) == ("candidates", "legacy")
    assert festival.candidates("K14")[0] == "bob"


def test_a_legacy_tracker_naming_someone_else_is_flagged_with_both_and_names_them(festival):
    festival.buy(order("K15", "Robert", "Smith", "bob.smith@example.org", tracker=f"ID-{site_id('alice')}"))
    match_all_unresolved(festival.config)
    match = festival.match("K15")
    assert (match.status, match.flag) == ("candidates", "legacy")
    assert {"bob", "alice"} <= set(festival.candidates("K15")) and "(alice)" in match.reason


def test_a_legacy_tracker_is_read_as_a_site_id_never_as_a_gbetix_row_id(festival):
    festival.buy(order("K16", "Alice", "Jones", "alice.jones@gmail.com", tracker=f"ID-{festival.users['bob'].id}"))
    match_all_unresolved(festival.config)
    assert (festival.match("K16").user.username, festival.match("K16").flag) == ("alice", None)


def test_a_link_signed_for_another_event_is_at_most_a_candidate(festival):
    other = tokens.user_tracker(festival.secret, festival.users["bob"].id, "4410002")
    festival.buy(order("K17", "Robert", "Smith", "bob.smith@example.org", tracker=other))
    match_all_unresolved(festival.config)
    match = festival.match("K17")
    assert (match.status, match.flag, festival.candidates("K17")[0]) == ("candidates", "other_event", "bob")
    assert "(bob)" in match.reason


def test_forged_and_tampered_trackers_never_link(festival):
    good = festival.token("alice")
    tampered = good[:4] + ("1" if good[4] != "1" else "2") + good[5:]
    festival.buy(order("K14", "Alice", "Jones", "alice.jones@gmail.com", tracker=tampered),
                 order("K15", "Alice", "Jones", "alice.jones@gmail.com", tracker=good[:-1] + "x"))
    match_all_unresolved(festival.config)
    for number in ("K14", "K15"):
        assert (festival.match(number).status, festival.match(number).flag) == ("candidates", "forged")


def test_garbage_and_overlong_trackers_are_harmless(festival):
    festival.buy(order("K16", "Alice", "Jones", "alice.jones@gmail.com", tracker="fbclid=IwAR3<script>"),
                 order("K17", "Alice", "Jones", "alice.jones@gmail.com", tracker="g1" + "u" * 60))
    match_all_unresolved(festival.config)
    assert festival.match("K16").user.username == "alice" and festival.match("K17").user.username == "alice"


def test_a_stranger_stays_unmatched(festival):
    festival.buy(order("K18", "Zed", "Zephyr", "zed@nowhere.example"))
    match_all_unresolved(festival.config)
    assert festival.match("K18").status == "unmatched" and festival.owners("K18") == {"@boxoffice-daemon"}


def test_the_engine_never_overwrites_a_human_decision(festival):
    festival.buy(order("K19", "Alice", "Jones", "alice.jones@gmail.com"))
    match_all_unresolved(festival.config)
    decisions.assign(festival.admin, "K19", "amy", "Amy showed her ID at the door")
    summary = match_purchases([festival.match("K19").purchase_id], festival.config)
    rematch_users([festival.users["alice"].id], festival.config)
    match = festival.match("K19")
    assert (match.user.username, match.human, summary.skipped_human) == ("amy", True, 1)
    assert festival.owners("K19") == {"amy"}


def test_a_decision_made_while_the_engine_decides_wins(festival, monkeypatch):
    festival.buy(order("K20", "Alice", "Jones", "alice.jones@gmail.com"))
    real = Matcher.decide

    def decide_while_an_admin_acts(self, buyer, link=None):
        outcome = real(self, buyer, link) if link else real(self, buyer)
        decisions.assign(festival.admin, "K20", "amy", "decided during a sync")
        return outcome

    monkeypatch.setattr(Matcher, "decide", decide_while_an_admin_acts)
    summary = match_all_unresolved(festival.config)
    assert summary.skipped_human == 1
    assert (festival.match("K20").user.username, festival.owners("K20")) == ("amy", {"amy"})


def test_an_updated_user_changes_the_engine_link(festival):
    festival.buy(order("K21", "Alice", "Jones", "alice.jones@gmail.com"))
    match_all_unresolved(festival.config)
    rows = user_rows({"alice": ("Alice", "Jones", "alice.new@example.org", "", "")})
    result = import_users(io.StringIO(users_csv(rows)))
    rematch_users(result.user_ids, festival.config)
    assert festival.match("K21").status != "linked"
    assert festival.owners("K21") == {"@boxoffice-daemon"}


def test_rematching_is_idempotent(festival):
    festival.buy(order("K22", "Bob", "Smith", "bob.smith@example.org"))
    assert engine.match_all_unresolved(festival.config).changed == 1
    assert match_purchases([festival.match("K22").purchase_id], festival.config).changed == 0


def test_users_sharing_a_login_email_are_told_apart_by_the_name(festival):
    couple = {"sam": ("Samuel", "Okafor", "okafor.home@example.org", "", ""),
              "ngozi": ("Ngozi", "Okafor", "okafor.home@example.org", "", "")}
    import_users(io.StringIO(users_csv(user_rows(couple))))
    festival.buy(order("K40", "Ngozi", "Okafor", "okafor.home@example.org"),
                 order("K41", "N", "Okafor", "okafor.home@example.org"))
    match_all_unresolved(festival.config)
    assert (festival.match("K40").user.username, festival.match("K40").method) == ("ngozi", "email")
    assert (festival.match("K41").status, festival.match("K41").flag) == ("candidates", "shared_email")
    assert set(festival.candidates("K41")[:2]) == {"sam", "ngozi"}
