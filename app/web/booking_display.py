"""What the booking pages and the calendar file show of a test location and of panels: its
address, opening hours in local time, next free slot and map link, and the fasting instruction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from flask_babel import gettext, lazy_gettext

from app.domain.models import Panel, TestLocation
from app.domain.slots import WEEKDAYS
from app.web.display import date_text, weekday_name
from app.web.slot_finder import SlotFinder

FASTING_INSTRUCTION = lazy_gettext(
    "Fasting: no food after 20:00 the evening before; water is fine."
)
OSM_SEARCH = "https://www.openstreetmap.org/search"


def fasting_note(panels: Iterable[Panel]) -> str | None:
    """The fasting instruction when any of `panels` requires fasting, else None."""
    return str(FASTING_INSTRUCTION) if any(panel.requires_fasting for panel in panels) else None


def address_lines(location: TestLocation) -> list[str]:
    """The postal address, line by line: street, the optional second line, postcode and city,
    country."""
    lines = [location.address_line_1, location.address_line_2 or ""]
    lines += [f"{location.postal_code} {location.city}", location.country_name]
    return [line for line in lines if line]


def map_link(location: TestLocation) -> tuple[str, str]:
    """(URL, service name) of a map of the location: its own `google_maps_url` when that is an
    http(s) address, else an OpenStreetMap search for its address."""
    own = location.google_maps_url or ""
    if urlsplit(own).scheme in ("http", "https"):
        return own, "Google Maps"
    query = urlencode({"query": ", ".join(address_lines(location))})
    return f"{OSM_SEARCH}?{query}", "OpenStreetMap"


def _hours(periods: Sequence[dict[str, Any]]) -> str:
    return ", ".join(f"{p['open']}–{p['close']}" for p in periods) or gettext("closed")


def week_hours(location: TestLocation) -> list[tuple[str, str]]:
    """The weekly opening hours in local time, with neighbouring days of equal hours joined:
    `[("Mon–Fri", "07:30–18:00"), ("Sat, Sun", "closed")]`."""
    runs: list[tuple[int, int, str]] = []
    for index, weekday in enumerate(WEEKDAYS):
        text = _hours(location.open_hours.get(weekday, []))
        if runs and runs[-1][2] == text:
            runs[-1] = (runs[-1][0], index, text)
        else:
            runs.append((index, index, text))
    return [(_days(first, last), text) for first, last, text in runs]


def _days(first: int, last: int) -> str:
    names = [weekday_name(WEEKDAYS[index], "abbreviated") for index in range(first, last + 1)]
    return f"{names[0]}–{names[-1]}" if len(names) > 2 else ", ".join(names)


@dataclass(frozen=True)
class LocationCard:
    """A test location as the journey's location step lists it: its address, today's hours
    there (a closed date says why), the week's hours, and its next free slot (None within its
    booking horizon)."""

    location: TestLocation
    address: list[str]
    today: date
    today_hours: str
    week: list[tuple[str, str]]
    next_free: datetime | None

    @property
    def next_free_label(self) -> str:
        """`Mon 23 Nov, 07:30`: the next free slot's local date and time."""
        if self.next_free is None:
            return ""
        return local_short(self.next_free, self.location.timezone)


def local_short(at: datetime, zone_name: str) -> str:
    """`Mon 23 Nov, 07:30`: a local date and time in a list that names the zone nearby."""
    local = at.astimezone(ZoneInfo(zone_name))
    return f"{date_text(local.date(), 'short_day')}, {local:%H:%M}"


def location_card(
    location: TestLocation, finder: SlotFinder, next_free: datetime | None
) -> LocationCard:
    """The location's card, with its next free slot (`SlotFinder.next_free`)."""
    today, _last = finder.bookable_days(location)
    closed = next((c for c in location.closed_dates if c.date == today), None)
    hours = _hours(location.open_hours.get(WEEKDAYS[today.weekday()], []))
    return LocationCard(
        location=location,
        address=address_lines(location),
        today=today,
        today_hours=gettext("closed (%(reason)s)", reason=closed.reason) if closed else hours,
        week=week_hours(location),
        next_free=next_free,
    )


def matching_locations(locations: Iterable[TestLocation], search: str) -> list[TestLocation]:
    """The locations whose city or name contains `search`, ignoring case (all without one)."""
    wanted = search.strip().casefold()
    return [
        location
        for location in locations
        if wanted in location.city.casefold() or wanted in location.name.casefold()
    ]
