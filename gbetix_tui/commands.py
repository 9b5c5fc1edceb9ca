"""The command palette (ctrl+p): every place and every action of every screen the operator's role may use.

Screen actions come from the screens' own bindings, so a key added to a
screen is in the palette too, with the same words as in the footer. An
action of another screen opens that screen first; one of a screen reached
from a place (a purchase's candidates, from the queue) opens the place and
says how to go on.
"""

from __future__ import annotations

import dataclasses
from functools import partial
from typing import Callable, Iterator

from textual.actions import parse
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen

from gbetix_tui.guard import guarded
from gbetix_tui.places import PLACES, Place, screen_class

Entry = tuple[str, str, Callable[[], object]]

INNER_SCREENS = {"queue": ("gbetix_tui.screens.candidates:CandidatesScreen",
                           "Choose a purchase and press enter; then {key} does this.")}


def described_bindings(screen: Screen | type[Screen]) -> list[Binding]:
    """The screen's own bindings that have words (what the footer, the palette and the help show).

    A binding of several keys (``plus,equals_sign``) is shown by its first key.
    """
    bindings = [b if isinstance(b, Binding) else Binding(*b) for b in getattr(screen, "BINDINGS", [])]
    return [dataclasses.replace(b, key=b.key.split(",")[0]) for b in bindings if b.description]


def run_on(screen, action: str) -> None:
    """Run a screen's action as its key would, even while a text box has the focus (which hides the key)."""
    _, name, params = parse(action)
    target = screen.app if action.startswith("app.") else screen
    getattr(target, f"action_{name}")(*params)


class PlacesCommands(Provider):
    def _entries(self) -> Iterator[Entry]:
        app = self.app
        session = getattr(app, "session", None)
        if session is None or session.operator is None:
            return
        places = [place for place in PLACES if session.can(place.action)]
        for place in places:
            yield f"Open: {place.title}", place.description, partial(app.open_place, place.name)
        seen = {type(self.screen)}
        yield from self._actions_here(type(self.screen))
        for place in places:
            classes = [(place.screen_class(), None)]
            if place.name in INNER_SCREENS:
                inner, how = INNER_SCREENS[place.name]
                classes.append((screen_class(inner), how))
            for cls, how in classes:
                if cls not in seen:
                    seen.add(cls)
                    yield from self._actions_elsewhere(place, cls, how)
        yield "Help", "Keys and what each screen does", app.action_help
        yield "Switch operator", "Sign in as another staff member", app.action_switch_operator

    def _offered(self, cls: type[Screen]) -> Iterator[Binding]:
        """The bindings of ``cls`` the operator's role may use, one per action, without "back" and the menu's
        number keys (the "Open:" entries are those)."""
        from gbetix_tui.screens.base import allowed

        seen = set()
        for binding in described_bindings(cls):
            skipped = binding.action == "back" or binding.action.startswith("open(")
            if binding.action not in seen and not skipped and allowed(cls, binding.action, self.app.session):
                seen.add(binding.action)
                yield binding

    def _actions_here(self, cls: type[Screen]) -> Iterator[Entry]:
        title = getattr(cls, "TITLE", None) or cls.__name__
        for binding in self._offered(cls):
            yield (f"{title}: {binding.description}", f"key {self.app.get_key_display(binding)}",
                   partial(run_on, self.screen, binding.action))

    def _actions_elsewhere(self, place: Place, cls: type[Screen], how: str | None) -> Iterator[Entry]:
        title = getattr(cls, "TITLE", None) or cls.__name__
        for binding in self._offered(cls):
            key = self.app.get_key_display(binding)
            yield (f"{title}: {binding.description}", f"opens {place.title}; key {key}",
                   partial(self._open_then, place, binding.action, how.format(key=key) if how else None))

    def _open_then(self, place: Place, action: str, how: str | None) -> None:
        """Open the place, then run the action there once it is on screen (or say how to reach it)."""
        app = self.app
        screen = app.open_place(place.name)
        if screen is None:
            return
        if how is not None:
            app.notify(how, timeout=6)
            return
        app.call_after_refresh(guarded(app, lambda: run_on(screen, action)))

    async def discover(self) -> Hits:
        for text, help_text, command in self._entries():
            yield DiscoveryHit(text, guarded(self.app, command), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, help_text, command in self._entries():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), guarded(self.app, command), help=help_text)
