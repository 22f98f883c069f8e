"""Slots and chairs: which instants are bookable slot starts at a test location, and taking or
freeing a chair in a slot through its counter row (`SlotSeats`)."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import CursorResult, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.domain.errors import ValidationError
from app.domain.messages import msg
from app.domain.models import SlotSeats, TestLocation
from app.domain.rules import wall_clock_instants

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Each weekday's name, for messages.
WEEKDAY_NAMES = {
    "monday": msg("Monday"),
    "tuesday": msg("Tuesday"),
    "wednesday": msg("Wednesday"),
    "thursday": msg("Thursday"),
    "friday": msg("Friday"),
    "saturday": msg("Saturday"),
    "sunday": msg("Sunday"),
}
# What the hours of a weekday without opening periods say.
CLOSED_ON = {
    "monday": msg("closed on Mondays"),
    "tuesday": msg("closed on Tuesdays"),
    "wednesday": msg("closed on Wednesdays"),
    "thursday": msg("closed on Thursdays"),
    "friday": msg("closed on Fridays"),
    "saturday": msg("closed on Saturdays"),
    "sunday": msg("closed on Sundays"),
}


def slot_starts(location: TestLocation, day: date) -> list[datetime]:
    """Every slot start of `day` (a local date) from the location's weekly opening hours.

    Slots start at each opening time and every `slot_interval_minutes` after it, as long as a
    `slot_duration_minutes` draw ends by closing time; they follow the wall clock, so a DST
    change day has the usual local times (less any the clocks skip). Returns aware UTC instants.
    """
    zone = ZoneInfo(location.timezone)
    starts: list[datetime] = []
    for opens, closes in _periods(location, day):
        last = closes - location.slot_duration_minutes
        for minute in range(opens, last + 1, location.slot_interval_minutes):
            starts.extend(wall_clock_instants(day, time(minute // 60, minute % 60), zone))
    return sorted(set(starts))


def ensure_bookable_slot(
    location: TestLocation, at: datetime, *, now: datetime, field: str = "scheduled_at"
) -> None:
    """Raise ValidationError(field) unless `at` (aware) is a slot start that can be booked at the
    location: not on a closed date, inside opening hours, on the slot grid, at least
    `minimum_notice_minutes` after `now` and at most `booking_horizon_days` after it. The
    message says which rule failed, in the location's local time. Chairs are not checked here.
    """
    local = at.astimezone(ZoneInfo(location.timezone))
    day = local.date()
    when = msg("%(time)s on %(day)s", time=local.time(), day=day)
    closed = next((c for c in location.closed_dates if c.date == day), None)
    if closed is not None:
        raise ValidationError(
            field,
            msg(
                "%(location)s is closed on %(day)s (%(reason)s).",
                location=location.name,
                day=day,
                reason=closed.reason,
            ),
        )
    if at not in slot_starts(location, day):
        minute = local.hour * 60 + local.minute
        inside = any(
            opens <= minute <= closes - location.slot_duration_minutes
            for opens, closes in _periods(location, day)
        )
        if not inside:
            raise ValidationError(
                field,
                msg(
                    "%(when)s is outside %(location)s's opening hours (%(hours)s).",
                    when=when,
                    location=location.name,
                    hours=opening_hours_text(location, day),
                ),
            )
        raise ValidationError(
            field,
            msg(
                "%(when)s is not a slot start: slots at %(location)s start every %(minutes)d "
                "minutes from opening time.",
                when=when,
                location=location.name,
                minutes=location.slot_interval_minutes,
            ),
        )
    notice = location.minimum_notice_minutes
    if at < now + timedelta(minutes=notice):
        raise ValidationError(
            field,
            msg(
                "%(when)s is too soon: book at least %(minutes)d minutes ahead.",
                when=when,
                minutes=notice,
            ),
        )
    horizon = location.booking_horizon_days
    if at > now + timedelta(days=horizon):
        raise ValidationError(
            field,
            msg(
                "%(when)s is too far ahead: %(location)s takes bookings up to %(days)d days ahead.",
                when=when,
                location=location.name,
                days=horizon,
            ),
        )


def opening_hours_text(location: TestLocation, day: date) -> str:
    """The day's opening hours in local time, such as `07:30-12:00, 13:00-18:00`, or `closed`."""
    periods = location.open_hours.get(WEEKDAYS[day.weekday()], [])
    if not periods:
        return CLOSED_ON[WEEKDAYS[day.weekday()]]
    return ", ".join(f"{period['open']}-{period['close']}" for period in periods)


