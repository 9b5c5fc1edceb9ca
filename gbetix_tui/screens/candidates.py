"""Match candidates: the BPT buyer beside each candidate user, differences marked, and one key to decide.

The comparison shows the buyer's details beside the highlighted candidate's,
field by field (= same, ≠ different, as the core judged them), with the
score and the reasons. Deciding (accept, assign to anyone, reject, not a
festival user) is done by the core, which records who decided and why and
lets it be undone; after a decision the next purchase of the queue opens.
"""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Static

from gbetix_core.errors import InputError
from gbetix_core.matching import decisions
from gbetix_core.matching.decide import FLAG_TEXT
from gbetix_core.matching.decisions import summary
from gbetix_core.matching.queue import COMPARED, CandidateView, PurchaseView, QueueRow, candidates_for
from gbetix_core.people.search import UserHit
from gbetix_tui.guard import reported
from gbetix_tui.screens.base import GbetixScreen
from gbetix_tui.widgets.columns import FitTable, LeftOut
from gbetix_tui.widgets.form import Field, FormDialog
from gbetix_tui.widgets.user_picker import UserPicker
from gbetix_tui.wording import literal, who

FIELD_NAMES = {"first_name": "First", "last_name": "Last", "email": "Email", "phone": "Phone",
               "address": "Address", "zip": "Zip"}


def decide(fn, *args, **kwargs) -> str:
    """Run a decision of the core and say in one line what it did (read in the worker: it looks users up)."""
    return summary(fn(*args, **kwargs))


def latest_standing(ticket_number: str) -> int:
    """The latest decision still standing on this purchase (the only one the core lets us undo)."""
    standing = [d for d in decisions.decisions_for(ticket_number) if d.undone_at is None]
    if not standing:
        raise InputError(f"No decision on BPT {ticket_number} to undo.")
    return standing[-1].id


def split(staff, owners: dict[str, str | None], reason: str) -> list[str]:
    """Split one buyer identity's purchases between people; one line per decision made."""
    made = decisions.split_identity(staff, owners, reason)
    return [f"BPT {number}: {summary(decision)}" for number, decision in zip(owners, made)]


