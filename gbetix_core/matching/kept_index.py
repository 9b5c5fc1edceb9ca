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
sync imports (:meth:`IndexFile.prepare`), a thread reads the index kept
while the sync waits for BPT and the database; when none is kept for the
users as they stand, a process of its own builds and keeps it while the sync
imports, and matching reads it then.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import io
import json
import logging
import multiprocessing
import os
import pickle
import subprocess
import sys
import threading
import time
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


@dataclass(frozen=True)
class IndexFile:
    """Where the index is kept (the data folder) and the key it is signed with."""

    folder: Path
    secret: bytes

    @property
    def path(self) -> Path:
        return self.folder / FILE_NAME

    def load_or_build(self, build: Callable[[], UserIndex]) -> UserIndex:
        """The index kept for the users as they stand, else ``build()``'s, kept for the next process. What
        :meth:`prepare` left is taken once its reader or builder is done (a builder: BUILD_PATIENCE seconds at
        most)."""
        ahead = _ahead.pop(self.path, None)
        basis = _basis()
        if basis is None:
            return build()
        if ahead and ahead.basis != basis:  # prepared for users since changed
            ahead.settle()  # its builder done first: it would otherwise rename its file over the one kept below
            ahead = None
        index = ahead.result() if ahead else None
        if index is None:
            index = self.load(basis)
        if index is None:
            index = build()
            self.keep(basis, index)
        return index

    def load(self, basis: str, aside: bool = False) -> UserIndex | None:
        """The index kept under ``basis``, or None: none kept, kept for other users or code, or not signed with
        this key (logged: someone wrote it who does not hold the key, or it was damaged). ``aside``: read by a
        thread beside the one that works (see _Yielding)."""
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
            return pickle.Unpickler(_Yielding(payload)).load() if aside else pickle.loads(payload)

    def prepare(self, url: str) -> None:
        """Before a sync imports: have the index ready for its matching. One kept is read by a thread of this
        process while the sync waits for BPT and the database (about half a second at 50,000 users, a tenth of a
        re-sync); when none is kept for the users as they stand, a process of its own builds it (one or two
        seconds, while the import keeps this process busy). Nothing when one is prepared for these users
        already."""
        basis = _basis()
        ahead = _ahead.get(self.path)
        if basis is None or (ahead and ahead.basis == basis):  # being read, or read and not taken yet
            return
        builder = None if self._kept_under() == basis.encode() else self._start_builder(url)
        _ahead[self.path] = _Prepared(self, basis, builder)

    def _start_builder(self, url: str) -> subprocess.Popen | None:
        """A process of its own that opens the database at ``url``, builds the index and keeps it (None: none
        could be started; matching builds the index itself).

        A new interpreter (``python -m`` this module), not a fork: a forked child must not open a SQLite database
        its parent has open, and multiprocessing's spawn would run the caller's main script again. It has a
        session of its own (a Ctrl-C at the terminal is not for it) and writes nothing to the terminal; should
        it fail, matching builds the index itself."""
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
            return None
        return child

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


class _Prepared:
    """What :meth:`IndexFile.prepare` left for matching: the kept index being read by a thread of its own, or a
    process building it, after which matching reads it.

    Only a kept index is read ahead: while one is built aside, the sync's own thread is busy importing (the
    other core builds), and a reader beside it only took turns with it (measured on PostgreSQL: a first sync's
    import took a few seconds longer)."""

    def __init__(self, place: IndexFile, basis: str, builder: subprocess.Popen | None):
        self.place, self.basis, self.builder = place, basis, builder
        self._index: UserIndex | None = None
        self._reader: threading.Thread | None = None
        if builder is None:
            self._reader = threading.Thread(target=self._read, name="gbetix-read-index", daemon=True)
            self._reader.start()

    def settle(self) -> None:
        """Let the builder or the reader finish, for nothing."""
        if self._reader is None:
            _finished(self.builder)
        else:
            self._reader.join()

    def result(self) -> UserIndex | None:
        """The index, or None (the builder failed or was too slow, the file changed): then load or build."""
        if self._reader is None:
            return self.place.load(self.basis) if _finished(self.builder) else None
        self._reader.join()
        return self._index

    def _read(self) -> None:
        try:
            self._index = self.place.load(self.basis, aside=True)
        except Exception as exc:  # noqa: BLE001  (say it in one line: matching reads or builds the index itself)
            log.warning("reading the users' matching index ahead failed (%s: %s); matching reads or builds it",
                        type(exc).__name__, exc)


class _Yielding(io.RawIOBase):
    """The pickle, handed to the unpickler a frame (64 KB) at a time, letting other threads run between frames.

    ``pickle.loads`` keeps the interpreter to itself until it is done (half a
    second at 50,000 users): a sync's own thread, with work to do before it
    waits for BPT, would wait for it instead. Read this way, the unpickling
    takes a little longer and gives way every millisecond or so.
    """

    def __init__(self, payload: bytes):
        super().__init__()
        self._view, self._at = memoryview(payload), 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        time.sleep(0)  # gives the interpreter to any thread waiting for it
        size = min(len(buffer), len(self._view) - self._at)
        buffer[:size] = self._view[self._at:self._at + size]
        self._at += size
        return size


def _finished(builder: subprocess.Popen) -> bool:
    """Whether the process building the index ended in time (one stuck is stopped: the index is built here)."""
    try:
        builder.wait(BUILD_PATIENCE)
        return True
    except subprocess.TimeoutExpired:
        builder.kill()
        builder.wait()
        return False


_ahead: dict[Path, _Prepared] = {}  # what prepare left for a sync's matching, by file


def _build_as_asked() -> None:
    """The process :meth:`IndexFile.prepare` starts: where and how to keep come on standard input."""
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


@functools.cache
def _code() -> str:
    """A digest of what builds an index: the matching package's sources, the libraries' versions, Python's. Once
    per process: it names the code this process runs, and a sync asks for the basis twice (prepare, then load)."""
    digest = hashlib.sha256(sys.version.encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + source.read_bytes())
    for name in LIBRARIES:
        digest.update(f"{name} {package_version(name)}".encode())
    return digest.hexdigest()


if __name__ == "__main__":
    _build_as_asked()
