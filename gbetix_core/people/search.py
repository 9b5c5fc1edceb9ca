"""Find a user as the operator types (name, username or email), fast on 50,000 users.

Every word of a user's name, username and emails is kept in one sorted list, so
each typed word is a prefix range found by bisection, and a user must match
every word ("rosa del" finds Rosa Delgado). When prefixes find nobody (a typo),
each word is corrected against the distinct words with rapidfuzz. The index
is rebuilt only when the users table changes (people.versions).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from gbetix_core.matching.normalize import fold
from gbetix_core.models import User
from gbetix_core.people.versions import per_users_version

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class UserHit:
    id: int
    username: str
    name: str
    email: str | None
    score: float


def _words(*texts: str | None) -> set[str]:
    words: set[str] = set()
    for text in texts:
        folded = fold(text)
        words.update(_WORD.findall(folded))
        if text and "@" in text:
            words.add(text.strip().lower())
    return words


class UserSearch:
    def __init__(self, rows: list[tuple]):
        self.users = {row[0]: row for row in rows}
        pairs = sorted((word, row[0]) for row in rows for word in _words(*row[1:]))
        self.words = [w for w, _ in pairs]
        self.ids = [i for _, i in pairs]
        self.distinct = sorted(set(self.words))

    def _prefixed(self, word: str) -> dict[int, float]:
        start = bisect.bisect_left(self.words, word)
        end = bisect.bisect_left(self.words, word + "\uffff")
        found: dict[int, float] = {}
        for position in range(start, end):
            user = self.ids[position]
            found[user] = max(found.get(user, 0.0), 2.0 if self.words[position] == word else 1.0)
        return found

    def _corrected(self, word: str) -> dict[int, float]:
        found: dict[int, float] = defaultdict(float)
        for close, similarity, _ in process.extract(word, self.distinct, scorer=fuzz.ratio, limit=5, score_cutoff=75):
            for user, _ in self._prefixed(close).items():
                found[user] = max(found[user], similarity / 100)
        return found

    def search(self, text: str, limit: int = 10) -> list[UserHit]:
        words = sorted(_words(text) - {""}, key=len, reverse=True)
        if not words:
            return []
        total: dict[int, float] | None = None
        for word in words:
            found = self._prefixed(word) or self._corrected(word)
            total = found if total is None else {u: total[u] + s for u, s in found.items() if u in total}
            if not total:
                return []
        ranked = sorted(total.items(), key=lambda item: (-item[1], self.users[item[0]][2], self.users[item[0]][1]))[:limit]
        return [UserHit(u, self.users[u][3], f"{self.users[u][1]} {self.users[u][2]}".strip(), self.users[u][4], score)
                for u, score in ranked]


def _build() -> UserSearch:
    return UserSearch(list(User.select(User.id, User.first_name, User.last_name, User.username, User.email,
                                       User.purchase_email)
                           .where(User.special.is_null()).tuples()))


def search_users(text: str, limit: int = 10) -> list[UserHit]:
    """Users matching every typed word by prefix (or, failing that, by a close spelling), best first."""
    return per_users_version("user_search", _build).search(text, limit)
