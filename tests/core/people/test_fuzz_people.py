"""Fuzzing the users CSV and staff accounts: imported, or refused naming the line, never a traceback or half a file."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gbetix_core.errors import GbetixError
from gbetix_core.models import Staff, User
from gbetix_core.people.staff import add_staff
from gbetix_core.people.users_import import COLUMNS, REQUIRED, import_users
from tests.core.test_cli_setup import config_file  # noqa: F401 (a fixture)
from tests.fuzz_support import assert_success_or_refusal, run_cli, values

FIELD = st.sampled_from(["rosa", "Rosa", "rosa@example.org", "617-555-0142", ""]) | values(30)
ROW = st.lists(FIELD, min_size=1, max_size=len(COLUMNS) + 1)


def users() -> list[tuple]:
    """The festival's users; not the special accounts (anonymous, walkup...) the CLI makes when it first opens a
    database, whatever it then does."""
    return list(User.select(User.username, User.email, User.first_name).where(User.special.is_null())
                .tuples().order_by(User.username))


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@given(rows=st.lists(ROW, min_size=1, max_size=4), optional=st.booleans())
def test_a_users_csv_is_imported_whole_or_refused_with_its_line(db, rows, optional):
    before = users()
    try:
        result = import_users(io.StringIO(csv_text(list(COLUMNS if optional else REQUIRED), rows)), source="u.csv")
    except GbetixError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("u.csv: line ")
        assert users() == before
        return
    assert result.created + result.updated + result.unchanged == len(rows)


@given(content=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_file_given_to_users_import_is_imported_or_refused_in_one_line(config_file, tmp_path, capsys, content):
    path = tmp_path / "users.csv"
    path.write_bytes(content)
    before = users()
    code, err = run_cli(capsys, "--config", str(config_file), "users", "import", str(path))
    assert_success_or_refusal(code, err, codes=(0, 2))
    if code != 0:
        assert users() == before


@pytest.fixture
def admin(db) -> Staff:
    return add_staff("Ada Admin", "admin")


@given(name=st.sampled_from(["Dana Door", " Ada Admin ", "\u0410da Admin", "ada admin"]) | values(),
       role=st.sampled_from(["door", "admin"]) | values(), pin=st.none() | st.sampled_from(["2468"]) | values())
def test_add_staff_makes_an_account_or_refuses_and_always_leaves_an_admin(admin, name, role, pin):
    before = list(Staff.select(Staff.name, Staff.role, Staff.active).tuples().order_by(Staff.id))
    try:
        staff = add_staff(name, role, by=admin, pin=pin)
    except GbetixError as exc:
        assert "\n" not in str(exc)
        assert list(Staff.select(Staff.name, Staff.role, Staff.active).tuples().order_by(Staff.id)) == before
        return
    assert staff.name == staff.name.strip()
    assert Staff.select().where((Staff.role == "admin") & (Staff.active == True)).exists()  # noqa: E712
