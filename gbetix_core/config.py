"""Settings from a TOML file and the environment, validated once at start-up.

Every face (CLI, TUI, scripts) calls :func:`load` and gets a frozen
:class:`Config`; nothing else reads the file. A bad file is reported with the
file, the key and the problem, so a box-office manager can fix it without
reading a traceback.
"""

from __future__ import annotations

import dataclasses
import math
import os
import tomllib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from gbetix_core import validation
from gbetix_core.errors import ConfigError

CONFIG_ENV = "GBETIX_CONFIG"
MAX_MINUTES = 7 * 24 * 60.0
MIN_KEY_BYTES = 32
DATA_DIR_ENV = "GBETIX_DATA_DIR"


def default_data_dir() -> Path:
    """Where the database, token key and logs live unless the config says otherwise."""
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else Path(platformdirs.user_data_dir("gbetix"))


@dataclass(frozen=True)
class DatabaseConfig:
    url: str = ""
    busy_timeout_ms: int = 10_000

    def check(self) -> dict[str, str]:
        problems = {}
        if self.url and not self.url.startswith(("sqlite:///", "postgresql://", "postgres://")):
            problems["url"] = "must start with sqlite:/// or postgresql://"
        elif self.url.startswith("postgres"):
            problems.update(_url_problem("url", self.url, ("postgresql", "postgres")))
        if self.busy_timeout_ms < 0:
            problems["busy_timeout_ms"] = "must be zero or more"
        return problems


@dataclass(frozen=True)
class BptConfig:
    base_url: str = "http://127.0.0.1:8765"
    developer_id: str = "gbetix-demo"
    client: str = "gbe"
    event_ids: tuple[str, ...] = ()
    poll_interval: float = 300.0
    order_time_zone: str = "America/Chicago"
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    retries: int = 4
    retry_backoff: float = 0.5
    retry_backoff_max: float = 30.0
    lock_stale_after: float = 300.0

    def check(self) -> dict[str, str]:
        problems = _url_problem("base_url", self.base_url, ("http", "https"))
        for key in ("poll_interval", "connect_timeout", "read_timeout", "retry_backoff", "retry_backoff_max",
                    "lock_stale_after"):
            if getattr(self, key) <= 0:
                problems[key] = "must be more than zero"
        if self.retries < 0:
            problems["retries"] = "must be zero or more"
        if not _is_zone(self.order_time_zone):
            problems["order_time_zone"] = f"unknown time zone {self.order_time_zone!r}"
        return problems


@dataclass(frozen=True)
class TokensConfig:
    secret: str = ""
    secret_file: str = ""

    def check(self) -> dict[str, str]:
        if self.secret and len(self.secret.encode()) < MIN_KEY_BYTES:
            return {"secret": f"must be at least {MIN_KEY_BYTES} bytes (anyone could guess a shorter key)"}
        try:
            validation.expanded(self.secret_file)
        except ValueError as exc:
            return {"secret_file": str(exc)}
        return {}


@dataclass(frozen=True)
class MatchingConfig:
    auto_link: float = 0.90
    candidate_min: float = 0.30
    ambiguity_margin: float = 0.10
    max_candidates: int = 5
    claim_max_failures: int = 5
    claim_window_minutes: int = 15
    claim_number_max_failures: int = 5
    claim_max_failures_per_hour: int = 50

    def check(self) -> dict[str, str]:
        problems = {}
        for key in ("auto_link", "candidate_min", "ambiguity_margin"):
            if not 0 <= getattr(self, key) <= 1:
                problems[key] = "must be between 0 and 1"
        if self.candidate_min >= self.auto_link:
            problems["candidate_min"] = "must be below auto_link"
        if not 1 <= self.max_candidates <= 20:
            problems["max_candidates"] = "must be between 1 and 20"
        for key in ("claim_max_failures", "claim_window_minutes", "claim_number_max_failures",
                    "claim_max_failures_per_hour"):
            if not 1 <= getattr(self, key) <= 1_000_000:
                problems[key] = "must be between 1 and 1000000"
        return problems


