"""The users' matching index kept on disk between processes: a sync reads it instead of building it again.

Building the index of 50,000 users (every name, address and phone
normalised, then filed under its blocking keys) takes one or two seconds, a
third of a re-sync; most syncs find the users as the last one left them, and
reading the index back takes a fraction of that. It is kept in the private
data folder (0600), as a pickle signed with the purchase-link key: a file
that key did not sign is never unpickled (unpickling can run code). It
names what it was built from: the database (the id it keeps in ``setting``,
which a copy shares), the users' version (count, highest id, latest update;
see people.versions) and the code and libraries that build an index. Any of
them changed, and the index is built afresh and kept again.

Writing it (pickling about 17 MB at 50,000 users, most of a second) is done
by a forked child, so no sync waits for it. Several processes may keep one
at once: each writes a file of its own and renames it into place. Before a
sync imports, a process of its own builds and keeps the index when none is
kept for the users as they stand (:meth:`IndexFile.build_aside`): the import
takes seconds, and matching then finds the index kept.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import multiprocessing
import os
import pickle
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import version as package_version
from pathlib import Path
from typing import BinaryIO, Callable

from gbetix_core.collector import collector_paused
from gbetix_core.db import open_database
from gbetix_core.forked import as_helper
from gbetix_core.matching.blocking import UserIndex
from gbetix_core.models import Setting
from gbetix_core.people.versions import users_version

log = logging.getLogger(__name__)
FILE_NAME = "matching-index.bin"
MAGIC = b"gbetix users' matching index 1\n"
DIGEST = hashlib.sha256().digest_size
# What an index is made with besides the users: the matching code, and the libraries that normalise names.
LIBRARIES = ("jellyfish", "phonenumbers", "nicknames")
# Users from which an index is kept: below, building it takes less than forking the child that would keep it.
KEEP_FROM = 1_000
# Seconds matching waits for the index being built aside (it takes one or two at 50,000 users) before building it.
BUILD_PATIENCE = 60.0
_aside: dict[Path, subprocess.Popen] = {}  # the processes building an index aside, by file


@dataclass(frozen=True)
class IndexFile:
    """Where the index is kept (the data folder) and the key it is signed with."""

    folder: Path
    secret: bytes

    @property
    def path(self) -> Path:
        return self.folder / FILE_NAME

    def load_or_build(self, build: Callable[[], UserIndex]) -> UserIndex:
        """The index kept for the users as they stand, else ``build()``'s, kept for the next process. One being
        built aside (:meth:`build_aside`) is waited for, up to BUILD_PATIENCE seconds."""
        _wait_for_aside(self.path)
        basis = _basis()
        if basis is None:
            return build()
        index = self.load(basis)
        if index is None:
            index = build()
            self.keep(basis, index)
        return index

    def load(self, basis: str) -> UserIndex | None:
        """The index kept under ``basis``, or None: none kept, kept for other users or code, or not signed with
        this key (logged: someone wrote it who does not hold the key, or it was damaged)."""
        try:
            with open(self.path, "rb") as file:
                mac, head = _header(file)
                if head != basis.encode():
                    return None
                payload = file.read()
        except OSError:
            return None
        if not hmac.compare_digest(mac, _signature(self.secret, head, payload)):
            log.warning("%s is not signed with this installation's key: not read; the index is built instead",
                        self.path)
            return None
        with collector_paused():  # a million small objects: the collector would walk them again and again
            return pickle.loads(payload)

    def build_aside(self, url: str) -> None:
        """Start a process of its own that opens the database at ``url``, builds the index and keeps it;
        nothing when it is kept already for the users as they stand, or being built.

        A new interpreter (``python -m`` this module), not a fork: a forked child must not open a SQLite database
        its parent has open, and multiprocessing's spawn would run the caller's main script again. It has a
        session of its own (a Ctrl-C at the terminal is not for it) and writes nothing to the terminal; should
        it fail, matching builds the index itself."""
        basis = _basis()
        building = _aside.get(self.path)
        if basis is None or self._kept_under() == basis.encode() or (building and building.poll() is None):
            return
        here = str(Path(__file__).parents[2])  # this code, wherever it was imported from: the same basis
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))}
        asked = {"url": url, "folder": str(self.folder), "secret": self.secret.hex()}
        try:
            child = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                                     env=env)
            with child.stdin:
                child.stdin.write(json.dumps(asked).encode())
        except OSError as exc:  # no process to be had (a limit reached): matching builds the index itself
            log.warning("the users' matching index is not built aside: %s", exc.strerror or exc)
            return
        _aside[self.path] = child

    def _kept_under(self) -> bytes | None:
        """The basis the kept file names (read from its header alone), or None."""
        try:
            with open(self.path, "rb") as file:
                return _header(file)[1]
        except OSError:
            return None

    def keep(self, basis: str, index: UserIndex) -> multiprocessing.Process:
        """Write ``index`` under ``basis`` from a forked child (which inherits it); returns the child."""
        multiprocessing.active_children()  # reaps the children earlier calls started
        child = multiprocessing.get_context("fork").Process(target=_write, args=(self, basis, index), daemon=False,
                                                            name="gbetix-keep-index")
        child.start()
        return child


def _header(file: BinaryIO) -> tuple[bytes, bytes | None]:
    """(signature, basis) at the start of a kept file; no basis when it is not one."""
    if file.read(len(MAGIC)) != MAGIC:
        return b"", None
    mac, size = file.read(DIGEST), int.from_bytes(file.read(4), "big")
    return mac, file.read(size)


def _wait_for_aside(path: Path) -> None:
    """Let the process building the index at ``path`` finish (one stuck is stopped: the index is built here)."""
    child = _aside.pop(path, None)
    if child is None:
        return
    try:
        child.wait(BUILD_PATIENCE)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def _build_aside() -> None:
    """The process :meth:`IndexFile.build_aside` starts: where and how to keep come on standard input."""
    from gbetix_core.matching.users import build_index  # this module is imported by that one

    asked = json.load(sys.stdin)
    open_database(asked["url"], upgrade=False)
    basis = _basis()
    if basis is not None:
        _save(IndexFile(Path(asked["folder"]), bytes.fromhex(asked["secret"])), basis, build_index())


def _write(place: IndexFile, basis: str, index: UserIndex) -> None:
    """In the forked child: the index saved with the signals a helper needs. A folder that cannot take it (full,
    read-only) is one line in the log, not a traceback: the next sync builds the index, as before any was kept."""
    as_helper()
    try:
        _save(place, basis, index)
    except OSError as exc:
        log.warning("the users' matching index could not be kept in %s: %s", place.folder, exc.strerror or exc)


def _save(place: IndexFile, basis: str, index: UserIndex) -> None:
    """The signed file, written beside the old one and renamed over it, so a reader finds the old file or the new
    one, whole."""
    payload = pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL)
    head = basis.encode()
    place.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    scratch = place.folder / f".{FILE_NAME}.{os.getpid()}"
    try:
        with os.fdopen(os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
            file.write(MAGIC + _signature(place.secret, head, payload) + len(head).to_bytes(4, "big") + head)
            file.write(payload)
        os.replace(scratch, place.path)
    finally:
        scratch.unlink(missing_ok=True)


def _signature(secret: bytes, head: bytes, payload: bytes) -> bytes:
    return hmac.new(secret, len(head).to_bytes(4, "big") + head + payload, hashlib.sha256).digest()


def _basis() -> str | None:
    """What an index kept for the users as they stand now must name; None when none is kept: too few users, or
    a database without an id."""
    version = users_version()[1:]
    row = Setting.get_or_none(Setting.key == "database_id")
    if row is None or int(version[0]) < KEEP_FROM:
        return None
    return json.dumps([row.value, *version, _code()])


def _code() -> str:
    """A digest of what builds an index: the matching package's sources, the libraries' versions, Python's."""
    digest = hashlib.sha256(sys.version.encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + source.read_bytes())
    for name in LIBRARIES:
        digest.update(f"{name} {package_version(name)}".encode())
    return digest.hexdigest()


if __name__ == "__main__":
    _build_aside()
