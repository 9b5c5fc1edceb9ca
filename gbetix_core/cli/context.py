"""What every verb shares: the --config option, the loaded config, and the open database."""

from __future__ import annotations

import argparse
import datetime as dt
from decimal import Decimal, InvalidOperation
import math
from functools import cached_property
from typing import Callable

from peewee import Database

from gbetix_core import config as configmod
from gbetix_core.bootstrap import open_configured
from gbetix_core.models import Staff
from gbetix_core.people.staff import get_staff
from gbetix_core.validation import MAX_INT


def common_parser() -> argparse.ArgumentParser:
    """Options every verb accepts, before or after the verb."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="TOML settings file (default: $GBETIX_CONFIG, else built-in defaults)",
    )
    return common


def number_type(kind: type = int, low: float = 1, high: float | None = None, name: str = "") -> Callable[[str], float]:
    """An argparse type: a wrong value is refused with exit 2 before anything runs."""
    noun = "a whole number" if kind is int else "a number"

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {name or noun}") from None
        if not math.isfinite(value) or not value >= low or (high is not None and value > high):
            span = f"between {low} and {high}" if high is not None else f"{low} or more"
            raise argparse.ArgumentTypeError(f"{text!r} must be {span}")
        return value

    return parse


positive_int = number_type(int, 1, MAX_INT)
non_negative_int = number_type(int, 0, MAX_INT)
non_negative_float = number_type(float, 0)
fraction = number_type(float, 0, 1)
port_number = number_type(int, 0, 65535, name="a port (0-65535)")


def money_type(allow_zero: bool = False) -> Callable[[str], Decimal]:
    """An argparse type for an amount of money: more than zero, or zero or more."""

    def parse(text: str) -> Decimal:
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise argparse.ArgumentTypeError(f"{text!r} is not an amount") from None
        if not value.is_finite() or value < 0 or (value == 0 and not allow_zero):
            raise argparse.ArgumentTypeError(f"{text!r} must be {'0 or more' if allow_zero else 'more than zero'}")
        return value

    return parse


def iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


positive_money = money_type()
non_negative_money = money_type(allow_zero=True)


class Context:
    """Loads the config and opens the database only when a verb first asks for them."""

    def __init__(self, args: argparse.Namespace):
        self.args = args
        self._database: Database | None = None

    @cached_property
    def config(self) -> configmod.Config:
        return configmod.load(getattr(self.args, "config", None))

    def open(self) -> Database:
        if self._database is None:
            self._database = open_configured(self.config)
        return self._database

    def operator(self, name: str | None) -> Staff | None:
        """The staff member named by --as, if any (the core checks their role)."""
        self.open()
        return get_staff(name) if name else None

    def close(self) -> None:
        if self._database is not None:
            self._database.close()
