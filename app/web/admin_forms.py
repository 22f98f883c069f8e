"""Forms of the admin's location and catalogue pages; the domain checks and words every rule."""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
    URLField,
)
from wtforms import ValidationError as FieldError
from wtforms.widgets import NumberInput

from app.domain.draw_rules import MAX_EARLY_ARRIVAL_MINUTES, parse_early_arrival_minutes
from app.domain.errors import DomainError
from app.domain.locations import LOCATION_FIELDS, TEXT_FIELDS
from app.domain.models import Biomarker, Panel, TestLocation
from app.domain.panel_admin import MAX_DESCRIPTION_LENGTH
from app.web.forms import CheckboxesField

# Separators people type inside a phone number; the domain takes E.164 without them.
_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
DEFAULT_STATUS_CHOICES = [
    SelectChoice("confirmed", lazy_gettext("Confirmed at once")),
    SelectChoice("pending", lazy_gettext("Pending until the front desk confirms")),
]


@cache
def zone_names() -> list[str]:
    """Every IANA time zone the system knows, sorted: the choices of the time zone input."""
    return sorted(available_timezones())


def _max(field: str) -> dict[str, int]:
    return {"maxlength": TEXT_FIELDS[field][1]}


def _early_arrival_rule(_form: FlaskForm, field: Field) -> None:
    """The domain's limits of the early-arrival minutes (`parse_early_arrival_minutes`); an empty
    input goes on to the domain with the other fields, which words that too."""
    if field.data is None:
        return
    try:
        parse_early_arrival_minutes(field.data)
    except DomainError as exc:
        raise FieldError(exc.message) from None


class LocationForm(FlaskForm):
    """A test location's details; the inputs carry the domain's field names."""

    name = StringField(lazy_gettext("Name"), render_kw=_max("name"))
    company_name = StringField(lazy_gettext("Company"), render_kw=_max("company_name"))
    address_line_1 = StringField(lazy_gettext("Address line 1"), render_kw=_max("address_line_1"))
    address_line_2 = StringField(lazy_gettext("Address line 2"), render_kw=_max("address_line_2"))
    city = StringField(lazy_gettext("City"), render_kw=_max("city"))
    state = StringField(lazy_gettext("State or region"), render_kw=_max("state"))
    postal_code = StringField(lazy_gettext("Postal code"), render_kw=_max("postal_code"))
    country_name = StringField(lazy_gettext("Country"), render_kw=_max("country_name"))
    country_code = StringField(lazy_gettext("Country code"), render_kw={"maxlength": 2})
    timezone = StringField(lazy_gettext("Time zone"), render_kw={"list": "time-zones"})
    contact_phone = TelField(
        lazy_gettext("Contact phone"), filters=[lambda v: _PHONE_SEPARATORS.sub("", v or "")]
    )
    email = EmailField(lazy_gettext("E-mail address"))
    website = URLField(lazy_gettext("Website"))
    google_maps_url = URLField(lazy_gettext("Google Maps link"))
    default_status = SelectField(
        lazy_gettext("Status of new bookings"),
        choices=DEFAULT_STATUS_CHOICES,
        validate_choice=False,
    )
    early_arrival_minutes = IntegerField(
        lazy_gettext("Early arrival (minutes)"),
        validators=[_early_arrival_rule],
        widget=NumberInput(min=0, max=MAX_EARLY_ARRIVAL_MINUTES),
    )

    def location_data(self) -> dict[str, object]:
        """The submitted values, by the domain's field names."""
        return {name: self[name].data for name in LOCATION_FIELDS}


def location_form_data(location: TestLocation) -> dict[str, Any]:
    """A stored location as the form's initial values."""
    return {name: getattr(location, name) for name in LOCATION_FIELDS}


class PanelForm(FlaskForm):
    """A panel: name, description, whether it needs fasting, and its biomarkers (checkboxes,
    built from the catalogue with `for_catalogue`)."""

    name = StringField(lazy_gettext("Name"), render_kw={"maxlength": 200})
    description = TextAreaField(
        lazy_gettext("Description"), render_kw={"maxlength": MAX_DESCRIPTION_LENGTH, "rows": 3}
    )
    requires_fasting = BooleanField(lazy_gettext("The patient must fast before the draw"))
    biomarker_ids = CheckboxesField(lazy_gettext("Biomarkers measured"), validate_choice=False)

    @classmethod
    def for_catalogue(
        cls, biomarkers: list[Biomarker], panel: Panel | None = None, **kwargs: Any
    ) -> PanelForm:
        """The form with a checkbox per biomarker, filled from `panel` when it is given."""
        if panel is not None:
            kwargs.setdefault(
                "data",
                {
                    "name": panel.name,
                    "description": panel.description,
                    "requires_fasting": panel.requires_fasting,
                    "biomarker_ids": [str(biomarker.id) for biomarker in panel.biomarkers],
                },
            )
        form = cls(**kwargs)
        form.biomarker_ids.choices = [
            SelectChoice(str(b.id), f"{b.name} (LOINC {b.loinc_code}, {b.unit})")
            for b in biomarkers
        ]
        return form

    def panel_data(self) -> dict[str, object]:
        """The submitted values, by the domain's field names."""
        return {
            "name": self.name.data,
            "description": self.description.data,
            "requires_fasting": bool(self.requires_fasting.data),
            "biomarker_ids": list(self.biomarker_ids.data or []),
        }


class BiomarkerForm(FlaskForm):
    """A new biomarker: its name, LOINC code and UCUM unit."""

    name = StringField(lazy_gettext("Name"), render_kw={"maxlength": 200})
    loinc_code = StringField(lazy_gettext("LOINC code"), render_kw={"maxlength": 9})
    unit = StringField(lazy_gettext("Unit (UCUM)"), render_kw={"maxlength": 32})

    def biomarker_data(self) -> dict[str, object]:
        """The submitted values, by the domain's field names."""
        return {"name": self.name.data, "loinc_code": self.loinc_code.data, "unit": self.unit.data}
