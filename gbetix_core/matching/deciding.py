"""Deciding many purchases on a second core: a helper process decides while this one stores.

A first sync decides 100,000 purchases: pure Python, one core, about half of
the matching part (the other half is storing them). Threads cannot share that
work (the interpreter runs one at a time), so a run of many purchases forks
a helper process. It inherits the matcher (the users' index, the weights)
from this process as it stands when the run starts, decides the chunks handed
to it, and sends back outcomes stripped to what is stored; when it falls
behind, this process decides the chunks it has not been handed yet rather
than wait. Chunks are stored in the order they were read, so a run writes
(and locks) exactly what deciding in this process alone would: deciding is a
pure function of the buyer, the tracker and the matcher. A short run (a
re-sync's few hundred new lines) is decided here: a helper costs more to
start than it saves.

The helper ignores Ctrl-C (this process decides what an interruption means),
ends with the run, and ends when this process dies, even killed: its end of
the pipe closes. A helper that dies first (killed, out of memory) takes
nothing with it: what it held is decided here.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Iterator

from gbetix_core.forked import as_helper
from gbetix_core.matching.decide import Link, Matcher, Outcome
from gbetix_core.matching.users import buyer_person

# Purchases from which a run is decided in a helper. Forking and sending rows and outcomes across costs a few
# milliseconds per thousand purchases and about 50 ms to start; deciding a thousand, about a second.
HELPERS_FROM = 5_000
# One helper: storing what it decides takes this process about as long (on SQLite, in this process too). A second
# helper on a machine of two cores only takes turns with this process and the database server: measured, it made
# a first sync slower (this process's storing took 1.3 to 1.6 times the CPU time beside two busy helpers).
HELPERS = 1
# Chunks read ahead of the one being stored: enough that the helper never waits for work.
AHEAD = 4
# Chunks the helper holds at once (the one it decides, the next): the others ahead stay free for this process to
# decide when the helper falls behind.
IN_FLIGHT = 2

Chunk = list[tuple[tuple, Link]]  # (purchase row as engine._purchase_rows reads it, its tracker's link)


@dataclass(frozen=True)
class Ranked:
    """A candidate as stored: the user, the chance, the weight in bits and the reasons, written out."""

    user: int
    score: float
    bits: float
    reasons: list[str]


def decide_chunk(matcher: Matcher, chunk: Chunk) -> dict[int, Outcome]:
    """Each purchase's outcome, its candidates as :class:`Ranked`; a buyer who bought again with the same details
    and tracker is decided once."""
    decided: dict[tuple, Outcome] = {}
    outcomes: dict[int, Outcome] = {}
    for row, link in chunk:
        key = (row[3:], link.kind, link.user)  # plain values: a tuple of them hashes in C, a Link in Python
        outcome = decided.get(key)
        if outcome is None:
            outcome = decided[key] = _portable(matcher.decide(buyer_person(*row[3:]), link))
        outcomes[row[0]] = outcome
    return outcomes


def _portable(outcome: Outcome) -> Outcome:
    """The outcome with its candidates reduced to what is stored: an Evidence holds the weights and both people
    to write its reasons from, which a helper would otherwise send back with every candidate."""
    if not outcome.candidates:
        return outcome
    return replace(outcome, candidates=[Ranked(e.user, e.score, e.bits, e.reasons) for e in outcome.candidates])


@contextlib.contextmanager
def deciders(matcher: Matcher, purchases: int) -> Iterator[Callable[[Iterable[Chunk]], Iterator[dict[int, Outcome]]]]:
    """A function that decides chunks in order: in a helper process for a run of ``purchases`` worth it, else here.

    Enter this before starting any thread of the run's own: the helper is forked on entering, and a fork copies
    only the thread that makes it."""
    if purchases < HELPERS_FROM or (os.cpu_count() or 1) < 2:
        yield lambda chunks: (decide_chunk(matcher, chunk) for chunk in chunks)
        return
    global _matcher
    _matcher = matcher
    pool = ProcessPoolExecutor(HELPERS, mp_context=multiprocessing.get_context("fork"), initializer=as_helper)
    try:
        pool.submit(int).result()  # forks the helper now
        yield lambda chunks: _in_order(pool, matcher, chunks)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _matcher = None


@dataclass
class _Handed:
    """A chunk to decide: handed to the helper (its future outcomes), or decided here, or neither yet."""

    chunk: Chunk
    future: Future | None = None
    outcomes: dict[int, Outcome] | None = None

    @property
    def free(self) -> bool:
        """Neither handed over nor decided: whoever comes first may take it."""
        return self.future is None and self.outcomes is None

    def decide_here(self, matcher: Matcher) -> None:
        self.outcomes = decide_chunk(matcher, self.chunk)


def _in_order(pool: ProcessPoolExecutor, matcher: Matcher, chunks: Iterable[Chunk]) -> Iterator[dict[int, Outcome]]:
    """Outcomes of each chunk in the order read, AHEAD chunks ahead of the one the caller stores.

    The chunks are read in the caller's thread (they may come from the database)."""
    waiting: deque[_Handed] = deque()
    for chunk in chunks:
        waiting.append(_Handed(chunk))
        _hand_over(pool, waiting)
        if len(waiting) > AHEAD:
            yield _first(pool, matcher, waiting)
    while waiting:
        yield _first(pool, matcher, waiting)


def _hand_over(pool: ProcessPoolExecutor, waiting: deque[_Handed]) -> None:
    """Hand the first free chunks to the helper, IN_FLIGHT at most at once: the rest stay free for this process
    to take when it would otherwise wait (a future handed over and then cancelled would break the pool's
    bookkeeping should the helper die: Python 3.11 sets its exception all the same, and fails)."""
    flying = sum(1 for handed in waiting if handed.future is not None and not handed.future.done())
    for handed in waiting:
        if flying >= IN_FLIGHT:
            return
        if handed.free:
            handed.future = _handed(pool, handed.chunk)
            if handed.future is None:  # the helper is gone: every chunk is decided here
                return
            flying += 1


def _first(pool: ProcessPoolExecutor, matcher: Matcher, waiting: deque[_Handed]) -> dict[int, Outcome]:
    """The first chunk's outcomes. Rather than wait while the helper is at them, this process decides the last
    free chunks: storing and deciding take about as long, so either side falls behind now and then, and an idle
    side is time lost."""
    first = waiting.popleft()
    if first.free:
        first.decide_here(matcher)
    while first.outcomes is None and not first.future.done():
        last_free = next((handed for handed in reversed(waiting) if handed.free), None)
        if last_free is None:
            break
        last_free.decide_here(matcher)
    _hand_over(pool, waiting)
    return first.outcomes if first.outcomes is not None else _outcomes(matcher, first.chunk, first.future)


def _handed(pool: ProcessPoolExecutor, chunk: Chunk) -> Future | None:
    """The helper's future outcomes of ``chunk``; None once the helper is gone."""
    try:
        return pool.submit(_decide_in_helper, chunk)
    except BrokenProcessPool:
        return None


def _outcomes(matcher: Matcher, chunk: Chunk, future: Future | None) -> dict[int, Outcome]:
    """What the helper decided, or, when it died (killed, out of memory), the chunk decided here: a helper
    takes nothing undecided with it."""
    if future is not None:
        with contextlib.suppress(BrokenProcessPool):
            return future.result()
    return decide_chunk(matcher, chunk)


_matcher: Matcher | None = None  # the helper's matcher: set before it is forked, so it inherits it


def _decide_in_helper(chunk: Chunk) -> dict[int, Outcome]:
    return decide_chunk(_matcher, chunk)
