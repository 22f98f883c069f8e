"""Coordinators' and patients' pages: booking, an appointment's detail, rescheduling and
cancellation (the list: `appointments`)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from app.clock import now
from app.db import get_session
from app.domain.appointments import (
    book_appointment,
    get_appointment,
    reschedule_appointment,
)
from app.domain.catalogue import list_locations, list_panels
from app.domain.errors import Conflict, NotFound, SlotUnavailable, ValidationError
from app.domain.lifecycle import cancel_appointment
from app.domain.models import Role
from app.domain.profiles import list_profiles
from app.domain.rules import CANCELLABLE, CHANGEABLE, DRAWABLE, ensure_status
from app.web.display import local_time
from app.web.errors import handle_domain_errors
from app.web.fields import add_domain_error, error_status
from app.web.forms import ActionForm
from app.web.slot_forms import BookingForm, RescheduleForm, SlotFinder, SlotPickerForm
from app.web.users import current_actor, portal_user, role_required

bp = Blueprint("booking", __name__)
handle_domain_errors(bp)

BOOKERS = (Role.PATIENT, Role.COORDINATOR, Role.ADMIN)
SHOW_SLOTS = "show"  # the name of the "Show free times" button
T = TypeVar("T")


def _picker_input() -> dict[str, Any]:
    # A GET reads the choices from the query string (links, "Show free times"); a POST from
    # the submitted form.
    return {"formdata": request.args} if request.method == "GET" else {}


def _show_slots(form: SlotPickerForm, endpoint: str, **values: Any) -> Response | None:
    """The "Show free times" button posts the whole form (so no CSRF token lands in a URL);
    answer by re-opening the page with the choices in its query string."""
    if SHOW_SLOTS not in request.form:
        return None
    return redirect(url_for(endpoint, **values, **form.query()), 303)


def _submit_slot(form: SlotPickerForm, use_case: Callable[[], T]) -> tuple[T | None, int]:
    """Run `use_case` for a validated form; a domain error goes beside its field, and a full
    slot offers the domain's next free times. Returns (its result or None, the page status)."""
    try:
        return use_case(), 200
    except SlotUnavailable as exc:
        add_domain_error(form, exc)
        form.next_times = exc.next_available
        return None, error_status(exc)
    except (ValidationError, NotFound, Conflict) as exc:
        add_domain_error(form, exc)
        return None, error_status(exc)


@bp.route("/appointments/new", methods=["GET", "POST"])
@role_required(*BOOKERS)
def new_appointment() -> Response | tuple[str, int]:
    """Book a blood draw in a free slot; the domain's messages appear beside the fields."""
    session, actor, at = get_session(), current_actor(), now()
    form = BookingForm(
        profile_options=list_profiles(session, actor=actor),
        location_options=list_locations(session, actor=actor),
        panel_options=list_panels(session, actor=actor),
        slots=SlotFinder(session, actor=actor, now=at),
        **_picker_input(),
    )
    if shown := _show_slots(form, "booking.new_appointment"):
        return shown
    status = 200
    if form.validate_on_submit():
        booking = form.booking_request()
        appointment, status = _submit_slot(
            form, lambda: book_appointment(session, booking, actor=actor, now=at)
        )
        if appointment is not None:
            when = local_time(appointment.scheduled_at, appointment.location.timezone)
            flash(f"Appointment booked for {when}.", "success")
            return redirect(url_for("booking.appointment_detail", appointment_id=appointment.id))
    elif form.is_submitted():
        status = 422
    slot_day = form.offer_slots()

    def day_url(day: date) -> str:
        return url_for("booking.new_appointment", **form.query(day))

    page = render_template("booking/new.html", form=form, slot_day=slot_day, day_url=day_url)
    return page, status


@bp.get("/appointments/<uuid:appointment_id>")
@login_required
def appointment_detail(appointment_id: uuid.UUID) -> str:
    """One appointment: local time, address, panels, status history (any role, domain access)."""
    appointment = get_appointment(get_session(), appointment_id, actor=current_actor())
    return render_template(
        "booking/detail.html",
        appointment=appointment,
        can_cancel=appointment.status in CANCELLABLE,
        can_draw=appointment.status in DRAWABLE,
        can_reschedule=appointment.status in CHANGEABLE,
        role=portal_user().role,
    )


@bp.route("/appointments/<uuid:appointment_id>/reschedule", methods=["GET", "POST"])
@role_required(*BOOKERS)
def reschedule(appointment_id: uuid.UUID) -> Response | tuple[str, int]:
    """Move a pending or confirmed appointment to another free slot (same picker as booking);
    the domain's messages appear beside the fields, its conflicts on the page."""
    session, actor, at = get_session(), current_actor(), now()
    appointment = get_appointment(session, appointment_id, actor=actor)
    ensure_status(appointment.status, CHANGEABLE, "reschedule")
    zone = ZoneInfo(appointment.location.timezone)
    form = RescheduleForm(
        location_options=list_locations(session, actor=actor),
        slots=SlotFinder(session, actor=actor, now=at),
        preferred_day=appointment.scheduled_at.astimezone(zone).date(),
        location=str(appointment.location_id),
        **_picker_input(),
    )
    if shown := _show_slots(form, "booking.reschedule", appointment_id=appointment_id):
        return shown
    status = 200
    if form.validate_on_submit():
        new_location, new_at = form.new_slot()
        moved, status = _submit_slot(
            form,
            lambda: reschedule_appointment(
                session,
                appointment_id,
                actor=actor,
                now=at,
                scheduled_at=new_at,
                location_id=new_location.id,
            ),
        )
        if moved is not None:
            when = local_time(moved.scheduled_at, new_location.timezone)
            flash(f"Rescheduled to {when}.", "success")
            return redirect(url_for("booking.appointment_detail", appointment_id=appointment_id))
    elif form.is_submitted():
        status = 422
    slot_day = form.offer_slots()

    def day_url(day: date) -> str:
        return url_for("booking.reschedule", appointment_id=appointment_id, **form.query(day))

    page = render_template(
        "booking/reschedule.html",
        form=form,
        appointment=appointment,
        slot_day=slot_day,
        day_url=day_url,
    )
    return page, status


@bp.route("/appointments/<uuid:appointment_id>/cancel", methods=["GET", "POST"])
@role_required(*BOOKERS)
def cancel(appointment_id: uuid.UUID) -> Response | tuple[str, int]:
    """GET asks for confirmation; POST cancels, or shows the domain's conflict message."""
    session, actor = get_session(), current_actor()
    appointment = get_appointment(session, appointment_id, actor=actor)
    form = ActionForm()
    status = 200
    if form.validate_on_submit():
        try:
            cancel_appointment(session, appointment_id, actor=actor, now=now())
        except Conflict as exc:
            add_domain_error(form, exc)
            status = error_status(exc)
        else:
            flash("The appointment is cancelled.", "success")
            return redirect(url_for("booking.appointment_detail", appointment_id=appointment_id))
    return render_template("booking/cancel.html", form=form, appointment=appointment), status
