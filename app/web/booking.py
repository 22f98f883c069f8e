"""The booking blueprint: the booking journey's URLs (views in `booking_steps`), an appointment's
page and calendar file (`calendar`), rescheduling and cancellation (the list: `appointments`)."""

from __future__ import annotations

import uuid
from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import login_required
from werkzeug.wrappers import Response

from app.clock import now
from app.db import get_session
from app.domain.appointments import get_appointment, reschedule_appointment
from app.domain.catalogue import list_locations
from app.domain.errors import Conflict
from app.domain.lifecycle import cancel_appointment
from app.domain.models import AppointmentStatus
from app.domain.rules import CANCELLABLE, CANNOT_RESCHEDULE, CHANGEABLE, DRAWABLE, ensure_status
from app.web import booking_steps, calendar
from app.web.booking_display import address_lines, fasting_note, map_link
from app.web.booking_steps import BOOKERS, SHOW_SLOTS, form_input, submit_slot
from app.web.display import local_time
from app.web.errors import handle_domain_errors
from app.web.fields import add_domain_error, error_status
from app.web.forms import ActionForm
from app.web.slot_finder import SlotFinder
from app.web.slot_forms import RescheduleForm
from app.web.users import current_actor, portal_user, role_required

bp = Blueprint("booking", __name__)
handle_domain_errors(bp)

STEP_METHODS = ["GET", "POST"]
bp.add_url_rule(
    "/appointments/new", "new_appointment", booking_steps.choose_profile, methods=STEP_METHODS
)
bp.add_url_rule(
    "/appointments/new/location",
    "choose_location",
    booking_steps.choose_location,
    methods=STEP_METHODS,
)
bp.add_url_rule(
    "/appointments/new/time", "choose_time", booking_steps.choose_time, methods=STEP_METHODS
)
bp.add_url_rule(
    "/appointments/new/review", "review_booking", booking_steps.review_booking, methods=STEP_METHODS
)
bp.add_url_rule(
    "/appointments/<uuid:appointment_id>/calendar.ics",
    "appointment_calendar",
    calendar.download_calendar,
)


@bp.get("/appointments/<uuid:appointment_id>")
@login_required
def appointment_detail(appointment_id: uuid.UUID) -> str:
    """One appointment: local time, address and map link, panels with the fasting instruction,
    status history, and the actions its status allows (any role, domain access)."""
    appointment = get_appointment(get_session(), appointment_id, actor=current_actor())
    map_url, map_service = map_link(appointment.location)
    return render_template(
        "booking/detail.html",
        appointment=appointment,
        address=address_lines(appointment.location),
        map_url=map_url,
        map_service=map_service,
        fasting=fasting_note(item.panel for item in appointment.panels),
        can_cancel=appointment.status in CANCELLABLE,
        can_draw=appointment.status in DRAWABLE,
        can_reschedule=appointment.status in CHANGEABLE,
        cancelled=appointment.status == AppointmentStatus.CANCELLED,
        role=portal_user().role,
    )


@bp.route("/appointments/<uuid:appointment_id>/reschedule", methods=["GET", "POST"])
@role_required(*BOOKERS)
def reschedule(appointment_id: uuid.UUID) -> Response | tuple[str, int]:
    """Move a pending or confirmed appointment to another free slot (same picker as booking);
    the domain's messages appear beside the fields, its conflicts on the page."""
    session, actor, at = get_session(), current_actor(), now()
    appointment = get_appointment(session, appointment_id, actor=actor)
    ensure_status(appointment.status, CHANGEABLE, CANNOT_RESCHEDULE)
    zone = ZoneInfo(appointment.location.timezone)
    form = RescheduleForm(
        location_options=list_locations(session, actor=actor),
        slots=SlotFinder(session, actor=actor, now=at),
        preferred_day=appointment.scheduled_at.astimezone(zone).date(),
        location=str(appointment.location_id),
        **form_input(),
    )
    if SHOW_SLOTS in request.form:
        # "Show free times" posts the whole form, so no CSRF token lands in the URL.
        query = form.query()
        return redirect(url_for("booking.reschedule", appointment_id=appointment_id, **query), 303)
    status = 200
    if form.validate_on_submit():
        new_location, new_at = form.new_slot()
        moved, status = submit_slot(
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
            flash(gettext("Rescheduled to %(when)s.", when=when), "success")
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
            flash(gettext("The appointment is cancelled."), "success")
            return redirect(url_for("booking.appointment_detail", appointment_id=appointment_id))
    fasting = fasting_note(item.panel for item in appointment.panels)
    page = render_template(
        "booking/cancel.html", form=form, appointment=appointment, fasting=fasting
    )
    return page, status
