"""The document's parameters (path ids, filters, pagination, Idempotency-Key) and the response
headers that go with them (`Link`, `Idempotent-Replayed`)."""

from __future__ import annotations

from app.api.openapi.patterns import IDEMPOTENCY_KEY
from app.api.openapi.schemas import DAY, STATUS, UUID, Schema
from app.domain.idempotency import MAX_KEY_LENGTH

# Contract, "IDs": a path id that is not a UUID gets 400 `invalid_id`.
ID_NAMES = ("profile_id", "location_id", "appointment_id")


def _path_id(name: str) -> Schema:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": "A UUID; anything else gets 400 `invalid_id`.",
        "schema": UUID,
    }


def _query(name: str, schema: Schema, description: str) -> Schema:
    # Every query parameter is given once, with a value: an empty or repeated one is a 400
    # naming it (`app.api.bodies.query_value`), never taken as absent.
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": f"{description} Once at most, and not empty.",
        "schema": schema,
    }


_SINCE: Schema = {"type": "string", "format": "date-time", "examples": ["2026-05-01T00:00:00Z"]}

PARAMETERS: dict[str, Schema] = {
    **{name: _path_id(name) for name in ID_NAMES},
    "limit": _query(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
        "The most items one page holds.",
    ),
    "cursor": _query(
        "cursor",
        {"type": "string", "minLength": 1, "maxLength": 512, "pattern": "^[A-Za-z0-9_=-]+$"},
        'Opaque: the position after the previous page, taken from its `Link: rel="next"`.',
    ),
    "filter_profile_id": _query(
        "profile_id",
        UUID,
        "Only this profile's appointments: 404 when no profile has this id, 403 when it is "
        "another organisation's.",
    ),
    "filter_location_id": _query("location_id", UUID, "Only those at this test location."),
    "filter_status": _query("status", STATUS, "Only those in this status."),
    "filter_from": _query("from", _SINCE, "Only those scheduled at or after this instant."),
    "filter_to": _query("to", _SINCE, "Only those scheduled before this instant."),
    "filter_updated_since": _query(
        "updated_since", _SINCE, "Only those changed at or after this instant."
    ),
    "start_date": _query(
        "start_date",
        DAY,
        "First local date (default: today there); at most 90 days ago.",
    ),
    "end_date": _query(
        "end_date",
        DAY,
        "Last local date (default: 30 days after the start); at most 90 days ahead and not "
        "before `start_date`.",
    ),
    "detail": _query(
        "detail",
        {"type": "boolean", "default": False},
        "With `true`, each slot is `{start, remaining, capacity}` instead of its start.",
    ),
    "idempotency_key": {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "description": "Makes a retry safe: a second request with the same key and body gets "
        "the first one's response again (with `Idempotent-Replayed: true`) instead of acting "
        "twice. 1 to 255 printable ASCII characters; a UUID is a good key.",
        "schema": {
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_KEY_LENGTH,
            "pattern": IDEMPOTENCY_KEY,
        },
    },
}

PAGINATION = ("limit", "cursor")
APPOINTMENT_FILTERS = (
    "filter_profile_id",
    "filter_location_id",
    "filter_status",
    "filter_from",
    "filter_to",
    "filter_updated_since",
)

LINK_HEADER: Schema = {
    "description": 'RFC 8288: `<url>; rel="next"` when there is a next page.',
    "schema": {"type": "string"},
}
REPLAYED_HEADER: Schema = {
    "description": "`true` when this is the stored response of an earlier request with the "
    "same Idempotency-Key.",
    "schema": {"type": "string", "enum": ["true"]},
}


def parameter_ref(name: str) -> Schema:
    """A reference to the component parameter `name`."""
    return {"$ref": f"#/components/parameters/{name}"}
