"""Test location use cases: an admin adds a location and edits its address and contact details."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime, time
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.access import Actor, Permission, ensure_permitted
from app.domain.draw_rules import parse_early_arrival_minutes
from app.domain.errors import Conflict, NotFound, ValidationError
from app.domain.messages import msg, msg_plural, too_long
from app.domain.models import Appointment, AppointmentStatus, TestLocation
from app.domain.profile_rules import parse_email, parse_phone
from app.domain.rules import ensure_printable_text, parse_zone
from app.domain.schedule_rules import OpeningPeriod, open_hours_json
from app.domain.slots import WEEKDAYS
from app.domain.transactions import write_transaction

# Text fields -> (what a message calls it, most characters, required); the columns' own limits.
TEXT_FIELDS: dict[str, tuple[str, int, bool]] = {
    "name": (msg("The name"), 200, True),
    "company_name": (msg("The company name"), 200, False),
    "address_line_1": (msg("The first address line"), 200, True),
    "address_line_2": (msg("The second address line"), 200, False),
    "city": (msg("The city"), 100, True),
    "state": (msg("The state or region"), 100, False),
    "postal_code": (msg("The postal code"), 20, True),
    "country_name": (msg("The country name"), 100, True),
}
URL_FIELDS = {"website": msg("The website"), "google_maps_url": msg("The Google Maps link")}
MAX_URL_LENGTH = 500
DEFAULT_STATUSES = (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED)
LOCATION_FIELDS = (
    *TEXT_FIELDS,
    "country_code",
    "timezone",
    "contact_phone",
    "email",
    *URL_FIELDS,
    "default_status",
    "early_arrival_minutes",
)
_COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
# A new location opens on weekdays 08:00-12:00 and 13:00-17:00 with one chair, until the admin
# sets its real schedule; the other settings take the model's defaults.
_DAY = (OpeningPeriod(time(8), time(12)), OpeningPeriod(time(13), time(17)))
DEFAULT_OPEN_HOURS = open_hours_json({weekday: _DAY for weekday in WEEKDAYS[:5]})
DEFAULT_CAPACITY = 1


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def parse_location_text(value: object, field: str) -> str | None:
    """A trimmed text field of `TEXT_FIELDS`, None when optional and empty. Raises
    ValidationError(field) when a required one is empty, any is too long, or holds a control
    character or line break (`rules.ensure_printable_text`)."""
    subject, most, required = TEXT_FIELDS[field]
    if isinstance(value, str):
        ensure_printable_text(value, field)
    text = _text(value)
    if not text:
        if required:
            raise ValidationError(field, msg("%(subject)s is required.", subject=subject))
        return None
    if len(text) > most:
        raise ValidationError(field, too_long(subject, most))
    return text


def parse_country_code(value: object, field: str = "country_code") -> str:
    """An ISO 3166-1 alpha-2 code, upper-cased: two letters A-Z. Raises ValidationError(field)."""
    code = _text(value).upper()
    if not _COUNTRY_CODE.match(code):
        raise ValidationError(
            field,
            msg("The country code must be two letters A-Z (ISO 3166-1 alpha-2), such as DE."),
        )
    return code


def parse_web_url(value: object, field: str) -> str | None:
    """An http or https address with a host, at most 500 characters; None when empty. Raises
    ValidationError(field) otherwise (so no `javascript:` or `data:` link reaches a page)."""
    if isinstance(value, str):
        ensure_printable_text(value, field)
    text, subject = _text(value), URL_FIELDS.get(field, msg("The address"))
    if not text:
        return None
    if len(text) > MAX_URL_LENGTH:
        raise ValidationError(field, too_long(subject, MAX_URL_LENGTH))
    try:
        parts = urlsplit(text)
        valid = parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid or any(char.isspace() for char in text):
        raise ValidationError(
            field,
            msg(
                "%(subject)s must be a web address starting with https:// or http://.",
                subject=subject,
            ),
        )
    return text


def parse_default_status(value: object, field: str = "default_status") -> str:
    """The status a new booking gets: pending (front desk confirms) or confirmed."""
    if value not in DEFAULT_STATUSES:
        raise ValidationError(
            field, msg("The status of new bookings must be pending or confirmed.")
        )
    return str(value)


def _parse_timezone(value: object) -> str:
    name = _text(value)
    if not name:
        raise ValidationError("timezone", msg("The time zone is required, such as Europe/Berlin."))
    return parse_zone(name).key


_PARSERS: dict[str, Callable[[object], Any]] = {
    **{name: partial(parse_location_text, field=name) for name in TEXT_FIELDS},
    **{name: partial(parse_web_url, field=name) for name in URL_FIELDS},
    "country_code": parse_country_code,
    "timezone": _parse_timezone,
    "contact_phone": lambda v: parse_phone(_text(v), "contact_phone"),
    "email": lambda v: parse_email(_text(v), "email"),
    "default_status": parse_default_status,
    "early_arrival_minutes": parse_early_arrival_minutes,
}


def parse_location_fields(data: Mapping[str, object]) -> dict[str, Any]:
    """Check every field of `LOCATION_FIELDS` in `data`; return the clean values. Raises one
    ValidationError naming every failing field."""
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name in LOCATION_FIELDS:
        try:
            clean[name] = _PARSERS[name](data.get(name))
        except ValidationError as error:
            errors.setdefault(name, []).extend(error.errors.get(name, [error.message]))
    if errors:
        raise ValidationError.from_errors(errors)
    return clean


def create_location(session: Session, data: Mapping[str, object], *, actor: Actor) -> TestLocation:
    """Add a test location with the details in `data` (`LOCATION_FIELDS`), opening on weekdays
    08:00-12:00 and 13:00-17:00 with one chair until its schedule is set.

    Raises Forbidden, ValidationError (every failing field), Conflict (field `name`) when another
    location has the same name.
    """
    ensure_permitted(actor, Permission.MANAGE_LOCATIONS)
    clean = parse_location_fields(data)
    with write_transaction(session):
        _ensure_unique_name(session, clean["name"], None)
        location = TestLocation(**clean, open_hours=DEFAULT_OPEN_HOURS, capacity=DEFAULT_CAPACITY)
        session.add(location)
    return location


def update_location(
    session: Session,
    location_id: uuid.UUID,
    data: Mapping[str, object],
    *,
    actor: Actor,
    now: datetime,
) -> TestLocation:
    """Replace a location's details (`LOCATION_FIELDS`); its schedule stays as it is.

    Raises Forbidden, NotFound, ValidationError, Conflict (field `name`: another location has the
    name; field `timezone`: appointments ahead are booked, whose slots are wall-clock times of
    the old zone).
    """
    ensure_permitted(actor, Permission.MANAGE_LOCATIONS)
    clean = parse_location_fields(data)
    with write_transaction(session):
        location = session.get(TestLocation, location_id)
        if location is None:
            raise NotFound("Test location")
        _ensure_unique_name(session, clean["name"], location_id)
        if clean["timezone"] != location.timezone:
            _ensure_nothing_booked_ahead(session, location, now)
        for name, value in clean.items():
            setattr(location, name, value)
    return location


def _ensure_unique_name(session: Session, name: str, location_id: uuid.UUID | None) -> None:
    query = select(TestLocation.id).where(func.lower(TestLocation.name) == name.lower())
    if location_id is not None:
        query = query.where(TestLocation.id != location_id)
    if session.scalar(query.limit(1)) is not None:
        raise Conflict(
            msg("Another test location is called %(name)s: choose another name.", name=name),
            field="name",
        )


def _ensure_nothing_booked_ahead(session: Session, location: TestLocation, now: datetime) -> None:
    booked = session.scalar(
        select(func.count())
        .select_from(Appointment)
        .where(
            Appointment.location_id == location.id,
            Appointment.status != AppointmentStatus.CANCELLED,
            Appointment.scheduled_at > now,
        )
    )
    if booked:
        raise Conflict(
            msg_plural(
                "%(num)d appointment ahead at %(location)s is booked in %(zone)s time: move or "
                "cancel it before changing the time zone.",
                "%(num)d appointments ahead at %(location)s are booked in %(zone)s time: move or "
                "cancel them before changing the time zone.",
                booked,
                location=location.name,
                zone=location.timezone,
            ),
            field="timezone",
        )
