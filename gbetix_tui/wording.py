"""Small pieces of English shared by the screens, so that no message says "1 tickets"."""

from __future__ import annotations

from gbetix_core.people.search import UserHit


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``1 ticket``, ``2 tickets`` (``plural`` for nouns that do not take an s)."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


def who(user: UserHit) -> str:
    """A user as staff must tell them apart from another of the same name: name, username and email."""
    return f"{user.name} ({user.username}, {user.email or 'no email'})"


def literal(text: str) -> str:
    """``text`` to put inside Textual markup and show as written: ``[Stage]`` and ``[b]`` stay on the screen.

    ``textual.markup.escape`` leaves ``[Stage]`` alone, which Textual's own markup then reads as a style.
    """
    return text.replace("[", "\\[")
