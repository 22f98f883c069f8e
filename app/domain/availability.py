"""Availability: a test location's slot starts from its opening hours, in its own time zone,
minus closed dates, the minimum notice, the booking horizon and booked chairs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.access import Actor, Permission, ensure_permitted
from app.domain.errors import Forbidden, NotFound, ValidationError
from app.domain.models import Appointment, AppointmentStatus, TestLocation
from app.domain.rules import wall_clock_instants

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_WINDOW_DAYS = 30  # contract: today through 30 days ahead
MAX_DAYS_AHEAD = 90  # contract: end_date at most 90 days ahead
SEAT_HOLDING = (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED)


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


def slot_starts(location: TestLocation, day: date) -> list[datetime]:
    """Every slot start of `day` (a local date) from the location's weekly opening hours.

    Slots start at each opening time and every `slot_interval_minutes` after it, as long as a
    `slot_duration_minutes` draw ends by closing time; they follow the wall clock, so a DST
    change day has the usual local times (less any the clocks skip). Returns aware UTC instants.
    """
    zone = ZoneInfo(location.timezone)
    step = location.slot_interval_minutes
    starts: list[datetime] = []
    for period in location.open_hours.get(WEEKDAYS[day.weekday()], []):
        opens = _minutes(time.fromisoformat(period["open"]))
        closes = _minutes(time.fromisoformat(period["close"]))
        for minute in range(opens, closes - location.slot_duration_minutes + 1, step):
            at = time(minute // 60, minute % 60)
            starts.extend(wall_clock_instants(day, at, zone))
    return sorted(set(starts))


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def parse_date(value: object, field: str) -> date | None:
    """A `YYYY-MM-DD` query value, or None when absent. Raises ValidationError(field)."""
    if value is None or value == "":
        return None
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(field, f"{field} must be a date in the form YYYY-MM-DD.") from None


def ensure_window(start: date, end: date, *, today: date) -> None:
    """Raise ValidationError unless `start` <= `end` <= today + 90 days (contract)."""
    if end < start:
        raise ValidationError("end_date", "end_date must not be before start_date.")
    if end > today + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(
            "end_date", f"end_date must be at most {MAX_DAYS_AHEAD} days after today."
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

    earliest = now + timedelta(minutes=location.minimum_notice_minutes)
    latest = now + timedelta(days=location.booking_horizon_days)
    closed = {closed_date.date for closed_date in location.closed_dates}
    taken = _seats_taken(session, location, start, end)
    days = []
    for offset in range((end - start).days + 1):
        day = start + timedelta(days=offset)
        slots = []
        if day not in closed:
            for at in slot_starts(location, day):
                remaining = location.capacity - taken.get(at, 0)
                if earliest <= at <= latest and remaining > 0:
                    slots.append(Slot(start=at, remaining=remaining, capacity=location.capacity))
        days.append(DayAvailability(day=day, slots=slots))
    return Availability(location=location, days=days)


def _seats_taken(
    session: Session, location: TestLocation, start: date, end: date
) -> dict[datetime, int]:
    zone = ZoneInfo(location.timezone)
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    rows = session.execute(
        select(Appointment.scheduled_at, func.count())
        .where(
            Appointment.location_id == location.id,
            Appointment.status.in_(SEAT_HOLDING),
            Appointment.scheduled_at >= since,
            Appointment.scheduled_at < until,
        )
        .group_by(Appointment.scheduled_at)
    )
    return {at: count for at, count in rows}


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
    if actor.location_ids is not None and location_id not in actor.location_ids:
        raise Forbidden()
    if day in {closed_date.date for closed_date in location.closed_dates}:
        return location, []
    taken = _seats_taken(session, location, day, day)
    slots = [
        Slot(start=at, remaining=location.capacity - taken.get(at, 0), capacity=location.capacity)
        for at in slot_starts(location, day)
    ]
    return location, slots
