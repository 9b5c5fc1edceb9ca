"""Ticket transfers: find tickets by holder, email or confirmation number; hand them to a user or to a name and email.

A transfer to someone not registered yet waits as pending until their
account arrives (the core completes it); pending transfers can be canceled.
The highlighted ticket's history ("sold to George, passed to Amy") is shown
beside the list.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static, TabbedContent, TabPane

from gbetix_core.boxoffice.catalog import label, list_performances
from gbetix_core.boxoffice.door_search import search
from gbetix_core.boxoffice.transfers import (
    HistoryEvent,
    TransferResult,
    cancel_transfer,
    check_recipient,
    pending_transfers,
    ticket_history,
    transfer_tickets,
)
from gbetix_core.matching.links import find_user
from gbetix_core.people.search import UserHit
from gbetix_tui.guard import reported
from gbetix_tui.screens.base import GbetixScreen
from gbetix_tui.widgets.columns import Column, FitTable, LeftOut
from gbetix_tui.widgets.form import Field, FormDialog
from gbetix_tui.widgets.search_box import SearchBox, after_typing
from gbetix_tui.widgets.user_picker import UserPicker
from gbetix_tui.wording import counted, who



@dataclass(frozen=True)
class TicketRow:
    item_id: int
    holder: str
    ticket_type: str
    performance: str
    confirmation: str
    checked_in: bool


def find_tickets(text: str) -> list[TicketRow]:
    """Tickets of every party the door search finds, across all performances."""
    parties = search(text, None, limit=20)
    labels = {p.id: label(p) for p in list_performances()}
    return [TicketRow(t.item_id, party.name, t.ticket_type, labels.get(party.performance_id, "?"), t.confirmation,
                      t.checked_in)
            for party in parties for t in party.tickets]


@dataclass(frozen=True)
class PendingRow:
    transfer_id: int
    since: str
    confirmation: str
    performance: str
    giver: str
    to_name: str
    to_email: str


def pending_rows() -> list[PendingRow]:
    """Pending transfers as plain rows (read in the worker: no lazy lookups on the UI thread).

    A ticket is named as its holder knows it: the BPT confirmation number or #order, and the performance.
    """
    rows = []
    for t in pending_transfers():
        item = t.item
        confirmation = item.purchase.ticket_number if item.purchase_id else f"#{item.order_id}"
        performance = label(item.performance) if item.performance_id else ""
        rows.append(PendingRow(t.id, f"{t.created_at:%d %b %H:%M}", confirmation, performance,
                               t.from_user.full_name, t.to_name or "", t.to_email or ""))
    return rows


def transfer_to_user(staff, item_ids: list[int], username: str) -> TransferResult:
    """The core transfer, to the user picked by username."""
    return transfer_tickets(staff, item_ids, to_user=find_user(username))


class TransfersScreen(GbetixScreen):
    CSS_PATH = "transfers.tcss"
    TITLE = "Ticket transfers"
    HELP = """\