@dataclass(frozen=True)
class StaffConfig:
    """How the app signs staff in: PIN length, lockout after wrong PINs, sign-out when idle."""

    min_pin_length: int = 4
    max_failed_signins: int = 5
    lockout_minutes: float = 15.0
    idle_minutes: float = 15.0

    def check(self) -> dict[str, str]:
        problems = {}
        if not 4 <= self.min_pin_length <= 64:
            problems["min_pin_length"] = "must be between 4 and 64"
        if self.max_failed_signins < 1:
            problems["max_failed_signins"] = "must be at least 1"
        for key in ("lockout_minutes", "idle_minutes"):
            if not 0 < getattr(self, key) <= MAX_MINUTES:
                problems[key] = f"must be more than zero and at most {MAX_MINUTES:g} (a week)"
        return problems


@dataclass(frozen=True)
class BoxOfficeConfig:
    time_zone: str = "America/Chicago"
    currency: str = "USD"

    def check(self) -> dict[str, str]:
        if not _is_zone(self.time_zone):
            return {"time_zone": f"unknown time zone {self.time_zone!r}"}
        return {}


MAIL_BACKENDS = ("outbox-only", "smtp")
MAIL_SECURITY = ("starttls", "tls", "none")
MAIL_PASSWORD_ENV = "GBETIX_MAIL_PASSWORD"


@dataclass(frozen=True)
class MailConfig:
    """Where mail goes and how fast; the password comes from ``password_file`` or $GBETIX_MAIL_PASSWORD only."""

    backend: str = "outbox-only"
    host: str = "localhost"
    port: int = 587
    security: str = "starttls"
    username: str = ""
    password_file: str = ""
    ca_file: str = ""
    sender: str = "Box office <boxoffice@example.org>"
    festival_name: str = "Great Burlesque Expo"
    site_url: str = "https://example.org"
    templates: str = ""
    per_hour: int = 200
    batch_size: int = 50
    timeout: float = 30.0
    max_attempts: int = 8
    retry_backoff: float = 60.0
    retry_backoff_max: float = 3600.0
    lease_seconds: float = 300.0
    poll_interval: float = 60.0
    unmatched_grace_hours: float = 24.0
    claim_code_minutes: int = 30

    def check(self) -> dict[str, str]:
        problems = {}
        if self.backend not in MAIL_BACKENDS:
            problems["backend"] = f"must be one of {', '.join(MAIL_BACKENDS)}"
        if self.security not in MAIL_SECURITY:
            problems["security"] = f"must be one of {', '.join(MAIL_SECURITY)}"
        if not 0 < self.port < 65536:
            problems["port"] = "must be a port number (1-65535)"
        if "@" not in self.sender:
            problems["sender"] = "must be an email address, like Box office <boxoffice@example.org>"
        for key in ("per_hour", "batch_size", "max_attempts", "claim_code_minutes"):
            if getattr(self, key) < 1:
                problems[key] = "must be at least 1"
        for key in ("timeout", "retry_backoff", "retry_backoff_max", "lease_seconds", "poll_interval"):
            if getattr(self, key) <= 0:
                problems[key] = "must be more than zero"
        if self.unmatched_grace_hours < 0:
            problems["unmatched_grace_hours"] = "must be zero or more"
        if self.templates and (problem := validation.folder_problem(self.templates)):
            problems["templates"] = problem
        return problems

    def password(self) -> str:
        """The SMTP password, read when needed so it is never stored: the file first, then the environment."""
        if self.password_file:
            try:
                return Path(self.password_file).expanduser().read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigError(f"[mail] password_file: cannot read {self.password_file}: {exc.strerror}") from None
        return os.environ.get(MAIL_PASSWORD_ENV, "")


@dataclass(frozen=True)
class Config:
    """The whole validated configuration; ``source`` names the file it came from."""

    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    bpt: BptConfig = field(default_factory=BptConfig)
    tokens: TokensConfig = field(default_factory=TokensConfig)
    matching: MatchingConfig = field(default_factory=MatchingConfig)
    boxoffice: BoxOfficeConfig = field(default_factory=BoxOfficeConfig)
    mail: MailConfig = field(default_factory=MailConfig)
    staff: StaffConfig = field(default_factory=StaffConfig)
    data_dir: Path = field(default_factory=default_data_dir)
    source: str = "(defaults)"

    @property
    def database_url(self) -> str:
        return self.database.url or f"sqlite:///{self.data_dir / 'gbetix.db'}"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "gbetix.log"

    @property
    def token_secret_file(self) -> Path:
        return validation.expanded(self.tokens.secret_file) if self.tokens.secret_file else self.data_dir / "token.key"


