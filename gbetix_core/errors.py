"""Exceptions a person can act on.

Each carries a message written for a box-office person. The faces (CLI, TUI)
show the message and turn the exception into an exit code or a notification;
they never show a traceback.
"""


class GbetixError(Exception):
    """Base for every error whose message is meant to be read by a person."""

    exit_code = 1


class ConfigError(GbetixError):
    """The configuration file or a command-line value is wrong."""

    exit_code = 2


class InputError(GbetixError):
    """A file, row or value given by the operator cannot be used; nothing was written."""

    exit_code = 2


class NotFound(GbetixError):
    """A user, show, ticket or other record named by the operator does not exist."""

    exit_code = 2


class PermissionDenied(GbetixError):
    """The operator's role does not allow this action."""

    exit_code = 3


class SaleRefused(GbetixError):
    """A sale, move or transfer would break a rule (capacity, sales window, limits)."""

    exit_code = 4


class BptError(GbetixError):
    """Brown Paper Tickets (or the network on the way) answered with a failure."""

    exit_code = 5


class DatabaseBusy(GbetixError):
    """Another terminal or the sync held the database's write lock too long; nothing of this was written."""

    exit_code = 7
