"""Staff accounts: only an admin manages them, names cannot impersonate, PINs are hashed and locked after guesses."""

import pytest

from gbetix_core.config import StaffConfig
from gbetix_core.errors import InputError, PermissionDenied
from gbetix_core.models import AuditEntry, Staff
from gbetix_core.people.signin import sign_in
from gbetix_core.people.staff import add_staff, disable_staff, get_staff, set_pin
from tests.core.test_cli_setup import config_file, gbetix  # noqa: F401 (config_file is a fixture)

PIN = "2468"
SETTINGS = StaffConfig()


@pytest.fixture
def admin(db):
    return add_staff("Ada Admin", "admin", pin=PIN)


def test_the_first_account_must_be_an_admin(db):
    with pytest.raises(InputError, match="first staff account must be an admin"):
        add_staff("Dana Door", "door")
    assert not Staff.select().exists()


def test_after_the_first_only_an_admin_adds_or_changes_staff(admin):
    door = add_staff("Dana Door", "door", by=admin)
    with pytest.raises(PermissionDenied, match="manage staff"):
        add_staff("Eve", "admin", by=door)
    with pytest.raises(PermissionDenied):
        add_staff("Eve", "admin")
    assert not Staff.select().where(Staff.name == "Eve").exists()


def test_a_name_with_spaces_or_another_unicode_form_is_the_same_account(admin):
    dana = add_staff("  Dana\u00a0 Door ", "door", by=admin)
    assert dana.name == "Dana Door"
    assert add_staff("Dana Door", "manager", by=admin).id == dana.id
    assert get_staff(" Dana Door ").role == "manager"


def test_the_last_admin_is_neither_demoted_nor_disabled(admin):
    with pytest.raises(InputError, match="only active admin"):
        add_staff("Ada Admin ", "door", by=admin)
    with pytest.raises(InputError, match="only active admin"):
        disable_staff("Ada Admin", by=admin)
    assert Staff.get_by_id(admin.id).role == "admin"


@pytest.mark.parametrize("name", ["\u0410da Admin", "Ada \u0391dmin", "ada admin", "Ad\u0430 Admin"])
def test_a_look_alike_of_an_account_is_refused(admin, name):
    with pytest.raises(InputError, match="look"):
        add_staff(name, "admin", by=admin)
    assert Staff.select().count() == 1


@pytest.mark.parametrize("name", ["", "   ", "Ada\x00", "Tab\tName", "x" * 101])
def test_an_unusable_name_is_refused_naming_the_field(admin, name):
    with pytest.raises(InputError, match="staff name"):
        add_staff(name, "door", by=admin)


def test_the_pin_is_stored_only_as_an_argon2_hash(admin):
    stored = Staff.get_by_id(admin.id).pin_hash
    assert stored.startswith("$argon2id$") and PIN not in stored


def test_sign_in_with_the_right_pin_and_refusal_with_a_wrong_one(admin):
    assert sign_in("Ada Admin", PIN, SETTINGS).id == admin.id
    with pytest.raises(PermissionDenied, match="Wrong PIN for Ada Admin; 4 more"):
        sign_in("Ada Admin", "1111", SETTINGS)


def test_repeated_wrong_pins_lock_the_account_until_an_admin_sets_a_new_pin(admin):
    door = add_staff("Dana Door", "door", by=admin, pin="1357")
    for _ in range(SETTINGS.max_failed_signins - 1):
        with pytest.raises(PermissionDenied, match="Wrong PIN"):
            sign_in("Dana Door", "0000", SETTINGS)
    with pytest.raises(PermissionDenied, match="locked. Try again in 15 minute"):
        sign_in("Dana Door", "0000", SETTINGS)
    with pytest.raises(PermissionDenied, match="locked"):
        sign_in("Dana Door", "1357", SETTINGS)
    set_pin("Dana Door", "97531", by=admin)
    assert sign_in("Dana Door", "97531", SETTINGS).id == door.id


def test_an_account_without_a_pin_cannot_sign_in(admin):
    add_staff("Bea", "boxoffice", by=admin)
    with pytest.raises(PermissionDenied, match="no PIN yet"):
        sign_in("Bea", "", SETTINGS)


def test_only_an_admin_or_the_operator_themself_sets_a_pin(admin):
    door = add_staff("Dana Door", "door", by=admin, pin="1357")
    add_staff("Bea", "boxoffice", by=admin)
    set_pin("Dana Door", "24680", by=door)
    with pytest.raises(PermissionDenied):
        set_pin("Bea", "24680", by=door)
    with pytest.raises(InputError, match="too short"):
        set_pin("Dana Door", "12", by=admin)


def test_init_makes_the_first_admin_with_a_pin_from_a_file(config_file, tmp_path, capsys):
    pin_file = tmp_path / "pin"
    pin_file.write_text("correct horse battery\n")
    assert gbetix(config_file, "init", "--admin", "Ada Admin", "--pin-file", str(pin_file)) == 0
    assert "staff Ada Admin: admin, PIN set" in capsys.readouterr().out
    assert sign_in("Ada Admin", "correct horse battery", SETTINGS).role == "admin"
    assert gbetix(config_file, "init", "--admin", "Eve", "--pin-file", str(pin_file)) == 2
    assert "staff accounts exist already" in capsys.readouterr().err


def test_staff_verbs_need_an_admin_after_the_first(config_file, capsys, monkeypatch):
    monkeypatch.setenv("GBETIX_PIN", PIN)
    assert gbetix(config_file, "staff", "add", "Ada Admin", "--role", "admin") == 0
    assert gbetix(config_file, "staff", "add", "X", "--role", "admin") == 2
    assert "--as ADMIN: needed" in capsys.readouterr().err
    assert gbetix(config_file, "staff", "add", "Dana", "--role", "door", "--as", "Ada Admin") == 0
    assert gbetix(config_file, "staff", "add", "Ada Admin ", "--role", "door", "--as", "Dana") == 3
    assert gbetix(config_file, "staff", "disable", "Dana") == 2
    assert gbetix(config_file, "staff", "passwd", "Dana", "--as", "Ada Admin") == 0
    assert gbetix(config_file, "staff", "disable", "Dana", "--as", "Ada Admin") == 0
    assert Staff.get(Staff.name == "Ada Admin").role == "admin"
    assert not Staff.get(Staff.name == "Dana").active
    assert AuditEntry.select().where(AuditEntry.action == "staff.disable").count() == 1


def test_a_new_account_without_a_pin_source_and_no_terminal_exits_2(config_file, capsys):
    assert gbetix(config_file, "staff", "add", "Ada", "--role", "admin") == 2
    assert "use --pin-file FILE or set GBETIX_PIN" in capsys.readouterr().err
    assert not Staff.select().exists()


def test_wrong_pins_sent_at_the_same_moment_from_many_terminals_are_all_counted(admin):
    """The count lives on the locked staff row: 10 guesses at once against a limit of 3 check only 3 PINs."""
    import threading

    from gbetix_core import db as dbmod

    limits = StaffConfig(max_failed_signins=3)
    start, answers = threading.Barrier(10), []

    def guess() -> None:
        with dbmod.connection():
            start.wait(10)
            try:
                sign_in("Ada Admin", "0000", limits)
            except PermissionDenied as exc:
                answers.append(str(exc))

    threads = [threading.Thread(target=guess) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(answers) == 10
    assert sum(a.startswith("Wrong PIN") for a in answers) == 3
    assert sum("is locked after too many wrong PINs" in a for a in answers) == 7
