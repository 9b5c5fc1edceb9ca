"""The setup verbs as a newcomer tries them: init, users import, staff add, db status, demo."""

import subprocess
import sys

import pytest

from gbetix_core import db as dbmod
from gbetix_core.cli import main
from gbetix_core.models import Performance, Show, Staff, User

HEADER = "username,first_name,last_name,email,phone,purchase_email\n"


@pytest.fixture
def config_file(tmp_path, db_url):
    """A config file pointing at a fresh database of each backend."""
    path = tmp_path / "gbetix.toml"
    path.write_text(f'[database]\nurl = "{db_url}"\n')
    return path


def gbetix(config_file, *argv) -> int:
    code = main(["--config", str(config_file), *argv])
    dbmod.open_database(_url(config_file), upgrade=False)
    return code


def _url(config_file) -> str:
    return config_file.read_text().split('"')[1]


def test_init_creates_the_special_accounts_once(config_file, capsys):
    assert gbetix(config_file, "init") == 0
    assert gbetix(config_file, "init") == 0
    assert "database ready" in capsys.readouterr().out
    assert sorted(u.special for u in User.select().where(User.special.is_null(False))) == ["anonymous", "daemon", "walkup"]


def test_users_import_reports_counts(config_file, tmp_path, capsys):
    csv_path = tmp_path / "users.csv"
    csv_path.write_text(HEADER + "rosa,Rosa,Delgado,rosa@example.org,,\n")
    assert gbetix(config_file, "users", "import", str(csv_path)) == 0
    assert "1 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert User.get(User.username == "rosa").first_name == "Rosa"


def test_a_bad_csv_exits_2_naming_the_line_and_writes_nothing(config_file, tmp_path, capsys):
    csv_path = tmp_path / "users.csv"
    csv_path.write_text(HEADER + "rosa,Rosa,Delgado,rosa@example.org,,\nbob,Bob,Smith,bob(at)example.org,,\n")
    assert gbetix(config_file, "users", "import", str(csv_path)) == 2
    assert "line 3: email 'bob(at)example.org' is not an email address" in capsys.readouterr().err
    assert not User.select().where(User.username.in_(["rosa", "bob"])).exists()


@pytest.mark.parametrize("name, problem", [("nope.csv", "file not found"), ("x" * 300 + ".csv", "File name too long"),
                                           ("~nosuchuser/users.csv", "no home folder is known for ~nosuchuser")])
def test_a_csv_that_cannot_be_read_exits_2_in_one_line(config_file, tmp_path, capsys, name, problem):
    path = name if name.startswith("~") else str(tmp_path / name)
    assert gbetix(config_file, "users", "import", path) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and problem in err


def test_staff_add_then_change_role(config_file, capsys, monkeypatch):
    monkeypatch.setenv("GBETIX_PIN", "2468")
    assert gbetix(config_file, "staff", "add", "Ada", "--role", "admin") == 0
    assert gbetix(config_file, "staff", "add", "Dana", "--role", "door", "--as", "Ada") == 0
    assert gbetix(config_file, "staff", "add", "Dana", "--role", "manager", "--as", "Ada") == 0
    assert Staff.get(Staff.name == "Dana").role == "manager"
    assert gbetix(config_file, "staff", "list") == 0
    assert "Dana" in capsys.readouterr().out


def test_a_wrong_role_exits_2(config_file):
    with pytest.raises(SystemExit) as raised:
        main(["--config", str(config_file), "staff", "add", "Dana", "--role", "boss"])
    assert raised.value.code == 2


def test_demo_builds_a_festival_with_2000_users(tmp_path, capsys):
    assert main(["demo", "--no-tui"]) == 0
    assert "demo database created" in capsys.readouterr().out
    assert main(["demo", "--no-tui"]) == 0
    assert "demo database reused" in capsys.readouterr().out
    path = tmp_path / "data" / "demo" / "gbetix-demo.db"
    dbmod.open_database(f"sqlite:///{path}", upgrade=False)
    assert User.select().where(User.special.is_null()).count() == 2000
    assert Show.select().count() == 4
    assert Performance.select().count() == 5
    assert Staff.select().count() == 4


def cli(*argv) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gbetix_core.cli", *argv], capture_output=True, text=True)


def test_db_status_shows_pending_migrations_until_init(tmp_path):
    config = tmp_path / "gbetix.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "fresh.db"}"\n')
    pending = cli("--config", str(config), "db", "status")
    assert pending.returncode == 1
    assert "[ ] 0001_initial" in pending.stdout
    assert cli("init", "--config", str(config)).returncode == 0
    current = cli("db", "status", "--config", str(config))
    assert current.returncode == 0, current.stderr
    assert "[x] 0001_initial" in current.stdout


def test_the_command_leaves_with_mains_exit_code_and_all_of_its_output(tmp_path):
    """``gbetix`` skips the interpreter's teardown (os._exit): what main() printed must all be out first."""
    from gbetix_core.cli import build_parser

    helped = cli("--help")
    assert (helped.returncode, helped.stdout) == (0, build_parser().format_help())
    refused = cli("no-such-verb")
    assert refused.returncode == 2 and "invalid choice" in refused.stderr
    config = tmp_path / "gbetix.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "fresh.db"}"\n')
    missing = cli("--config", str(config), "users", "import", str(tmp_path / "absent.csv"))
    assert missing.returncode == 2 and missing.stderr.startswith("gbetix: error:") and "Traceback" not in missing.stderr


def test_leaving_waits_for_a_thread_still_at_work(tmp_path):
    """Python's own exit waits for non-daemon threads; leaving by os._exit must too, or a batch being stored
    would be cut off."""
    done = tmp_path / "done"
    script = ("import threading, time\nfrom gbetix_core.cli import leave\n"
              f"threading.Thread(target=lambda: (time.sleep(0.3), open({str(done)!r}, 'w').write('x'))).start()\n"
              "leave(3)\n")
    left = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert left.returncode == 3 and done.read_text() == "x"