def _periods(location: TestLocation, day: date) -> list[tuple[int, int]]:
    """The day's opening periods as (opens, closes) in minutes after local midnight."""
    periods = location.open_hours.get(WEEKDAYS[day.weekday()], [])
    return [(_clock(period["open"]), _clock(period["close"])) for period in periods]


def _clock(value: str) -> int:
    """Minutes after midnight of an `HH:MM` time."""
    at = time.fromisoformat(value)
    return at.hour * 60 + at.minute


def take_seat(session: Session, location_id: uuid.UUID, at: datetime) -> bool:
    """Take one chair in the slot at `at` (UTC instant); True if one was free, else False.

    The counter row is created if missing, then raised by one conditional UPDATE that only
    matches while `taken` is below the location's capacity. The database decides between
    concurrent bookings: PostgreSQL re-checks the condition on the row's latest version after
    waiting for its lock; SQLite runs one write transaction at a time. The capacity is read
    under a share lock on the location's row, so an admin lowering it (an UPDATE of that row)
    waits for bookings in flight, and bookings wait for the admin's commit.
    """
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(
        insert(SlotSeats)
        .values(location_id=location_id, starts_at=at, taken=0)
        .on_conflict_do_nothing()
    )
    capacity = session.execute(
        select(TestLocation.capacity)
        .where(TestLocation.id == location_id)
        .with_for_update(read=True)
    ).scalar_one()
    result = session.execute(
        update(SlotSeats)
        .where(
            SlotSeats.location_id == location_id,
            SlotSeats.starts_at == at,
            SlotSeats.taken < capacity,
        )
        .values(taken=SlotSeats.taken + 1)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount == 1


def free_seat(session: Session, location_id: uuid.UUID, at: datetime) -> None:
    """Give back the chair an appointment held in the slot at `at` (UTC instant).

    Raises RuntimeError if the slot has no counter row: every appointment that is not cancelled
    holds a counted chair, so a missing row means the counters were changed by hand.
    """
    result = session.execute(
        update(SlotSeats)
        .where(SlotSeats.location_id == location_id, SlotSeats.starts_at == at)
        .values(taken=SlotSeats.taken - 1)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], result).rowcount != 1:
        raise RuntimeError(f"slot {at.isoformat()} at location {location_id} has no seat counter")


def full_slots(
    session: Session, location_ids: Collection[uuid.UUID], since: datetime, until: datetime
) -> dict[uuid.UUID, set[datetime]]:
    """The slot starts (UTC) in [since, until) whose every chair is taken, per location id: one
    query for all the locations (their counter rows at or above their capacity)."""
    rows = session.execute(
        select(SlotSeats.location_id, SlotSeats.starts_at)
        .join(TestLocation, TestLocation.id == SlotSeats.location_id)
        .where(
            SlotSeats.location_id.in_(list(location_ids)),
            SlotSeats.starts_at >= since,
            SlotSeats.starts_at < until,
            SlotSeats.taken >= TestLocation.capacity,
        )
    )
    found: dict[uuid.UUID, set[datetime]] = {location_id: set() for location_id in location_ids}
    for location_id, at in rows:
        found[location_id].add(at)
    return found


def seats_taken(
    session: Session, location_id: uuid.UUID, since: datetime, until: datetime
) -> dict[datetime, int]:
    """Chairs taken per slot start (UTC) at the location, for starts in [since, until)."""
    rows = session.execute(
        select(SlotSeats.starts_at, SlotSeats.taken).where(
            SlotSeats.location_id == location_id,
            SlotSeats.starts_at >= since,
            SlotSeats.starts_at < until,
        )
    )
    return {at: taken for at, taken in rows}
