"""``gbetix tui`` refuses an operator who does not exist before it takes over the terminal."""

from __future__ import annotations

import subprocess
import sys

from gbetix_core.cli import main


def test_an_unknown_operator_exits_2_with_a_clear_message(tmp_path, db_url, capsys):
    config = tmp_path / "gbetix.toml"
    config.write_text(f'[database]\nurl = "{db_url}"\n')
    assert main(["--config", str(config), "tui", "--as", "Nobody Here"]) == 2
    assert "No active staff member called 'Nobody Here'" in capsys.readouterr().err


def test_the_tui_verb_is_listed_without_loading_textual():
    probe = ("import sys; from gbetix_core.cli import build_parser; build_parser(); "
             "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
