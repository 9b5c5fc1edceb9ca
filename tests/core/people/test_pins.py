"""Outside the tests, a PIN is hashed at OWASP's minimum Argon2id cost (the tests lower it in conftest)."""

import subprocess
import sys

from argon2 import Type, extract_parameters

from gbetix_core.people.pins import pin_matches

PROBE = "from gbetix_core.people.pins import hash_pin; print(hash_pin('2468'))"


def test_a_pin_hashed_by_gbetix_itself_costs_19_mib_and_two_passes():
    stored = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout.strip()
    cost = extract_parameters(stored)
    assert (cost.type, cost.memory_cost, cost.time_cost, cost.parallelism) == (Type.ID, 19 * 1024, 2, 1)
    assert pin_matches(stored, "2468") and not pin_matches(stored, "2469")