class CandidatesScreen(GbetixScreen):
    CSS_PATH = "candidates.tcss"
    TITLE = "Match candidates"
    HELP = """\
One BPT purchase and the festival users it may belong to, best first. **up/down** choose a
candidate; the comparison shows the buyer beside them (= same, ≠ different). **a** accepts the
highlighted candidate, **g** assigns the purchase to anyone (search as you type), **x** rejects the
highlighted candidate, **f** marks the buyer as not a festival user, **z** undoes the latest decision
on this purchase. **s** splits the buyer: when one BPT identity bought for several people (a friend
on your signed-in browser), give each of its purchases its own user. Each decision asks for its
reason (prefilled for an accept; enter confirms), which goes to the audit log with your name.
**n** skips to the next purchase of the queue; after a decision the next one opens by itself. **escape** goes back to the queue."""
    BINDINGS = [
        Binding("escape", "back", "Queue"),
        Binding("a", "accept", "Accept"),
        Binding("g", "assign", "Assign to..."),
        Binding("x", "reject", "Reject"),
        Binding("f", "not_festival", "Not festival"),
        Binding("z", "undo", "Undo"),
        Binding("s", "split", "Split buyer"),
        Binding("n", "next", "Next"),
    ]

    def __init__(self, row: QueueRow, next_after: Callable[[QueueRow], QueueRow | None]):
        super().__init__()
        self.row = row
        self.next_after = next_after
        self.view: PurchaseView | None = None

    def compose(self) -> ComposeResult:
        yield self.header()
        yield Static("", id="purchase")
        with Horizontal(id="body"):
            with Vertical(id="list"):
                yield FitTable(id="candidates")
                yield LeftOut("candidates")
            with Vertical(id="side"):
                yield FitTable(id="compare", cursor_type="none", show_cursor=False, zebra_stripes=False)
                yield LeftOut("compare")
                yield Static("", id="reasons")
        yield self.footer()

    @reported
    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#candidates", FitTable)
        table.set_columns((("#", 1), ("Candidate", 10), ("Score  bits", 10)))
        table.focus()
        self.load()

    def load(self) -> None:
        self.core(candidates_for, self.row.purchase_id, done=self._show, group="candidates")

    def _show(self, view: PurchaseView) -> None:
        self.view = view
        state = view.status.replace("_", " ")
        if view.user:
            state += f" to {literal(view.user)}" + (" (by a person)" if view.human else f" ({view.method or 'engine'})")
        flag = f" · [b $warning]{view.flag.replace('_', ' ')}[/]: {FLAG_TEXT.get(view.flag, '')}" if view.flag else ""
        notes = f"\nnotes: {literal(view.notes)}" if view.notes else ""
        self.query_one("#purchase", Static).update(
            f"[b]BPT {view.ticket_number}[/b] · {state}{flag}{notes}")
        table = self.query_one("#candidates", DataTable)
        table.clear()
        for c in view.candidates:
            table.add_row(str(c.rank), c.name, c.strength, key=str(c.user_id))
        if table.row_count:
            table.move_cursor(row=0)
        self._compare()

    def _candidate(self) -> CandidateView | None:
        if self.view is None:
            return None
        row = self.query_one("#candidates", DataTable).cursor_row
        return self.view.candidates[row] if 0 <= row < len(self.view.candidates) else None

    @reported
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "candidates":
            self._compare()

    def _compare(self) -> None:
        table = self.query_one("#compare", FitTable)
        table.clear(columns=True)
        candidate = self._candidate()
        theirs = candidate.name if candidate else "No candidate"
        table.set_columns((("", 7), ("Buyer (BPT)", 12), ("", 1), (theirs, 12)))
        for key in COMPARED:
            buyer = self.view.buyer.get(key, "") if self.view else ""
            if candidate is None:
                table.add_row(FIELD_NAMES[key], buyer, "", "")
                continue
            _, theirs, same = candidate.fields[key]
            mark = Text("=", "b green") if same else (Text("≠", "b red") if buyer and theirs else Text("·", "dim"))
            style = "green" if same else ("red" if buyer and theirs else "dim")
            table.add_row(FIELD_NAMES[key], buyer, mark, Text(theirs, style))
        reasons = "\n".join(f"• {r}" for r in candidate.reasons) if candidate else ""
        self.query_one("#reasons", Static).update(
            Text.assemble((f"Score {candidate.score:.2f}{_weight(candidate)}", "b"), "\n", reasons)
            if candidate else self._no_candidate())

    def _no_candidate(self) -> str:
        """Why the list is empty: the engine found nobody, or a person rejected everyone it found."""
        if self.view is not None and self.view.method == "admin_reject":
            return "Every candidate was rejected: g assigns the purchase to anyone, f marks it not a festival user."
        return "The engine found nobody likely: g assigns the purchase to anyone."

    def _decide(self, action: str, default_reason: str, fn, *args, **kwargs) -> None:
        """Ask for the reason (the core writes it to the audit log), then decide and move on."""
        number = self.row.ticket_number

        def asked(values: dict | None) -> None:
            if values is None:
                return
            self.core(decide, fn, self.session.operator, number, *args, reason=values["reason"],
                      done=self._decided, **kwargs)

        self.app.push_screen(FormDialog(f"{action} BPT {number}", [Field("reason", "Reason (goes to the audit log)",
                                                                         default_reason)]), asked)

    def _decided(self, line: str) -> None:
        self.notify(f"BPT {self.row.ticket_number}: {line}", title="Decided", timeout=4)
        self.action_next()

    def action_accept(self) -> None:
        candidate = self._candidate()
        if candidate is not None:
            why = candidate.reasons[0] if candidate.reasons else "the details agree"
            self._decide(f"Link to {candidate.name}:", f"checked: {why}", decisions.accept_candidate,
                         candidate.username)

    def action_assign(self) -> None:
        self.app.push_screen(UserPicker(f"Assign BPT {self.row.ticket_number} to..."), self._assign)

    def _assign(self, user: UserHit | None) -> None:
        if user is not None:
            self._decide(f"Assign to {who(user)}:", "", decisions.assign, user.username)

    def action_reject(self) -> None:
        candidate = self._candidate()
        if candidate is not None:
            self._decide(f"Reject {candidate.name} for", "", decisions.reject, username=candidate.username)

    def action_not_festival(self) -> None:
        self._decide("Not a festival user:", "", decisions.mark_not_festival)

    def action_undo(self) -> None:
        """Find the decision to undo first: with none, say so before asking for a reason."""
        self.core(latest_standing, self.row.ticket_number, done=self._ask_undo, group="undo")

    def _ask_undo(self, decision_id: int) -> None:
        number = self.row.ticket_number
        self.app.push_screen(FormDialog(f"Undo the last decision on BPT {number}",
                                        [Field("reason", "Reason (goes to the audit log)")]),
                             lambda v: v and self.core(decisions.undo, self.session.operator, decision_id,
                                                       v["reason"], done=lambda _d: self._undone()))

    def _undone(self) -> None:
        self.notify(f"BPT {self.row.ticket_number}: decision undone.", timeout=3)
        self.load()

    def action_split(self) -> None:
        self.core(decisions.buyer_purchases, self.row.ticket_number, done=self._ask_split, group="split")

    def _ask_split(self, purchases: list[decisions.BuyerPurchase]) -> None:
        if len(purchases) < 2:
            self.notify("This buyer made only this purchase: assign it with g.", timeout=4)
            return
        fields = [Field(f"p{i}", f"BPT {p.ticket_number} · {p.quantity} × {p.price}"
                        + (f" · now {p.owner}" if p.owner else ""),
                        placeholder="ctrl+u finds the user · - rejects · blank leaves it", user=True)
                  for i, p in enumerate(purchases)]
        known = ", ".join(f"{c.username} ({c.name})" for c in (self.view.candidates if self.view else [])[:4])
        hint = (f"[dim]candidates: {literal(known or 'none')}\n"
                "ctrl+u find a user · enter next/save · ctrl+s save · esc cancel[/dim]")

        def asked(values: dict | None) -> None:
            if values is None:
                return
            owners = decisions.owners_from({p.ticket_number: values[f"p{i}"] for i, p in enumerate(purchases)})
            self.core(split, self.session.operator, owners, values["reason"], done=self._split_done)

        self.app.push_screen(FormDialog(f"Split the buyer of BPT {self.row.ticket_number} between people",
                                        [*fields, Field("reason", "Reason (goes to the audit log)")], hint=hint), asked)

    def _split_done(self, lines: list[str]) -> None:
        self.notify("\n".join(lines), title="Split", timeout=6)
        self.load()

    def action_next(self) -> None:
        self.core(self.next_after, self.row, done=self._go_to, group="next")

    def _go_to(self, row: QueueRow | None) -> None:
        if row is None:
            self.notify("That was the last purchase of the queue.", timeout=3)
            self.dismiss(True)
            return
        self.row = row
        self.load()

    def action_back(self) -> None:
        self.dismiss(True)


def _weight(candidate: CandidateView) -> str:
    """The match weight beside the probability, which saturates at 1.00 where the weight keeps growing."""
    return f" · match weight {candidate.bits:+.1f} bits" if candidate.bits is not None else ""
