"""Admins' pages: the test locations, their details, and each one's schedule and closed dates."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext, ngettext
from werkzeug.wrappers import Response

from app.clock import now
from app.db import get_session
from app.domain.catalogue import get_location, list_locations
from app.domain.draw_rules import DEFAULT_EARLY_ARRIVAL_MINUTES
from app.domain.errors import Conflict, ValidationError
from app.domain.locations import create_location, update_location
from app.domain.models import Role, TestLocation
from app.domain.schedules import (
    add_closed_date,
    get_closed_date,
    remove_closed_date,
    update_schedule,
)
from app.domain.slots import WEEKDAYS
from app.web.admin_forms import LocationForm, location_form_data, zone_names
from app.web.display import day_label, weekday_name
from app.web.errors import handle_domain_errors
from app.web.fields import AS_NAMED, add_domain_error, error_status
from app.web.forms import ActionForm
from app.web.paging import pager, requested_page
from app.web.schedule_forms import ClosedDateForm, ScheduleForm
from app.web.users import current_actor, role_required

bp = Blueprint("admin", __name__, url_prefix="/admin")
handle_domain_errors(bp)

CLOSED_PREFIX = "closed"  # the closed-date form's field prefix: its ids differ from the schedule's


def _long_date(day: date) -> str:
    return day_label(day)


def hours_summary(open_hours: Mapping[str, Any]) -> str:
    """`Mon-Fri 07:30-12:00, 13:00-18:00; Sat 08:00-12:00; Sun closed`: days with the same
    hours in a row are joined."""
    groups: list[tuple[list[str], str]] = []
    for weekday in WEEKDAYS:
        periods = open_hours.get(weekday) or []
        text = ", ".join(f"{p['open']}-{p['close']}" for p in periods) or gettext("closed")
        if groups and groups[-1][1] == text:
            groups[-1][0].append(weekday)
        else:
            groups.append(([weekday], text))
    spans = []
    for days, text in groups:
        first, last = weekday_name(days[0], "abbreviated"), weekday_name(days[-1], "abbreviated")
        spans.append(f"{first}-{last} {text}" if len(days) > 1 else f"{first} {text}")
    return "; ".join(spans)


@bp.get("/locations")
@role_required(Role.ADMIN)
def location_list() -> str:
    """A page of the test locations, each with a summary of its schedule."""
    locations = list_locations(get_session(), actor=current_actor(), **requested_page())
    rows = [(location, hours_summary(location.open_hours)) for location in locations]
    pages = pager(locations, gettext("Pages of test locations"))
    return render_template("admin/locations.html", rows=rows, pages=pages)


def _location_page(
    form: LocationForm, location: TestLocation | None, status: int
) -> tuple[str, int]:
    page = render_template(
        "admin/location_form.html", form=form, location=location, zones=zone_names()
    )
    return page, status


@bp.route("/locations/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_location() -> Response | tuple[str, int]:
    """Add a test location; its schedule page opens next, with default hours to adjust."""
    session, actor = get_session(), current_actor()
    form = LocationForm(
        data={"default_status": "confirmed", "early_arrival_minutes": DEFAULT_EARLY_ARRIVAL_MINUTES}
    )
    status = 200
    if form.validate_on_submit():
        try:
            location = create_location(session, form.location_data(), actor=actor)
        except (ValidationError, Conflict) as exc:
            add_domain_error(form, exc, names=AS_NAMED)
            status = error_status(exc)
        else:
            flash(
                gettext(
                    "%(location)s is added, open on weekdays 08:00-12:00 and 13:00-17:00 with one "
                    "chair: set its real hours and chairs here.",
                    location=location.name,
                ),
                "success",
            )
            return _to_schedule(location.id)
    elif form.is_submitted():
        status = 422
    return _location_page(form, None, status)


@bp.route("/locations/<uuid:location_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_location(location_id: uuid.UUID) -> Response | tuple[str, int]:
    """Change a location's name, address, contact details, time zone and booking status."""
    session, actor = get_session(), current_actor()
    location = get_location(session, location_id, actor=actor)
    form = LocationForm(data=location_form_data(location))
    status = 200
    if form.validate_on_submit():
        try:
            location = update_location(
                session, location_id, form.location_data(), actor=actor, now=now()
            )
        except (ValidationError, Conflict) as exc:
            add_domain_error(form, exc, names=AS_NAMED)
            status = error_status(exc)
        else:
            flash(
                gettext("The details of %(location)s are saved.", location=location.name), "success"
            )
            return redirect(url_for("admin.location_list"))
    elif form.is_submitted():
        status = 422
    return _location_page(form, location, status)


