"""Find a user as the operator types (name, username, email or street), fast on 50,000 users.

Every word of a user's name, username and emails is kept in one sorted list, so
each typed word is a prefix range found by bisection, and a user must match
every word ("rosa del" finds Rosa Delgado). Then, as Audience1st's customer
search does, a typed piece of three letters or more is found anywhere in the
first or last name, the emails or the street address ("fox" finds Michael
Fox, "123 Fox Hill" and "dancingfox@..."): one folded line per user, joined in
one string that ``str.find`` scans in C. When neither finds anybody (a typo),
each word is corrected against the distinct words with rapidfuzz. The index
is rebuilt only when the users table changes (people.versions).
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from gbetix_core.matching.normalize import fold
from gbetix_core.models import User
from gbetix_core.people.versions import per_users_version

_WORD = re.compile(r"[a-z0-9]+")
MIN_PIECE = 3


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


def _line(first: str | None, last: str | None, email: str | None, purchase_email: str | None,
          address: str | None) -> str:
    """What a piece of text is looked for in: names, emails and street, folded, on one line."""
    return " | ".join(fold(part) + (f" {part.lower()}" if part and "@" in part else "")
                      for part in (first, last, email, purchase_email, address) if part)


class UserSearch:
    def __init__(self, rows: list[tuple]):
        """``rows``: (id, first, last, username, email, purchase_email, address)."""
        self.users = {row[0]: row for row in rows}
        pairs = sorted((word, row[0]) for row in rows for word in _words(*row[1:6]))
        self.words = [w for w, _ in pairs]
        self.ids = [i for _, i in pairs]
        self.spellings: dict[int, list[str]] = defaultdict(list)
        for word in sorted(set(self.words)):
            if "@" not in word:
                self.spellings[len(word)].append(word)
        lines = [_line(row[1], row[2], row[4], row[5], row[6]) for row in rows]
        self.line_ids = [row[0] for row in rows]
        self.line_starts = []
        offset = 0
        for line in lines:
            self.line_starts.append(offset)
            offset += len(line) + 1
        self.text = "\n".join(lines)

    def _prefixed(self, word: str) -> dict[int, float]:
        start = bisect.bisect_left(self.words, word)
        end = bisect.bisect_left(self.words, word + "\uffff")
        found: dict[int, float] = {}
        for position in range(start, end):
            user = self.ids[position]
            found[user] = max(found.get(user, 0.0), 2.0 if self.words[position] == word else 1.0)
        return found

    def _corrected(self, word: str) -> dict[int, float]:
        """Users a close spelling of ``word`` finds: only words within two letters of its length can be close."""
        found: dict[int, float] = defaultdict(float)
        near = [w for size in range(len(word) - 2, len(word) + 3) for w in self.spellings.get(size, ())]
        for close, similarity, _ in process.extract(word, near, scorer=fuzz.ratio, limit=5, score_cutoff=75):
            for user, _ in self._prefixed(close).items():
                found[user] = max(found[user], similarity / 100)
        return found

    def _every_word(self, words: list[str], correct: bool) -> dict[int, float]:
        """Users every word finds by prefix (or by a corrected spelling), with summed scores."""
        total: dict[int, float] | None = None
        for word in words:
            found = self._prefixed(word) or (self._corrected(word) if correct else {})
            total = found if total is None else {u: total[u] + s for u, s in found.items() if u in total}
            if not total:
                return {}
        return total or {}

    def _anywhere(self, words: list[str], wanted: int, skip: set[int]) -> list[int]:
        """Up to ``wanted`` users (not in ``skip``) whose names, emails or street hold every typed piece.

        The longest piece is scanned for in the one big string, stopping once
        enough are found; the other pieces are checked on the lines it found.
        """
        pieces = sorted({w for w in words if len(w) >= MIN_PIECE}, key=len, reverse=True)
        found: list[int] = []
        position = self.text.find(pieces[0]) if pieces else -1
        while position >= 0 and len(found) < wanted:
            line = bisect.bisect_right(self.line_starts, position) - 1
            user = self.line_ids[line]
            if user not in skip and all(p in self._text_of(line) for p in pieces[1:]):
                found.append(user)
            end = self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.text)
            position = self.text.find(pieces[0], end)
        return found

    def _text_of(self, line: int) -> str:
        end = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else len(self.text)
        return self.text[self.line_starts[line]:end]

    def _best(self, scored: dict[int, float], limit: int) -> list[int]:
        """The ``limit`` best scores, then by last and first name (a partial sort: "a" finds thousands)."""
        return heapq.nsmallest(limit, scored, key=lambda u: (-scored[u], self.users[u][2], self.users[u][1]))

    def search(self, text: str, limit: int = 10) -> list[UserHit]:
        words = sorted(_words(text) - {""}, key=len, reverse=True)
        if not words:
            return []
        pieces = _WORD.findall(fold(text))
        scored = self._every_word(words, correct=False)
        ranked = self._best(scored, limit)
        if len(ranked) < limit:
            extra = self._anywhere(pieces, limit - len(ranked), set(ranked))
            ranked += sorted(extra, key=lambda u: (self.users[u][2], self.users[u][1]))
            scored.update(dict.fromkeys(extra, 0.5))
        if not ranked:
            scored = self._every_word(words, correct=True)
            ranked = self._best(scored, limit)
        return [UserHit(u, self.users[u][3], f"{self.users[u][1]} {self.users[u][2]}".strip(), self.users[u][4],
                        scored[u]) for u in ranked]


def _build() -> UserSearch:
    return UserSearch(list(User.select(User.id, User.first_name, User.last_name, User.username, User.email,
                                       User.purchase_email, User.address)
                           .where(User.special.is_null()).tuples()))


def search_users(text: str, limit: int = 10) -> list[UserHit]:
    """Users matching every typed word by prefix, then by a piece found anywhere, then by a close spelling."""
    return per_users_version("user_search", _build).search(text, limit)
