"""Coordinators' and patients' pages: the appointment list, booking, detail and cancellation."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required
from werkzeug.wrappers import Response

from app.clock import now
from app.db import get_session
from app.domain.appointments import book_appointment, get_appointment, list_appointments
from app.domain.catalogue import get_location, list_locations, list_panels
from app.domain.errors import Conflict, NotFound, ValidationError
from app.domain.lifecycle import cancel_appointment
from app.domain.models import Role, TestLocation
from app.domain.profiles import list_profiles
from app.domain.rules import CANCELLABLE, DRAWABLE, parse_uuid
from app.web.display import local_time
from app.web.errors import handle_domain_errors
from app.web.fields import add_domain_error, error_status
from app.web.forms import ActionForm, BookingForm
from app.web.users import current_actor, portal_user, role_required

bp = Blueprint("booking", __name__)
handle_domain_errors(bp)

BOOKERS = (Role.PATIENT, Role.COORDINATOR, Role.ADMIN)


@bp.get("/appointments")
@role_required(*BOOKERS)
def appointment_list() -> str:
    """The appointments the user may see, soonest first (the domain's window and access)."""
    appointments = list_appointments(get_session(), actor=current_actor(), now=now())
    return render_template("booking/list.html", appointments=appointments)


def _find_location(value: str) -> TestLocation:
    location_id = parse_uuid(value, "location_id")
    return get_location(get_session(), location_id, actor=current_actor())


@bp.route("/appointments/new", methods=["GET", "POST"])
@role_required(*BOOKERS)
def new_appointment() -> Response | tuple[str, int]:
    """Book a blood draw; the domain's messages appear beside the fields they concern."""
    session, actor, at = get_session(), current_actor(), now()
    form = BookingForm(
        profile_options=list_profiles(session, actor=actor),
        location_options=list_locations(session, actor=actor),
        panel_options=list_panels(session, actor=actor),
        find_location=_find_location,
        now=at,
    )
    status = 200
    if form.validate_on_submit():
        try:
            appointment = book_appointment(session, form.booking_request(), actor=actor, now=at)
        except (ValidationError, NotFound, Conflict) as exc:
            add_domain_error(form, exc)
            status = error_status(exc)
        else:
            when = local_time(appointment.scheduled_at, appointment.location.timezone)
            flash(f"Appointment booked for {when}.", "success")
            return redirect(url_for("booking.appointment_detail", appointment_id=appointment.id))
    elif form.is_submitted():
        status = 422
    return render_template("booking/new.html", form=form), status


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
        role=portal_user().role,
    )


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
