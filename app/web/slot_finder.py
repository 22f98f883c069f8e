"""The slot picker's look-ups: a location's free slots for one local date, the next free one,
and whether a chosen instant is a bookable slot start, all asked of the domain."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext
from sqlalchemy.orm import Session

from app.domain.access import Actor
from app.domain.availability import (
    MAX_DAYS_AHEAD,
    DayAvailability,
    Slot,
    day_slots,
    free_slots_after,
    location_availability,
)
from app.domain.catalogue import get_location
from app.domain.errors import ValidationError
from app.domain.models import TestLocation
from app.domain.rules import ensure_future, parse_uuid
from app.domain.slots import ensure_bookable_slot
from app.web.display import day_label

SEARCH_DAYS = timedelta(days=14)  # the slot picker asks for availability two weeks at a time


@dataclass(frozen=True)
class SlotDay:
    """What the slot picker shows for one local date at a location: its free slots, or why it
    has none (`closed`: no opening hours or a closed date; else every chair is taken), and the
    next date with a free slot among those that can be booked (`first_day` to `last_day`)."""

    location: TestLocation
    day: date
    first_day: date
    last_day: date
    slots: list[Slot]
    closed: bool
    closed_reason: str | None
    next_free_day: date | None

    def groups(self) -> list[tuple[str, list[Slot]]]:
        """The free slots as "Morning" (before 12:00 local time) and "Afternoon", each left out
        when it has none."""
        zone = ZoneInfo(self.location.timezone)
        morning = [slot for slot in self.slots if slot.start.astimezone(zone).hour < 12]
        afternoon = [slot for slot in self.slots if slot.start.astimezone(zone).hour >= 12]
        groups = [(gettext("Morning"), morning), (gettext("Afternoon"), afternoon)]
        return [(name, slots) for name, slots in groups if slots]

    @property
    def offsets_differ(self) -> bool:
        """Whether the clocks change during the listed slots, so each time needs its offset."""
        zone = ZoneInfo(self.location.timezone)
        return len({slot.start.astimezone(zone).utcoffset() for slot in self.slots}) > 1


class SlotFinder:
    """The slot picker's look-ups in the domain, for one request's session, actor and clock."""

    def __init__(self, session: Session, *, actor: Actor, now: datetime) -> None:
        self._session = session
        self._actor = actor
        self._now = now

    def location(self, value: str) -> TestLocation:
        """The test location a form value names. Raises ValidationError, NotFound, Forbidden."""
        location_id = parse_uuid(value, "location_id")
        return get_location(self._session, location_id, actor=self._actor)

    def bookable_days(self, location: TestLocation) -> tuple[date, date]:
        """The first and last local date that can be booked: today at the location to the end
        of its booking horizon (at most the availability window's 90 days)."""
        zone = ZoneInfo(location.timezone)
        first = self._now.astimezone(zone).date()
        horizon = (self._now + timedelta(days=location.booking_horizon_days)).astimezone(zone)
        return first, min(horizon.date(), first + timedelta(days=MAX_DAYS_AHEAD))

    def day(
        self, location: TestLocation, wanted: date | None, *, preferred: date | None = None
    ) -> SlotDay:
        """The free slots of `wanted` (a local date); without it, of `preferred` if that can be
        booked, else of the first date with a free slot (today there if none has).

        Raises ValidationError("date") for a date outside `bookable_days`.
        """
        first, last = self.bookable_days(location)
        if wanted is not None and not first <= wanted <= last:
            raise ValidationError(
                "date",
                gettext(
                    "Choose a date from %(first)s to %(last)s.",
                    first=day_label(first),
                    last=day_label(last),
                ),
            )
        if wanted is None and preferred is not None and first <= preferred <= last:
            wanted = preferred
        free_days = self._free_days(location, wanted or first, last)
        found = next(free_days, None)
        chosen = wanted or (found.day if found else first)
        slots: list[Slot] = []
        if found is not None and found.day == chosen:
            slots, found = found.slots, next(free_days, None)
        closed = False
        if not slots:
            _location, every_slot = day_slots(self._session, location.id, chosen, actor=self._actor)
            closed = not every_slot
        return SlotDay(
            location=location,
            day=chosen,
            first_day=first,
            last_day=last,
            slots=slots,
            closed=closed,
            closed_reason=next((c.reason for c in location.closed_dates if c.date == chosen), None),
            next_free_day=found.day if found else None,
        )

    def next_free(self, locations: Sequence[TestLocation]) -> dict[uuid.UUID, datetime | None]:
        """Each location's first free slot start that can be booked now (the domain's search for
        `slot_unavailable`'s next slots), or None within its horizon: by location id, found for
        all of them together (a query per week searched, not per location)."""
        found = free_slots_after(self._session, locations, self._now, now=self._now, count=1)
        return {location_id: next(iter(starts), None) for location_id, starts in found.items()}

    def ensure_bookable(self, location: TestLocation, at: datetime) -> None:
        """The booking service's own slot rules, checked before the review: `at` lies in the
        future and is a bookable slot start (chairs are the service's to decide at booking).
        Raises ValidationError("scheduled_at") with the domain's message."""
        ensure_future(at, now=self._now)
        ensure_bookable_slot(location, at, now=self._now)

    def _free_days(
        self, location: TestLocation, start: date, last: date
    ) -> Iterator[DayAvailability]:
        # Two weeks at a time: the day wanted and the next free one are nearly always in the
        # first, and a whole horizon's slots take several times longer to compute.
        while start <= last:
            end = min(start + SEARCH_DAYS - timedelta(days=1), last)
            availability = location_availability(
                self._session,
                location.id,
                actor=self._actor,
                now=self._now,
                start_date=start,
                end_date=end,
            )
            yield from (day for day in availability.days if day.slots)
            start = end + timedelta(days=1)
