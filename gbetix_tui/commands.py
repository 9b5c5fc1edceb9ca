"""The command palette (ctrl+p): every place, every action of the current screen, help and operator.

Screen actions come from the screen's own bindings, so a key added to a
screen is in the palette too, with the same words as in the footer.
"""

from __future__ import annotations

from functools import partial
from typing import Callable, Iterator

from textual.actions import parse
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from gbetix_tui.places import PLACES


def described_bindings(screen) -> list[Binding]:
    """The screen's own bindings that have words (what the footer, the palette and the help show)."""
    bindings = [b if isinstance(b, Binding) else Binding(*b) for b in getattr(screen, "BINDINGS", [])]
    return [b for b in bindings if b.description]


def run_on(screen, action: str) -> None:
    """Run a screen's action as its key would, even while a text box has the focus (which hides the key)."""
    _, name, params = parse(action)
    target = screen.app if action.startswith("app.") else screen
    getattr(target, f"action_{name}")(*params)


class PlacesCommands(Provider):
    def _entries(self) -> Iterator[tuple[str, str, Callable[[], object]]]:
        app = self.app
        session = getattr(app, "session", None)
        if session is None or session.operator is None:
            return
        for place in PLACES:
            if session.can(place.action):
                yield f"Open: {place.title}", place.description, partial(app.open_place, place.name)
        screen = self.screen
        title = getattr(screen, "TITLE", None) or type(screen).__name__
        seen = set()
        for binding in described_bindings(screen):
            if binding.action not in seen:
                seen.add(binding.action)
                yield (f"{title}: {binding.description}", f"key {app.get_key_display(binding)}",
                       partial(run_on, screen, binding.action))
        yield "Help", "Keys and what each screen does", app.action_help
        yield "Switch operator", "Sign in as another staff member", app.action_switch_operator

    async def discover(self) -> Hits:
        for text, help_text, command in self._entries():
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, command in self._entries():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, help=help_text)
