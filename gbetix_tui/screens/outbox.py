"""The mail outbox: what is waiting, sent or failed, with the server's words; send now."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from gbetix_core.mail.outbox import OutboxLine, counts, list_outbox
from gbetix_core.mail.rounds import mail_round
from gbetix_core.mail.sender import Delivery
from gbetix_tui.guard import reported
from gbetix_tui.screens.base import GbetixScreen
from gbetix_tui.widgets.columns import Column, FitTable, LeftOut

SHOWN = 200


@dataclass(frozen=True)
class OutboxView:
    lines: list[OutboxLine]
    counts: dict[str, int]


def outbox_view(status: str | None) -> OutboxView:
    return OutboxView(list_outbox(status, SHOWN), counts())


class OutboxScreen(GbetixScreen):
    CSS_PATH = "outbox.tcss"
    TITLE = "Mail outbox"
    HELP = """\
Messages to people, newest first: gifts and transfers, links made by an admin, claim codes,
buyers still unmatched after the grace period, statuses asked for. **a** shows all, **p** the
waiting ones, **t** those sent, **f** those that failed; highlight one to read the server's words.
**n** sends what is due now (the sync worker also sends after every sync). With
[mail] backend = "outbox-only" nothing is ever sent."""
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("a", "show(None)", "All"),
        Binding("p", "show('pending')", "Waiting"),
        Binding("t", "show('sent')", "Sent"),
        Binding("f", "show('failed')", "Failed"),
        Binding("n", "send_now", "Send now"),
        Binding("r", "refresh(True)", "Refresh"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status: str | None = None
        self.lines: list[OutboxLine] = []

    def compose(self) -> ComposeResult:
        yield self.header()
        yield Static("", id="state")
        yield FitTable(id="messages", empty="No messages shown: a, p, t and f choose which.",
                       enter="The highlighted message is shown below the list.")
        yield LeftOut("messages")
        yield Static("", id="detail")
        yield self.footer()

    @reported
    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#messages", FitTable).set_columns((
            Column("No.", 4, 3), Column("Status", 7, 1), Column("Kind", 10, 2), Column("To", 16, 1),
            Column("Queued (UTC)", 12, 4)))
        self.query_one("#messages", FitTable).focus()
        self.action_refresh()

    def action_show(self, status: str | None) -> None:
        """A filter key; pressed again for what is already shown, it reloads and says so."""
        asked, self.status = status == self.status, status
        self.action_refresh(asked)

    def action_refresh(self, asked: bool = False) -> None:
        self.core(outbox_view, self.status, done=self.then_said(self._show, asked, "Outbox"), group="outbox")

    def action_send_now(self) -> None:
        self.core(mail_round, self.session.config, done=self._sent, group="send")

    def _sent(self, delivery: Delivery) -> None:
        if self.session.config.mail.backend == "outbox-only":
            self.notify('Nothing sent: the mail backend is "outbox-only".', title="Outbox", timeout=4)
        else:
            self.notify(delivery.text(), title="Outbox", timeout=5,
                        severity="warning" if delivery.problems else "information")
        self.action_refresh()

    def _show(self, view: OutboxView) -> None:
        self.lines = view.lines
        table = self.query_one("#messages", FitTable)
        table.clear()
        for line in view.lines:
            table.add_row(str(line.id), line.status, line.kind, line.to, f"{line.created_at:%d %b %H:%M}",
                          key=str(line.id))
        backend = self.session.config.mail.backend
        shown = self.status or "all"
        totals = " · ".join(f"{status} {n:,}" for status, n in view.counts.items())
        self.query_one("#state", Static).update(f"{totals}   (showing {shown}; backend {backend})")
        self._detail()

    @reported
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    def _detail(self) -> None:
        row = self.query_one("#messages", FitTable).cursor_row
        detail = self.query_one("#detail", Static)
        if not 0 <= row < len(self.lines):
            detail.update("No messages." if not self.lines else "")
            return
        line = self.lines[row]
        sent = f"sent {line.sent_at:%d %b %H:%M:%S} UTC" if line.sent_at else "not sent yet"
        sent += f" ({line.attempts} attempt{'s' if line.attempts != 1 else ''})" if line.attempts else ""
        detail.update(f"{line.kind} to {line.to}: {sent}" + (f"\n{line.last_error}" if line.last_error else ""))
