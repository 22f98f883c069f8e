"""Availability: a test location's slot starts from its opening hours, in its own time zone,
minus closed dates, the minimum notice, the booking horizon and booked chairs."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.domain.access import Actor, Permission, ensure_can_run_location, ensure_permitted
from app.domain.errors import NotFound, ValidationError
from app.domain.messages import msg
from app.domain.models import TestLocation
from app.domain.rules import parse_iso_day
from app.domain.slots import full_slots, seats_taken, slot_starts

DEFAULT_WINDOW_DAYS = 30  # contract: today through 30 days ahead
MAX_DAYS_AHEAD = 90  # contract: end_date at most 90 days ahead
NEXT_AVAILABLE_COUNT = 3  # contract: slot_unavailable lists the next three free slots


@dataclass(frozen=True)
class Slot:
    """A slot start (aware UTC) with its chairs: `capacity` in all, `remaining` free."""

    start: datetime
    remaining: int
    capacity: int


@dataclass(frozen=True)
class DayAvailability:
    """The free slots of one local calendar date at a location, in time order."""

    day: date
    slots: list[Slot]


@dataclass(frozen=True)
class Availability:
    """A location's free slots over a window of local dates (contract: availability)."""

    location: TestLocation
    days: list[DayAvailability]


def parse_date(value: object, field: str) -> date | None:
    """A `YYYY-MM-DD` query value, or None when absent. Raises ValidationError(field)."""
    if value is None or value == "":
        return None
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return parse_iso_day(value)
    except ValueError:
        raise ValidationError(
            field, msg("%(field)s must be a date in the form YYYY-MM-DD.", field=field)
        ) from None


def ensure_window(start: date, end: date, *, today: date) -> None:
    """Raise ValidationError unless `start` <= `end` <= today + 90 days (contract), and `start`
    lies at most 90 days before today. Past days have no slots; without that bound a window
    reaching back years was computed day by day (found by fuzzing: `start_date=1900-01-01` took
    half a minute), and one in year 1 overflowed the conversion to UTC.
    """
    if end < start:
        raise ValidationError("end_date", msg("end_date must not be before start_date."))
    if end > today + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(
            "end_date",
            msg("end_date must be at most %(days)d days after today.", days=MAX_DAYS_AHEAD),
        )
    if start < today - timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(
            "start_date",
            msg("start_date must be at most %(days)d days before today.", days=MAX_DAYS_AHEAD),
        )


def location_availability(
    session: Session,
    location_id: uuid.UUID,
    *,
    actor: Actor,
    now: datetime,
    start_date: date | None = None,
    end_date: date | None = None,
) -> Availability:
    """The location's free slots from `start_date` to `end_date` (local dates, inclusive;
    default: today there through 30 days ahead). A slot is listed when it is past the minimum
    notice, inside the booking horizon, not on a closed date, and has a chair left.

    Raises Forbidden, NotFound (location), ValidationError (the window).
    """
    ensure_permitted(actor, Permission.READ_LOCATIONS)
    location = session.get(TestLocation, location_id)
    if location is None:
        raise NotFound("Test location")
    today = now.astimezone(ZoneInfo(location.timezone)).date()
    start = start_date or today
    end = end_date or max(start, today) + timedelta(days=DEFAULT_WINDOW_DAYS)
    ensure_window(start, end, today=today)

    since, until = _local_span(location, start, end)
    taken = seats_taken(session, location.id, since, until)
    days = [
        DayAvailability(day=day, slots=_free_slots(location, day, taken, now=now))
        for day in (start + timedelta(days=offset) for offset in range((end - start).days + 1))
    ]
    return Availability(location=location, days=days)


def next_free_slots(
    session: Session, location: TestLocation, after: datetime, *, now: datetime
) -> list[datetime]:
    """The next free slot starts strictly after `after` at the location, at most three, within
    its booking horizon (contract: `details.next_available` of `slot_unavailable`); aware
    datetimes in the location's zone. Searches a week at a time."""
    return free_slots_after(session, [location], after, now=now)[location.id]


