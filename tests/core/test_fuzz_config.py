"""Fuzzing the config file: any bytes, any setting, any value: loaded, or refused in one line with exit 2."""

from __future__ import annotations

import dataclasses
import json
import math

from hypothesis import given
from hypothesis import strategies as st

from gbetix_core import config
from gbetix_core.errors import ConfigError
from tests.fuzz_support import assert_success_or_refusal, run_cli, values

KEYS = [(section, f.name) for section, cls in config.SECTIONS.items() for f in dataclasses.fields(cls)]
SCALARS = st.one_of(values(), st.integers(), st.floats(), st.booleans())
VALUE = SCALARS | st.lists(SCALARS, max_size=3)


def toml_value(value) -> str:
    """A TOML literal for a value (JSON's escapes are TOML's for strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return json.dumps(value)


@given(settings=st.lists(st.tuples(st.sampled_from(KEYS), VALUE), max_size=4, unique_by=lambda kv: kv[0]))
def test_any_setting_with_any_value_loads_or_names_the_key(tmp_path_factory, settings):
    path = tmp_path_factory.mktemp("cfg") / "gbetix.toml"
    sections: dict[str, list[str]] = {}
    for (section, key), value in settings:
        sections.setdefault(section, []).append(f"{key} = {toml_value(value)}")
    path.write_text("".join(f"[{name}]\n" + "\n".join(lines) + "\n" for name, lines in sections.items()))
    try:
        loaded = config.load(path)
    except ConfigError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(str(path))
        return
    for section in config.SECTIONS:
        assert not getattr(loaded, section).check()


@given(content=st.binary(max_size=120) | st.text(max_size=120).map(str.encode))
def test_any_bytes_as_the_config_file_exit_0_or_2_in_one_line(tmp_path_factory, capsys, content):
    path = tmp_path_factory.mktemp("cfg") / "gbetix.toml"
    path.write_bytes(content)
    code, err = run_cli(capsys, "--config", str(path), "staff", "list")
    assert_success_or_refusal(code, err, codes=(0, 2))
