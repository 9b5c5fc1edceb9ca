"""Open the configured database ready for work: schema current, special accounts present."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from peewee import Database, OperationalError

from gbetix_core import db
from gbetix_core.config import Config
from gbetix_core.errors import ConfigError
from gbetix_core.people.accounts import ensure_special_accounts


def open_configured(config: Config, upgrade: bool = True) -> Database:
    """Connect to the configured database and bring it forward; errors say which URL failed."""
    try:
        database = db.open_database(config.database_url, config.database.busy_timeout_ms, upgrade=upgrade)
    except OperationalError as exc:
        raise ConfigError(f"{config.source}: [database] url: cannot open {config.database_url}: {exc}") from None
    if upgrade:
        with db.write():
            ensure_special_accounts()
    return database


def token_secret(config: Config) -> bytes:
    """The HMAC key for purchase links: from the config, else a key file made on first use."""
    if config.tokens.secret:
        return config.tokens.secret.encode()
    path = config.token_secret_file
    if not path.exists():
        _write_private(path, secrets.token_hex(32))
    return path.read_text(encoding="ascii").strip().encode()


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(text + "\n")
