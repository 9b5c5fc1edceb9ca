"""A sync killed (SIGKILL) at any point: the next sync finishes the import and the matching, as a clean run would."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import tomllib

import pytest

from gbetix_core import db as dbmod
from gbetix_core.cli import main
from gbetix_core.demo.festival import build_festival
from gbetix_core.demo.people import generate_users, users_csv
from gbetix_core.models import Purchase
from gbetix_core.people.accounts import ensure_special_accounts
from gbetix_core.people.users_import import import_users
from tests.bpt_support import DATES, line, price_of

pytestmark = pytest.mark.slow
USERS = 80
LINES = 300

# (module, function, "before" or "after" its Nth call, N): where the child process kills itself.
KILL_POINTS = {
    "during import, two batches in": ("gbetix_core.bpt.unissued", "hold", "before", "3"),
    "before matching": ("gbetix_core.pipeline", "match_purchases", "before", "1"),
    "while issuing the tickets to their holders": ("gbetix_core.bpt.unissued", "issue_ticket_lines", "after", "1"),
    "after matching, before it is noted": ("gbetix_core.bpt.sync", "mark_matched", "before", "1"),
}
CHILD = textwrap.dedent("""
    import importlib, os, signal, sys
    import gbetix_core.bpt.importer as importer
    import gbetix_core.bulk_indexes as bulk_indexes
    bulk_indexes.BULK_BYTES = 1  # on SQLite, a first sync sets the random-keyed indexes aside, however small
    importer.FIRST_WRITE_BATCH = importer.MAX_WRITE_BATCH = 50  # several batches of this small import
    importer.CHANGE_BATCH = 5  # and of its changed lines
    module = importlib.import_module(sys.argv[1])
    real, when, calls = getattr(module, sys.argv[2]), sys.argv[3], [int(sys.argv[4])]
    def killed(*args, **kwargs):
        calls[0] -= 1
        if calls[0] > 0:
            return real(*args, **kwargs)
        if when == "after":
            real(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
    setattr(module, sys.argv[2], killed)
    from gbetix_core.cli import main
    sys.exit(main(sys.argv[5:]))
""")
# Where a re-sync of lines BPT changed is killed: while storing the changes (after the 8th line's tickets were
# resized, inside the transaction of the second batch of five), and at the matching points above.
CHANGE_KILL_POINTS = {
    "while storing changed lines": ("gbetix_core.bpt.adjust", "resize", "after", "8"),
    "before matching the changes": ("gbetix_core.pipeline", "match_purchases", "before", "1"),
    "while moving the changed lines' tickets": ("gbetix_core.matching.disposition", "change_owners", "after", "1"),
    "after matching the changes, before it is noted": ("gbetix_core.bpt.sync", "mark_matched", "before", "1"),
}
MATCHES = ('SELECT p.ticket_number, m.status, u.username FROM purchase p LEFT JOIN purchase_match m '
           'ON m.purchase_id = p.id LEFT JOIN "user" u ON u.id = m.user_id')
OWNERS = ('SELECT p.ticket_number, i.seq, u.username FROM item i JOIN purchase p ON p.id = i.purchase_id '
          'JOIN "user" u ON u.id = i.owner_id')
LINES_HELD = ('SELECT p.ticket_number, p.quantity, p.version, p.digest, p.needs_match, d.date_id, pr.price_id, '
              'b.identity FROM purchase p JOIN bpt_date d ON d.id = p.date_id JOIN bpt_price pr ON pr.id = p.price_id '
              'JOIN purchaser b ON b.id = p.purchaser_id')
COUNTS = ("purchase", "purchase_match", "item", "ownership_change", '"order"', "purchase_version")


def festival_lines(users: list[dict]) -> list[dict]:
    """Lines bought by registered users (some exactly, some with a typo) and by strangers."""
    lines = []
    for n in range(LINES):
        user = users[n % len(users)]
        if n % 3 == 0:
            lines.append(line(n, date=n % 5, quantity=1 + n % 3, fname=user["first_name"], lname=user["last_name"],
                              email=user["email"]))
        elif n % 3 == 1:
            lines.append(line(n, date=n % 5, quantity=2, fname=user["first_name"], lname=user["last_name"] + "x", email=""))
        else:
            lines.append(line(n, date=n % 5, kind=3 if n % 5 == 0 else n % 3))
    return lines


def change_lines(fake, users: list[dict]) -> int:
    """BPT changes every fifth line: a quantity, a buyer who becomes a registered user, or the date. Returns how many."""
    changed = 0
    for n in range(0, LINES, 5):
        number, date = f"K{48213000 + n}", n % 5
        if n % 15 == 0:
            fake.dataset.change_order(number, quantity=str(2 + n % 3))
        elif n % 15 == 5:
            user = users[(n + 1) % len(users)]
            fake.dataset.change_order(number, fname=user["first_name"], lname=user["last_name"], email=user["email"])
        else:
            fake.dataset.change_order(number, date_id=DATES[(date + 1) % 5], price_id=price_of((date + 1) % 5, 0))
        changed += 1
    return changed


def prepare(url: str, users: list[dict], tmp_path, bpt_url: str, name: str) -> str:
    """The festival and its users in the database at ``url``; returns a config file for it."""
    dbmod.open_database(url)
    with dbmod.write():
        ensure_special_accounts()
        build_festival()
    import_users(io.StringIO(users_csv(users)), source="test users")
    dbmod.database.close()
    path = tmp_path / f"{name}.toml"
    path.write_text(f'[database]\nurl = "{url}"\n[bpt]\nbase_url = "{bpt_url}"\nretry_backoff = 0.01\n'
                    f'lock_stale_after = 600.0\n[tokens]\nsecret_file = "{tmp_path / "token.key"}"\n')
    return str(path)


def snapshot(config: str) -> dict:
    """Who each purchase is matched to, who holds each ticket, how many rows of each kind exist, and how many seats
    wait for their tickets (none, once a sync has finished)."""
    dbmod.open_database(_url_of(config), upgrade=False)
    run = dbmod.database.execute_sql
    found = {"matches": sorted(map(tuple, run(MATCHES).fetchall())),
             "lines": sorted(map(tuple, run(LINES_HELD).fetchall())),
             "owners": sorted(map(tuple, run(OWNERS).fetchall())),
             "counts": {table: run(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in COUNTS},
             "seats waiting": run("SELECT COALESCE(SUM(count), 0) FROM waiting_seats").fetchone()[0]}
    dbmod.database.close()
    return found


def indexes(config: str) -> set[str]:
    """The names of the database's indexes: a sync killed while it had some set aside leaves them to the next."""
    dbmod.open_database(_url_of(config), upgrade=False)
    query = ("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'" if dbmod.is_postgres() else
             "SELECT name FROM sqlite_master WHERE type = 'index'")
    found = {row[0] for row in dbmod.database.execute_sql(query).fetchall()}
    dbmod.database.close()
    return found


def _url_of(config: str) -> str:
    with open(config, "rb") as handle:
        return tomllib.load(handle)["database"]["url"]


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_sync_killed_anywhere_is_finished_by_the_next_one(point, fake, db_url, tmp_path, capsys):
    users = generate_users(USERS, seed=11)
    fake.dataset.add_orders(festival_lines(users))
    clean = prepare(f"sqlite:///{tmp_path / 'clean.db'}", users, tmp_path, fake.url, "clean")
    assert main(["--config", clean, "sync", "--quiet"]) == 0
    expected = snapshot(clean)
    assert expected["counts"]["purchase_match"] == LINES
    assert {status for _, status, _ in expected["matches"]} >= {"linked", "unmatched"}

    killed = prepare(db_url, users, tmp_path, fake.url, "killed")
    held = indexes(killed)
    child = subprocess.run([sys.executable, "-c", CHILD, *KILL_POINTS[point], "--config", killed, "sync", "--quiet"],
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == -9, child.stderr
    assert indexes(killed) < held or dbmod.is_postgres()  # SQLite: killed with the indexes set aside
    if point.startswith("during import"):
        dbmod.open_database(db_url, upgrade=False)
        assert Purchase.select().count() == 100
        dbmod.database.close()
    assert main(["--config", killed, "sync", "--quiet"]) == 0, capsys.readouterr()
    assert snapshot(killed) == expected and indexes(killed) == held


@pytest.mark.parametrize("point", list(CHANGE_KILL_POINTS))
def test_a_resync_of_changed_lines_killed_anywhere_is_finished_by_the_next_one(point, fake, db_url, tmp_path,
                                                                                 capsys):
    users = generate_users(USERS, seed=11)
    fake.dataset.add_orders(festival_lines(users))
    clean = prepare(f"sqlite:///{tmp_path / 'clean.db'}", users, tmp_path, fake.url, "clean")
    killed = prepare(db_url, users, tmp_path, fake.url, "killed")
    for config in (clean, killed):
        assert main(["--config", config, "sync", "--quiet"]) == 0
    before = snapshot(clean)
    changed = change_lines(fake, users)
    assert main(["--config", clean, "sync", "--quiet"]) == 0
    assert f"{changed} changed" in capsys.readouterr().out
    expected = snapshot(clean)
    assert expected["counts"]["purchase_version"] == changed
    assert expected["owners"] != before["owners"] and expected["matches"] != before["matches"]

    child = subprocess.run([sys.executable, "-c", CHILD, *CHANGE_KILL_POINTS[point], "--config", killed, "sync",
                            "--quiet"], capture_output=True, text=True, timeout=120)
    assert child.returncode == -9, child.stderr
    if point.startswith("while storing"):
        dbmod.open_database(_url_of(killed), upgrade=False)
        assert Purchase.select().where(Purchase.version == 2).count() == 5  # the first batch, whole
        dbmod.database.close()
    assert main(["--config", killed, "sync", "--quiet"]) == 0, capsys.readouterr()
    assert snapshot(killed) == expected
