"""What follows when data arrives, in one place so the CLI, the TUI and scripts agree.

New purchases from a sync must be matched; newly imported users may own
purchases already held (they registered after buying) and may be the
recipients of pending transfers. Every face calls these functions instead
of remembering the steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from gbetix_core.boxoffice.transfers import complete_pending_transfers
from gbetix_core.config import Config
from gbetix_core.matching.engine import MatchSummary, match_purchases, prepare_matching, rematch_users
from gbetix_core.people.users_import import ImportResult, import_users_file


@dataclass
class UsersImported:
    imported: ImportResult
    transfers_completed: int
    matching: MatchSummary

    def text(self) -> str:
        return (f"{self.imported.summary()}; {self.transfers_completed} pending transfer(s) completed; "
                f"re-matched {self.matching.text()}")


def before_sync(config: Config) -> None:
    """What the matching after a sync's import needs and can get ready meanwhile: the users' index."""
    prepare_matching(config)


def after_purchases_imported(purchase_ids: Sequence[int], config: Config) -> MatchSummary:
    """Match the purchases a sync just stored (new or changed at BPT)."""
    return match_purchases(purchase_ids, config)


def after_users_imported(user_ids: Sequence[int], config: Config) -> tuple[int, MatchSummary]:
    """Complete transfers waiting for these users, then re-match what they might own."""
    completed = complete_pending_transfers(user_ids)
    return completed, rematch_users(user_ids, config)


def import_users(path: str | Path, config: Config) -> UsersImported:
    """``gbetix users import``: store the file (all rows or none), then follow up."""
    imported = import_users_file(path)
    completed, summary = after_users_imported(imported.user_ids, config)
    return UsersImported(imported, completed, summary)