def _schedule_page(
    location: TestLocation,
    *,
    schedule_form: ScheduleForm | None = None,
    closed_form: ClosedDateForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    today = now().astimezone(ZoneInfo(location.timezone)).date()
    page = render_template(
        "admin/schedule.html",
        location=location,
        form=schedule_form or ScheduleForm.for_location(location, formdata=None),
        closed_form=closed_form or ClosedDateForm(formdata=None, prefix=CLOSED_PREFIX),
        closed_dates=[closed for closed in location.closed_dates if closed.date >= today],
        today=today,
    )
    return page, status


def _to_schedule(location_id: uuid.UUID, anchor: str = "") -> Response:
    return redirect(url_for("admin.schedule", location_id=location_id) + anchor)


@bp.route("/locations/<uuid:location_id>/schedule", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def schedule(location_id: uuid.UUID) -> Response | tuple[str, int]:
    """The weekly hours and slot settings; the domain's messages appear beside their fields."""
    session, actor = get_session(), current_actor()
    location = get_location(session, location_id, actor=actor)
    form = ScheduleForm.for_location(location)
    status = 200
    if form.validate_on_submit():
        try:
            update_schedule(session, location_id, form.schedule_change(), actor=actor, now=now())
        except (ValidationError, Conflict) as exc:
            form.show_domain_error(exc)
            status = error_status(exc)
        else:
            flash(
                gettext("The schedule of %(location)s is saved.", location=location.name), "success"
            )
            return _to_schedule(location_id)
    elif form.is_submitted():
        status = 422
    return _schedule_page(location, schedule_form=form, status=status)


@bp.post("/locations/<uuid:location_id>/closed-dates")
@role_required(Role.ADMIN)
def add_closed(location_id: uuid.UUID) -> Response | tuple[str, int]:
    """Close the location on a date; warns when appointments are still booked that day."""
    session, actor = get_session(), current_actor()
    location = get_location(session, location_id, actor=actor)
    form = ClosedDateForm(prefix=CLOSED_PREFIX)
    status = 422
    if form.validate_on_submit() and form.date.data is not None:
        day = form.date.data
        try:
            booked = add_closed_date(
                session, location_id, day, form.reason.data, actor=actor, now=now()
            )
        except (ValidationError, Conflict) as exc:
            add_domain_error(form, exc)
            status = error_status(exc)
        else:
            closed = gettext(
                "%(location)s is closed on %(day)s.", location=location.name, day=_long_date(day)
            )
            flash(closed, "success")
            if booked:
                flash(
                    ngettext(
                        "%(num)d appointment on that day is still booked; the front desk can "
                        "cancel it from that day's sheet.",
                        "%(num)d appointments on that day are still booked; the front desk can "
                        "cancel them from that day's sheet.",
                        booked,
                    ),
                    "warning",
                )
            return _to_schedule(location_id, "#closed-dates")
    return _schedule_page(location, closed_form=form, status=status)


@bp.route("/locations/<uuid:location_id>/closed-dates/<day>/reopen", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def reopen(location_id: uuid.UUID, day: str) -> Response | str:
    """GET asks "Reopen on ...?"; POST removes the closed date."""
    try:
        local_day = date.fromisoformat(day)
    except ValueError:
        abort(404)
    session, actor = get_session(), current_actor()
    closed = get_closed_date(session, location_id, local_day, actor=actor)
    location = get_location(session, location_id, actor=actor)
    form = ActionForm()
    if form.validate_on_submit():
        remove_closed_date(session, location_id, local_day, actor=actor, now=now())
        flash(
            gettext(
                "%(location)s is open again on %(day)s.",
                location=location.name,
                day=_long_date(local_day),
            ),
            "success",
        )
        return _to_schedule(location_id, "#closed-dates")
    return render_template(
        "admin/reopen.html", form=form, location=location, closed=closed, day=local_day
    )
