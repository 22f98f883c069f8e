"""The appointment list: patients' upcoming and past appointments; for coordinators and admins,
a table filtered by status, test location, patient profile and a range of local dates."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext, lazy_gettext
from sqlalchemy.orm import Session
from wtforms import Form, SelectChoice, SelectField, StringField
from wtforms.widgets import DateInput

from app.clock import now
from app.db import get_session
from app.domain.access import Actor
from app.domain.appointment_search import (
    MAX_RANGE_DAYS,
    SearchFilters,
    parse_search_filters,
    resolve_day_range,
    search_appointments,
)
from app.domain.appointments import list_appointments
from app.domain.catalogue import list_locations
from app.domain.errors import ValidationError
from app.domain.models import Appointment, Profile, Role, TestLocation
from app.domain.profiles import list_profiles
from app.domain.rules import CHANGEABLE
from app.web.booking_steps import BOOKERS
from app.web.display import STATUS_LABELS, day_label
from app.web.errors import handle_domain_errors
from app.web.fields import add_domain_error
from app.web.users import current_actor, portal_user, role_required

bp = Blueprint("appointments", __name__)
handle_domain_errors(bp)

# The domain's filter names (the query string's) -> the form's fields.
FILTER_FIELDS: Mapping[str, str] = {
    "status": "status",
    "location_id": "location",
    "profile_id": "profile",
    "from": "day_from",
    "to": "day_to",
}
DATES_HINT = lazy_gettext(
    "Dates at each test location, both included, at most %(days)d days. "
    "With one date only, the list covers %(days)d days from it.",
    days=MAX_RANGE_DAYS,
)


class FilterForm(Form):
    """The coordinators' filters, read from the query string (a GET form: it changes nothing,
    so it carries no CSRF token). The domain parses and checks every value; the form shows them
    and the domain's messages beside them."""

    status = SelectField(lazy_gettext("Status"), name="status", validate_choice=False)
    location = SelectField(lazy_gettext("Test location"), name="location_id", validate_choice=False)
    profile = SelectField(lazy_gettext("Patient profile"), name="profile_id", validate_choice=False)
    day_from = StringField(lazy_gettext("From"), name="from", widget=DateInput())
    day_to = StringField(lazy_gettext("To"), name="to", widget=DateInput())
    form_errors: list[str]  # set by wtforms' BaseForm

    def __init__(
        self,
        formdata: Any,
        *,
        locations: Sequence[TestLocation],
        profiles: Sequence[Profile],
    ) -> None:
        super().__init__(formdata)
        self.status.choices = [SelectChoice("", gettext("Any status"))] + [
            SelectChoice(value.value, label) for value, label in STATUS_LABELS.items()
        ]
        self.location.choices = [SelectChoice("", gettext("Any test location"))] + [
            SelectChoice(str(loc.id), f"{loc.city}: {loc.name}") for loc in locations
        ]
        self.profile.choices = [SelectChoice("", gettext("Any profile"))] + [
            SelectChoice(str(p.id), f"{p.full_name} ({p.handle})" if p.handle else p.full_name)
            for p in profiles
        ]
        self.locations = {loc.id: loc for loc in locations}
        self.profiles = {p.id: p for p in profiles}

    def read(self, values: Mapping[str, str]) -> SearchFilters | None:
        """The domain's reading of the filters, or None with its messages beside the fields.

        A location or profile must also be one the lists offer: another organisation's profile
        would find nothing anyway, and the select could not show it as chosen."""
        try:
            filters = parse_search_filters(values)
        except ValidationError as exc:
            add_domain_error(self, exc, names=FILTER_FIELDS)
            return None
        if filters.location_id is not None and filters.location_id not in self.locations:
            message = gettext("Choose a test location from the list.")
            add_domain_error(self, ValidationError("location_id", message), names=FILTER_FIELDS)
        if filters.profile_id is not None and filters.profile_id not in self.profiles:
            message = gettext("Choose a patient profile from the list.")
            add_domain_error(self, ValidationError("profile_id", message), names=FILTER_FIELDS)
        return None if self.errors else filters

    def caption(self, filters: SearchFilters, days: tuple[date, date] | None) -> str:
        """The table's caption: what the filters chose, in words."""
        parts = [
            gettext("%(status)s appointments", status=STATUS_LABELS[filters.status])
            if filters.status
            else gettext("Appointments")
        ]
        if filters.profile_id is not None:
            name = self.profiles[filters.profile_id].full_name
            parts.append(gettext("of %(name)s", name=name))
        if filters.location_id is not None:
            location = self.locations[filters.location_id].name
            parts.append(gettext("at %(location)s", location=location))
        if days is not None:
            first, last = day_label(days[0]), day_label(days[1])
            parts.append(
                gettext("from %(first)s to %(last)s (local dates)", first=first, last=last)
            )
        elif filters.profile_id is None:
            parts.append(gettext("from two months ago to one month ahead"))
        return gettext(
            "%(what)s, soonest first. Times are local to each test location.", what=" ".join(parts)
        )


@bp.get("/appointments")
@role_required(*BOOKERS)
def appointment_list() -> tuple[str, int]:
    """Patients: their profiles' appointments, upcoming and past. Coordinators and admins: the
    appointments the filters choose (the domain's search, access and default window)."""
    session, actor, at = get_session(), current_actor(), now()
    if portal_user().role is Role.PATIENT:
        upcoming, past = _own_appointments(session, actor, at)
        page = render_template(
            "appointments/list.html", upcoming=upcoming, past=past, changeable=CHANGEABLE
        )
        return page, 200
    form = FilterForm(
        request.args,
        locations=list_locations(session, actor=actor),
        profiles=list_profiles(session, actor=actor),
    )
    appointments: list[Appointment] | None = None
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
                day_from=filters.day_from,
                day_to=filters.day_to,
            )
        except ValidationError as exc:
            form.show(exc)
        else:
            caption = form.caption(filters, resolve_day_range(filters.day_from, filters.day_to))
    page = render_template(
        "appointments/list.html",
        form=form,
        appointments=appointments,
        caption=caption,
        filtered=any(request.args.values()),
        dates_hint=DATES_HINT,
        changeable=CHANGEABLE,
    )
    return page, 200 if appointments is not None else 400


def _own_appointments(
    session: Session, actor: Actor, at: datetime
) -> tuple[list[Appointment], list[Appointment]]:
    """Every appointment of the patient's own profiles (a family's few, so one list each, with
    no window): upcoming soonest first, past most recent first."""
    found: dict[uuid.UUID, Appointment] = {}
    for profile in list_profiles(session, actor=actor):
        for appointment in list_appointments(session, actor=actor, now=at, profile_id=profile.id):
            found[appointment.id] = appointment
    ordered = sorted(found.values(), key=lambda a: (a.scheduled_at, str(a.id)))
    upcoming = [a for a in ordered if a.scheduled_at >= at]
    past = [a for a in reversed(ordered) if a.scheduled_at < at]
    return upcoming, past
