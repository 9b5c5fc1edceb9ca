"""A users CSV with values no column can hold: refused with the line and field, on both databases, nothing written."""

import pytest

from gbetix_core.models import User
from tests.core.test_cli_setup import HEADER, config_file, gbetix  # noqa: F401 (config_file is a fixture)


@pytest.mark.parametrize("row, message", [
    ("zz\x00top,Z,Z,zz@example.org,,\n", "line 2: username 'zz\\x00top': has a control character"),
    ("rosa,Rosa,Delgado,rosa@example.org,,\nlong," + "L" * 10_000 + ",X,l@example.org,,\n",
     "line 3: first_name 'LLLL"),
    ("rosa,Ro\x00sa,Delgado,rosa@example.org,,\n", "line 2: first_name 'Ro\\x00sa': has a control character"),
    ("zzonly\n", "line 2: 1 field(s); the header has 6"),
    ("rosa,Rosa,Delgado,rosa@example.org,,,x\n", "line 2: 7 fields; the header has 6"),
])
def test_a_row_no_column_can_hold_exits_2_and_writes_nothing(config_file, tmp_path, capsys, row, message):
    path = tmp_path / "users.csv"
    path.write_text(HEADER + row, encoding="utf-8")
    assert gbetix(config_file, "users", "import", str(path)) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not User.select().where(User.special.is_null()).exists()


def test_a_folder_given_as_the_users_file_exits_2(config_file, tmp_path, capsys):
    assert gbetix(config_file, "users", "import", str(tmp_path)) == 2
    assert "users file" in capsys.readouterr().err


@pytest.mark.parametrize("content, message", [
    (b'[bpt]\nbase_url = "http://"\n', "[bpt] base_url: names no host"),
    (b'[bpt]\nbase_url = "http://127.0.0.1:70000"\n', "[bpt] base_url: has a port that is not a number"),
    (b"[bpt]\nread_timeout = nan\n", "[bpt] read_timeout: must be a finite number"),
    (b"[bpt]\npoll_interval = inf\n", "[bpt] poll_interval: must be a finite number"),
    (b"[bpt]\nretries = 99999999999999999999\n", "[bpt] retries: must be at most 2147483647"),
    (b"[bpt]\nretries = 9999999999\n", "[bpt] retries: must be at most 2147483647"),
    (b'[bpt]\nclient = "caf\xe9"\n', "not UTF-8 text"),
    (b'[database]\nurl = "postgresql://db:99999/gbetix"\n', "[database] url: has a port"),
])
def test_a_config_value_no_setting_can_use_exits_2(tmp_path, capsys, content, message):
    from gbetix_core.cli import main

    path = tmp_path / "bad.toml"
    path.write_bytes(content)
    assert main(["--config", str(path), "db", "status"]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
