"""Front desk: a location's appointments for one local day, confirm, cancel, record the draw."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app.clock import now
from app.db import get_session
from app.domain.appointments import get_appointment, list_day_sheet
from app.domain.availability import day_slots
from app.domain.catalogue import get_location
from app.domain.errors import Conflict, ValidationError
from app.domain.lifecycle import cancel_appointment, confirm_appointment, record_blood_draw
from app.domain.models import Appointment, Role
from app.domain.rules import CANCELLABLE, CONFIRMABLE, DRAWABLE
from app.web.errors import handle_domain_errors
from app.web.fields import add_domain_error, error_status
from app.web.forms import ActionForm, BloodDrawForm, CancelForm
from app.web.users import current_actor, portal_user, role_required

bp = Blueprint("desk", __name__)
handle_domain_errors(bp)


def _location_id() -> uuid.UUID:
    location_id = portal_user().location_id
    if location_id is None:
        abort(403)
    return location_id


def _local_day(appointment: Appointment) -> date:
    return appointment.scheduled_at.astimezone(ZoneInfo(appointment.location.timezone)).date()


def _back_to_day(appointment_id: uuid.UUID) -> Response:
    appointment = get_appointment(get_session(), appointment_id, actor=current_actor())
    return redirect(url_for("desk.day_sheet", day=_local_day(appointment).isoformat()))


@bp.get("/desk")
@role_required(Role.FRONT_DESK)
def day_sheet() -> str:
    """The location's slots with their chairs taken, and its appointments, on `?day=YYYY-MM-DD`
    (default: today in its own zone)."""
    session, actor = get_session(), current_actor()
    location = get_location(session, _location_id(), actor=actor)
    requested = request.args.get("day")
    if requested:
        try:
            day = date.fromisoformat(requested)
        except ValueError:
            abort(400, description="The day must be a date such as 2026-11-23.")
    else:
        day = now().astimezone(ZoneInfo(location.timezone)).date()
    location, appointments = list_day_sheet(session, actor=actor, location_id=location.id, day=day)
    _location, slots = day_slots(session, location.id, day, actor=actor)
    return render_template(
        "desk/day.html",
        location=location,
        appointments=appointments,
        slots=slots,
        closed_reason=next((c.reason for c in location.closed_dates if c.date == day), None),
        day=day,
        previous_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1),
        form=ActionForm(),
        confirmable=CONFIRMABLE,
        cancellable=CANCELLABLE,
        drawable=DRAWABLE,
    )


@bp.post("/desk/appointments/<uuid:appointment_id>/confirm")
@role_required(Role.FRONT_DESK)
def confirm(appointment_id: uuid.UUID) -> Response:
    """Confirm a pending appointment, then return to its day."""
    try:
        confirm_appointment(get_session(), appointment_id, actor=current_actor(), now=now())
    except Conflict as exc:
        flash(exc.message, "error")
    else:
        flash("The appointment is confirmed.", "success")
    return _back_to_day(appointment_id)


@bp.route("/desk/appointments/<uuid:appointment_id>/cancel", methods=["GET", "POST"])
@role_required(Role.FRONT_DESK)
def cancel(appointment_id: uuid.UUID) -> Response | tuple[str, int]:
    """Ask for the reason, then cancel; the domain's conflict message is shown on the page."""
    session, actor = get_session(), current_actor()
    appointment = get_appointment(session, appointment_id, actor=actor)
    form = CancelForm()
    status = 200
    if form.validate_on_submit():
        try:
            cancel_appointment(
                session, appointment_id, actor=actor, now=now(), reason=form.reason_text()
            )
        except Conflict as exc:
            add_domain_error(form, exc)
            status = error_status(exc)
        else:
            flash("The appointment is cancelled.", "success")
            return _back_to_day(appointment_id)
    elif form.is_submitted():
        status = 422
    return render_template("desk/cancel.html", form=form, appointment=appointment), status


@bp.route("/desk/appointments/<uuid:appointment_id>/blood-draw", methods=["GET", "POST"])
@role_required(Role.FRONT_DESK)
def blood_draw(appointment_id: uuid.UUID) -> Response | tuple[str, int]:
    """Record the blood draw with the tube's barcode; domain messages appear beside the field."""
    session, actor = get_session(), current_actor()
    appointment = get_appointment(session, appointment_id, actor=actor)
    form = BloodDrawForm()
    status = 200
    if form.validate_on_submit():
        try:
            record_blood_draw(session, appointment_id, form.barcode.data, actor=actor, now=now())
        except (ValidationError, Conflict) as exc:
            add_domain_error(form, exc, fallback="barcode")
            status = error_status(exc)
        else:
            flash("The blood draw is recorded.", "success")
            return _back_to_day(appointment_id)
    elif form.is_submitted():
        status = 422
    return render_template("desk/blood_draw.html", form=form, appointment=appointment), status
