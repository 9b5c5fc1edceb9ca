"""config.example.toml documents every setting, and its values are the defaults."""

import dataclasses
import re
import tomllib
from pathlib import Path

from gbetix_core import config

EXAMPLE = Path(__file__).parents[2] / "config.example.toml"


def test_the_example_loads_and_matches_the_defaults():
    loaded = config.load(EXAMPLE)
    defaults = config.Config()
    for name in config.SECTIONS:
        assert getattr(loaded, name) == getattr(defaults, name), name


def test_every_setting_is_documented():
    text = EXAMPLE.read_text()
    documented = set(re.findall(r"^#? ?([a-z_]+) = ", text, re.MULTILINE))
    for name, section in config.SECTIONS.items():
        assert f"[{name}]" in text
        for field in dataclasses.fields(section):
            assert field.name in documented, f"[{name}] {field.name} is not in config.example.toml"
    assert tomllib.loads(text)
