"""Row operations shared by the appointment use cases: loading within an access context,
compare-and-swap on the status, and the status history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session, selectinload

from app.domain.access import Actor, ensure_can_see_appointment
from app.domain.errors import NotFound
from app.domain.messages import Message, msg
from app.domain.models import Appointment, AppointmentPanel, AppointmentStatus, Panel, StatusChange
from app.domain.rules import ensure_status

# What a use case returns with an appointment: its profile, location, panels and history.
DETAIL = (
    selectinload(Appointment.profile),
    selectinload(Appointment.location),
    selectinload(Appointment.panels).selectinload(AppointmentPanel.panel),
    selectinload(Appointment.status_history),
)


def load_appointment(session: Session, appointment_id: uuid.UUID, actor: Actor) -> Appointment:
    """The appointment with its details. Raises NotFound, then Forbidden outside the context."""
    appointment = session.scalar(
        select(Appointment).where(Appointment.id == appointment_id).options(*DETAIL)
    )
    if appointment is None:
        raise NotFound("Appointment")
    ensure_can_see_appointment(actor, appointment)
    return appointment


def load_panels(session: Session, panel_ids: Sequence[uuid.UUID]) -> list[Panel]:
    """The panels with these ids, in order, duplicates dropped. Raises NotFound for any unknown."""
    wanted = list(dict.fromkeys(panel_ids))
    if not wanted:
        return []
    found = {p.id: p for p in session.scalars(select(Panel).where(Panel.id.in_(wanted)))}
    for panel_id in wanted:
        if panel_id not in found:
            raise NotFound("Panel", msg("Panel %(id)s not found.", id=panel_id))
    return [found[panel_id] for panel_id in wanted]


def current_status(session: Session, appointment_id: uuid.UUID) -> str:
    """The appointment's status as the database holds it now."""
    return session.execute(
        select(Appointment.status).where(Appointment.id == appointment_id)
    ).scalar_one()


def held_slot(session: Session, appointment_id: uuid.UUID) -> tuple[uuid.UUID, datetime]:
    """The (location id, slot start) the appointment holds as the database has it now: read
    after the compare-and-swap has locked the row, so a concurrent reschedule cannot slip in."""
    row = session.execute(
        select(Appointment.location_id, Appointment.scheduled_at).where(
            Appointment.id == appointment_id
        )
    ).one()
    return row.location_id, row.scheduled_at


def compare_and_swap(
    session: Session,
    appointment: Appointment,
    allowed: tuple[AppointmentStatus, ...],
    refusal: Message,
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
    status = current_status(session, appointment.id)
    if cast(CursorResult[Any], result).rowcount == 0:
        ensure_status(status, allowed, refusal)
    session.expire(appointment)
    return status


def record_status(
    session: Session,
    appointment_id: uuid.UUID,
    status: str,
    *,
    actor: Actor,
    now: datetime,
    reason: str | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append an entry to the appointment's status history: status, instant, actor, reason, and
    what a reschedule or panel change did (`details`, in the forms of `history_details`)."""
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
            details=details,
        )
    )
