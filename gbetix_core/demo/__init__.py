"""A ready-to-try festival database: the demo that ``gbetix demo`` opens.

The demo lives in its own file in the data dir (``demo/gbetix-demo.db``), so
it never mixes with a real festival's database.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from gbetix_core import db
from gbetix_core.demo.festival import build_festival
from gbetix_core.demo.people import generate_users, users_csv
from gbetix_core.models import Show, Staff
from gbetix_core.people.accounts import ensure_special_accounts
from gbetix_core.people.pins import hash_pin
from gbetix_core.people.staff import add_staff
from gbetix_core.people.users_import import import_users

DEMO_USERS = 2_000
DEMO_STAFF = (("Dana Door", "door"), ("Bea Boxoffice", "boxoffice"), ("Manny Manager", "manager"), ("Ada Admin", "admin"))
# Every demo account signs in with this PIN; the demo's sign-in screen and the README show it.
DEMO_PIN = "2468"


@dataclass(frozen=True)
class DemoDatabase:
    url: str
    created: bool
    path: Path


def demo_dir(data_dir: Path) -> Path:
    return data_dir / "demo"


def prepare_demo(data_dir: Path, reset: bool = False, users: int = DEMO_USERS) -> DemoDatabase:
    """Create the demo database (or reuse it); ``reset`` starts over from nothing."""
    folder = demo_dir(data_dir)
    if reset and folder.exists():
        shutil.rmtree(folder)
    path = folder / "gbetix-demo.db"
    url = f"sqlite:///{path}"
    database = db.open_database(url)
    created = not Show.select().exists()
    if created:
        with db.write():
            ensure_special_accounts()
            build_festival()
        import_users(io.StringIO(users_csv(generate_users(users))), source="demo users")
        add_demo_staff()
    _give_demo_pin()
    database.close()
    return DemoDatabase(url=url, created=created, path=path)


def add_demo_staff(pin: str = DEMO_PIN) -> None:
    """One account per role, the admin first (it adds the others), all with ``pin``."""
    by_role = dict((role, name) for name, role in DEMO_STAFF)
    admin = add_staff(by_role["admin"], "admin", pin=pin)
    for name, role in DEMO_STAFF:
        if role != "admin":
            add_staff(name, role, by=admin, pin=pin)


def _give_demo_pin() -> None:
    """A demo made before staff had PINs: give its accounts the demo PIN, so the newcomer still walks in."""
    if Staff.select().where(Staff.pin_hash.is_null()).exists():
        with db.write():
            Staff.update(pin_hash=hash_pin(DEMO_PIN)).where(Staff.pin_hash.is_null()).execute()
