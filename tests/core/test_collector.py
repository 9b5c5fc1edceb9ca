"""The cycle collector is paused while any bulk run is: a thread reading the users' index ahead may overlap a
sync's own run, in either order."""

import gc
import threading

import pytest

from gbetix_core.collector import collector_paused


@pytest.fixture(autouse=True)
def collector_on():
    was_on = gc.isenabled()
    gc.enable()
    yield
    if not was_on:
        gc.disable()


def test_overlapping_blocks_turn_the_collector_back_on_only_after_the_last():
    entered, leave = threading.Event(), threading.Event()

    def reader() -> None:
        with collector_paused():
            entered.set()
            leave.wait(10)

    thread = threading.Thread(target=reader)
    thread.start()
    entered.wait(10)
    with collector_paused():
        leave.set()
        thread.join()
        assert not gc.isenabled()  # the reader left first: the run here still has it paused
    assert gc.isenabled()


def test_a_collector_off_before_stays_off():
    gc.disable()
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
    assert not gc.isenabled()
