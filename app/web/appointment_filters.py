"""The coordinators' filters of the appointment list: status, test location, a patient searched
by name or reference (or one profile, from its link), and a range of local dates."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from flask_babel import gettext, lazy_gettext
from wtforms import Form, SelectChoice, SelectField, StringField
from wtforms.widgets import DateInput, SearchInput

from app.domain.appointment_search import (
    MAX_PATIENT_SEARCH,
    MAX_RANGE_DAYS,
    SearchFilters,
    parse_search_filters,
)
from app.domain.errors import DomainError, ValidationError
from app.domain.models import Profile, TestLocation
from app.web.display import STATUS_LABELS, day_label
from app.web.fields import add_domain_error
from app.web.identity import profile_label

# The domain's filter names (the query string's) -> the form's fields.
FILTER_FIELDS: Mapping[str, str] = {
    "status": "status",
    "location_id": "location",
    "profile_id": "patient",
    "patient": "patient",
    "from": "day_from",
    "to": "day_to",
}
DATES_HINT = lazy_gettext(
    "Dates at each test location, both included, at most %(days)d days. "
    "With one date only, the list covers %(days)d days from it.",
    days=MAX_RANGE_DAYS,
)
PATIENT_HINT = lazy_gettext("Part of the name or the reference, such as “schmidt” or “A-1042”.")


class FilterForm(Form):
    """The coordinators' filters, read from the query string (a GET form: it changes nothing,
    so it carries no CSRF token). The domain parses and checks every value; the form shows them
    and the domain's messages beside them. The patient is a search field, never a list of every
    profile; a `profile_id` (a profile's own link) is kept as the one profile it names."""

    status = SelectField(lazy_gettext("Status"), name="status", validate_choice=False)
    location = SelectField(lazy_gettext("Test location"), name="location_id", validate_choice=False)
    patient = StringField(
        lazy_gettext("Patient"),
        name="patient",
        widget=SearchInput(),
        render_kw={"maxlength": MAX_PATIENT_SEARCH, "autocomplete": "off"},
    )
    day_from = StringField(lazy_gettext("From"), name="from", widget=DateInput())
    day_to = StringField(lazy_gettext("To"), name="to", widget=DateInput())
    form_errors: list[str]  # set by wtforms' BaseForm

    def __init__(
        self,
        formdata: Any,
        *,
        locations: Sequence[TestLocation],
        find_profile: Callable[[uuid.UUID], Profile],
    ) -> None:
        super().__init__(formdata)
        self.status.choices = [SelectChoice("", gettext("Any status"))] + [
            SelectChoice(value.value, label) for value, label in STATUS_LABELS.items()
        ]
        self.location.choices = [SelectChoice("", gettext("Any test location"))] + [
            SelectChoice(str(loc.id), f"{loc.city}: {loc.name}") for loc in locations
        ]
        self.locations = {loc.id: loc for loc in locations}
        self._find_profile = find_profile
        self.profile: Profile | None = None

    def read(self, values: Mapping[str, str]) -> SearchFilters | None:
        """The domain's reading of the filters, or None with its messages beside the fields.

        A location must be one the list offers, and a profile one the user may see (the
        domain's look-up decides): another organisation's would find nothing anyway."""
        try:
            filters = parse_search_filters(values)
        except ValidationError as exc:
            add_domain_error(self, exc, names=FILTER_FIELDS)
            return None
        if filters.location_id is not None and filters.location_id not in self.locations:
            message = gettext("Choose a test location from the list.")
            add_domain_error(self, ValidationError("location_id", message), names=FILTER_FIELDS)
        if filters.profile_id is not None:
            try:
                self.profile = self._find_profile(filters.profile_id)
            except DomainError:
                message = gettext("Search for the patient by name or reference.")
                add_domain_error(self, ValidationError("profile_id", message), names=FILTER_FIELDS)
        return None if self.errors else filters

    def caption(self, filters: SearchFilters, days: tuple[date, date] | None) -> str:
        """The table's caption: what the filters chose, in words."""
        parts = [
            gettext("%(status)s appointments", status=STATUS_LABELS[filters.status])
            if filters.status
            else gettext("Appointments")
        ]
        if self.profile is not None:
            parts.append(gettext("of %(name)s", name=profile_label(self.profile)))
        if filters.patient:
            parts.append(gettext("of patients matching “%(search)s”", search=filters.patient))
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
