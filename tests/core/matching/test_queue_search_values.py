"""The queue's search box takes text, not patterns: % and _ match themselves, a NUL byte is refused in words."""

import pytest

from gbetix_core.errors import InputError
from gbetix_core.matching.queue import queue_page
from tests.core.matching.test_queue import queue  # noqa: F401 (a fixture)


@pytest.mark.parametrize("pattern", ["%", "_", "%a%", "r_sa"])
def test_a_wildcard_in_the_search_matches_nobody(queue, pattern):
    for status in ("candidates", "unmatched", "linked"):
        assert queue_page(status, search=pattern).rows == []


def test_a_nul_byte_in_the_search_is_refused_before_the_database_sees_it(queue):
    with pytest.raises(InputError, match="search 'a\\\\x00': has a control character"):
        queue_page("unmatched", search="a\x00")
