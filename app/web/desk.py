"""Front desk: a location's day sheet and next hour; confirm, cancel or record the blood draw,
each on a confirmation page that shows the appointment's status history."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from app.clock import now
from app.db import get_session
from app.domain.access import Actor, ensure_can_run_location
from app.domain.appointments import get_appointment
from app.domain.availability import day_slots
from app.domain.catalogue import get_location
from app.domain.draw_rules import appointment_draw_window, draw_window_refusal
from app.domain.errors import Conflict, ValidationError
from app.domain.front_desk import UPCOMING_WINDOW, list_day_sheet, list_upcoming
from app.domain.lifecycle import cancel_appointment, confirm_appointment, record_blood_draw
from app.domain.models import Appointment, Role, TestLocation
from app.domain.rules import CANCELLABLE, CHANGEABLE, CONFIRMABLE, DESK_DRAWABLE
from app.web.display import wall_clock
from app.web.errors import handle_domain_errors
from app.web.fields import add_domain_error, error_status
from app.web.forms import ActionForm, BloodDrawForm, CancelForm
from app.web.paging import pager, requested_page
from app.web.users import current_actor, portal_user, role_required

bp = Blueprint("desk", __name__)
handle_domain_errors(bp)

# The actions each status allows, for the links beside an appointment: the desk confirms an
# appointment before it records the draw; panels are ordered while it is `changeable`.
ACTIONS = {
    "confirmable": CONFIRMABLE,
    "drawable": DESK_DRAWABLE,
    "cancellable": CANCELLABLE,
    "changeable": CHANGEABLE,
}


def _chosen_location(session: Session, actor: Actor) -> TestLocation:
    """The location of `?location=<id>`, else the user's first; 403 unless they work there."""
    requested = request.args.get("location")
    if requested:
        try:
            location_id = uuid.UUID(requested)
        except ValueError:
            abort(400, description=gettext("The location must be a test location's id."))
    elif portal_user().location_ids:
        location_id = portal_user().location_ids[0]
    else:
        abort(403)
    ensure_can_run_location(actor, location_id)
    return get_location(session, location_id, actor=actor)


def _desk_page(
    session: Session, actor: Actor, location: TestLocation, *, day: date | None = None
) -> dict[str, Any]:
    """What every desk view shows: the location, the switcher (several locations only; it keeps
    the `day`), the links between the views, the actions each status allows, and `now` with
    each appointment's `draw_window`, to offer a blood draw only within it."""
    endpoint, day_arg = request.endpoint or "desk.day_sheet", day.isoformat() if day else None
    switcher = [
        (place, url_for(endpoint, location=place.id, day=day_arg))
        for place in (get_location(session, pid, actor=actor) for pid in portal_user().location_ids)
    ]
    return {
        "location": location,
        "switcher": switcher if len(switcher) > 1 else [],
        "views": [
            (gettext("Day sheet"), url_for("desk.day_sheet", location=location.id)),
            (gettext("Next hour"), url_for("desk.next_hour", location=location.id)),
        ],
        "now": now(),
        "draw_window": appointment_draw_window,
        **ACTIONS,
    }


@bp.get("/desk")
@role_required(Role.FRONT_DESK)
def day_sheet() -> str:
    """The location's slots with their chairs taken, and its appointments, on `?day=YYYY-MM-DD`
    (default: today in its own zone), at `?location=<id>` (default: the user's first); a long
    day's appointments a page at a time."""
    session, actor = get_session(), current_actor()
    location = _chosen_location(session, actor)
    requested = request.args.get("day")
    if requested:
        try:
            day = date.fromisoformat(requested)
        except ValueError:
            abort(400, description=gettext("The day must be a date such as 2026-11-23."))
    else:
        day = now().astimezone(ZoneInfo(location.timezone)).date()
    location, appointments = list_day_sheet(
        session, actor=actor, location_id=location.id, day=day, **requested_page()
    )
    _location, slots = day_slots(session, location.id, day, actor=actor)
    return render_template(
        "desk/day.html",
        **_desk_page(session, actor, location, day=day),
        appointments=appointments,
        pages=pager(appointments, gettext("Pages of the day's appointments")),
        slots=slots,
        closed_reason=next((c.reason for c in location.closed_dates if c.date == day), None),
        day=day,
        previous_day=day - timedelta(days=1),
        next_day=day + timedelta(days=1),
    )


@bp.get("/desk/next")
@role_required(Role.FRONT_DESK)
def next_hour() -> str:
    """The location's appointments of the coming hour (`list_upcoming`), with their actions."""
    session, actor = get_session(), current_actor()
    start = now()
    location, appointments = list_upcoming(
        session, actor=actor, location_id=_chosen_location(session, actor).id, now=start
    )
    return render_template(
        "desk/next.html",
        **_desk_page(session, actor, location),
        appointments=appointments,
        start=start,
        until=start + UPCOMING_WINDOW,
    )


