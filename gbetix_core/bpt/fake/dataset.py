"""What the fake BPT sells: its account, events, dates, prices and order lines.

Saved as a directory (``gbetix fake-bpt --save DIR``, read back with ``--data DIR``):

- ``catalog.json``: ``{"developer_id": str, "client": str, "events": [event, ...]}``;
  an event holds the eventlist fields by tag name, an ``account`` (the producer
  it belongs to; another account's event answers 300052) and ``dates``; a date
  holds the datelist fields and ``prices``, a list of pricelist fields.
- ``orders.jsonl``: one order line per line, a JSON object holding every
  orderlist ``<item>`` field by tag name (``""`` or null for an empty tag)
  plus ``event_id``. Lines are served in file order.

All values are strings, exactly as they appear in BPT's XML.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path

from gbetix_core.errors import InputError


@dataclass
class Dataset:
    """The fake's state; change orders only through the methods so that cached XML stays right."""

    developer_id: str = "gbetix-demo"
    client: str = "gbe"
    events: list[dict] = field(default_factory=list)
    orders: list[dict] = field(default_factory=list)

    def __post_init__(self):
        self.lock = threading.RLock()
        self.version = 0
        self._numbers = {order["ticket_number"] for order in self.orders}

    def event(self, event_id: str) -> dict | None:
        return next((e for e in self.events if e.get("event_id") == event_id), None)

    def add_orders(self, orders: list[dict]) -> int:
        """Sell ``orders``; a ticket number BPT already issued is never issued twice (returns how many were added)."""
        with self.lock:
            fresh = []
            for order in orders:
                if order["ticket_number"] not in self._numbers:
                    self._numbers.add(order["ticket_number"])
                    fresh.append(order)
            self.orders.extend(fresh)
            self.version += 1
            return len(fresh)

    def change_order(self, ticket_number: str, **fields: str) -> dict:
        """Change a line's fields (as a buyer's edit at BPT would); returns the new line."""
        with self.lock:
            for index, order in enumerate(self.orders):
                if order["ticket_number"] == ticket_number:
                    self.orders[index] = {**order, **fields}
                    self.version += 1
                    return self.orders[index]
        raise KeyError(ticket_number)

    def remove_order(self, ticket_number: str) -> None:
        """Drop a line (a refund or cancellation at BPT)."""
        with self.lock:
            self.orders = [o for o in self.orders if o["ticket_number"] != ticket_number]
            self._numbers.discard(ticket_number)
            self.version += 1

    def save(self, folder: str | Path) -> Path:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        catalog = {"developer_id": self.developer_id, "client": self.client, "events": self.events}
        (folder / "catalog.json").write_text(json.dumps(catalog, indent=1), encoding="utf-8")
        with self.lock, (folder / "orders.jsonl").open("w", encoding="utf-8") as out:
            for order in self.orders:
                out.write(json.dumps(order, separators=(",", ":")) + "\n")
        return folder


def load(folder: str | Path) -> Dataset:
    """Read a dataset saved by :meth:`Dataset.save`; a bad file is named with its line."""
    folder = Path(folder)
    try:
        catalog = json.loads((folder / "catalog.json").read_text(encoding="utf-8"))
        orders = []
        path = folder / "orders.jsonl"
        if path.exists():
            with path.open(encoding="utf-8") as lines:
                for number, line in enumerate(lines, 1):
                    if line.strip():
                        orders.append(_order(json.loads(line), path, number))
    except FileNotFoundError as exc:
        raise InputError(f"{folder}: not a fake BPT dataset ({exc.filename} is missing)") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{folder}: bad JSON: {exc}") from None
    return Dataset(developer_id=catalog.get("developer_id", "gbetix-demo"), client=catalog.get("client", "gbe"),
                   events=catalog.get("events", []), orders=orders)


def _order(order: dict, path: Path, number: int) -> dict:
    if not isinstance(order, dict) or not order.get("ticket_number") or not order.get("event_id"):
        raise InputError(f"{path}:{number}: an order line needs ticket_number and event_id")
    return {key: "" if value is None else str(value) for key, value in order.items()}
