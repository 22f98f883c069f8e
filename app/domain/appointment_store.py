"""Row operations shared by the appointment use cases: loading within an access context, locking
the row a use case changes, compare-and-swap on the status, and the status history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session, selectinload

from app.domain.access import Actor, ensure_can_see_appointment
from app.domain.errors import Conflict, NotFound
from app.domain.messages import Message, msg
from app.domain.models import Appointment, AppointmentPanel, AppointmentStatus, Panel, StatusChange
from app.domain.rules import ensure_status
from app.domain.transactions import Recorder

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


def lock_appointment(session: Session, appointment_id: uuid.UUID, actor: Actor) -> Appointment:
    """The appointment with its details, for a use case that changes it: its row is locked until
    the transaction ends, then its panels, history and slot are read. Raises NotFound, then
    Forbidden outside the context.

    Every use case that changes an appointment starts here, so two of them on one appointment
    run one after the other and each reads what the other committed (PostgreSQL: `SELECT ...
    FOR UPDATE`, and READ COMMITTED gives each later statement a fresh snapshot; SQLite: the
    write transaction's `BEGIN IMMEDIATE` already holds the database's write lock).
    """
    appointment = session.scalar(
        select(Appointment)
        .where(Appointment.id == appointment_id)
        .with_for_update(of=Appointment)
        .options(*DETAIL)
        .execution_options(populate_existing=True)
    )
    if appointment is None:
        raise NotFound("Appointment")
    ensure_can_see_appointment(actor, appointment)
    return appointment


def reload_appointment(
    session: Session, appointment_id: uuid.UUID, record: Recorder[Appointment] | None = None
) -> Appointment:
    """The appointment with every detail as the transaction leaves it, read before its commit:
    what a use case returns, so its caller's answer needs no read after the commit. `record`, if
    given, is called with it (`transactions.Recorder`)."""
    session.flush()
    appointment = session.execute(
        select(Appointment)
        .where(Appointment.id == appointment_id)
        .options(*DETAIL)
        .execution_options(populate_existing=True)
    ).scalar_one()
    if record is not None:
        record(appointment)
    return appointment


def compare_and_swap(
    session: Session,
    appointment: Appointment,
    allowed: tuple[AppointmentStatus, ...],
    refusal: Message,
    *,
    now: datetime,
    values: dict[str, object],
    new_status: AppointmentStatus | None = None,
) -> None:
    """Change the appointment, locked by `lock_appointment`, while its status is in `allowed`:
    raise Conflict with `refusal` otherwise. The UPDATE repeats the status condition, so the
    row count is a second guard should a caller not hold the lock. Attributes are read again by
    `reload_appointment`. Raises Conflict."""
    ensure_status(appointment.status, allowed, refusal)
    if new_status is not None:
        values = {**values, "status": new_status}
    result = session.execute(
        update(Appointment)
        .where(Appointment.id == appointment.id, Appointment.status.in_(allowed))
        .values(updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], result).rowcount == 0:
        raise Conflict(msg("The appointment was changed meanwhile; reload it and try again."))


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
