"""The ``festival`` fixture: a small festival on each database backend."""

import pytest

from tests.core.matching.festival import Festival


@pytest.fixture
def festival(db) -> Festival:
    return Festival()
