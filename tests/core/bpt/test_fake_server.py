"""The fake BPT server says what went wrong with a request in one line, and nothing when the client hung up."""

import pytest

from gbetix_core.bpt.fake.server import start_fake_bpt
from tests.bpt_support import dataset, line


@pytest.fixture
def fake():
    server = start_fake_bpt(dataset([line(1)]))
    yield server
    server.stop()


def fail_with(fake, problem: Exception) -> None:
    """What the server does when handling a request raised ``problem``."""
    try:
        raise problem
    except type(problem):
        fake.server.handle_error(None, ("127.0.0.1", 50123))


def test_a_client_that_hung_up_goes_unsaid(fake, capsys):
    fail_with(fake, ConnectionResetError(104, "Connection reset by peer"))
    fail_with(fake, BrokenPipeError(32, "Broken pipe"))
    assert capsys.readouterr().err == ""


def test_any_other_failure_is_one_line_without_a_traceback(fake, capsys):
    fail_with(fake, ValueError("bad request line"))
    err = capsys.readouterr().err
    assert err == "fake BPT: a request from 127.0.0.1 failed: ValueError: bad request line\n"