def free_slots_after(
    session: Session,
    locations: Sequence[TestLocation],
    after: datetime,
    *,
    now: datetime,
    count: int = NEXT_AVAILABLE_COUNT,
) -> dict[uuid.UUID, list[datetime]]:
    """For each location (by id), its next `count` free slot starts strictly after `after`
    within its booking horizon, as `next_free_slots` finds them; aware datetimes in each
    location's zone.

    It searches a week of local dates at a time, and each week is one query for every
    location still short of `count` (their full slots, `slots.full_slots`), so the number of
    queries follows the weeks searched, never the number of locations.
    """
    found: dict[uuid.UUID, list[datetime]] = {location.id: [] for location in locations}
    days: dict[uuid.UUID, tuple[date, date]] = {}
    for location in locations:
        zone = ZoneInfo(location.timezone)
        last_day = (now + timedelta(days=location.booking_horizon_days)).astimezone(zone).date()
        days[location.id] = (after.astimezone(zone).date(), last_day)
    searching = [location for location in locations if _left(days[location.id])]
    while searching:
        weeks = {
            location.id: (days[location.id][0], _week_end(days[location.id]))
            for location in searching
        }
        spans = [_local_span(location, *weeks[location.id]) for location in searching]
        full = full_slots(
            session, weeks.keys(), min(span[0] for span in spans), max(span[1] for span in spans)
        )
        for location in searching:
            day, week_end = weeks[location.id]
            taken = {at: location.capacity for at in full[location.id]}
            starts = found[location.id]
            while day <= week_end and len(starts) < count:
                starts += [
                    s.start for s in _free_slots(location, day, taken, now=now) if s.start > after
                ]
                day += timedelta(days=1)
            days[location.id] = (day, days[location.id][1])
        searching = [
            location
            for location in searching
            if len(found[location.id]) < count and _left(days[location.id])
        ]
    return {
        location.id: [
            at.astimezone(ZoneInfo(location.timezone)) for at in found[location.id][:count]
        ]
        for location in locations
    }


def _left(days: tuple[date, date]) -> bool:
    """Whether a search's (next day, last day) has days left."""
    return days[0] <= days[1]


def _week_end(days: tuple[date, date]) -> date:
    """The last day of the week a search's (next day, last day) looks at next."""
    return min(days[0] + timedelta(days=6), days[1])


def _free_slots(
    location: TestLocation, day: date, taken: Mapping[datetime, int], *, now: datetime
) -> list[Slot]:
    """The day's bookable slots with a chair left: not closed, past the notice, in the horizon."""
    if any(closed.date == day for closed in location.closed_dates):
        return []
    earliest = now + timedelta(minutes=location.minimum_notice_minutes)
    latest = now + timedelta(days=location.booking_horizon_days)
    slots = []
    for at in slot_starts(location, day):
        remaining = location.capacity - taken.get(at, 0)
        if earliest <= at <= latest and remaining > 0:
            slots.append(Slot(start=at, remaining=remaining, capacity=location.capacity))
    return slots


def _local_span(location: TestLocation, start: date, end: date) -> tuple[datetime, datetime]:
    """The instants from local midnight starting `start` to local midnight after `end`."""
    zone = ZoneInfo(location.timezone)
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    return since, until


def day_slots(
    session: Session, location_id: uuid.UUID, day: date, *, actor: Actor
) -> tuple[TestLocation, list[Slot]]:
    """Every slot of one local date at a location, full or not, past or not, with the chairs
    taken (`capacity - remaining`): the front desk's view of the day. A closed date has none.

    Raises Forbidden (outside the actor's locations), NotFound (location).
    """
    ensure_permitted(actor, Permission.READ_APPOINTMENTS)
    location = session.get(TestLocation, location_id)
    if location is None:
        raise NotFound("Test location")
    ensure_can_run_location(actor, location_id)
    if day in {closed_date.date for closed_date in location.closed_dates}:
        return location, []
    taken = seats_taken(session, location.id, *_local_span(location, day, day))
    slots = [
        Slot(start=at, remaining=location.capacity - taken.get(at, 0), capacity=location.capacity)
        for at in slot_starts(location, day)
    ]
    return location, slots
