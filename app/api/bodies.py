"""Request inputs: pydantic models for the shape of bodies; the domain's rules for their values."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from flask import request
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType

from app.domain.appointments import BookingRequest
from app.domain.availability import parse_date
from app.domain.errors import ValidationError
from app.domain.models import AppointmentStatus
from app.domain.pages import DEFAULT_LIMIT, parse_limit
from app.domain.rules import ensure_printable_text, parse_instant, parse_uuid

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
    """`PATCH /appointments/{id}`: either field, or both; the document says that one of them
    must be given (the domain refuses a change of nothing)."""

    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"required": [name], "properties": {name: {"type": "string"}}}
                for name in ("scheduled_at", "location_id")
            ]
        }
    )

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
            self.add(error)
            return None

    def query(
        self, args: MultiDict[str, str], name: str, parse: Callable[[object, str], T]
    ) -> T | None:
        """`parse` of the query parameter `name`, None when it is absent (or failed): see
        `query_value` for what is refused before `parse` sees it."""
        try:
            value = query_value(args, name)
        except ValidationError as error:
            self.add(error)
            return None
        return self(parse, value, name)

    def add(self, error: ValidationError) -> None:
        """Keep `error`'s messages."""
        for name, messages in error.errors.items():
            self.errors.setdefault(name, []).extend(messages)

    def error(self) -> ValidationError:
        """One ValidationError naming every field that failed; only after a failure."""
        return ValidationError.from_errors(self.errors)

    def raise_errors(self) -> None:
        """Raise the gathered errors, if there are any."""
        if self.errors:
            raise self.error()


def json_body() -> bytes:
    """The raw body of a call that takes JSON. Raises UnsupportedMediaType (contract: 415) unless
    the `Content-Type` is JSON (`application/json`, or a `+json` type, as Flask reads it), and
    RequestEntityTooLarge (413) when it is longer than MAX_CONTENT_LENGTH.

    werkzeug refuses a declared `Content-Length` over the limit before reading anything. A
    streamed body (chunked, no length) it reads up to the limit and then stops, without saying
    that more was coming (`LimitedStream.readall`): a streamed body that fills the limit is
    taken to be longer than it, and refused too, rather than parsed cut short.
    """
    if not request.is_json:
        raise UnsupportedMediaType("Send the body as JSON, with Content-Type: application/json.")
    data = request.get_data()
    most = request.max_content_length
    if request.content_length is None and most is not None and len(data) >= most:
        raise RequestEntityTooLarge()
    return data


def parse_body(model: type[M]) -> M:
    """The request body as `model`; every text in it is printable (`ensure_printable_text`).
    Raises UnsupportedMediaType (415), RequestEntityTooLarge (413), pydantic's ValidationError
    for its shape, or one ValidationError naming every field holding a control character (400)."""
    body = model.model_validate_json(json_body())
    collect = _Collector()
    for name, value in body.model_dump().items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                collect(_printable, text, name)
    collect.raise_errors()
    return body


def parse_json_object() -> dict[str, Any]:
    """The request body as a JSON object, for the domain to check field by field. Raises
    UnsupportedMediaType (415), RequestEntityTooLarge (413), pydantic's ValidationError."""
    return _JSON_OBJECT.validate_json(json_body(), strict=True)


def query_value(args: MultiDict[str, str], name: str) -> str | None:
    """The one value of the query parameter `name`, None when it is absent.

    A parameter given twice (`limit=5&limit=6`), empty (`limit=`), or holding a control
    character is refused rather than read as absent or as one of its values: the client meant
    something the server would otherwise silently not do. Raises ValidationError(name).
    """
    values = args.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise ValidationError(name, f"{name} is given {len(values)} times; give it once.")
    if not values[0]:
        raise ValidationError(name, f"{name} is empty; give a value or leave it out.")
    ensure_printable_text(values[0], name)
    return values[0]


def _printable(value: object, field: str) -> object:
    if isinstance(value, str):
        ensure_printable_text(value, field)
    return value


def _text(value: object, _field: str) -> str:
    return str(value)


def parse_page_query(args: MultiDict[str, str]) -> dict[str, Any]:
    """`limit` (default DEFAULT_LIMIT) and `cursor` as the `limit` and `after` keyword arguments
    of a list use case. Raises ValidationError("limit" or "cursor"), also for an empty or
    repeated one (`query_value`)."""
    collect = _Collector()
    page = _page_query(args, collect)
    collect.raise_errors()
    return page


def _page_query(args: MultiDict[str, str], collect: _Collector) -> dict[str, Any]:
    limit = collect.query(args, "limit", parse_limit)
    return {"limit": limit or DEFAULT_LIMIT, "after": collect.query(args, "cursor", _text)}


def parse_appointment_filters(args: MultiDict[str, str]) -> dict[str, Any]:
    """`GET /appointments` filters (`profile_id`, `location_id`, `status`, `from`, `to`,
    `updated_since`) and page (`limit`, `cursor`) as keyword arguments of `list_appointments`.
    Raises one ValidationError naming every filter that is not a UUID, a status or an ISO 8601
    instant with its offset, a bad `limit`, and every parameter given empty or more than once."""
    collect = _Collector()
    filters: dict[str, Any] = {
        name: collect.query(args, name, parse_uuid) for name in ("profile_id", "location_id")
    }
    filters["status"] = collect.query(args, "status", _parse_status)
    for keyword, name in _INSTANT_FILTERS:
        filters[keyword] = collect.query(args, name, parse_instant)
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


def parse_availability_query(
    args: MultiDict[str, str],
) -> tuple[date | None, date | None, bool]:
    """`start_date`, `end_date` (YYYY-MM-DD, optional) and [Vena] `detail` (`true`/`false`).
    Raises one ValidationError naming every malformed parameter, and every one given empty or
    more than once (`query_value`)."""
    collect = _Collector()
    start = collect.query(args, "start_date", parse_date)
    end = collect.query(args, "end_date", parse_date)
    detail = collect.query(args, "detail", _parse_flag)
    collect.raise_errors()
    return start, end, bool(detail)


def _parse_flag(value: object, field: str) -> bool:
    if value == "false":
        return False
    if value == "true":
        return True
    raise ValidationError(field, f"{field} must be true or false.")
