"""A terminal waiting for SQLite's write lock goes before the sync's next batch."""

from __future__ import annotations

import threading

from gbetix_core import writer_turns


def test_the_sync_does_not_begin_a_batch_while_a_terminal_is_waiting(tmp_path, monkeypatch):
    monkeypatch.setattr(writer_turns, "MAX_YIELD_SECONDS", 60.0)
    path = writer_turns.turns_file(str(tmp_path / "gbetix.db"))
    began = threading.Event()
    sync = threading.Thread(target=lambda: (writer_turns.let_terminals_go_first(path), began.set()))
    with writer_turns.waiting(path) as place:
        place.mark()
        sync.start()
        assert not began.wait(0.3)
    sync.join(10)
    assert began.is_set()


def test_a_terminal_that_never_waited_leaves_the_sync_free(tmp_path):
    path = writer_turns.turns_file(str(tmp_path / "gbetix.db"))
    with writer_turns.waiting(path):
        writer_turns.let_terminals_go_first(path)
    writer_turns.let_terminals_go_first(path)


def test_a_busy_sync_gives_way_only_so_long(tmp_path, monkeypatch):
    monkeypatch.setattr(writer_turns, "MAX_YIELD_SECONDS", 0.0)
    path = writer_turns.turns_file(str(tmp_path / "gbetix.db"))
    with writer_turns.waiting(path) as place:
        place.mark()
        writer_turns.let_terminals_go_first(path)
