"""The headless core must never pull in Textual: scripts and workers import it without a terminal."""

import subprocess
import sys

PROBE = """
import pkgutil, importlib, sys
import gbetix_core
for info in pkgutil.walk_packages(gbetix_core.__path__, "gbetix_core."):
    if ".migrations." in info.name or info.name.endswith("__main__"):
        continue
    importlib.import_module(info.name)
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith(("textual.", "gbetix_tui")))
print(",".join(loaded))
"""


def test_importing_every_core_module_loads_no_textual():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
