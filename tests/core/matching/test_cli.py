"""The matching verbs of ``gbetix``: links, match, claim, status, exports, decisions; bad values exit 2."""

import csv
import io
import json

import pytest

from gbetix_core.cli import main
from gbetix_core.matching import tokens
from gbetix_core.models import PurchaseToken

from tests.core.matching.festival import SECRET, order


@pytest.fixture
def cli(festival, db_url, tmp_path, monkeypatch):
    config = tmp_path / "gbetix.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n[tokens]\nsecret = "{SECRET}"\n')
    monkeypatch.setenv("GBETIX_CONFIG", str(config))
    return festival


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_link_for_a_user_and_for_a_session(cli, capsys):
    code, out, _ = run(capsys, "link", "--user", "bob", "--event", "4410001")
    tracker = out.split()[0]
    assert code == 0 and tokens.parse(SECRET.encode(), tracker).user_id == cli.users["bob"].id
    assert f"/event/{tracker}/4410001/" in out
    code, out, _ = run(capsys, "link", "--session", "sess-9", "--event", "4410001")
    assert code == 0 and PurchaseToken.get(PurchaseToken.session_id == "sess-9").tracker == out.split()[0]


def test_bad_values_exit_2_and_write_nothing(cli, capsys):
    assert run(capsys, "link", "--user", "bob", "--event", "gbe")[0] == 2
    assert run(capsys, "link", "--user", "nobody", "--event", "1")[0] == 2
    assert run(capsys, "link", "--session", "", "--event", "1")[0] == 2
    for argv in (["link", "--session", "\x00", "--event", "1"], ["bind", "a\x00b", "bob"],
                 ["link", "--session", "s-1", "--event", "1", "--user-agent", "Firefox\x00"]):
        code, _, err = run(capsys, *argv)  # found by Hypothesis: PostgreSQL refuses a NUL with a traceback
        assert code == 2 and "control character" in err and err.count("\n") == 1
    with pytest.raises(SystemExit) as exit_:
        main(["export", "matches", "--format", "xml"])
    assert exit_.value.code == 2
    code, _, err = run(capsys, "decide", "undo", "abc", "--as", "Ada Admin", "--reason", "x")
    assert code == 2 and "decision number 'abc': must be a whole number" in err
    code, _, err = run(capsys, "decide", "undo", "99999999999999999999", "--as", "Ada Admin", "--reason", "x")
    assert code == 2 and "must be between 1 and 2147483647" in err
    assert run(capsys, "decide", "split", "K1", "--as", "Ada Admin", "--reason", "x")[0] == 2
    assert not PurchaseToken.select().exists()


def test_match_claim_status_and_export(cli, capsys):
    cli.buy(order("K500", "Alice", "Jones", "alice.jones@gmail.com"), order("K501", "Rosa", "Delgado", "r@x.example"),
            order("K502", "Amy", "Lee", "amy@elsewhere.example"))
    code, out, _ = run(capsys, "match")
    assert code == 0 and "3 purchases: 1 linked" in out
    code, out, _ = run(capsys, "claim", "amy", "K502", "Smith")
    assert code == 1 and "No purchase K502" in out
    assert run(capsys, "claim", "amy", "K502", "lee")[0] == 0
    code, out, _ = run(capsys, "status", "amy")
    assert "purchase K502" in out
    code, out, _ = run(capsys, "export", "matches", "--format", "json")
    records = {r["ticket_number"]: r for r in json.loads(out)}
    assert records["K500"]["status"] == "matched" and records["K500"]["user"] == "alice"
    assert records["K501"]["status"] == "candidate" and records["K501"]["user"] is None
    assert [c["user"] for c in records["K501"]["candidates"]] == ["rosa1", "rosa2"]
    assert records["K502"]["method"] == "claim"
    code, out, _ = run(capsys, "export", "matches", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    reasons = json.loads(rows[1]["candidates"])[0]["reasons"]
    assert len(rows) == 3 and [r.split(":")[0] for r in reasons] == ["given name agrees", "surname agrees", "email differs"]


def test_admin_decisions_from_the_command_line(cli, capsys):
    cli.buy(order("K503", "Rosa", "Delgado", "r@x.example"))
    run(capsys, "match")
    code, out, _ = run(capsys, "decide", "accept", "K503", "rosa1", "--as", "Ada Admin", "--reason", "ID checked")
    assert code == 0 and "linked to rosa1" in out
    code, _, err = run(capsys, "decide", "assign", "K503", "amy", "--as", "Manny Manager", "--reason", "x")
    assert code == 3 and "admin" in err
    code, out, _ = run(capsys, "decide", "undo", out.split()[1].rstrip(":"), "--as", "Ada Admin", "--reason", "oops")
    assert code == 0 and "waiting with candidates" in out


def test_tokens_export_writes_one_row_per_user(cli, capsys, tmp_path):
    target = tmp_path / "trackers.csv"
    assert run(capsys, "tokens", "export", "--event", "4410001", "--output", str(target))[0] == 0
    rows = list(csv.DictReader(target.open()))
    assert len(rows) == len(cli.users)
    bob = next(r for r in rows if r["username"] == "bob")
    assert tokens.parse(SECRET.encode(), bob["tracker"]).user_id == cli.users["bob"].id


@pytest.mark.parametrize("where", ["x" * 300 + ".csv", "x" * 300 + "/trackers.csv", "/proc/trackers.csv"])
def test_an_output_file_the_system_refuses_exits_2_in_one_line(cli, capsys, tmp_path, where):
    """A name too long, a folder nothing may be written in: once tracebacks."""
    target = where if where.startswith("/") else str(tmp_path / where)
    code, _, err = run(capsys, "tokens", "export", "--event", "4410001", "--output", target)
    assert code == 2 and err.count("\n") == 1 and err.startswith("gbetix: error: --output ")


def test_a_session_link_then_bind_links_the_purchase(cli, capsys):
    code, out, _ = run(capsys, "link", "--session", "sess-77", "--event", "4410001", "--user-agent", "Firefox/140")
    cli.buy(order("K504", "Lizzie", "Hall", "lh@elsewhere.example", tracker=out.split()[0]))
    run(capsys, "match")
    code, out, _ = run(capsys, "bind", "sess-77", "liz")
    assert code == 0 and "1 linked" in out
    assert cli.match("K504").user.username == "liz"
    assert run(capsys, "bind", "sess-unknown", "liz")[0] == 2
