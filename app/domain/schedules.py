"""Schedule use cases: an admin sets a test location's opening hours, slots and closed dates."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.access import Actor, Permission, ensure_permitted
from app.domain.closure_rules import ensure_closable, parse_closure_reason
from app.domain.errors import Conflict, NotFound, ValidationError
from app.domain.messages import msg, msg_plural
from app.domain.models import Appointment, AppointmentStatus, ClosedDate, SlotSeats, TestLocation
from app.domain.schedule_rules import ScheduleChange, ensure_schedule, open_hours_json
from app.domain.transactions import write_transaction


def update_schedule(
    session: Session,
    location_id: uuid.UUID,
    change: ScheduleChange,
    *,
    actor: Actor,
    now: datetime,
) -> TestLocation:
    """Replace a location's weekly hours and slot settings (see `ScheduleChange` for units).

    Raises Forbidden (not an admin), ValidationError (`ensure_schedule`), NotFound (location),
    and Conflict (field `capacity`) when a lower capacity leaves a future slot with more chairs
    booked than it allows.
    """
    ensure_permitted(actor, Permission.MANAGE_LOCATIONS)
    ensure_schedule(change)
    with write_transaction(session):
        location = _load_location(session, location_id)
        lowered = change.capacity < location.capacity
        location.open_hours = open_hours_json(change.open_hours)
        location.slot_duration_minutes = change.slot_duration_minutes
        location.slot_interval_minutes = change.slot_interval_minutes
        location.capacity = change.capacity
        location.minimum_notice_minutes = change.minimum_notice_minutes
        location.booking_horizon_days = change.booking_horizon_days
        # The UPDATE locks the location's row: bookings in flight (which read the capacity under
        # a share lock) finish first, later ones wait, so the check below sees every chair.
        session.flush()
        if lowered:
            _ensure_bookings_fit(session, location, change.capacity, now)
    return location


def _ensure_bookings_fit(
    session: Session, location: TestLocation, capacity: int, now: datetime
) -> None:
    row = session.execute(
        select(SlotSeats.starts_at, SlotSeats.taken)
        .where(
            SlotSeats.location_id == location.id,
            SlotSeats.starts_at > now,
            SlotSeats.taken > capacity,
        )
        .order_by(SlotSeats.starts_at)
        .limit(1)
    ).first()
    if row is not None:
        at, count = row
        local = at.astimezone(ZoneInfo(location.timezone))
        raise Conflict(
            msg_plural(
                "%(num)d chair is booked on %(day)s at %(time)s; move that appointment before "
                "lowering the capacity to %(capacity)d.",
                "%(num)d chairs are booked on %(day)s at %(time)s; move those appointments "
                "before lowering the capacity to %(capacity)d.",
                count,
                day=local.date(),
                time=local.time(),
                capacity=capacity,
            ),
            field="capacity",
        )


def add_closed_date(
    session: Session,
    location_id: uuid.UUID,
    day: date,
    reason: object,
    *,
    actor: Actor,
    now: datetime,
) -> int:
    """Close a location on `day` (a local date) for `reason`; returns how many appointments,
    not cancelled, are still booked that day, for the admin to move or cancel.

    Raises Forbidden, NotFound (location), ValidationError (`date` in the past, `reason` empty or
    over 200 characters), Conflict (field `date`) when the location is already closed that day.
    """
    ensure_permitted(actor, Permission.MANAGE_LOCATIONS)
    errors: dict[str, list[str]] = {}
    try:
        text = parse_closure_reason(reason)
    except ValidationError as error:
        text, errors = "", error.errors
    with write_transaction(session):
        location = _load_location(session, location_id)
        zone = ZoneInfo(location.timezone)
        try:
            ensure_closable(day, today=now.astimezone(zone).date())
        except ValidationError as error:
            errors = error.errors | errors
        if errors:
            raise ValidationError.from_errors(errors)
        already = Conflict(
            msg("%(location)s is already closed on %(day)s.", location=location.name, day=day),
            field="date",
        )
        if _closed_date(session, location_id, day) is not None:
            raise already
        session.add(ClosedDate(location_id=location_id, date=day, reason=text))
        try:
            session.flush()
        except IntegrityError:
            raise already from None
        start = datetime.combine(day, time.min, tzinfo=zone)
        end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
        booked = session.scalar(
            select(func.count())
            .select_from(Appointment)
            .where(
                Appointment.location_id == location_id,
                Appointment.status != AppointmentStatus.CANCELLED,
                Appointment.scheduled_at >= start,
                Appointment.scheduled_at < end,
            )
        )
    return booked or 0


def get_closed_date(
    session: Session, location_id: uuid.UUID, day: date, *, actor: Actor
) -> ClosedDate:
    """The location's closure on `day`. Raises Forbidden, NotFound (location, or not closed)."""
    ensure_permitted(actor, Permission.MANAGE_LOCATIONS)
    location = _load_location(session, location_id)
    closed = _closed_date(session, location_id, day)
    if closed is None:
        raise _not_closed(location, day)
    return closed


def remove_closed_date(
    session: Session, location_id: uuid.UUID, day: date, *, actor: Actor, now: datetime
) -> None:
    """Reopen a location on `day` (a local date). Raises Forbidden, NotFound (location, or not
    closed that day)."""
    ensure_permitted(actor, Permission.MANAGE_LOCATIONS)
    with write_transaction(session):
        location = _load_location(session, location_id)
        result = session.execute(
            delete(ClosedDate).where(ClosedDate.location_id == location_id, ClosedDate.date == day)
        )
        if cast(CursorResult[Any], result).rowcount == 0:
            raise _not_closed(location, day)


def _load_location(session: Session, location_id: uuid.UUID) -> TestLocation:
    location = session.get(TestLocation, location_id)
    if location is None:
        raise NotFound("Test location")
    return location


def _closed_date(session: Session, location_id: uuid.UUID, day: date) -> ClosedDate | None:
    return session.scalar(
        select(ClosedDate).where(ClosedDate.location_id == location_id, ClosedDate.date == day)
    )


def _not_closed(location: TestLocation, day: date) -> NotFound:
    return NotFound(
        "Closed date",
        msg("%(location)s is not closed on %(day)s.", location=location.name, day=day),
    )
