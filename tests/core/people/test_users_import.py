"""Importing the festival site's users: all rows or none, upsert by username; emails may be shared, site ids not."""

import io

import pytest

from gbetix_core.errors import InputError
from gbetix_core.models import User
from gbetix_core.people.users_import import import_users

HEADER = "username,first_name,last_name,email,phone,purchase_email\n"


def run(text):
    return import_users(io.StringIO(text), source="users.csv")


def test_new_users_are_created_with_emails_lowercased(db):
    result = run(HEADER + "rosa,Rosa,Delgado,Rosa.Delgado@Example.org,617-555-0142,\n"
                 "bob,Robert,Smith,bob@example.org,,rob.work@example.com\n")
    assert (result.created, result.updated) == (2, 0)
    rosa = User.get(User.username == "rosa")
    assert rosa.email == "rosa.delgado@example.org"
    assert rosa.purchase_email is None
    assert User.get(User.username == "bob").purchase_email == "rob.work@example.com"
    assert len(result.user_ids) == 2


def test_importing_again_updates_by_username_and_reports_unchanged(db):
    run(HEADER + "rosa,Rosa,Delgado,rosa@example.org,,\nbob,Bob,Smith,bob@example.org,,\n")
    result = run(HEADER + "rosa,Rosa,Delgado-Ruiz,rosa@example.org,,\nbob,Bob,Smith,bob@example.org,,\n")
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert User.get(User.username == "rosa").last_name == "Delgado-Ruiz"
    assert result.user_ids == [User.get(User.username == "rosa").id]


def test_optional_address_columns_are_read(db):
    run("username,first_name,last_name,email,phone,purchase_email,city,zip\n"
        "amy,Amy,Lee,amy@example.org,,,Somerville,02143\n")
    amy = User.get(User.username == "amy")
    assert (amy.city, amy.zip) == ("Somerville", "02143")


@pytest.mark.parametrize("body, message", [
    ("rosa,Rosa,Delgado,rosa@example.org,,\nbad,Bad,Row,not-an-email,,\n", "line 3: email 'not-an-email'"),
    ("rosa,Rosa,Delgado,rosa@example.org,,\n,No,Name,x@example.org,,\n", "line 3: username is empty"),
    ("rosa,Rosa,Delgado,rosa@example.org,,\nrosa,Rosa,Again,r2@example.org,,\n", "line 3: username 'rosa' also on line 2"),
    ("rosa,Rosa,Delgado,rosa@example.org,,,extra\n", "line 2: 7 fields; the header has 6"),
])
def test_a_bad_row_is_named_and_nothing_is_written(db, body, message):
    with pytest.raises(InputError, match=message):
        run(HEADER + body)
    assert not User.select().where(User.special.is_null()).exists()


def test_a_missing_column_is_reported_on_line_1(db):
    with pytest.raises(InputError, match="line 1: missing column.*purchase_email"):
        run("username,first_name,last_name,email,phone\nrosa,Rosa,D,r@example.org,\n")


def test_a_household_may_share_one_email_in_one_file_or_across_files(db):
    run(HEADER + "liz,Elizabeth,Hall,hallfamily@example.org,,\ntom,Thomas,Hall,HallFamily@example.org,,\n")
    run(HEADER + "kid,Sam,Hall,hallfamily@example.org,,\n")
    holders = User.select(User.username).where(User.email == "hallfamily@example.org").order_by(User.username)
    assert [u.username for u in holders] == ["kid", "liz", "tom"]


def test_site_ids_are_read_and_unique(db):
    site = "username,first_name,last_name,email,phone,purchase_email,site_id\n"
    run(site + "rosa,Rosa,Delgado,rosa@example.org,,,1042\nbob,Bob,Smith,bob@example.org,,,\n")
    assert (User.get(User.username == "rosa").site_id, User.get(User.username == "bob").site_id) == ("1042", None)
    with pytest.raises(InputError, match="line 3: site_id 7 also on line 2"):
        run(site + "a,A,A,a@example.org,,,7\nb,B,B,b@example.org,,,7\n")
    with pytest.raises(InputError, match="line 2: site_id 1042 already belongs to user 'rosa'"):
        run(site + "imposter,Rosa,D,r@example.org,,,1042\n")
    assert not User.select().where(User.username.in_(["a", "b", "imposter"])).exists()


def test_two_users_may_swap_emails_in_one_file(db):
    run(HEADER + "a,A,A,a@example.org,,\nb,B,B,b@example.org,,\n")
    run(HEADER + "a,A,A,new-a@example.org,,\nb,B,B,a@example.org,,\n")
    assert User.get(User.username == "b").email == "a@example.org"