Find tickets by the holder's name or email or a confirmation number (BPT ticket number or #order).
**space** marks a ticket, **a** marks all tickets of the highlighted holder. **u** transfers the
marked tickets (or the highlighted one) to a registered user found as you type; **e** transfers
them to a name and email (pending until that person registers). Each recipient gets a message (mail outbox).
The **Pending** tab lists waiting transfers; **c** cancels the highlighted one (asks first). **1**
and **2** switch tabs; **/** goes back to the search box."""
    ROW_ACTIONS = frozenset({"mark", "mark_holder", "to_user", "to_email", "cancel_pending", "tab"})
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("slash", "focus_search", "Search"),
        Binding("space", "mark", "Mark"),
        Binding("a", "mark_holder", "Mark holder"),
        Binding("u", "to_user", "To user"),
        Binding("e", "to_email", "To name+email"),
        Binding("c", "cancel_pending", "Cancel pending"),
        Binding("1", "tab('tab-tickets')", "Tickets", show=False),
        Binding("2", "tab('tab-pending')", "Pending", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.tickets: list[TicketRow] = []
        self.pending: list[PendingRow] = []
        self.marked: set[int] = set()

    def compose(self) -> ComposeResult:
        yield self.header()
        yield SearchBox(placeholder="holder's name, email, or confirmation number", id="search")
        with TabbedContent(id="tabs"):
            with TabPane("1 Tickets", id="tab-tickets"):
                yield FitTable(id="tickets")
                yield LeftOut("tickets")
                yield Static("", id="history")
            with TabPane("2 Pending", id="tab-pending"):
                yield FitTable(id="pending")
                yield LeftOut("pending")
        yield self.footer()

    @reported
    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#tickets", FitTable).set_columns((
            Column("", 1, 1, "mark"), Column("Holder", 14, 1), Column("Ticket", 12, 3), Column("Performance", 20, 2),
            Column("Conf.", 10, 2), Column("In", 2, 1)))
        self.query_one("#pending", FitTable).set_columns((
            ("Since", 12, 3), ("Ticket", 10, 1), ("Performance", 16, 2), ("From", 14, 2), ("To", 14, 1),
            ("Email", 16, 1)))
        self.query_one("#search", Input).focus()
        self.load_pending()

    @reported
    def on_input_changed(self, event: Input.Changed) -> None:
        after_typing(self, self.find)

    @reported
    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one("#tickets", DataTable).focus()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        self.query_one(f"#{tab} DataTable", DataTable).focus()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def find(self) -> None:
        self.core(find_tickets, self.query_one("#search", Input).value, done=self._show, group="find")

    def _show(self, tickets: list[TicketRow]) -> None:
        self.tickets = tickets
        self.marked &= {t.item_id for t in tickets}
        table = self.query_one("#tickets", DataTable)
        row = table.cursor_row
        table.clear()
        for t in tickets:
            table.add_row("✓" if t.item_id in self.marked else "", t.holder, t.ticket_type, t.performance,
                          t.confirmation, "in" if t.checked_in else "", key=str(t.item_id))
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))
        self._load_history()
        searched = self.query_one("#search", Input).value.strip()
        if searched and not tickets:
            self.query_one("#history", Static).update(Text(f"No ticket matches {searched!r}."))

    def _ticket(self) -> TicketRow | None:
        row = self.query_one("#tickets", DataTable).cursor_row
        return self.tickets[row] if 0 <= row < len(self.tickets) else None

    @reported
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "tickets":
            self._load_history()

    def _load_history(self) -> None:
        ticket = self._ticket()
        if ticket is None:
            self.query_one("#history", Static).update("Type a name, an email or a confirmation number.")
            return
        self.core(ticket_history, ticket.item_id, done=self._show_history, group="history")

    def _show_history(self, events: list[HistoryEvent]) -> None:
        lines = [f"[dim]{e.at:%d %b %H:%M}[/dim] {e.what}" for e in events]
        self.query_one("#history", Static).update("[b]History of the highlighted ticket[/b]\n" + "\n".join(lines))

    def _refresh_marks(self) -> None:
        table = self.query_one("#tickets", DataTable)
        for t in self.tickets:
            table.update_cell(str(t.item_id), "mark", "✓" if t.item_id in self.marked else "")

    def action_mark(self) -> None:
        ticket = self._ticket()
        if ticket is None:
            self.nothing_to("No ticket to mark: search for one first.")
        else:
            self.marked ^= {ticket.item_id}
            self._refresh_marks()

    def action_mark_holder(self) -> None:
        ticket = self._ticket()
        if ticket is None:
            self.nothing_to("No ticket to mark: search for one first.")
        else:
            self.marked |= {t.item_id for t in self.tickets if t.holder == ticket.holder}
            self._refresh_marks()

    def _chosen(self) -> list[int]:
        if self.marked:
            return sorted(self.marked)
        ticket = self._ticket()
        return [ticket.item_id] if ticket else []

    def action_to_user(self) -> None:
        ids = self._chosen()
        if not ids:
            self.nothing_to("No ticket to transfer: search for one first.")
            return
        self.app.push_screen(UserPicker(f"Transfer {counted(len(ids), 'ticket')} to..."),
                             lambda user: self._confirm_to_user(ids, user))

    def _confirm_to_user(self, ids: list[int], user: UserHit | None) -> None:
        if user is None:
            return
        self.app.confirm(f"Transfer {counted(len(ids), 'ticket')} to {who(user)}?",
                         lambda: self.core(transfer_to_user, self.session.operator, ids, user.username,
                                           done=lambda r: self._done(r, user.name)), yes="Transfer")

    def action_to_email(self) -> None:
        ids = self._chosen()
        if not ids:
            self.nothing_to("No ticket to transfer: search for one first.")
            return
        self.app.push_screen(FormDialog(f"Transfer {counted(len(ids), 'ticket')} to a name and email",
                                        [Field("name", "Name"), Field("email", "Email")]),
                             lambda v: self._confirm_to_email(ids, v))

    def _confirm_to_email(self, ids: list[int], values: dict | None) -> None:
        if values is not None:
            self.core(check_recipient, values["name"], values["email"],
                      done=lambda recipient: self._ask_to_email(ids, *recipient))

    def _ask_to_email(self, ids: list[int], name: str, email: str) -> None:
        """Asked once the core has accepted the name and email, so a refusal never follows a yes."""
        holder = f"{name} <{email}>" if name else email
        self.app.confirm(f"Transfer {counted(len(ids), 'ticket')} to {holder}?",
                         lambda: self.core(transfer_tickets, self.session.operator, ids, to_name=name, to_email=email,
                                           done=lambda r: self._done(r, holder)), yes="Transfer")

    def _done(self, result: TransferResult, holder: str) -> None:
        if result.pending:
            self.notify(f"{counted(len(result.pending), 'ticket')} wait for {holder} to register; a message to them "
                        "is in the mail outbox.", title="Pending", timeout=5)
        else:
            self.notify(f"{counted(result.moved, 'ticket')} now held by {holder}; a message to them is in the mail "
                        "outbox.", title="Transferred", timeout=5)
        self.marked.clear()
        self.find()
        self.load_pending()

    def load_pending(self) -> None:
        self.core(pending_rows, done=self._show_pending, group="pending")

    def _show_pending(self, pending: list[PendingRow]) -> None:
        self.pending = pending
        table = self.query_one("#pending", DataTable)
        table.clear()
        for t in pending:
            table.add_row(t.since, t.confirmation, t.performance, t.giver, t.to_name, t.to_email,
                          key=str(t.transfer_id))
        self.query_one(TabbedContent).get_tab("tab-pending").label = f"2 Pending ({len(pending)})"

    def action_cancel_pending(self) -> None:
        if self.query_one(TabbedContent).active != "tab-pending":
            self.nothing_to("Pending transfers are on the Pending tab (2).")
            return
        row = self.query_one("#pending", DataTable).cursor_row
        if not 0 <= row < len(self.pending):
            self.nothing_to("No pending transfer to cancel.")
            return
        transfer = self.pending[row]
        self.app.confirm(f"Cancel the transfer of {transfer.confirmation} ({transfer.performance}) "
                         f"to {transfer.to_email}?",
                         lambda: self.core(cancel_transfer, self.session.operator, transfer.transfer_id,
                                           done=lambda _r: self._canceled()), yes="Cancel it")

    def _canceled(self) -> None:
        self.notify("Pending transfer canceled.", timeout=3)
        self.load_pending()
