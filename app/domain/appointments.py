"""Appointment use cases: book, read, list, reschedule, cancel, confirm, record the blood draw."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from app.domain.access import (
    Actor,
    Permission,
    appointment_filter,
    ensure_can_see_appointment,
    ensure_can_see_profile,
    ensure_permitted,
)
from app.domain.errors import Conflict, Forbidden, NotFound, ValidationError
from app.domain.models import (
    Appointment,
    AppointmentPanel,
    AppointmentStatus,
    Panel,
    Profile,
    StatusChange,
    TestLocation,
)
from app.domain.rules import (
    CANCELLABLE,
    CHANGEABLE,
    CONFIRMABLE,
    DRAWABLE,
    ensure_future,
    ensure_status,
    parse_barcode,
)
from app.domain.transactions import write_transaction

# Contract: a list without `profile_id` covers two months back to one month ahead.
LIST_WINDOW_BACK = timedelta(days=61)
LIST_WINDOW_AHEAD = timedelta(days=31)

_DETAIL = (
    selectinload(Appointment.profile),
    selectinload(Appointment.location),
    selectinload(Appointment.panels).selectinload(AppointmentPanel.panel),
    selectinload(Appointment.status_history),
)


@dataclass(frozen=True)
class BookingRequest:
    """What a booking asks for: the profile, the test location, the instant (aware), and the
    panels to order at once (optional; the API adds them later through its panels call)."""

    profile_id: uuid.UUID
    location_id: uuid.UUID
    scheduled_at: datetime
    panel_ids: tuple[uuid.UUID, ...] = field(default=())


def book_appointment(
    session: Session, request: BookingRequest, *, actor: Actor, now: datetime
) -> Appointment:
    """Book a blood draw; it starts in the location's `default_status` (contract: POST
    /appointments). Raises Forbidden, ValidationError (`scheduled_at` not in the future), NotFound
    (profile, location or panel)."""
    ensure_permitted(actor, Permission.BOOK)
    ensure_future(request.scheduled_at, now=now)
    with write_transaction(session):
        profile = session.get(Profile, request.profile_id)
        if profile is None:
            raise NotFound("Profile")
        location = session.get(TestLocation, request.location_id)
        if location is None:
            raise NotFound("Test location")
        panels = _load_panels(session, request.panel_ids)
        ensure_can_see_profile(actor, profile)
        appointment = Appointment(
            profile_id=profile.id,
            location_id=location.id,
            scheduled_at=request.scheduled_at,
            status=location.default_status,
            created_at=now,
            updated_at=now,
        )
        appointment.panels = [AppointmentPanel(panel_id=p.id, added_at=now) for p in panels]
        session.add(appointment)
        session.flush()
        _record(session, appointment.id, appointment.status, actor=actor, now=now, reason="Booked")
    return appointment


def get_appointment(session: Session, appointment_id: uuid.UUID, *, actor: Actor) -> Appointment:
    """Return one appointment with its profile, panels and history. Raises Forbidden, NotFound."""
    ensure_permitted(actor, Permission.READ_APPOINTMENTS)
    return _load(session, appointment_id, actor)


def list_appointments(
    session: Session,
    *,
    actor: Actor,
    now: datetime,
    profile_id: uuid.UUID | None = None,
    location_id: uuid.UUID | None = None,
    status: AppointmentStatus | None = None,
) -> list[Appointment]:
    """The appointments `actor` may see, soonest first (contract: GET /appointments).

    Without `profile_id`, only those scheduled from two months before `now` to one month after.
    """
    ensure_permitted(actor, Permission.READ_APPOINTMENTS)
    query = select(Appointment).where(appointment_filter(actor)).options(*_DETAIL)
    if profile_id is not None:
        query = query.where(Appointment.profile_id == profile_id)
    else:
        query = query.where(
            Appointment.scheduled_at >= now - LIST_WINDOW_BACK,
            Appointment.scheduled_at <= now + LIST_WINDOW_AHEAD,
        )
    if location_id is not None:
        query = query.where(Appointment.location_id == location_id)
    if status is not None:
        query = query.where(Appointment.status == status)
    return list(session.scalars(query.order_by(Appointment.scheduled_at, Appointment.id)))


def list_day_sheet(
    session: Session, *, actor: Actor, location_id: uuid.UUID, day: date
) -> tuple[TestLocation, list[Appointment]]:
    """A location's appointments on one local calendar day, in time order, for the front desk.

    `day` is a date in the location's own zone. Raises Forbidden, NotFound (location).
    """
    ensure_permitted(actor, Permission.READ_APPOINTMENTS)
    location = session.get(TestLocation, location_id)
    if location is None:
        raise NotFound("Test location")
    if actor.location_ids is not None and location_id not in actor.location_ids:
        raise Forbidden()
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
        .options(*_DETAIL)
        .order_by(Appointment.scheduled_at, Appointment.id)
    )
    return location, list(session.scalars(query))


def reschedule_appointment(
    session: Session,
    appointment_id: uuid.UUID,
    *,
    actor: Actor,
    now: datetime,
    scheduled_at: datetime | None = None,
    location_id: uuid.UUID | None = None,
) -> Appointment:
    """Move an appointment to a new time and/or test location, with the same rules as booking
    (contract: PATCH /appointments/{id}). Raises Forbidden, ValidationError, NotFound, and
    Conflict if it is `blood_drawn` or `cancelled`."""
    ensure_permitted(actor, Permission.BOOK)
    if scheduled_at is None and location_id is None:
        raise ValidationError("scheduled_at", "Give a new scheduled_at or location_id.")
    if scheduled_at is not None:
        ensure_future(scheduled_at, now=now)
    with write_transaction(session):
        appointment = _load(session, appointment_id, actor)
        if location_id is not None and session.get(TestLocation, location_id) is None:
            raise NotFound("Test location")
        new_at = scheduled_at or appointment.scheduled_at
        ensure_future(new_at, now=now)
        values = {"scheduled_at": new_at, "location_id": location_id or appointment.location_id}
        status = _swap(session, appointment, CHANGEABLE, "reschedule", now=now, values=values)
        _record(session, appointment.id, status, actor=actor, now=now, reason="Rescheduled")
    return appointment


def cancel_appointment(
    session: Session,
    appointment_id: uuid.UUID,
    *,
    actor: Actor,
    now: datetime,
    reason: str | None = None,
) -> Appointment:
    """Cancel an appointment before its blood draw; panels are kept (contract: DELETE
    /appointments/{id}). Raises Forbidden, NotFound, Conflict if already drawn or cancelled."""
    ensure_permitted(actor, Permission.CANCEL)
    return _transition(
        session,
        appointment_id,
        AppointmentStatus.CANCELLED,
        CANCELLABLE,
        "cancel",
        actor=actor,
        now=now,
        reason=reason or "Cancelled",
    )


def confirm_appointment(
    session: Session, appointment_id: uuid.UUID, *, actor: Actor, now: datetime
) -> Appointment:
    """Confirm a pending appointment (front desk). Raises Forbidden, NotFound, Conflict unless
    it is `pending`."""
    ensure_permitted(actor, Permission.CONFIRM)
    return _transition(
        session,
        appointment_id,
        AppointmentStatus.CONFIRMED,
        CONFIRMABLE,
        "confirm",
        actor=actor,
        now=now,
        reason="Confirmed",
    )


def record_blood_draw(
    session: Session, appointment_id: uuid.UUID, barcode: object, *, actor: Actor, now: datetime
) -> Appointment:
    """Record the blood draw with the sample tube's barcode; the status becomes `blood_drawn`
    for good (contract: POST /appointments/{id}/confirm).

    Raises ValidationError (barcode missing or not digits), Forbidden, NotFound, and Conflict if
    the appointment is not pending or confirmed, has no panel, or the barcode is already used.
    """
    ensure_permitted(actor, Permission.RECORD_DRAW)
    code = parse_barcode(barcode)
    with write_transaction(session):
        appointment = _load(session, appointment_id, actor)
        has_panel = exists().where(AppointmentPanel.appointment_id == appointment.id)
        try:
            result = session.execute(
                update(Appointment)
                .where(
                    Appointment.id == appointment.id,
                    Appointment.status.in_(DRAWABLE),
                    has_panel,
                )
                .values(status=AppointmentStatus.BLOOD_DRAWN, barcode=code, updated_at=now)
                .execution_options(synchronize_session=False)
            )
        except IntegrityError:
            raise Conflict(
                "This barcode is already used by another sample.", field="barcode"
            ) from None
        if result.rowcount == 0:
            ensure_status(
                _current_status(session, appointment.id), DRAWABLE, "record the blood draw for"
            )
            raise Conflict("Attach at least one panel before recording the blood draw.")
        _record(
            session,
            appointment.id,
            AppointmentStatus.BLOOD_DRAWN,
            actor=actor,
            now=now,
            reason="Blood drawn",
        )
    session.expire(appointment)
    return appointment


def add_panels(
    session: Session,
    appointment_id: uuid.UUID,
    panel_ids: Sequence[uuid.UUID],
    *,
    actor: Actor,
    now: datetime,
) -> Appointment:
    """Order panels for an appointment; a panel already attached is left as it is (contract:
    POST /appointments/{id}/panels). Raises ValidationError (empty list), Forbidden, NotFound
    (appointment or panel), Conflict if it is `blood_drawn` or `cancelled`."""
    ensure_permitted(actor, Permission.BOOK)
    if not panel_ids:
        raise ValidationError("panel_ids", "panel_ids must list at least one panel.")
    with write_transaction(session):
        appointment = _load(session, appointment_id, actor)
        panels = _load_panels(session, panel_ids)
        _swap(session, appointment, CHANGEABLE, "add panels to", now=now, values={})
        attached = set(
            session.scalars(
                select(AppointmentPanel.panel_id).where(
                    AppointmentPanel.appointment_id == appointment.id
                )
            )
        )
        for panel in panels:
            if panel.id not in attached:
                session.add(
                    AppointmentPanel(appointment_id=appointment.id, panel_id=panel.id, added_at=now)
                )
                attached.add(panel.id)
    session.expire(appointment)
    return appointment


def remove_panels(
    session: Session,
    appointment_id: uuid.UUID,
    panel_ids: Sequence[uuid.UUID],
    *,
    actor: Actor,
    now: datetime,
) -> Appointment:
    """Remove ordered panels (contract: DELETE /appointments/{id}/panels). Raises
    ValidationError (empty list), Forbidden, NotFound (appointment, or a panel not attached),
    Conflict if it is `blood_drawn` or `cancelled`."""
    ensure_permitted(actor, Permission.BOOK)
    if not panel_ids:
        raise ValidationError("panel_ids", "panel_ids must list at least one panel.")
    with write_transaction(session):
        appointment = _load(session, appointment_id, actor)
        attached = set(
            session.scalars(
                select(AppointmentPanel.panel_id).where(
                    AppointmentPanel.appointment_id == appointment.id
                )
            )
        )
        missing = [str(pid) for pid in panel_ids if pid not in attached]
        if missing:
            raise NotFound("Panel", f"Panel {missing[0]} is not attached to this appointment.")
        _swap(session, appointment, CHANGEABLE, "remove panels from", now=now, values={})
        session.execute(
            delete(AppointmentPanel).where(
                AppointmentPanel.appointment_id == appointment.id,
                AppointmentPanel.panel_id.in_(panel_ids),
            )
        )
    session.expire(appointment)
    return appointment


def _load(session: Session, appointment_id: uuid.UUID, actor: Actor) -> Appointment:
    appointment = session.scalar(
        select(Appointment).where(Appointment.id == appointment_id).options(*_DETAIL)
    )
    if appointment is None:
        raise NotFound("Appointment")
    ensure_can_see_appointment(actor, appointment)
    return appointment


def _load_panels(session: Session, panel_ids: Sequence[uuid.UUID]) -> list[Panel]:
    wanted = list(dict.fromkeys(panel_ids))
    if not wanted:
        return []
    found = {p.id: p for p in session.scalars(select(Panel).where(Panel.id.in_(wanted)))}
    for panel_id in wanted:
        if panel_id not in found:
            raise NotFound("Panel", f"Panel {panel_id} not found.")
    return [found[panel_id] for panel_id in wanted]


def _current_status(session: Session, appointment_id: uuid.UUID) -> str:
    return session.execute(
        select(Appointment.status).where(Appointment.id == appointment_id)
    ).scalar_one()


def _swap(
    session: Session,
    appointment: Appointment,
    allowed: tuple[AppointmentStatus, ...],
    action: str,
    *,
    now: datetime,
    values: dict[str, object],
    new_status: AppointmentStatus | None = None,
) -> str:
    """Compare-and-swap on the appointment row: change it only while its status is in `allowed`.

    The row count decides; on PostgreSQL the UPDATE also holds the row until commit, so the
    panel and history rows written after it cannot race. Returns the status after the change.
    """
    if new_status is not None:
        values = {**values, "status": new_status}
    result = session.execute(
        update(Appointment)
        .where(Appointment.id == appointment.id, Appointment.status.in_(allowed))
        .values(updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    status = _current_status(session, appointment.id)
    if result.rowcount == 0:
        ensure_status(status, allowed, action)
    session.expire(appointment)
    return status


def _transition(
    session: Session,
    appointment_id: uuid.UUID,
    to: AppointmentStatus,
    allowed: tuple[AppointmentStatus, ...],
    action: str,
    *,
    actor: Actor,
    now: datetime,
    reason: str,
) -> Appointment:
    with write_transaction(session):
        appointment = _load(session, appointment_id, actor)
        _swap(session, appointment, allowed, action, now=now, values={}, new_status=to)
        _record(session, appointment.id, to, actor=actor, now=now, reason=reason)
    return appointment


def _record(
    session: Session,
    appointment_id: uuid.UUID,
    status: str,
    *,
    actor: Actor,
    now: datetime,
    reason: str | None,
) -> None:
    sequence = session.execute(
        select(func.coalesce(func.max(StatusChange.sequence), 0)).where(
            StatusChange.appointment_id == appointment_id
        )
    ).scalar_one()
    session.add(
        StatusChange(
            appointment_id=appointment_id,
            sequence=sequence + 1,
            status=status,
            changed_at=now,
            actor=actor.label,
            reason=reason,
        )
    )
