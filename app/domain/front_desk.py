"""The front desk's lists: a location's day sheet and the appointments of the coming hour."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.access import (
    Actor,
    Permission,
    appointment_filter,
    ensure_can_run_location,
    ensure_permitted,
)
from app.domain.appointment_filters import APPOINTMENT_ORDER
from app.domain.appointment_store import DETAIL
from app.domain.errors import NotFound
from app.domain.models import Appointment, TestLocation
from app.domain.pages import Page, fetch_page

# How far ahead the "next" view looks.
UPCOMING_WINDOW = timedelta(hours=1)


def list_day_sheet(
    session: Session,
    *,
    actor: Actor,
    location_id: uuid.UUID,
    day: date,
    limit: int | None = None,
    after: str | None = None,
    before: str | None = None,
) -> tuple[TestLocation, Page[Appointment]]:
    """A location's appointments on one local calendar day, in time order, for the front desk:
    `limit` of them after the cursor `after` or before `before` (`pages.fetch_page`), or the
    whole day without a limit.

    `day` is a date in the location's own zone. Raises Forbidden, NotFound (location),
    ValidationError("limit" or "cursor").
    """
    location = _desk_location(session, actor, location_id)
    zone = ZoneInfo(location.timezone)
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    query = (
        select(Appointment)
        .where(
            appointment_filter(actor),
            Appointment.location_id == location_id,
            Appointment.scheduled_at >= start,
            Appointment.scheduled_at < end,
        )
        .options(*DETAIL)
    )
    page = fetch_page(session, query, APPOINTMENT_ORDER, limit=limit, after=after, before=before)
    return location, page


def list_upcoming(
    session: Session,
    *,
    actor: Actor,
    location_id: uuid.UUID,
    now: datetime,
    within: timedelta = UPCOMING_WINDOW,
) -> tuple[TestLocation, list[Appointment]]:
    """A location's appointments from the slot in progress to `within` after `now` (aware),
    soonest first, for the front desk's "next" view. A draw whose slot began but has not ended
    (`slot_duration_minutes`) stays listed: the patient may be in the chair.

    Raises Forbidden (not the actor's location), NotFound (location).
    """
    location = _desk_location(session, actor, location_id)
    since = now - timedelta(minutes=location.slot_duration_minutes)
    query = (
        select(Appointment)
        .where(
            appointment_filter(actor),
            Appointment.location_id == location_id,
            Appointment.scheduled_at > since,
            Appointment.scheduled_at < now + within,
        )
        .options(*DETAIL)
        .order_by(Appointment.scheduled_at, Appointment.id)
    )
    return location, list(session.scalars(query))


def _desk_location(session: Session, actor: Actor, location_id: uuid.UUID) -> TestLocation:
    ensure_permitted(actor, Permission.READ_APPOINTMENTS)
    location = session.get(TestLocation, location_id)
    if location is None:
        raise NotFound("Test location")
    ensure_can_run_location(actor, location_id)
    return location
