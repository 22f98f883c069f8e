"""The appointment list: patients' upcoming and past appointments; for coordinators and admins,
a table filtered by status, test location, patient (a search) and a range of local dates. Every
list is paged (`app.web.paging`), so a page costs the same at a thousand rows or a million."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext

from app.clock import now
from app.db import get_session
from app.domain.appointment_search import resolve_day_range, search_appointments
from app.domain.appointments import list_appointments
from app.domain.catalogue import list_locations
from app.domain.errors import ValidationError
from app.domain.models import Appointment, Role
from app.domain.pages import Page
from app.domain.profiles import get_profile
from app.domain.rules import CHANGEABLE
from app.web.appointment_filters import DATES_HINT, FILTER_FIELDS, PATIENT_HINT, FilterForm
from app.web.booking_steps import BOOKERS
from app.web.errors import handle_domain_errors
from app.web.fields import add_domain_error
from app.web.paging import pager, requested_page
from app.web.users import current_actor, portal_user, role_required

bp = Blueprint("appointments", __name__)
handle_domain_errors(bp)

# The filters that "Show every patient" keeps: all but the one profile (and the page).
KEPT_FOR_EVERYONE = tuple(name for name in FILTER_FIELDS if name != "profile_id")


@bp.get("/appointments")
@role_required(*BOOKERS)
def appointment_list() -> tuple[str, int]:
    """Patients: their profiles' appointments, upcoming (soonest first) and past (most recent
    first), each paged. Coordinators and admins: a page of the appointments the filters choose
    (the domain's search, access and default window), with links to the pages around it."""
    session, actor, at = get_session(), current_actor(), now()
    if portal_user().role is Role.PATIENT:
        upcoming = list_appointments(
            session, actor=actor, now=at, scheduled_from=at, **requested_page("upcoming_")
        )
        past = list_appointments(
            session,
            actor=actor,
            now=at,
            scheduled_to=at,
            newest_first=True,
            **requested_page("past_"),
        )
        page = render_template(
            "appointments/list.html",
            upcoming=upcoming,
            upcoming_pages=pager(upcoming, gettext("Pages of upcoming appointments"), "upcoming_"),
            past=past,
            past_pages=pager(past, gettext("Pages of past appointments"), "past_"),
            changeable=CHANGEABLE,
        )
        return page, 200
    form = FilterForm(
        request.args,
        locations=list_locations(session, actor=actor),
        find_profile=lambda profile_id: get_profile(session, profile_id, actor=actor),
    )
    appointments: Page[Appointment] | None = None
    caption = ""
    filters = form.read(request.args)
    if filters is not None:
        try:
            appointments = search_appointments(
                session,
                actor=actor,
                now=at,
                status=filters.status,
                location_id=filters.location_id,
                profile_id=filters.profile_id,
                patient=filters.patient,
                day_from=filters.day_from,
                day_to=filters.day_to,
                **requested_page(),
            )
        except ValidationError as exc:
            add_domain_error(form, exc, names=FILTER_FIELDS)
        else:
            caption = form.caption(filters, resolve_day_range(filters.day_from, filters.day_to))
    kept: dict[str, Any] = {
        name: value for name, value in request.args.items() if name in KEPT_FOR_EVERYONE
    }
    page = render_template(
        "appointments/list.html",
        form=form,
        appointments=appointments,
        pages=pager(appointments, gettext("Pages of appointments"))
        if appointments is not None
        else None,
        caption=caption,
        filtered=any(value for name, value in request.args.items() if name in FILTER_FIELDS),
        dates_hint=DATES_HINT,
        patient_hint=PATIENT_HINT,
        every_patient_url=url_for("appointments.appointment_list", **kept),
        changeable=CHANGEABLE,
    )
    return page, 200 if appointments is not None else 400
