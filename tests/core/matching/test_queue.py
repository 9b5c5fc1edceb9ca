"""The queue screen's questions: pages most confident first, filters, counts, and one purchase's candidates."""

import pytest

from gbetix_core.errors import InputError
from gbetix_core.matching.engine import match_all_unresolved
from gbetix_core.matching.export import match_records
from gbetix_core.matching.queue import candidates_for, queue_counts, queue_page

from tests.core.matching.festival import order


@pytest.fixture
def queue(festival):
    festival.buy(order("K300", "Rosa", "Delgado", "rosa.x@example.net"),
                 order("K301", "Alice", "Jones", "alice.jones@gmail.com", tracker=festival.token("bob")),
                 order("K302", "Bob", "Smith", "bob.smith@example.org"),
                 order("K303", "Zed", "Zephyr", "zed@nowhere.example"),
                 order("K304", "T", "Hall", "hallfamily@example.org"))
    match_all_unresolved(festival.config)
    return festival


def test_pages_walk_the_whole_queue_most_confident_first(queue):
    seen, after = [], None
    while True:
        page = queue_page("candidates", limit=1, after=after)
        seen += page.rows
        if page.next_after is None:
            break
        after = page.next_after
    assert {row.ticket_number for row in seen} == {"K300", "K301", "K304"}
    scores = [row.score for row in seen]
    assert scores == sorted(scores, reverse=True)


def test_search_and_counts(queue):
    assert [r.ticket_number for r in queue_page("candidates", search="delgado").rows] == ["K300"]
    assert [r.ticket_number for r in queue_page("unmatched", search="k303").rows] == ["K303"]
    assert queue_page("candidates", event_id="999").rows == []
    assert [r.ticket_number for r in queue_page("candidates", flag="token_conflict").rows] == ["K301"]
    assert queue_counts() == {"candidates": 3, "unmatched": 1, "linked": 1, "not_festival": 0}


def test_an_unknown_queue_is_refused(queue):
    with pytest.raises(InputError):
        queue_page("everything")


def test_candidates_show_the_buyer_beside_each_user_field_by_field(queue):
    purchase_id = queue.match("K301").purchase_id
    view = candidates_for(purchase_id)
    assert view.flag == "token_conflict" and [c.username for c in view.candidates][:2] == ["alice", "bob"]
    alice, bob = view.candidates[0], view.candidates[1]
    assert alice.fields["email"] == ("alice.jones@gmail.com", "alice.jones@gmail.com", True)
    assert bob.fields["first_name"] == ("Alice", "Robert", False)
    assert "signed purchase link made for this user: +20.0" in bob.reasons


def test_each_candidate_shows_its_match_weight_beside_the_probability(queue):
    view = candidates_for(queue.match("K301").purchase_id)
    alice, bob = view.candidates[0], view.candidates[1]
    assert alice.bits > bob.bits and alice.strength == f"{alice.score:.2f} {alice.bits:+.1f}"
    records = {r["ticket_number"]: r for r in match_records()}
    assert [c["bits"] for c in records["K301"]["candidates"][:2]] == [alice.bits, bob.bits]
