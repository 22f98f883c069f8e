"""Appointment search: the list's filters plus a patient's name or reference and a range of
calendar dates at each location, a page at a time."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.orm import Session

from app.domain.access import (
    Actor,
    Permission,
    appointment_filter,
    ensure_permitted,
    profile_filter,
)
from app.domain.appointment_filters import APPOINTMENT_ORDER, appointment_clauses
from app.domain.appointment_store import DETAIL
from app.domain.errors import ValidationError
from app.domain.messages import msg, too_long
from app.domain.models import Appointment, AppointmentStatus, Profile, TestLocation
from app.domain.pages import Page, fetch_page
from app.domain.profiles import profile_search
from app.domain.rules import ensure_printable_text, is_uuid_text

MAX_RANGE_DAYS = 92  # three months of local dates, both ends counted
MAX_PATIENT_SEARCH = 100  # characters of a name or reference to search for
# Search dates are kept well inside what `datetime` can shift by a time zone and a range.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2999, 12, 31)
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
T = TypeVar("T")


@dataclass(frozen=True)
class SearchFilters:
    """The filters of an appointment search, each None when not given."""

    status: AppointmentStatus | None = None
    location_id: uuid.UUID | None = None
    profile_id: uuid.UUID | None = None
    patient: str | None = None
    day_from: date | None = None
    day_to: date | None = None


def parse_search_filters(values: Mapping[str, str | None]) -> SearchFilters:
    """Read the filters from text (a query string): `status`, `location_id`, `profile_id`,
    `patient` (part of a name or reference, at most MAX_PATIENT_SEARCH characters), `from` and
    `to` (YYYY-MM-DD); an empty or missing value is no filter.

    Raises one ValidationError naming every malformed filter by those names, the range's
    limits (`resolve_day_range`) included.
    """
    errors: dict[str, list[str]] = {}

    def parse(name: str, convert: Callable[[str], T], message: str) -> T | None:
        text = (values.get(name) or "").strip()
        if not text:
            return None
        try:
            return convert(text)
        except ValueError:
            errors[name] = [message]
        except ValidationError as error:  # a rule with its own message
            errors[name] = error.errors[name]
        return None

    statuses = ", ".join(status.value.replace("_", " ") for status in AppointmentStatus)
    filters = SearchFilters(
        status=parse(
            "status", AppointmentStatus, msg("Choose a status: %(statuses)s.", statuses=statuses)
        ),
        location_id=parse("location_id", _parse_id, msg("Choose a test location from the list.")),
        profile_id=parse("profile_id", _parse_id, msg("Choose a patient profile from the list.")),
        patient=parse(
            "patient", _parse_patient, too_long(msg("The patient's name"), MAX_PATIENT_SEARCH)
        ),
        day_from=parse(
            "from",
            _parse_day,
            msg(
                "Enter the start date as year-month-day, such as %(example)s.", example="2026-11-01"
            ),
        ),
        day_to=parse(
            "to",
            _parse_day,
            msg("Enter the end date as year-month-day, such as %(example)s.", example="2026-11-30"),
        ),
    )
    if "from" not in errors and "to" not in errors:
        try:
            resolve_day_range(filters.day_from, filters.day_to)
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError.from_errors(errors)
    return filters


def _parse_id(text: str) -> uuid.UUID:
    """A UUID of 32 hex digits, hyphens optional; raises ValueError otherwise."""
    if not is_uuid_text(text):
        raise ValueError(text)
    return uuid.UUID(text)


def _parse_patient(text: str) -> str:
    """A patient search text; raises ValueError when it is longer than MAX_PATIENT_SEARCH, and
    ValidationError("patient") when it holds a control character (`ensure_printable_text`)."""
    if len(text) > MAX_PATIENT_SEARCH:
        raise ValueError(text)
    ensure_printable_text(text, "patient")
    return text


def _parse_day(text: str) -> date:
    """A date written YYYY-MM-DD, as a date input sends it; raises ValueError otherwise."""
    if not _DAY.fullmatch(text):
        raise ValueError(text)
    return date.fromisoformat(text)


def resolve_day_range(day_from: date | None, day_to: date | None) -> tuple[date, date] | None:
    """The first and last local date a search covers, both included, or None without dates.

    With one end only, the range reaches MAX_RANGE_DAYS from it. Raises ValidationError("from"
    or "to") for a date outside the years EARLIEST_DAY to LATEST_DAY, and ValidationError("to")
    when `to` comes before `from` or the range is longer than MAX_RANGE_DAYS.
    """
    for name, day in (("from", day_from), ("to", day_to)):
        if day is not None and not EARLIEST_DAY <= day <= LATEST_DAY:
            raise ValidationError(
                name,
                msg(
                    "Choose a date from %(first)d to %(last)d.",
                    first=EARLIEST_DAY.year,
                    last=LATEST_DAY.year,
                ),
            )
    span = timedelta(days=MAX_RANGE_DAYS - 1)
    if day_from is None:
        if day_to is None:
            return None
        day_from = day_to - span
    last = day_to if day_to is not None else day_from + span
    if last < day_from:
        raise ValidationError("to", msg("The end date comes before the start date."))
    days = (last - day_from).days + 1
    if days > MAX_RANGE_DAYS:
        raise ValidationError(
            "to",
            msg(
                "Choose at most %(most)d days; these dates cover %(days)d days.",
                most=MAX_RANGE_DAYS,
                days=days,
            ),
        )
    return day_from, last


def search_appointments(
    session: Session,
    *,
    actor: Actor,
    now: datetime,
    status: AppointmentStatus | None = None,
    location_id: uuid.UUID | None = None,
    profile_id: uuid.UUID | None = None,
    patient: str | None = None,
    day_from: date | None = None,
    day_to: date | None = None,
    limit: int | None = None,
    after: str | None = None,
    before: str | None = None,
) -> Page[Appointment]:
    """The appointments `actor` may see that match every filter given, soonest first: `limit`
    of them after the cursor `after` or before `before` (`pages.fetch_page`), or all of them.

    `patient` keeps the appointments of the profiles it finds (`profiles.profile_search`: each
    word a part of a name or the reference). `day_from` and `day_to` are calendar dates at each
    appointment's test location (the dates the portal shows, and the front desk's days), both
    included; see `resolve_day_range` for an open end and the limit. Without dates the list is
    `list_appointments`'s: two months back to one month ahead, or every appointment of
    `profile_id`.

    Raises Forbidden, ValidationError("from" or "to") for a range out of bounds, or ("limit",
    "cursor").
    """
    ensure_permitted(actor, Permission.READ_APPOINTMENTS)
    days = resolve_day_range(day_from, day_to)
    if days is None:
        clauses = appointment_clauses(
            now=now, profile_id=profile_id, location_id=location_id, status=status
        )
    else:
        clauses = [_on_local_days(session, *days, location_id)]
        if profile_id is not None:
            clauses.append(Appointment.profile_id == profile_id)
        if location_id is not None:
            clauses.append(Appointment.location_id == location_id)
        if status is not None:
            clauses.append(Appointment.status == status)
    if patient and patient.strip():
        found = select(Profile.id).where(profile_filter(actor), profile_search(patient))
        clauses.append(Appointment.profile_id.in_(found))
    query = select(Appointment).where(appointment_filter(actor), *clauses).options(*DETAIL)
    return fetch_page(session, query, APPOINTMENT_ORDER, limit=limit, after=after, before=before)


def _on_local_days(
    session: Session, first: date, last: date, location_id: uuid.UUID | None
) -> ColumnElement[bool]:
    """A WHERE clause: scheduled from `first` to `last` on its own location's calendar.

    Locations that share a zone share one UTC span, so the clause has one term per zone.
    """
    query = select(TestLocation.id, TestLocation.timezone)
    if location_id is not None:
        query = query.where(TestLocation.id == location_id)
    by_zone: dict[str, list[uuid.UUID]] = defaultdict(list)
    for row in session.execute(query):
        by_zone[row.timezone].append(row.id)
    terms = []
    for zone_name, ids in sorted(by_zone.items()):
        zone = ZoneInfo(zone_name)
        start = datetime.combine(first, time.min, tzinfo=zone)
        end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
        terms.append(
            and_(
                Appointment.location_id.in_(ids),
                Appointment.scheduled_at >= start,
                Appointment.scheduled_at < end,
            )
        )
    return or_(*terms) if terms else false()
