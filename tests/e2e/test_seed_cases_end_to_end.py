"""The seed's cases through the real pipeline: BPT sync, matching, users import, transfers, the door.

Amy buys two tickets before she has a festival account; George, registered,
buys two and gives one to Amy by name and email. When Amy registers, her own
purchase links to her and George's gift completes, and the door sees the gift.
"""

import io

from gbetix_core import db as dbmod, pipeline
from gbetix_core.boxoffice.door import door_list
from gbetix_core.boxoffice.transfers import transfer_tickets
from gbetix_core.matching.decisions import assign
from gbetix_core.models import Item, Performance, PurchaseMatch, Purchase, Transfer, User
from gbetix_core.people.staff import add_staff
from gbetix_core.people.users_import import import_users
from tests.bpt_support import line

HEADER = "username,first_name,last_name,email,phone,purchase_email\n"
GEORGE = "george,George,Gale,george.gale@example.org,617-555-0100,\n"
AMY = "amy,Amy,Ames,amy.ames@example.org,,\n"


def sync(bpt):
    return bpt.sync(after_import=lambda ids: pipeline.after_purchases_imported(ids, bpt.config))


def tickets_of(username: str) -> list[Item]:
    user = User.get(User.username == username)
    return list(Item.select().where((Item.owner == user) & (Item.kind == "ticket") & Item.bundle.is_null()))


def test_registering_after_buying_and_a_gift_to_someone_not_registered(bpt):
    import_users(io.StringIO(HEADER + GEORGE))
    bpt.dataset.add_orders([
        line(1, quantity=2, fname="Amy", lname="Ames", email="amy.ames@example.org", phone="",
             ticket_number="K100"),
        line(2, quantity=2, fname="George", lname="Gale", email="george.gale@example.org", phone="617-555-0100",
             order_notes="one is for Amy", ticket_number="K200"),
    ])
    run = sync(bpt)
    assert (run.status, run.new) == ("ok", 2)
    assert PurchaseMatch.get(PurchaseMatch.purchase == Purchase.get(ticket_number="K200")).status == "linked"
    amy_match = PurchaseMatch.get_or_none(PurchaseMatch.purchase == Purchase.get(ticket_number="K100"))
    assert amy_match is None or amy_match.status != "linked"
    assert len(tickets_of("george")) == 2

    boxoffice = add_staff("Bea", "boxoffice", by=add_staff("Ada", "admin"))
    gift = transfer_tickets(boxoffice, [tickets_of("george")[0].id], to_name="Amy Ames",
                            to_email="amy.ames@example.org", reason="for Amy")
    assert gift.moved == 0 and Transfer.get().status == "pending"

    csv_path = bpt.config.data_dir / "users.csv"
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    csv_path.write_text(HEADER + GEORGE + AMY)
    outcome = pipeline.import_users(csv_path, bpt.config)
    assert outcome.transfers_completed == 1
    assert PurchaseMatch.get(PurchaseMatch.purchase == Purchase.get(ticket_number="K100")).user.username == "amy"
    assert len(tickets_of("amy")) == 3
    assert len(tickets_of("george")) == 1

    performance = Performance.get_by_id(tickets_of("george")[0].performance_id)
    amy_party = next(p for p in door_list(performance).parties if p.email == "amy.ames@example.org")
    assert len(amy_party.tickets) == 3
    assert any("George" in note for note in amy_party.notes)


def test_a_sync_never_undoes_an_admins_decision(bpt):
    import_users(io.StringIO(HEADER + GEORGE + AMY))
    bpt.dataset.add_orders([line(3, fname="George", lname="Gale", email="george.gale@example.org",
                                 ticket_number="K300")])
    sync(bpt)
    admin = add_staff("Ada", "admin")
    assign(admin, "K300", "amy", reason="Amy's card")
    bpt.dataset.add_orders([line(4, ticket_number="K400")])
    sync(bpt)
    with dbmod.connection():
        match = PurchaseMatch.get(PurchaseMatch.purchase == Purchase.get(ticket_number="K300"))
    assert (match.user.username, match.human) == ("amy", True)


def test_an_unmatched_bpt_weekend_pass_stands_at_every_door_under_the_buyer(bpt):
    bpt.dataset.add_orders([line(5, kind=3, fname="Rosa", lname="Delgado", email="rosa@example.org",
                                 ticket_number="K500")])
    assert sync(bpt).new == 1
    performances = list(Performance.select())
    assert len(performances) == 5
    for performance in performances:
        party = next(p for p in door_list(performance).parties if p.email == "rosa@example.org")
        assert party.name == "Rosa Delgado"
        assert [t.confirmation for t in party.tickets] == ["K500"]
        assert any("K500" in note and "not matched" in note for note in party.notes)
