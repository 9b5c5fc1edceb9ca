"""A manager sets up a pass of open admissions ("any 3 shows") in the setup screen."""

from __future__ import annotations

from gbetix_core.models import TicketType
from tests.tui.conftest import open_place, settle
from tests.tui.festival_data import opened


async def test_a_flex_pass_of_three_open_admissions(make_app, festival_url):
    with opened(festival_url):
        admission = TicketType.get(TicketType.name == "Pass admission")
    app = make_app("Manny Manager")
    async with app.run_test(size=(100, 40)) as pilot:
        await open_place(pilot, "6")
        await pilot.press("t")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#f-name").value = "Flex Pass"
        dialog.query_one("#f-price").value = "90"
        dialog.query_one("#f-category").value = "bundle"
        dialog.query_one("#f-open").value = "3"
        dialog.query_one("#f-reserved_as").value = admission.id
        await pilot.press("ctrl+s")
        await settle(pilot)
    with opened(festival_url):
        flex = TicketType.get(TicketType.name == "Flex Pass")
        assert (flex.category, flex.open_admissions, flex.open_admission_type_id) == ("bundle", 3, admission.id)
