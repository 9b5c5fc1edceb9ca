"""One box-office terminal in the oversell test: sells one ticket at a time and reports what happened.

Run as ``python oversell_worker.py URL PERFORMANCE TYPE STAFF ATTEMPTS START_AT``; it waits until
``START_AT`` (a Unix time) so that every terminal starts selling at once, then prints one JSON line.
"""

import json
import sys
import time
from collections import Counter

from gbetix_core import db
from gbetix_core.boxoffice.sales import Basket, sell_walkup
from gbetix_core.errors import SaleRefused
from gbetix_core.people.staff import get_staff
from tests.core.boxoffice.helpers import NOW


def main(url: str, performance: int, ticket_type: int, staff_name: str, attempts: int, start_at: float) -> None:
    db.open_database(url, upgrade=False)
    staff = get_staff(staff_name)
    outcome: Counter[str] = Counter()
    time.sleep(max(0.0, start_at - time.time()))
    for _ in range(attempts):
        try:
            sell_walkup(staff, Basket(performance, {ticket_type: 1}), payment="cash", now=NOW)
            outcome["sold"] += 1
        except SaleRefused as exc:
            outcome[str(exc)] += 1
    print(json.dumps(outcome))


if __name__ == "__main__":
    url, perf, ttype, staff, attempts, start = sys.argv[1:]
    main(url, int(perf), int(ttype), staff, int(attempts), float(start))
