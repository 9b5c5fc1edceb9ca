"""Staff names a person can tell apart: one spelling per account, no look-alikes.

"Ada Admin " and "Ada Admin" are the same account (NFKC and trimming), and
"Аda Admin" with a Cyrillic А is refused: it mixes scripts that share letter
shapes, and it would read as the admin on every screen and in the audit log.
A name whose letters all look like another account's (its skeleton: case
folded, Cyrillic and Greek look-alikes mapped to Latin) is refused too.
"""

from __future__ import annotations

import unicodedata

from gbetix_core import validation
from gbetix_core.errors import InputError

MAX_NAME = 100
LOOKALIKE_SCRIPTS = {"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE"}
# Cyrillic and Greek letters drawn like Latin ones (after case folding), from Unicode's confusables list.
CONFUSABLES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "һ": "h", "і": "i", "ї": "i", "ј": "j", "к": "k", "ӏ": "l",
    "м": "m", "н": "h", "о": "o", "р": "p", "с": "c", "ѕ": "s", "т": "t", "у": "y", "х": "x", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "ɡ": "g", "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w", "0": "o", "1": "l", "|": "l",
})


def clean_staff_name(value: str) -> str:
    """The name as stored and compared, or InputError when it is empty, too long or mixes look-alike scripts."""
    name = validation.name("staff name", value, max_length=MAX_NAME)
    scripts = {_script(ch) for ch in name if ch.isalpha()} & LOOKALIKE_SCRIPTS
    if len(scripts) > 1:
        raise InputError(f"staff name {name!r}: mixes {' and '.join(sorted(s.title() for s in scripts))} letters "
                         "that look alike; type it in one alphabet")
    return name


def skeleton(name: str) -> str:
    """What a name looks like on screen: case folded, look-alike letters made one."""
    return unicodedata.normalize("NFKC", name).casefold().translate(CONFUSABLES).replace(" ", "")


def _script(ch: str) -> str:
    return unicodedata.name(ch, "UNKNOWN").split(" ")[0]
