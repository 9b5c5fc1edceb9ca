"""Every screen at 80x24 and 120x40 on the fixed festival: look at the SVGs in tests/tui/__snapshots__ when they change.

The festival, its people, its sales and its BPT purchases are seeded and the
app's clock is pinned (see conftest and festival_data), so a snapshot only
changes when a screen does.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from gbetix_core.demo import DEMO_PIN
from tests.tui.conftest import config_for, settle
from tests.tui.festival_data import add_purchases, add_sync_runs, sell_party, sell_walkups



@pytest.fixture(params=[(80, 24), (120, 40)], ids=["80x24", "120x40"])
def size(request) -> tuple[int, int]:
    """The narrowest terminal the box office uses, and a roomy one."""
    return request.param


def keys(*pressed: str):
    """A run_before that waits for start-up, presses ``pressed`` one by one, and waits for the answers."""

    async def run(pilot) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)
        await settle(pilot)
        await settle(pilot)
        steady_cursors(pilot.app)

    return run


def steady_cursors(app) -> None:
    """A blinking text cursor would make the picture depend on the moment it is taken."""
    for screen in app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False


@pytest.fixture
def busy_festival(sqlite_festival_url, tmp_path):
    """The snapshot festival with a party, walkups, matched BPT purchases and past syncs."""
    sell_party(sqlite_festival_url)
    sell_walkups(sqlite_festival_url)
    add_purchases(sqlite_festival_url, config_for(sqlite_festival_url, tmp_path))
    add_sync_runs(sqlite_festival_url)
    return sqlite_festival_url


def test_operator_picker(snap_compare, snap_app, size):
    assert snap_compare(snap_app(operator=None), terminal_size=size, run_before=keys())


def test_sign_in_of_the_demo_after_a_wrong_pin(snap_compare, snap_app, size):
    app = snap_app(operator=None)
    app.session.demo_pin = DEMO_PIN
    assert snap_compare(app, terminal_size=size, run_before=keys("down", "enter", *"1111", "enter"))


def test_main_menu_of_an_admin(snap_compare, snap_app, size, busy_festival):
    assert snap_compare(snap_app(), terminal_size=size, run_before=keys())


def test_main_menu_of_a_door_operator(snap_compare, snap_app, size):
    assert snap_compare(snap_app("Dana Door"), terminal_size=size, run_before=keys())


def test_help(snap_compare, snap_app, size):
    assert snap_compare(snap_app(), terminal_size=size, run_before=keys("f1"))


def test_walkup_with_two_general_admissions_by_card(snap_compare, snap_app, size, busy_festival):
    assert snap_compare(snap_app("Bea Boxoffice"), terminal_size=size, run_before=keys("1", "2", "d"))


def test_walkup_confirmation(snap_compare, snap_app, size, busy_festival):
    assert snap_compare(snap_app("Bea Boxoffice"), terminal_size=size,
                        run_before=keys("1", "down", "3", "enter"))


def test_door_list(snap_compare, snap_app, size, busy_festival):
    assert snap_compare(snap_app("Dana Door"), terminal_size=size, run_before=keys("2"))


def test_door_after_checking_in_two_of_a_party(snap_compare, snap_app, size, busy_festival):
    assert snap_compare(snap_app("Dana Door"), terminal_size=size, run_before=keys("2", "down", "2"))


def test_queue_of_candidates(snap_compare, snap_app, size, busy_festival):
    assert snap_compare(snap_app(), terminal_size=size, run_before=keys("3"))


def test_candidates_of_the_first_purchase(snap_compare, snap_app, size, busy_festival):
    assert snap_compare(snap_app(), terminal_size=size, run_before=keys("3", "enter"))


def test_transfers_found_by_name(snap_compare, snap_app, size, busy_festival):
    assert snap_compare(snap_app(), terminal_size=size, run_before=keys("4", *"brooklyn hill", "enter"))


def test_setup_performances(snap_compare, snap_app, size, busy_festival):
    assert snap_compare(snap_app("Manny Manager"), terminal_size=size, run_before=keys("6"))


def test_sync_runs(snap_compare, snap_app, size, busy_festival):
    assert snap_compare(snap_app(), terminal_size=size, run_before=keys("5", "down", "down"))


def test_claim_finding_the_user(snap_compare, snap_app, size, busy_festival):
    assert snap_compare(snap_app("Dana Door"), terminal_size=size, run_before=keys("7", *"brooklyn"))


def test_claim_refused(snap_compare, snap_app, size, busy_festival):
    assert snap_compare(snap_app("Dana Door"), terminal_size=size,
                        run_before=keys("7", *"brooklyn", "enter", *"K12345678", "enter", *"Nobody", "enter"))


def test_setup_bpt_mapping(snap_compare, snap_app, size, busy_festival):
    assert snap_compare(snap_app("Manny Manager"), terminal_size=size, run_before=keys("6", "4"))



def test_order_receipt(snap_compare, snap_app, size, busy_festival):
    assert snap_compare(snap_app("Bea Boxoffice"), terminal_size=size, run_before=keys("8", "2", "enter"))


def test_takings_of_the_night(snap_compare, snap_app, size, busy_festival):
    assert snap_compare(snap_app("Bea Boxoffice"), terminal_size=size, run_before=keys("9"))


def test_reservations(snap_compare, snap_app, size, busy_festival):
    assert snap_compare(snap_app(), terminal_size=size, run_before=keys("0"))


def test_revenue_report(snap_compare, snap_app, size, busy_festival):
    assert snap_compare(snap_app("Manny Manager"), terminal_size=size, run_before=keys("s", "enter"))


def test_merge_suggestions(snap_compare, snap_app, size, busy_festival):
    assert snap_compare(snap_app(), terminal_size=size, run_before=keys("m"))


def test_mail_outbox(snap_compare, snap_app, size, busy_festival):
    assert snap_compare(snap_app(), terminal_size=size, run_before=keys("e"))
