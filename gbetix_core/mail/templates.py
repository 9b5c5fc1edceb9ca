"""Render a message from the festival's templates: a subject, plain text and HTML.

The festival's folder (``[mail] templates``) is searched first, then the
defaults shipped in ``gbetix_core/mail/templates``, so a festival copies and
edits only the templates it wants to change. HTML is autoescaped (a buyer
named ``<script>`` stays text); plain text is not, since it is not HTML.
Undefined names are errors, so a template that names a fact the message does
not have fails that message loudly instead of mailing a blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from gbetix_core.config import MailConfig
from gbetix_core.errors import ConfigError

DEFAULTS = Path(__file__).parent / "templates"
KINDS = ("unmatched", "linked", "ticket_received", "gift", "gift_received", "gift_delivered", "claim_code", "status")


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


class TemplateError(Exception):
    """A template is missing or broken; the message fails with this text for a person to fix."""


def environment(settings: MailConfig) -> jinja2.Environment:
    """The template lookup: the festival's folder (if any) before the shipped defaults."""
    folders = []
    if settings.templates:
        folder = Path(settings.templates).expanduser()
        if not folder.is_dir():
            raise ConfigError(f"[mail] templates: {settings.templates} is not a folder")
        folders.append(str(folder))
    folders.append(str(DEFAULTS))
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folders), undefined=jinja2.StrictUndefined,
                              autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


def render(env: jinja2.Environment, settings: MailConfig, kind: str, context: dict[str, Any]) -> Rendered:
    """The three parts of one message; ``festival`` and ``site_url`` are always there."""
    facts = {"festival": settings.festival_name, "site_url": settings.site_url, **context}
    try:
        subject = env.get_template(f"{kind}.subject.txt").render(facts)
        text = env.get_template(f"{kind}.txt").render(facts)
        html = env.get_template(f"{kind}.html").render(facts)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"no template {exc.name} (in {settings.templates or 'the defaults'})") from None
    except jinja2.TemplateError as exc:
        raise TemplateError(f"template for {kind!r}: {exc}") from None
    return Rendered(" ".join(subject.split()), text, html)
