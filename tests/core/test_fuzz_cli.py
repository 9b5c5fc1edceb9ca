"""Fuzzing every verb of ``gbetix`` that works on the database: done, or a one-line refusal, and no row changed by it.

The verbs that start servers, the app or a sync (fake-bpt, demo, tui, sync)
are left out; their input is their config, fuzzed in test_fuzz_config.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbetix_core import db as dbmod
from gbetix_core.demo.festival import build_festival
from gbetix_core.models import ALL_MODELS, Claim
from gbetix_core.people.staff import add_staff
from tests.fuzz_support import assert_success_or_refusal, run_cli, values

V = object()  # where a drawn value goes
VERBS = (
    ("link", "--user", V, "--event", V), ("link", "--session", V, "--event", V), ("bind", V, V),
    ("tokens", "export", "--event", V), ("match", "--ticket", V), ("status", V), ("export", "matches", "--format", V),
    ("report", V, "--format", V), ("report", "door", "--from", V, "--to", V, "--performance", V),
    ("cancel", V, "--reason", V, "--as", V), ("staff", "add", V, "--role", V, "--as", V),
    ("staff", "passwd", V, "--as", V), ("staff", "disable", V, "--as", V), ("staff", "list"), ("users", "import", V),
    ("db", "status"), ("init", "--admin", V), ("checkin", V, V, "--as", V), ("claim", V, V, V),
    ("decide", "undo", V, "--as", V, "--reason", V), ("sell", V, V, "--payment", V, "--as", V),
)
KNOWN = st.sampled_from(["Ada Admin", "Dana Door", "door", "admin", "1", "4412001", "text", "csv", "sales", "#1"])


@pytest.fixture
def config(db, db_url, tmp_path, monkeypatch) -> str:
    with dbmod.write():
        build_festival()
    add_staff("Dana Door", "door", by=add_staff("Ada Admin", "admin"))
    monkeypatch.setenv("GBETIX_PIN", "2468")
    path = tmp_path / "gbetix.toml"
    path.write_text(f'[database]\nurl = "{db_url}"\n[tokens]\nsecret = "{"k" * 32}"\n')
    return str(path)


def rows() -> list[int]:
    return [model.select().count() for model in ALL_MODELS if model is not Claim]


@given(verb=st.sampled_from(VERBS), drawn=st.lists(KNOWN | values(), min_size=8, max_size=8))
def test_every_verb_is_done_or_refused_in_one_line_and_refusing_changes_nothing(config, capsys, verb, drawn):
    fill = iter(drawn)
    argv = [next(fill) if part is V else part for part in verb]
    before = rows()
    code, err = run_cli(capsys, "--config", config, *argv)
    assert_success_or_refusal(code, err)
    if code != 0:
        assert rows() == before, argv
