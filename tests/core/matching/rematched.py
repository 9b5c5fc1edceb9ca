"""Match every purchase afresh and export the result: two runs that decide alike export the same text."""

import io

from gbetix_core.config import Config
from gbetix_core.matching.engine import match_all_unresolved
from gbetix_core.matching.export import write_matches
from gbetix_core.models import MatchCandidate, PurchaseMatch


def matched(config: Config) -> str:
    """Every purchase matched afresh by learned weights (not the defaults), exported as JSON."""
    PurchaseMatch.delete().execute()
    MatchCandidate.delete().execute()
    summary = match_all_unresolved(config)
    assert summary.weights.startswith("match weights learned from")
    out = io.StringIO()
    write_matches(out, "json")
    return out.getvalue()
