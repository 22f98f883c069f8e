"""Appointment use cases: book, read, list and reschedule (lifecycle changes: `lifecycle`)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.access import (
    Actor,
    Permission,
    appointment_filter,
    ensure_can_see_profile,
    ensure_permitted,
)
from app.domain.appointment_filters import (
    APPOINTMENT_ORDER,
    RECENT_APPOINTMENT_ORDER,
    appointment_clauses,
)
from app.domain.appointment_store import (
    DETAIL,
    compare_and_swap,
    load_appointment,
    load_panels,
    lock_appointment,
    record_status,
    reload_appointment,
)
from app.domain.availability import next_free_slots
from app.domain.booking_tokens import OneTimeToken, claim_booking_token, record_booking
from app.domain.errors import Conflict, NotFound, SlotUnavailable, ValidationError
from app.domain.history_details import Place, move_details
from app.domain.messages import msg
from app.domain.models import (
    Appointment,
    AppointmentPanel,
    AppointmentStatus,
    Profile,
    TestLocation,
)
from app.domain.pages import Page, fetch_page
from app.domain.rules import (
    CANNOT_RESCHEDULE,
    CHANGEABLE,
    ensure_future,
)
from app.domain.slots import ensure_bookable_slot, free_seat, take_seat
from app.domain.transactions import Recorder, write_transaction

# The unique index that keeps one appointment per profile and start instant (`models`).
PROFILE_SLOT_INDEX = "uq_appointments_profile_scheduled"


@dataclass(frozen=True)
class BookingRequest:
    """What a booking asks for: the profile, the test location, the instant (aware), and the
    panels to order at once (optional; the API adds them later through its panels call)."""

    profile_id: uuid.UUID
    location_id: uuid.UUID
    scheduled_at: datetime
    panel_ids: tuple[uuid.UUID, ...] = field(default=())


def book_appointment(
    session: Session,
    request: BookingRequest,
    *,
    actor: Actor,
    now: datetime,
    record: Recorder[Appointment] | None = None,
    once: OneTimeToken | None = None,
) -> Appointment:
    """Book a blood draw in a free slot, taking one of its chairs; the appointment starts in the
    location's `default_status` (contract: POST /appointments). `record`, if given, is called
    with the new appointment before the commit (`transactions.Recorder`). `once`, a portal
    form's booking token, is claimed first in the same transaction (`booking_tokens`).

    Raises Forbidden, ValidationError (`scheduled_at` in the past or not a bookable slot start),
    NotFound (profile, location or panel), SlotUnavailable (no chair left in the slot),
    Conflict(field="scheduled_at") when the profile has another appointment at that instant,
    AlreadyBooked when `once` booked an appointment before (nothing is written then).
    """
    ensure_permitted(actor, Permission.BOOK)
    ensure_future(request.scheduled_at, now=now)
    with write_transaction(session):
        if once is not None:
            claim_booking_token(session, once, now=now)
        profile = session.get(Profile, request.profile_id)
        if profile is None:
            raise NotFound("Profile")
        location = session.get(TestLocation, request.location_id)
        if location is None:
            raise NotFound("Test location")
        panels = load_panels(session, request.panel_ids)
        ensure_can_see_profile(actor, profile)
        ensure_bookable_slot(location, request.scheduled_at, now=now)
        _take_seat(session, location, request.scheduled_at, now=now)
        appointment = Appointment(
            profile_id=profile.id,
            location_id=location.id,
            scheduled_at=request.scheduled_at,
            status=location.default_status,
            created_at=now,
        )
        appointment.panels = [AppointmentPanel(panel_id=p.id, added_at=now) for p in panels]
        session.add(appointment)
        with _one_appointment_at_a_time(profile.full_name):
            session.flush()
        record_status(
            session, appointment.id, appointment.status, actor=actor, now=now, reason=msg("Booked")
        )
        if once is not None:
            record_booking(session, once, appointment.id)
        return reload_appointment(session, appointment.id, record)


def find_booked(session: Session, request: BookingRequest, *, actor: Actor) -> Appointment | None:
    """The appointment, not cancelled, that `request` asks for and the profile already holds: at
    that location and instant (panels aside), within `actor`'s access context; else None. A
    profile holds at most one appointment per instant (PROFILE_SLOT_INDEX). Raises Forbidden."""
    ensure_permitted(actor, Permission.READ_APPOINTMENTS)
    return session.scalar(
        select(Appointment)
        .where(
            appointment_filter(actor),
            Appointment.profile_id == request.profile_id,
            Appointment.location_id == request.location_id,
            Appointment.scheduled_at == request.scheduled_at,
            Appointment.status != AppointmentStatus.CANCELLED,
        )
        .options(*DETAIL)
    )


def get_appointment(session: Session, appointment_id: uuid.UUID, *, actor: Actor) -> Appointment:
    """Return one appointment with its profile, panels and history. Raises Forbidden, NotFound."""
    ensure_permitted(actor, Permission.READ_APPOINTMENTS)
    return load_appointment(session, appointment_id, actor)


def list_appointments(
    session: Session,
    *,
    actor: Actor,
    now: datetime,
    profile_id: uuid.UUID | None = None,
    location_id: uuid.UUID | None = None,
    status: AppointmentStatus | None = None,
    scheduled_from: datetime | None = None,
    scheduled_to: datetime | None = None,
    updated_since: datetime | None = None,
    limit: int | None = None,
    after: str | None = None,
    before: str | None = None,
    newest_first: bool = False,
) -> Page[Appointment]:
    """The appointments `actor` may see that match every filter given, soonest first (contract:
    GET /appointments), or the latest first with `newest_first` (a patient's past ones):
    `limit` of them after the cursor `after` or before `before` (`pages.fetch_page`), or all of
    them without a limit.

    Without `profile_id`, `scheduled_from` or `scheduled_to`, only those scheduled from two
    months before `now` to one month after; see `appointment_clauses` for the filters.
    A `profile_id` is checked as a profile named anywhere else is (contract, "Errors": existence,
    then access context): NotFound when no profile has it, Forbidden when it lies outside the
    actor's access context, rather than an empty list that would look like "no appointments".
    Raises Forbidden, NotFound("Profile"), ValidationError (a filter, "limit", "cursor").
    """
    ensure_permitted(actor, Permission.READ_APPOINTMENTS)
    if profile_id is not None:
        profile = session.get(Profile, profile_id)
        if profile is None:
            raise NotFound("Profile")
        ensure_can_see_profile(actor, profile)
    clauses = appointment_clauses(
        now=now,
        profile_id=profile_id,
        location_id=location_id,
        status=status,
        scheduled_from=scheduled_from,
        scheduled_to=scheduled_to,
        updated_since=updated_since,
    )
    query = select(Appointment).where(appointment_filter(actor), *clauses).options(*DETAIL)
    order = RECENT_APPOINTMENT_ORDER if newest_first else APPOINTMENT_ORDER
    return fetch_page(session, query, order, limit=limit, after=after, before=before)


def reschedule_appointment(
    session: Session,
    appointment_id: uuid.UUID,
    *,
    actor: Actor,
    now: datetime,
    scheduled_at: datetime | None = None,
    location_id: uuid.UUID | None = None,
    record: Recorder[Appointment] | None = None,
) -> Appointment:
    """Move an appointment to a new slot and/or test location, with the same rules as booking
    (contract: PATCH /appointments/{id}). In one transaction the new slot's chair is taken and
    the old one freed, so a failed move keeps the old chair. `record`, if given, is called with
    the moved appointment before the commit (`transactions.Recorder`).

    The history entry records where and when it moved from and to (`history_details.Move`).
    Raises Forbidden, ValidationError (in the past, not a bookable slot), NotFound (appointment,
    location), Conflict if it is `blood_drawn` or `cancelled` or the profile has another
    appointment at the new instant, SlotUnavailable (no chair left).
    """
    ensure_permitted(actor, Permission.BOOK)
    if scheduled_at is None and location_id is None:
        raise ValidationError("scheduled_at", msg("Give a new scheduled_at or location_id."))
    if scheduled_at is not None:
        ensure_future(scheduled_at, now=now)
    with write_transaction(session):
        appointment = lock_appointment(session, appointment_id, actor)
        old = (appointment.location_id, appointment.scheduled_at)
        moved_from = Place.of(appointment.scheduled_at, appointment.location)
        location = session.get(TestLocation, location_id or appointment.location_id)
        if location is None:
            raise NotFound("Test location")
        new_at = scheduled_at or appointment.scheduled_at
        ensure_future(new_at, now=now)
        ensure_bookable_slot(location, new_at, now=now)
        status = appointment.status
        compare_and_swap(session, appointment, CHANGEABLE, CANNOT_RESCHEDULE, now=now, values={})
        new = (location.id, new_at)
        if new == old:
            # Already where asked: nothing to move, or a repeat of the move just made (the form
            # submitted twice, the second waiting on the first's lock), which is no conflict.
            return reload_appointment(session, appointment.id, record)
        # Counter rows are locked in one order (by key) so two crossing moves cannot deadlock.
        for key in sorted((old, new), key=lambda slot: (str(slot[0]), slot[1])):
            if key == new:
                _take_seat(session, location, new_at, now=now)
            else:
                free_seat(session, *old)
        with _one_appointment_at_a_time(appointment.profile.full_name):
            session.execute(
                update(Appointment)
                .where(Appointment.id == appointment.id)
                .values(location_id=location.id, scheduled_at=new_at)
                .execution_options(synchronize_session=False)
            )
        record_status(
            session,
            appointment.id,
            status,
            actor=actor,
            now=now,
            reason=msg("Rescheduled"),
            details=move_details(moved_from, Place.of(new_at, location)),
        )
        return reload_appointment(session, appointment.id, record)


@contextmanager
def _one_appointment_at_a_time(name: str) -> Iterator[None]:
    """Turn the database's refusal of a second appointment of the profile `name`d at the same
    start instant (index PROFILE_SLOT_INDEX) into a Conflict on `scheduled_at`. The name is
    read before: after the refusal the session cannot load anything."""
    try:
        yield
    except IntegrityError as error:
        # PostgreSQL names the index; SQLite names its columns.
        reason = str(error.orig)
        if not any(name in reason for name in (PROFILE_SLOT_INDEX, "appointments.profile_id")):
            raise
        raise Conflict(
            msg("%(name)s has another appointment at this time.", name=name),
            field="scheduled_at",
        ) from None


def _take_seat(session: Session, location: TestLocation, at: datetime, *, now: datetime) -> None:
    """Take a chair in the slot, or raise SlotUnavailable offering the next free slots."""
    if not take_seat(session, location.id, at):
        raise SlotUnavailable(
            msg("This slot is fully booked; choose another time."),
            next_available=next_free_slots(session, location, at, now=now),
        )
