"""Learned weights are kept in the database, so that a new process (the next sync) reuses them while the users,
people's links and rejections they were learned from are unchanged, and learns again when they change."""

import io

import pytest

from gbetix_core.config import Config, TokensConfig
from gbetix_core.demo.buyers import generate_orders
from gbetix_core.demo.people import generate_users, users_csv
from gbetix_core.demo.purchases import store_orders
from gbetix_core.matching import users as matcher_users
from gbetix_core.matching.users import load_index, load_weights
from gbetix_core.models import LearnedWeights, User
from gbetix_core.models.base import utcnow
from gbetix_core.people.users_import import import_users
from tests.core.matching.rematched import matched

SECRET = "kept-weights-secret-0123456789abcdef"


@pytest.fixture
def config(db) -> Config:
    """300 users and 600 purchases: enough buyers for the weights to be learned, not the defaults."""
    users = generate_users(300, seed=8)
    import_users(io.StringIO(users_csv(users)), source="test users")
    ids = dict(User.select(User.username, User.id).tuples())
    store_orders(generate_orders(users, 600, slots=[("1", "2", "3")], secret=SECRET.encode(), user_ids=ids,
                                 seed=5).orders)
    return Config(tokens=TokensConfig(secret=SECRET))


@pytest.fixture
def learning(monkeypatch) -> list[int]:
    """Counts the times the weights are learned."""
    calls, real = [], matcher_users.learn

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(matcher_users, "learn", counted)
    return calls


def new_process() -> None:
    """What a new process starts without: the weights held in memory."""
    matcher_users._learned.clear()


def test_a_new_process_reuses_the_kept_weights_and_decides_alike(config, learning):
    first = matched(config)
    assert learning == [1] and LearnedWeights.select().count() == 1
    new_process()
    assert matched(config) == first
    assert learning == [1]


def test_the_weights_are_learned_again_when_the_users_changed(config, learning):
    load_weights(load_index())
    learned_on = LearnedWeights.get().basis
    User.update(updated_at=utcnow()).where(User.id == User.select(User.id).order_by(User.id).first().id).execute()
    new_process()
    load_weights(load_index())
    assert learning == [1, 1] and [row.basis for row in LearnedWeights.select()] != [learned_on]


def test_relearn_learns_again_and_keeps_the_result(config, learning):
    load_weights(load_index())
    new_process()
    load_weights(load_index(), relearn=True)
    new_process()
    load_weights(load_index())
    assert learning == [1, 1]
