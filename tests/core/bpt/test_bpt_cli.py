"""``gbetix sync`` and ``gbetix fake-bpt`` from the command line: exit codes and what they print."""

import io

import pytest

from gbetix_core import db
from gbetix_core.bpt.fake.dataset import load
from gbetix_core.bpt.fake.server import start_fake_bpt
from gbetix_core.cli import main
from gbetix_core.demo.festival import build_festival
from gbetix_core.demo.people import generate_users, users_csv
from gbetix_core.models import PurchaseMatch
from gbetix_core.people.users_import import import_users
from tests.bpt_support import dataset, line


@pytest.fixture
def festival_config(tmp_path):
    """A config file on a fresh SQLite festival with 50 registered users."""
    url = f"sqlite:///{tmp_path / 'festival.db'}"
    database = db.open_database(url)
    with db.write():
        build_festival()
    import_users(io.StringIO(users_csv(generate_users(50))))
    database.close()

    def write(base_url: str = "http://127.0.0.1:9", developer_id: str = "gbetix-demo") -> str:
        path = tmp_path / "gbetix.toml"
        path.write_text(f'[database]\nurl = "{url}"\n[bpt]\nbase_url = "{base_url}"\n'
                        f'developer_id = "{developer_id}"\nretries = 0\n')
        return str(path)

    return write


def test_sync_imports_matches_then_finds_everything_unchanged(festival_config, tmp_path, capsys):
    fake = start_fake_bpt(dataset([line(n) for n in range(3)]))
    try:
        config = festival_config(fake.url)
        assert main(["--config", config, "sync", "--quiet"]) == 0
        assert "ok: 3 new, 0 unchanged" in capsys.readouterr().out
        assert main(["--config", config, "sync"]) == 0
        out = capsys.readouterr()
        assert "ok: 0 new, 3 unchanged" in out.out and "import event 4412001" in out.err
    finally:
        fake.stop()
    database = db.open_database(f"sqlite:///{tmp_path / 'festival.db'}")
    assert PurchaseMatch.select().count() == 3
    database.close()


def test_sync_refused_by_the_vendor_exits_5_with_the_note(festival_config, capsys):
    fake = start_fake_bpt(dataset([line(1)]))
    try:
        assert main(["--config", festival_config(fake.url, developer_id="wrong"), "sync", "--quiet"]) == 5
        assert "Invalid developer ID (code 100003)" in capsys.readouterr().out
    finally:
        fake.stop()


def test_fake_bpt_generates_buyers_from_the_registered_users_and_saves_them(festival_config, tmp_path, capsys):
    config = festival_config()
    assert main(["--config", config, "fake-bpt", "--generate", "40", "--save", str(tmp_path / "set")]) == 0
    saved = load(tmp_path / "set")
    assert len(saved.orders) == 40
    assert len({o["ticket_number"] for o in saved.orders}) == 40
    assert {o["event_id"] for o in saved.orders} == {"4412001"}
    assert main(["--config", config, "fake-bpt", "--data", str(tmp_path / "set"), "--save",
                 str(tmp_path / "copy")]) == 0
    assert load(tmp_path / "copy").orders == saved.orders


def test_fake_bpt_without_users_to_sell_to_says_what_to_do(tmp_path, capsys):
    path = tmp_path / "empty.toml"
    path.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "empty.db"}"\n')
    assert main(["--config", str(path), "fake-bpt", "--generate", "5"]) == 2
    assert "no registered users" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["fake-bpt", "--generate", "5", "--port", "70000"],
    ["fake-bpt", "--generate", "0"],
    ["fake-bpt", "--generate", "5", "--fail-rate", "2"],
    ["fake-bpt", "--generate", "5", "--data", "x"],
    ["fake-bpt"],
])
def test_bad_fake_bpt_arguments_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2


def test_a_missing_dataset_folder_exits_2(tmp_path, capsys):
    assert main(["fake-bpt", "--data", str(tmp_path / "nothing")]) == 2
    assert "not a fake BPT dataset" in capsys.readouterr().err