SECTIONS = {
    "database": DatabaseConfig,
    "bpt": BptConfig,
    "tokens": TokensConfig,
    "matching": MatchingConfig,
    "boxoffice": BoxOfficeConfig,
    "mail": MailConfig,
    "staff": StaffConfig,
}


def load(path: str | os.PathLike | None = None) -> Config:
    """Read the config named by ``path``, else by $GBETIX_CONFIG, else use defaults."""
    path = path or os.environ.get(CONFIG_ENV)
    if not path:
        return Config()
    source = str(path)
    try:
        file = validation.expanded(source)
    except ValueError as exc:
        raise ConfigError(f"{source}: {exc}") from None
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{source}: file not found") from None
    except IsADirectoryError:
        raise ConfigError(f"{source}: is a folder, not a file") from None
    except PermissionError:
        raise ConfigError(f"{source}: not readable (permission denied)") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{source}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{source}: cannot read it: {exc.strerror}") from None
    return from_mapping(raw, source)


def from_mapping(raw: dict[str, Any], source: str = "(mapping)") -> Config:
    """Build a Config from parsed TOML, naming the first bad key it meets."""
    sections: dict[str, Any] = {}
    data_dir = default_data_dir()
    for name, value in raw.items():
        if name == "data_dir":
            try:
                data_dir = validation.expanded(_typed(source, "data_dir", value, str))
            except ValueError as exc:
                raise ConfigError(f"{source}: data_dir: {exc}") from None
            continue
        if name not in SECTIONS:
            raise ConfigError(f"{source}: [{name}]: unknown section (known: {', '.join(SECTIONS)}, data_dir)")
        if not isinstance(value, dict):
            raise ConfigError(f"{source}: {name}: must be a [{name}] table")
        sections[name] = _section(source, name, SECTIONS[name], value)
    return Config(**sections, data_dir=data_dir, source=source)


def _section(source: str, name: str, cls: type, values: dict[str, Any]) -> Any:
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs = {}
    for key, value in values.items():
        if key not in fields:
            raise ConfigError(f"{source}: [{name}] {key}: unknown setting (known: {', '.join(fields)})")
        kwargs[key] = _typed(source, f"[{name}] {key}", value, fields[key].type)
    section = cls(**kwargs)
    for key, problem in section.check().items():
        raise ConfigError(f"{source}: [{name}] {key}: {problem}")
    return section


def _typed(source: str, where: str, value: Any, kind: Any) -> Any:
    """Coerce a TOML value to the field's declared type or raise ConfigError."""
    kind = {"str": str, "int": int, "float": float, "tuple[str, ...]": tuple}.get(kind, kind)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind is tuple:
        if isinstance(value, list) and all(isinstance(v, (str, int)) for v in value):
            return tuple(str(v) for v in value)
        raise ConfigError(f"{source}: {where}: must be a list of strings")
    if isinstance(value, bool) or not isinstance(value, kind):
        raise ConfigError(f"{source}: {where}: must be {_kind_name(kind)}, got {value!r}")
    if kind is float and not math.isfinite(value):
        raise ConfigError(f"{source}: {where}: must be a finite number, got {value!r}")
    if kind is int and abs(value) > validation.MAX_INT:
        raise ConfigError(f"{source}: {where}: must be at most {validation.MAX_INT}, got {value!r}")
    if kind is str and any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ConfigError(f"{source}: {where}: has a control character (NUL, newline...)")
    return value


def _url_problem(key: str, value: str, schemes: tuple[str, ...]) -> dict[str, str]:
    problem = validation.url_problem(value, schemes)
    return {key: problem} if problem else {}


def _kind_name(kind: type) -> str:
    return {str: "a string", int: "a whole number", float: "a number"}.get(kind, kind.__name__)


def _is_zone(name: str) -> bool:
    """Whether ``name`` is a time zone here; a name the system refuses as a file name (too long) is not one."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True
