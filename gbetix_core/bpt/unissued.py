"""BPT tickets not issued yet: a sync's new lines wait here for matching to name their holder.

Issuing a line's tickets to the box office's daemon and moving them to the
matched user a moment later wrote every ticket twice, with an owner-history
row for each move: on PostgreSQL, a third of a first sync. A sync that
matches what it imports (:func:`gbetix_core.bpt.importer.import_event` with
``issue_later``) stores the line and counts its seats as waiting
(:class:`WaitingSeats`); whoever first decides the purchase (the engine, a
claim, an admin) issues the tickets straight to their holder in its own
transaction and takes the seats off (:func:`issue`). A sync killed in between
leaves the purchase waiting for the next sync's matching, its seats still
counted at the door.
"""

from __future__ import annotations

from collections import Counter
from typing import Mapping, Sequence

from peewee import EXCLUDED, SQL, Expression, fn

from gbetix_core.boxoffice.tickets import TicketLine, issue_ticket_lines, seats_of
from gbetix_core.db import ids_in, plain_rows
from gbetix_core.models import BptDate, BptPrice, Item, Order, Purchase, WaitingSeats
from gbetix_core.people.accounts import special_account

CHUNK = 5_000


def hold(lines: Sequence[TicketLine]) -> None:
    """Count the seats of these lines as sold, their tickets to be issued by :func:`issue`; call in the transaction
    that stores the lines."""
    _add(seats_of(lines), 1)


def issue(owners: Mapping[int, int | None]) -> set[int]:
    """Issue the tickets of those purchases that still wait, each to its owner here (None: the daemon).

    Call inside the transaction that decides the purchases. Returns the ids of
    the purchases whose tickets were issued; the others had theirs already.
    """
    return _issue(owners, waiting_only=True)


def issue_waiting(purchases: Expression | None = None) -> None:
    """Issue, to the daemon, the waiting tickets of the purchases this condition selects (None: of all).

    Before a mapping changes (the seats were counted under the old one and
    must be taken off under the same), and when a sync that does not match
    finds tickets an earlier, killed sync left waiting.
    """
    chosen = _still_waiting() if purchases is None else purchases & _still_waiting()
    _issue(dict.fromkeys(row[0] for row in plain_rows(Purchase.select(Purchase.id).where(chosen))))


def _issue(owners: Mapping[int, int | None], waiting_only: bool = False) -> set[int]:
    """Issue the tickets of these waiting purchases (with ``waiting_only``, of those of them still waiting), each
    to its owner here (None: the daemon). Returns the ids of the purchases issued."""
    if not owners:
        return set()
    daemon = special_account("daemon").id
    lines = _lines_of(list(owners), {pid: owner or daemon for pid, owner in owners.items()}, waiting_only)
    issue_ticket_lines(lines)
    _add(seats_of(lines), -1)
    return {line.purchase_id for line in lines}


def waiting_tickets(purchases: Expression) -> int:
    """How many tickets the purchases this condition selects still wait for (a remap issues them first)."""
    return Purchase.select(fn.COALESCE(fn.SUM(Purchase.quantity), 0)).where(purchases & _still_waiting()).scalar()


def _still_waiting() -> Expression:
    """A purchase stored by a sync for matching (``needs_match``) and never issued (a canceled ticket keeps its
    row). A purchase stored some other way (a script's, a benchmark's) is not waiting for anything."""
    issued = Item.select(SQL("1")).where(Item.purchase == Purchase.id)
    return (Purchase.needs_match == True) & ~fn.EXISTS(issued)  # noqa: E712


def _lines_of(purchase_ids: list[int], owners: dict[int, int], waiting_only: bool) -> list[TicketLine]:
    """The purchases' tickets as the importer would have issued them: the price's type, date and value (with
    ``waiting_only``, of those still waiting: asked in the same query, one fewer a chunk of a sync's matching)."""
    lines = []
    money = BptPrice.value.python_value  # the driver's number (a float on SQLite) as the Decimal it stands for
    for start in range(0, len(purchase_ids), CHUNK):
        chosen = ids_in(Purchase.id, purchase_ids[start:start + CHUNK])
        query = (Purchase.select(Purchase.id, Order.id, BptPrice.ticket_type, BptDate.performance, Purchase.quantity,
                                 BptPrice.value)
                 .join_from(Purchase, BptPrice).join_from(BptPrice, BptDate)
                 .join_from(Purchase, Order, on=(Order.external_ref == Purchase.ticket_number))
                 .where(chosen & _still_waiting() if waiting_only else chosen))
        lines += [TicketLine(order, ticket_type, performance, quantity, money(value), pid, owners[pid])
                  for pid, order, ticket_type, performance, quantity, value in plain_rows(query)]
    return lines


def _add(seats: Counter[tuple[int, int]], sign: int) -> None:
    """Add (or take off) waiting seats, rows in key order so that two writers never wait on each other in a
    circle."""
    rows = [{"performance": performance, "ticket_type": ticket_type, "count": sign * count}
            for (performance, ticket_type), count in sorted(seats.items()) if count]
    if rows:
        (WaitingSeats.insert_many(rows)
         .on_conflict(conflict_target=[WaitingSeats.performance, WaitingSeats.ticket_type],
                      update={WaitingSeats.count: WaitingSeats.count + EXCLUDED.count})
         .execute())
