"""Signing keys and files with personal data: short keys are refused, private files are 0600."""

import stat

from gbetix_core.cli import main
from tests.core.matching.festival import SECRET
from tests.core.matching.test_cli import cli, run  # noqa: F401 (cli is a fixture)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def use_config(tmp_path, monkeypatch, db_url, tokens: str):
    config = tmp_path / "keys.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n[tokens]\n{tokens}\n')
    monkeypatch.setenv("GBETIX_CONFIG", str(config))


def test_an_empty_or_short_key_file_is_refused_with_exit_2(cli, capsys, tmp_path, monkeypatch, db_url):
    key = tmp_path / "short.key"
    for content in (b"", b"0123456789abcdef0123456789abcde\n"):
        key.write_bytes(content)
        use_config(tmp_path, monkeypatch, db_url, f'secret_file = "{key}"')
        code, out, err = run(capsys, "link", "--user", "bob", "--event", "4410001")
        assert (code, out) == (2, "") and f"holds {len(content.strip())} bytes; a key needs at least 32" in err


def test_a_short_secret_in_the_config_is_refused_with_exit_2(cli, capsys, tmp_path, monkeypatch, db_url):
    use_config(tmp_path, monkeypatch, db_url, 'secret = "only-thirty-one-bytes-long-key!"')
    code, _, err = run(capsys, "tokens", "export", "--event", "4410001")
    assert code == 2 and "[tokens] secret: must be at least 32 bytes" in err


def test_a_generated_key_file_is_private_and_long(cli, capsys, tmp_path, monkeypatch, db_url):
    key = tmp_path / "made" / "token.key"
    use_config(tmp_path, monkeypatch, db_url, f'secret_file = "{key}"')
    assert run(capsys, "link", "--user", "bob", "--event", "4410001")[0] == 0
    assert mode(key) == 0o600 and len(key.read_bytes().strip()) == 64


def test_a_tracker_export_is_private_even_over_a_world_readable_file(cli, capsys, tmp_path):
    out = tmp_path / "trackers.csv"
    out.write_text("old\n")
    out.chmod(0o644)
    assert main(["tokens", "export", "--event", "4410001", "--output", str(out)]) == 0
    assert mode(out) == 0o600 and out.read_text().startswith("username,tracker")
    assert main(["export", "matches", "--format", "csv", "--output", str(tmp_path / "m.csv")]) == 0
    assert mode(tmp_path / "m.csv") == 0o600
    assert SECRET not in out.read_text()


def test_an_export_to_a_folder_exits_2(cli, capsys, tmp_path):
    code, _, err = run(capsys, "tokens", "export", "--event", "4410001", "--output", str(tmp_path))
    assert code == 2 and "is a folder" in err


def test_a_new_sqlite_database_and_the_app_log_are_private(tmp_path, capsys):
    from gbetix_tui import logs

    config = tmp_path / "new.toml"
    config.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "new.db"}"\n')
    assert main(["--config", str(config), "init"]) == 0
    assert mode(tmp_path / "new.db") == 0o600
    logs.configure(tmp_path / "logs" / "gbetix.log")
    assert mode(tmp_path / "logs" / "gbetix.log") == 0o600
