"""Checks of data already stored against rules the use cases keep, for the operator's
`check-data` command: rows that older code or hands in the database may have left behind."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.models import Appointment, AppointmentPanel, AppointmentStatus, TestLocation


@dataclass(frozen=True)
class DrawWithoutPanel:
    """An appointment recorded as `blood_drawn` with no panel ordered: a sample nobody knows what
    to test for. `scheduled_at` is aware UTC; `timezone` is its location's IANA zone."""

    appointment_id: uuid.UUID
    location_name: str
    timezone: str
    scheduled_at: datetime
    barcode: str | None


def find_draws_without_panel(session: Session) -> list[DrawWithoutPanel]:
    """Every appointment recorded as `blood_drawn` that has no panel, soonest first. The draw
    needs a panel (CONTRACT.md, `POST /appointments/{id}/confirm`: 409 if no panel is attached);
    such rows were left by a draw that raced the removal of the last panel before the lifecycle
    use cases locked the appointment first."""
    has_panel = select(AppointmentPanel).where(AppointmentPanel.appointment_id == Appointment.id)
    rows = session.execute(
        select(
            Appointment.id,
            TestLocation.name,
            TestLocation.timezone,
            Appointment.scheduled_at,
            Appointment.barcode,
        )
        .join(TestLocation, Appointment.location_id == TestLocation.id)
        .where(Appointment.status == AppointmentStatus.BLOOD_DRAWN, ~has_panel.exists())
        .order_by(Appointment.scheduled_at, Appointment.id)
    )
    return [DrawWithoutPanel(*row) for row in rows]
