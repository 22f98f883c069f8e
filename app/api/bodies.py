"""Request inputs: pydantic models for the shape of bodies; the domain's rules for their values."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from flask import request
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from app.domain.appointments import BookingRequest
from app.domain.availability import parse_date
from app.domain.errors import ValidationError
from app.domain.models import AppointmentStatus
from app.domain.pages import DEFAULT_LIMIT, parse_limit
from app.domain.rules import parse_instant, parse_uuid

M = TypeVar("M", bound="Body")
T = TypeVar("T")

_JSON_OBJECT: TypeAdapter[dict[str, Any]] = TypeAdapter(dict[str, Any])
# The list's instant filters: `list_appointments`'s keyword, the query parameter (issue 5).
_INSTANT_FILTERS = (
    ("scheduled_from", "from"),
    ("scheduled_to", "to"),
    ("updated_since", "updated_since"),
)

# What the OpenAPI document says of a field; only the domain's parsers check the values, so a
# malformed one gets the domain's message (the `json_schema_extra` keys validate nothing).
Uuid = Annotated[str, Field(json_schema_extra={"format": "uuid"})]
Instant = Annotated[
    str,
    Field(
        json_schema_extra={"format": "date-time", "examples": ["2026-05-15T10:30:00+02:00"]},
        description="ISO 8601 with `Z` or an offset; a time without one is refused.",
    ),
]


class Body(BaseModel):
    """A JSON body: strict types (no `0` taken for a date), unknown fields ignored (contract)."""

    model_config = ConfigDict(strict=True, extra="ignore")


class BookingBody(Body):
    """`POST /appointments`."""

    profile_id: Uuid
    location_id: Uuid
    scheduled_at: Instant

    def to_request(self) -> BookingRequest:
        """The booking, with ids and the instant parsed by the domain's rules."""
        collect = _Collector()
        profile_id = collect(parse_uuid, self.profile_id, "profile_id")
        location_id = collect(parse_uuid, self.location_id, "location_id")
        scheduled_at = collect(parse_instant, self.scheduled_at, "scheduled_at")
        if profile_id is None or location_id is None or scheduled_at is None:
            raise collect.error()
        return BookingRequest(profile_id, location_id, scheduled_at)


class RescheduleBody(Body):
    """`PATCH /appointments/{id}`: either field, or both."""

    scheduled_at: Instant | None = None
    location_id: Uuid | None = None

    def parsed(self) -> tuple[datetime | None, uuid.UUID | None]:
        """The new instant and location, each None when not given."""
        collect = _Collector()
        at = collect(parse_instant, self.scheduled_at, "scheduled_at")
        location_id = collect(parse_uuid, self.location_id, "location_id")
        collect.raise_errors()
        return at, location_id


class PanelsBody(Body):
    """`POST` and `DELETE /appointments/{id}/panels`."""

    panel_ids: Annotated[list[Uuid], Field(json_schema_extra={"minItems": 1})]

    def parsed(self) -> list[uuid.UUID]:
        """The panel ids as UUIDs; the domain refuses an empty list."""
        return [parse_uuid(value, "panel_ids") for value in self.panel_ids]


class BarcodeBody(Body):
    """`POST /appointments/{id}/confirm`; the domain checks the barcode's digits."""

    barcode: Annotated[
        str,
        Field(
            json_schema_extra={"pattern": "^[0-9]{6,32}$"},
            description="The sample tube's barcode: 6 to 32 digits.",
        ),
    ]


class _Collector:
    """Runs parsers and gathers their ValidationErrors, so one answer names every bad field."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def __call__(self, parse: Callable[[object, str], T], value: object, field: str) -> T | None:
        if value is None:
            return None
        try:
            return parse(value, field)
        except ValidationError as error:
            for name, messages in error.errors.items():
                self.errors.setdefault(name, []).extend(messages)
            return None

    def error(self) -> ValidationError:
        """One ValidationError naming every field that failed; only after a failure."""
        return ValidationError.from_errors(self.errors)

    def raise_errors(self) -> None:
        """Raise the gathered errors, if there are any."""
        if self.errors:
            raise self.error()


def parse_body(model: type[M]) -> M:
    """The request body as `model`. Raises pydantic's ValidationError (contract: 400)."""
    return model.model_validate_json(request.get_data())


def parse_json_object() -> dict[str, Any]:
    """The request body as a JSON object, for the domain to check field by field."""
    return _JSON_OBJECT.validate_json(request.get_data(), strict=True)


def parse_page_query(args: Mapping[str, str]) -> dict[str, Any]:
    """`limit` (default DEFAULT_LIMIT) and `cursor` as the `limit` and `after` keyword arguments
    of a list use case; an empty cursor is none. Raises ValidationError("limit")."""
    collect = _Collector()
    page = _page_query(args, collect)
    collect.raise_errors()
    return page


def _page_query(args: Mapping[str, str], collect: _Collector) -> dict[str, Any]:
    limit = collect(parse_limit, args.get("limit") or DEFAULT_LIMIT, "limit")
    return {"limit": limit or DEFAULT_LIMIT, "after": args.get("cursor") or None}


def parse_appointment_filters(args: Mapping[str, str]) -> dict[str, Any]:
    """`GET /appointments` filters (`profile_id`, `location_id`, `status`, `from`, `to`,
    `updated_since`) and page (`limit`, `cursor`) as keyword arguments of `list_appointments`;
    an empty filter is ignored. Raises one ValidationError naming every filter that is not a
    UUID, a status or an ISO 8601 instant with its offset, and a bad `limit`."""
    collect = _Collector()
    filters: dict[str, Any] = {
        name: collect(parse_uuid, args.get(name) or None, name)
        for name in ("profile_id", "location_id")
    }
    filters["status"] = collect(_parse_status, args.get("status") or None, "status")
    for keyword, name in _INSTANT_FILTERS:
        filters[keyword] = collect(parse_instant, args.get(name) or None, name)
    filters.update(_page_query(args, collect))
    collect.raise_errors()
    return filters


def _parse_status(value: object, field: str) -> AppointmentStatus:
    try:
        return AppointmentStatus(str(value))
    except ValueError:
        raise ValidationError(
            field, f"{field} must be one of {', '.join(AppointmentStatus)}."
        ) from None


def parse_availability_query(args: Mapping[str, str]) -> tuple[date | None, date | None, bool]:
    """`start_date`, `end_date` (YYYY-MM-DD, optional) and [Vena] `detail` (`true`/`false`).
    Raises one ValidationError naming every malformed parameter."""
    collect = _Collector()
    start = collect(parse_date, args.get("start_date"), "start_date")
    end = collect(parse_date, args.get("end_date"), "end_date")
    detail = collect(_parse_flag, args.get("detail"), "detail")
    collect.raise_errors()
    return start, end, bool(detail)


def _parse_flag(value: object, field: str) -> bool:
    if value in (None, "", "false"):
        return False
    if value == "true":
        return True
    raise ValidationError(field, f"{field} must be true or false.")