def _back_url(appointment: Appointment) -> str:
    """The view the user came from (`?back=next`, else the day sheet), at the appointment's
    location and, for the sheet, its local day."""
    if request.args.get("back") == "next":
        return url_for("desk.next_hour", location=appointment.location_id)
    zone = ZoneInfo(appointment.location.timezone)
    day = appointment.scheduled_at.astimezone(zone).date().isoformat()
    return url_for("desk.day_sheet", location=appointment.location_id, day=day)


def _at(appointment: Appointment) -> str:
    """`10:30`, the appointment's local time, which names it in the flash messages: they live
    in the session cookie, which is signed but readable, so they carry no patient's name."""
    return wall_clock(appointment.scheduled_at, appointment.location.timezone)


def _act(
    template: str,
    form: FlaskForm,
    appointment: Appointment,
    act: Callable[[], object],
    done: str,
    *,
    allowed: bool,
    **page: object,
) -> Response | tuple[str, int]:
    """Show the confirmation page (its form only when `allowed`, with `page` in its context);
    on a valid POST run `act`, flash `done` and go back to the view the user came from. A domain
    error is shown on the page (409 or 422)."""
    status = 200
    if form.validate_on_submit():
        try:
            act()
        except (ValidationError, Conflict) as exc:
            add_domain_error(form, exc)
            status = error_status(exc)
        else:
            flash(done, "success")
            return redirect(_back_url(appointment))
    elif form.is_submitted():
        status = 422
    html = render_template(
        template,
        form=form,
        appointment=appointment,
        allowed=allowed,
        back="next" if request.args.get("back") == "next" else None,
        back_url=_back_url(appointment),
        **ACTIONS,
        **page,
    )
    return html, status


@bp.route("/desk/appointments/<uuid:appointment_id>/confirm", methods=["GET", "POST"])
@role_required(Role.FRONT_DESK)
def confirm(appointment_id: uuid.UUID) -> Response | tuple[str, int]:
    """Ask "Confirm the appointment of ... at ...?", then confirm the pending appointment."""
    session, actor = get_session(), current_actor()
    appointment = get_appointment(session, appointment_id, actor=actor)
    done = gettext("The appointment at %(time)s is confirmed.", time=_at(appointment))

    def act() -> object:
        return confirm_appointment(session, appointment_id, actor=actor, now=now())

    allowed = appointment.status in CONFIRMABLE
    return _act("desk/confirm.html", ActionForm(), appointment, act, done, allowed=allowed)


@bp.route("/desk/appointments/<uuid:appointment_id>/cancel", methods=["GET", "POST"])
@role_required(Role.FRONT_DESK)
def cancel(appointment_id: uuid.UUID) -> Response | tuple[str, int]:
    """Ask for the reason, then cancel; the reason goes into the status history."""
    session, actor = get_session(), current_actor()
    appointment = get_appointment(session, appointment_id, actor=actor)
    form = CancelForm()
    done = gettext("The appointment at %(time)s is cancelled.", time=_at(appointment))

    def act() -> object:
        reason = form.cancel_reason()
        return cancel_appointment(session, appointment_id, actor=actor, now=now(), reason=reason)

    allowed = appointment.status in CANCELLABLE
    return _act("desk/cancel.html", form, appointment, act, done, allowed=allowed)


@bp.route("/desk/appointments/<uuid:appointment_id>/blood-draw", methods=["GET", "POST"])
@role_required(Role.FRONT_DESK)
def blood_draw(appointment_id: uuid.UUID) -> Response | tuple[str, int]:
    """Record the blood draw of a confirmed appointment with the tube's barcode, within its draw
    window; otherwise the page says why not: attach a panel first, confirm first, or from when
    the draw can be recorded. The domain's messages appear beside the field or above the form."""
    session, actor = get_session(), current_actor()
    appointment = get_appointment(session, appointment_id, actor=actor)
    form = BloodDrawForm()
    done = gettext(
        "The blood draw for the appointment at %(time)s is recorded.", time=_at(appointment)
    )

    def act() -> object:
        return record_blood_draw(
            session,
            appointment_id,
            form.barcode.data,
            actor=actor,
            now=now(),
            statuses=DESK_DRAWABLE,
        )

    window_refusal = draw_window_refusal(appointment, now=now())
    allowed = (
        appointment.status in DESK_DRAWABLE and bool(appointment.panels) and window_refusal is None
    )
    return _act(
        "desk/blood_draw.html",
        form,
        appointment,
        act,
        done,
        allowed=allowed,
        window_refusal=window_refusal,
    )
