"""A bad config names the file, the key and the problem; a good one is read exactly."""

import pytest

from gbetix_core import config
from gbetix_core.cli import main
from gbetix_core.errors import ConfigError


def write(tmp_path, text):
    path = tmp_path / "gbetix.toml"
    path.write_text(text)
    return path


def test_defaults_put_the_database_in_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("GBETIX_DATA_DIR", str(tmp_path))
    loaded = config.load(None)
    assert loaded.database_url == f"sqlite:///{tmp_path / 'gbetix.db'}"
    assert loaded.token_secret_file == tmp_path / "token.key"


def test_a_full_file_is_read(tmp_path):
    path = write(tmp_path, """
data_dir = "%s"
[database]
url = "postgresql://postgres@127.0.0.1:5432/gbe"
[bpt]
event_ids = ["4821977", 12]
poll_interval = 60
order_time_zone = "America/New_York"
[matching]
auto_link = 0.95
""" % tmp_path)
    loaded = config.load(path)
    assert loaded.database_url.endswith("/gbe")
    assert loaded.bpt.event_ids == ("4821977", "12")
    assert loaded.bpt.poll_interval == 60.0
    assert loaded.matching.auto_link == 0.95
    assert loaded.data_dir == tmp_path


@pytest.mark.parametrize("text, expected", [
    ("[bpt]\npoll_interval = 'often'", "[bpt] poll_interval: must be a number"),
    ("[bpt]\npoll_interval = 0", "[bpt] poll_interval: must be more than zero"),
    ("[bpt]\norder_time_zone = 'Mars/Olympus'", "[bpt] order_time_zone: unknown time zone"),
    ("[bpt]\ncolour = 'red'", "[bpt] colour: unknown setting"),
    ("[database]\nurl = 'mysql://x'", "[database] url: must start with"),
    ("[matching]\ncandidate_min = 0.95", "[matching] candidate_min: must be below auto_link"),
    ("[printer]\nname = 'x'", "[printer]: unknown section"),
    ("[bpt\n", "not valid TOML"),
    ("[mail]\nbackend = 'carrier-pigeon'", "[mail] backend: must be one of outbox-only, smtp"),
    ("[mail]\nsecurity = 'ssl'", "[mail] security: must be one of starttls, tls, none"),
    ("[mail]\nsender = 'box office'", "[mail] sender: must be an email address"),
    ("[mail]\nper_hour = 0", "[mail] per_hour: must be at least 1"),
    ("[mail]\ntemplates = '/no/such/folder'", "[mail] templates: '/no/such/folder' is not a folder"),
    # Paths the system refuses outright were tracebacks (found by the config fuzz test).
    ("[mail]\ntemplates = '" + "x" * 300 + "'", "is not a folder (File name too long)"),
    ("[mail]\ntemplates = '~nosuchuser/t'", "[mail] templates: no home folder is known for ~nosuchuser"),
    ("[tokens]\nsecret_file = '~nosuchuser/k'", "[tokens] secret_file: no home folder is known for ~nosuchuser"),
    ("data_dir = '~nosuchuser/data'", "data_dir: no home folder is known for ~nosuchuser"),
    ("[boxoffice]\ntime_zone = '" + "x" * 300 + "'", "[boxoffice] time_zone: unknown time zone"),
    ("[mail]\npassword = 'hunter2'", "[mail] password: unknown setting"),
])
def test_a_bad_file_names_the_file_key_and_problem(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        config.load(path)
    assert str(path) in str(raised.value)
    assert expected in str(raised.value)


def test_the_cli_exits_2_on_a_bad_config(tmp_path, capsys):
    path = write(tmp_path, "[bpt]\nretries = -1\n")
    assert main(["--config", str(path), "init"]) == 2
    err = capsys.readouterr().err
    assert f"gbetix: error: {path}: [bpt] retries: must be zero or more" in err
    assert not (tmp_path / "data" / "gbetix.db").exists()


def test_a_missing_config_file_exits_2(tmp_path, capsys):
    assert main(["init", "--config", str(tmp_path / "nope.toml")]) == 2
    assert "file not found" in capsys.readouterr().err


@pytest.mark.parametrize("url, expected", [
    ("sqlite:///~nosuchuser/gbetix.db", "no home folder is known for ~nosuchuser"),
    ("sqlite:////tmp/" + "y" * 300 + ".db", "cannot create the database file: File name too long"),
])
def test_a_database_file_the_system_refuses_exits_2_in_one_line(tmp_path, capsys, url, expected):
    path = write(tmp_path, f"[database]\nurl = '{url}'\n")
    assert main(["--config", str(path), "staff", "list"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and expected in err and "Traceback" not in err


@pytest.mark.parametrize("name", ["~nosuchuser/gbetix.toml", "/tmp/" + "z" * 300 + ".toml"])
def test_a_config_path_the_system_refuses_exits_2_in_one_line(capsys, name):
    assert main(["--config", name, "staff", "list"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith(f"gbetix: error: {name}: ")
