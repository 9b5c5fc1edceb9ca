"""A BPT order that vanishes (refunded or cancelled there) is kept, and the door is warned before admitting it."""

from gbetix_core.boxoffice.door import door_list
from gbetix_core.models import Performance, Purchase
from tests.bpt_support import line


def party_of(email: str):
    performance = Performance.select().order_by(Performance.starts_at).first()
    return next(p for p in door_list(performance).parties if p.email == email)


def test_the_door_is_warned_about_an_order_bpt_no_longer_lists(bpt):
    bpt.dataset.add_orders([line(1, quantity=2, email="rosa@example.org", ticket_number="K900")])
    bpt.sync()
    assert not any("no longer lists" in note for note in party_of("rosa@example.org").notes)
    bpt.dataset.remove_order("K900")
    assert bpt.sync().gone == 1
    party = party_of("rosa@example.org")
    assert len(party.tickets) == 2
    assert "BPT no longer lists order K900 (refunded or cancelled there?): check before admitting" in party.notes
    assert Purchase.get(Purchase.ticket_number == "K900").gone_at is not None
