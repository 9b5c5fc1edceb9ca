"""A long matching run is decided in a helper process: the same outcomes, stored the same way, and no helper left."""

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from gbetix_core.db import connection
from gbetix_core.matching import deciding, engine
from gbetix_core.matching.decide import Matcher
from gbetix_core.matching.engine import match_all_unresolved
from gbetix_core.matching.users import load_index, load_weights
from gbetix_core.models import Purchase

from tests.core.matching.festival import order


@pytest.fixture
def bought(festival):
    """The seed's cases: a signed-in buyer, a gift, a friend on a signed-in browser, namesakes, a stranger."""
    festival.buy(order("D1", "Bob", "Smith", "bob.smith@example.org", tracker=festival.token("bob")),
                 order("D2", "Alice", "Jones", "alice.jones@gmail.com", notes="gift for Amy Lee"),
                 order("D3", "Dana", "Whitfield", "dana.w@example.net", tracker=festival.token("alice")),
                 order("D4", "Rosa", "Delgado", "rosa.delgado@example.net"),
                 order("D5", "Quentin", "Zabriskie", "qz@example.net"),
                 order("D6", "Renee", "OBrien Muller", "renee@example.org", quantity=3))
    return festival


def only_in_a_helper(monkeypatch):
    """Decide every run in a helper, and fail if a chunk is decided in this process."""
    here, real = os.getpid(), deciding.decide_chunk

    def decide_elsewhere(matcher, chunk):
        assert os.getpid() != here, "decided in the process that stores"
        return real(matcher, chunk)

    monkeypatch.setattr(deciding, "HELPERS_FROM", 1)
    monkeypatch.setattr(deciding, "decide_chunk", decide_elsewhere)
    monkeypatch.setattr(deciding, "IN_FLIGHT", 1_000)  # every chunk handed over at once: none left to take


def chunks_and_matcher(festival):
    index = load_index()
    matcher = Matcher(index, festival.config.matching, load_weights(index))
    ids = sorted(p.id for p in Purchase.select(Purchase.id))
    return list(engine._chunks(ids, festival.secret)), matcher


def test_a_helper_decides_each_chunk_as_this_process_would_in_order(bought, monkeypatch):
    monkeypatch.setattr(engine, "WRITE_CHUNK", 1)
    monkeypatch.setattr(deciding, "AHEAD", 2)
    chunks, matcher = chunks_and_matcher(bought)
    here = [deciding.decide_chunk(matcher, chunk) for chunk in chunks]
    only_in_a_helper(monkeypatch)
    with deciding.deciders(matcher, purchases=len(chunks)) as decide:
        assert list(decide(iter(chunks))) == here
    assert [list(outcomes) for outcomes in here] == [[row[0]] for [(row, _link)] in chunks]
    assert len({outcome.status for outcomes in here for outcome in outcomes.values()}) == 3


def test_this_process_decides_what_a_slow_helper_has_not_started_and_order_holds(bought, monkeypatch):
    """Storing waits for nobody: while the helper is still at the chunk to store next, this process decides the
    last chunks not handed over yet."""
    monkeypatch.setattr(engine, "WRITE_CHUNK", 1)
    monkeypatch.setattr(deciding, "AHEAD", 3)
    chunks, matcher = chunks_and_matcher(bought)
    here = [deciding.decide_chunk(matcher, chunk) for chunk in chunks]
    pid, real, decided_here = os.getpid(), deciding.decide_chunk, []

    def slow_in_the_helper(matcher, chunk):
        if os.getpid() == pid:
            decided_here.append(chunk[0][0][0])
        else:
            time.sleep(0.3)
        return real(matcher, chunk)

    monkeypatch.setattr(deciding, "HELPERS_FROM", 1)
    monkeypatch.setattr(deciding, "decide_chunk", slow_in_the_helper)
    with deciding.deciders(matcher, purchases=len(chunks)) as decide:
        assert list(decide(iter(chunks))) == here
    assert decided_here and len(set(decided_here)) == len(decided_here)  # some here, none twice


def test_the_seed_cases_decided_in_a_helper_are_stored_as_ever(bought, monkeypatch):
    only_in_a_helper(monkeypatch)
    summary = match_all_unresolved(bought.config)
    assert summary.seen == 6
    assert_the_seed_cases(bought)


def assert_the_seed_cases(bought):
    assert (bought.match("D1").status, bought.owners("D1")) == ("linked", {"bob"})
    assert (bought.match("D2").status, bought.owners("D2")) == ("linked", {"alice"})
    assert (bought.match("D3").status, bought.match("D3").flag) == ("candidates", "token_conflict")
    assert (bought.match("D4").status, bought.match("D4").flag) == ("candidates", "namesakes")
    assert set(bought.candidates("D4")) == {"rosa1", "rosa2"}
    assert bought.match("D5").status == "unmatched"
    assert (bought.match("D6").status, bought.owners("D6")) == ("linked", {"renee"})


@pytest.mark.parametrize("end", [signal.SIGKILL, signal.SIGTERM])
def test_a_helper_that_dies_leaves_nothing_undecided(bought, monkeypatch, end):
    """Killed, or told to stop (which a sync's own SIGTERM handler, copied into the helper, would not do):
    the helper ends, and what it held is decided here."""
    monkeypatch.setattr(engine, "WRITE_CHUNK", 1)
    here, real, decided_here = os.getpid(), deciding.decide_chunk, []

    def dies_in_the_helper(matcher, chunk):
        if os.getpid() != here:
            os.kill(os.getpid(), end)
        decided_here.append(chunk[0][0][0])
        return real(matcher, chunk)

    monkeypatch.setattr(deciding, "HELPERS_FROM", 1)
    monkeypatch.setattr(deciding, "decide_chunk", dies_in_the_helper)
    before = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        assert match_all_unresolved(bought.config).seen == 6
    finally:
        signal.signal(signal.SIGTERM, before)
    assert len(decided_here) == 6
    assert_the_seed_cases(bought)


def test_a_run_in_a_thread_of_the_app_is_decided_in_a_helper_too(bought, monkeypatch):
    """The app syncs in a thread worker: the helper is forked from that thread, and sets its signals there."""
    only_in_a_helper(monkeypatch)
    with ThreadPoolExecutor(1) as thread:
        summary = thread.submit(with_connection, match_all_unresolved, bought.config).result()
    assert summary.seen == 6
    assert_the_seed_cases(bought)


def with_connection(job, *args):
    with connection():
        return job(*args)


def test_a_short_run_is_decided_in_this_process(bought, monkeypatch):
    here, seen = os.getpid(), []
    real = deciding.decide_chunk

    def decide_here(matcher, chunk):
        seen.append(os.getpid())
        return real(matcher, chunk)

    monkeypatch.setattr(deciding, "decide_chunk", decide_here)
    match_all_unresolved(bought.config)
    assert seen == [here]
