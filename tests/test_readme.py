"""The README's two commands are the ones CI and newcomers run."""

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]


def readme_commands() -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)\n```", (ROOT / "README.md").read_text(), re.DOTALL)
    return [b for b in blocks if "pip install -e" in b and "\n" not in b]


def test_the_readme_gives_one_command_to_open_the_demo_and_one_to_test():
    demo, tests = readme_commands()[:2]
    assert demo.endswith("gbetix demo")
    assert "pytest" in tests


def test_ci_runs_the_readmes_test_command_verbatim():
    test_command = readme_commands()[1]
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert test_command in ci_lines
