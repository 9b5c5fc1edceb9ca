"""Open the configured database ready for work: schema current, special accounts present."""

from __future__ import annotations

import secrets

from peewee import Database, OperationalError

from gbetix_core import db
from gbetix_core.config import MIN_KEY_BYTES, Config
from gbetix_core.errors import ConfigError
from gbetix_core.people.accounts import ensure_special_accounts
from gbetix_core.private_files import private_file


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
    """The HMAC key for purchase links: from the config, else a key file made on first use.

    A key file shorter than 32 bytes is refused: an empty or short key lets anyone forge a tracker.
    """
    if config.tokens.secret:
        return config.tokens.secret.encode()
    path = config.token_secret_file
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with private_file(path, exclusive=True) as fh:
            fh.write(secrets.token_hex(32) + "\n")
    if not path.is_file():
        raise ConfigError(f"{config.source}: [tokens] secret_file: {path} is not a file")
    key = path.read_bytes().strip()
    if len(key) < MIN_KEY_BYTES:
        raise ConfigError(f"{config.source}: [tokens] secret_file: {path} holds {len(key)} bytes; "
                          f"a key needs at least {MIN_KEY_BYTES}")
    return key
