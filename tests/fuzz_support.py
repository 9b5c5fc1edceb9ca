"""What the property-based (fuzz) tests share: Hypothesis settings, hostile values, and the one allowed way to fail.

Importing this module loads the ``gbetix`` Hypothesis profile: no example
database (nothing is written into the repository; a failure prints its
example, which is then kept as an ordinary regression test), no deadline (the
machine is shared and the database is real), and few examples per test so the
whole fuzz suite stays within tens of seconds. Database fixtures are set up
once per test and shared by its examples; each example checks that a refusal
left the rows as they were. To hunt for more, run with
``GBETIX_FUZZ_PROFILE=gbetix-long`` (400 examples per test).
"""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from gbetix_core.cli import main

settings.register_profile(
    "gbetix",
    database=None,
    deadline=None,
    max_examples=20,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile("gbetix-long", parent=settings.get_profile("gbetix"), max_examples=400)
settings.load_profile(os.environ.get("GBETIX_FUZZ_PROFILE", "gbetix"))

NASTY = (
    "", " ", "%", "_", "*", "Gen%", "General_Admission", "\x00", "a\x00b", "tab\there", "line\nbreak", "9" * 25,
    "-1", "0", "1", "2147483648", "nan", "NaN", "inf", "-inf", "1e20", "99999999999", "12.345", "x" * 300,
    "Ada Admin ", "\u0410da Admin", "caf\u00e9", "'; DROP TABLE staff; --", "#1", "#99999999999999999999",
    "K48213001", "General Admission", "general admission", "Student", "amy", "Lee", "@", "a@b.c",
)
REFUSAL = re.compile(r"^gbetix( [a-z-]+)*: (error: .+|interrupted)$")


def values(max_size: int = 40) -> st.SearchStrategy[str]:
    """Text a person, a file or BPT might send: known troublemakers, numbers of every size, any characters."""
    return st.one_of(
        st.sampled_from(NASTY),
        st.text(max_size=max_size),
        st.integers().map(str),
        st.floats().map(str),
        st.decimals().map(str),
    )


def run_cli(capsys, *argv: str) -> tuple[int, str]:
    """Run ``gbetix`` in this process; its exit code and what it told the person (argparse exits by SystemExit).

    What it told is standard error, or for a refused claim (exit 1 by design) the one-line answer it printed.
    """
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    out = capsys.readouterr()
    return code, out.err or (f"gbetix: error: {out.out}" if code == 1 and out.out.count("\n") == 1 else "")


def assert_success_or_refusal(code: int, err: str, codes: tuple[int, ...] = (0, 1, 2, 3, 4)) -> None:
    """The only outcomes allowed: done, or a refusal whose last line says why, with its exit code."""
    assert code in codes, (code, err)
    if code == 0:
        return
    lines = err.strip().splitlines()
    assert lines and REFUSAL.match(lines[-1]), err
    assert sum("error:" in line for line in lines) == 1 and "Traceback" not in err, err
