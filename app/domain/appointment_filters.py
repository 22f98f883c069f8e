"""The appointment list's filters as WHERE clauses, and its order (contract: GET /appointments)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_

from app.domain.errors import ValidationError
from app.domain.messages import msg
from app.domain.models import Appointment, AppointmentStatus
from app.domain.pages import Keyset
from app.domain.rules import ensure_aware

# Contract: a list without `profile_id` covers two months back to one month ahead.
LIST_WINDOW_BACK = timedelta(days=61)
LIST_WINDOW_AHEAD = timedelta(days=31)
# Soonest first (contract); the id orders appointments that share a slot.
APPOINTMENT_ORDER = Keyset("appointments", (Appointment.scheduled_at, Appointment.id))
# The latest first: the same index read backwards.
RECENT_APPOINTMENT_ORDER = Keyset(
    "recent_appointments", (Appointment.scheduled_at, Appointment.id), descending=True
)


def appointment_clauses(
    *,
    now: datetime,
    profile_id: uuid.UUID | None = None,
    location_id: uuid.UUID | None = None,
    status: AppointmentStatus | None = None,
    scheduled_from: datetime | None = None,
    scheduled_to: datetime | None = None,
    updated_since: datetime | None = None,
) -> list[ColumnElement[bool]]:
    """WHERE clauses over Appointment for the filters given (each None: no filter).

    The instants are aware: `scheduled_from <= scheduled_at < scheduled_to` (a half-open range,
    so consecutive ranges do not overlap) and `coalesce(updated_at, created_at) >= updated_since`
    (`updated_at` is null until the first change, contract "Appointment", so an appointment never
    changed counts from its booking). Without either end, the contract's window applies unless
    `profile_id` is given: scheduled from
    LIST_WINDOW_BACK before `now` to LIST_WINDOW_AHEAD after it. An end given replaces that
    window, and an end not given is open, with or without `profile_id`.

    Raises ValidationError("from", "to" or "updated_since") for a naive instant, and
    ValidationError("to") when `scheduled_to` comes before `scheduled_from`.
    """
    for field, at in (("from", scheduled_from), ("to", scheduled_to)):
        if at is not None:
            ensure_aware(at, field)
    if scheduled_from is not None and scheduled_to is not None and scheduled_to < scheduled_from:
        raise ValidationError("to", msg("to comes before from: give a to at or after from."))
    clauses: list[ColumnElement[bool]] = []
    if scheduled_from is None and scheduled_to is None and profile_id is None:
        clauses.append(Appointment.scheduled_at >= now - LIST_WINDOW_BACK)
        clauses.append(Appointment.scheduled_at <= now + LIST_WINDOW_AHEAD)
    if scheduled_from is not None:
        clauses.append(Appointment.scheduled_at >= scheduled_from)
    if scheduled_to is not None:
        clauses.append(Appointment.scheduled_at < scheduled_to)
    if updated_since is not None:
        ensure_aware(updated_since, "updated_since")
        # coalesce(updated_at, created_at) >= updated_since, written so that each branch has an
        # index of its own (`ix_appointments_updated_at`, `ix_appointments_created_at_unchanged`).
        clauses.append(
            or_(
                Appointment.updated_at >= updated_since,
                and_(Appointment.updated_at.is_(None), Appointment.created_at >= updated_since),
            )
        )
    if profile_id is not None:
        clauses.append(Appointment.profile_id == profile_id)
    if location_id is not None:
        clauses.append(Appointment.location_id == location_id)
    if status is not None:
        clauses.append(Appointment.status == status)
    return clauses
