"""Lifecycle use cases: cancel, confirm, record the blood draw, and order or remove panels.

Each locks the appointment first (`lock_appointment`), then reads what its rule depends on, and
returns the appointment as its transaction leaves it (`reload_appointment`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.access import Actor, Permission, ensure_permitted
from app.domain.appointment_store import (
    compare_and_swap,
    load_panels,
    lock_appointment,
    record_status,
    reload_appointment,
)
from app.domain.draw_rules import (
    CANCEL_REASON_WORDS,
    CancelReason,
    ensure_cancel_reason,
    ensure_draw_window,
)
from app.domain.errors import Conflict, NotFound, ValidationError
from app.domain.history_details import (
    PANELS_ADDED,
    PANELS_CHANGED,
    PANELS_REMOVED,
    panel_details,
)
from app.domain.messages import Message, msg
from app.domain.models import Appointment, AppointmentPanel, AppointmentStatus
from app.domain.rules import (
    CANCELLABLE,
    CANNOT_ADD_PANELS,
    CANNOT_CANCEL,
    CANNOT_CONFIRM,
    CANNOT_DRAW,
    CANNOT_REMOVE_PANELS,
    CHANGEABLE,
    CONFIRMABLE,
    DRAWABLE,
    ensure_status,
    parse_barcode,
)
from app.domain.slots import free_seat
from app.domain.transactions import Recorder, write_transaction


def cancel_appointment(
    session: Session,
    appointment_id: uuid.UUID,
    *,
    actor: Actor,
    now: datetime,
    reason: CancelReason | None = None,
    record: Recorder[Appointment] | None = None,
) -> Appointment:
    """Cancel an appointment before its blood draw; its chair is free at once, its panels are
    kept (contract: DELETE /appointments/{id}). The history records the `reason`'s words, or
    "Cancelled". `record`, if given, is called with the cancelled appointment before the commit
    (`transactions.Recorder`). Raises Forbidden, NotFound, Conflict if already drawn or
    cancelled, and Conflict(field "reason") for "did not attend" before the start
    (`ensure_cancel_reason`)."""
    ensure_permitted(actor, Permission.CANCEL)
    with write_transaction(session):
        appointment = lock_appointment(session, appointment_id, actor)
        ensure_status(appointment.status, CANCELLABLE, CANNOT_CANCEL)
        ensure_cancel_reason(reason, appointment, now=now)
        compare_and_swap(
            session,
            appointment,
            CANCELLABLE,
            CANNOT_CANCEL,
            now=now,
            values={},
            new_status=AppointmentStatus.CANCELLED,
        )
        free_seat(session, appointment.location_id, appointment.scheduled_at)
        words = CANCEL_REASON_WORDS[reason] if reason is not None else msg("Cancelled")
        record_status(
            session, appointment.id, AppointmentStatus.CANCELLED, actor=actor, now=now, reason=words
        )
        return reload_appointment(session, appointment.id, record)


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
        CANNOT_CONFIRM,
        actor=actor,
        now=now,
        reason=msg("Confirmed"),
    )


def record_blood_draw(
    session: Session,
    appointment_id: uuid.UUID,
    barcode: object,
    *,
    actor: Actor,
    now: datetime,
    record: Recorder[Appointment] | None = None,
    statuses: tuple[AppointmentStatus, ...] = DRAWABLE,
) -> Appointment:
    """Record the blood draw with the sample tube's barcode; the status becomes `blood_drawn`
    for good (contract: POST /appointments/{id}/confirm). `statuses` are those it may be drawn
    from: the contract's `DRAWABLE`, or the portal desk's `DESK_DRAWABLE` (`rules`). `record`,
    if given, is called with the appointment before the commit (`transactions.Recorder`).

    Raises ValidationError (barcode missing or not digits), Forbidden, NotFound, and Conflict if
    the status is not one of `statuses`, no panel is attached, `now` lies outside the draw window
    (`draw_rules.ensure_draw_window`), or the barcode is already used.
    """
    ensure_permitted(actor, Permission.RECORD_DRAW)
    code = parse_barcode(barcode)
    with write_transaction(session):
        appointment = lock_appointment(session, appointment_id, actor)
        ensure_status(appointment.status, statuses, CANNOT_DRAW)
        if not appointment.panels:
            raise Conflict(msg("Attach at least one panel before recording the blood draw."))
        ensure_draw_window(appointment, now=now)
        try:
            compare_and_swap(
                session,
                appointment,
                statuses,
                CANNOT_DRAW,
                now=now,
                values={"barcode": code},
                new_status=AppointmentStatus.BLOOD_DRAWN,
            )
        except IntegrityError:
            raise Conflict(
                msg("This barcode is already used by another sample."), field="barcode"
            ) from None
        record_status(
            session,
            appointment.id,
            AppointmentStatus.BLOOD_DRAWN,
            actor=actor,
            now=now,
            reason=msg("Blood drawn"),
        )
        return reload_appointment(session, appointment.id, record)


def add_panels(
    session: Session,
    appointment_id: uuid.UUID,
    panel_ids: Sequence[uuid.UUID],
    *,
    actor: Actor,
    now: datetime,
) -> Appointment:
    """Order panels for an appointment; a panel already attached is left as it is (contract:
    POST /appointments/{id}/panels). The panels it adds enter the status history, in the status
    the appointment keeps. Raises ValidationError (empty list), Forbidden, NotFound (appointment
    or panel), Conflict if it is `blood_drawn` or `cancelled`."""
    ensure_permitted(actor, Permission.BOOK)
    _ensure_panel_ids(panel_ids)
    with write_transaction(session):
        appointment = lock_appointment(session, appointment_id, actor)
        panels = load_panels(session, panel_ids)
        status = appointment.status
        compare_and_swap(session, appointment, CHANGEABLE, CANNOT_ADD_PANELS, now=now, values={})
        attached = {item.panel_id for item in appointment.panels}
        added = [panel for panel in panels if panel.id not in attached]
        for panel in added:
            session.add(
                AppointmentPanel(appointment_id=appointment.id, panel_id=panel.id, added_at=now)
            )
        if added:
            record_status(
                session,
                appointment.id,
                status,
                actor=actor,
                now=now,
                reason=PANELS_CHANGED,
                details=panel_details(PANELS_ADDED, added),
            )
        return reload_appointment(session, appointment.id)


def remove_panels(
    session: Session,
    appointment_id: uuid.UUID,
    panel_ids: Sequence[uuid.UUID],
    *,
    actor: Actor,
    now: datetime,
) -> Appointment:
    """Remove ordered panels (contract: DELETE /appointments/{id}/panels); they enter the status
    history, in the status the appointment keeps. Raises ValidationError (empty list), Forbidden,
    NotFound (appointment, or a panel not attached), Conflict if it is `blood_drawn` or
    `cancelled`."""
    ensure_permitted(actor, Permission.BOOK)
    _ensure_panel_ids(panel_ids)
    with write_transaction(session):
        appointment = lock_appointment(session, appointment_id, actor)
        attached = {item.panel_id for item in appointment.panels}
        missing = [str(pid) for pid in panel_ids if pid not in attached]
        if missing:
            raise NotFound(
                "Panel",
                msg("Panel %(panel)s is not attached to this appointment.", panel=missing[0]),
            )
        status = appointment.status
        compare_and_swap(session, appointment, CHANGEABLE, CANNOT_REMOVE_PANELS, now=now, values={})
        session.execute(
            delete(AppointmentPanel)
            .where(
                AppointmentPanel.appointment_id == appointment.id,
                AppointmentPanel.panel_id.in_(panel_ids),
            )
            .execution_options(synchronize_session=False)
        )
        record_status(
            session,
            appointment.id,
            status,
            actor=actor,
            now=now,
            reason=PANELS_CHANGED,
            details=panel_details(PANELS_REMOVED, load_panels(session, panel_ids)),
        )
        return reload_appointment(session, appointment.id)


def _transition(
    session: Session,
    appointment_id: uuid.UUID,
    to: AppointmentStatus,
    allowed: tuple[AppointmentStatus, ...],
    refusal: Message,
    *,
    actor: Actor,
    now: datetime,
    reason: str,
) -> Appointment:
    with write_transaction(session):
        appointment = lock_appointment(session, appointment_id, actor)
        compare_and_swap(session, appointment, allowed, refusal, now=now, values={}, new_status=to)
        record_status(session, appointment.id, to, actor=actor, now=now, reason=reason)
        return reload_appointment(session, appointment.id)


def _ensure_panel_ids(panel_ids: Sequence[uuid.UUID]) -> None:
    if not panel_ids:
        raise ValidationError("panel_ids", msg("panel_ids must list at least one panel."))
