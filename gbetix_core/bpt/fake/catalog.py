"""The fake BPT's catalog for the demo festival: one event whose dates are the festival's performances.

Prices carry the demo's ticket-type names (General Admission, Student, VIP on
every date; the Weekend Pass on the opening date), so a sync into the demo
database maps every date and price automatically.
"""

from __future__ import annotations

import datetime as dt

from gbetix_core.demo.festival import SHOWS, festival_friday

EVENT_ID = "4412001"
OTHER_ACCOUNT_EVENT_ID = "4419999"
PRICES = (("General Admission", "35.00"), ("Student", "25.00"), ("VIP", "60.00"))
PASS = ("Weekend Pass", "150.00")


def festival_events(client: str, today: dt.date | None = None) -> list[dict]:
    """The festival's event (plus another producer's event, which answers 300052 to us)."""
    friday = festival_friday(today or dt.date.today())
    starts = sorted(dt.datetime.combine(friday + dt.timedelta(days=day), dt.time(hour, minute))
                    for _name, _text, times in SHOWS for day, hour, minute in times)
    dates = []
    for number, start in enumerate(starts):
        date_id = str(5521001 + number)
        names = PRICES + ((PASS,) if number == 0 else ())
        dates.append({
            "date_id": date_id, "live": "y", "datestart": f"{start:%Y-%m-%d}", "dateend": f"{start:%Y-%m-%d}",
            "timestart": f"{start:%H:%M}", "timeend": f"{start + dt.timedelta(hours=2):%H:%M}",
            "date_available": "50",
            "prices": [{"price_id": str(7730001 + number * 10 + index), "live": "y", "name": name, "value": value,
                        "service_fee": "3.50", "venue_fee": "0.00", "price_available": "50"}
                       for index, (name, value) in enumerate(names)],
        })
    festival = {
        "event_id": EVENT_ID, "account": client, "title": f"The Great Burlesque Expo {friday.year}",
        "link": f"https://www.brownpapertickets.com/event/{EVENT_ID}", "description": "Three days of burlesque.",
        "live": "y", "e_address1": "The Liberty Hotel", "e_address2": "", "e_city": "Boston", "e_state": "MA",
        "e_country": "United States", "e_zip": "02114", "e_phone": "617-555-0100",
        "e_web": "https://www.burlesque-expo.com", "e_description": "&lt;p&gt;The Expo&lt;/p&gt;",
        "c_name": "GBE Box Office", "c_phone": "617-555-0101", "c_email": "tickets@burlesque-expo.com",
        "dates": dates,
    }
    other = {"event_id": OTHER_ACCOUNT_EVENT_ID, "account": "another-producer", "title": "Someone else's show",
             "live": "y", "dates": []}
    return [festival, other]


def slots(events: list[dict], client: str) -> list[tuple[str, str, str]]:
    """Every (event_id, date_id, price_id) a buyer of ``client``'s events can choose."""
    return [(event["event_id"], date["date_id"], price["price_id"])
            for event in events if event.get("account", client) == client
            for date in event.get("dates", []) for price in date.get("prices", [])]
