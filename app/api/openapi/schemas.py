"""The document's object schemas: what `app.api.serializers` returns, field for field.

Every response object lists all its fields as required and allows no others: the serializers
always send every field (null where the contract allows it), and the test suite validates each
response against these schemas, so a serializer that gains or loses a field fails the suite until
the document says the same.
"""

from __future__ import annotations

from typing import Any

from app.domain.models import AppointmentStatus
from app.domain.profile_rules import HEIGHT_RANGE_CM, LANGUAGES, SEXES, WEIGHT_RANGE_KG
from app.domain.slots import WEEKDAYS

Schema = dict[str, Any]

UUID: Schema = {"type": "string", "format": "uuid"}
# Contract, "Datetimes": RFC 3339 with `Z` or an offset, seconds precision.
INSTANT: Schema = {"type": "string", "format": "date-time", "examples": ["2026-05-15T10:30:00Z"]}
LOCAL_INSTANT: Schema = {
    "type": "string",
    "format": "date-time",
    "description": "In the test location's own offset.",
    "examples": ["2026-05-15T12:30:00+02:00"],
}
DAY: Schema = {"type": "string", "format": "date", "examples": ["2026-05-15"]}
STATUS_ENUM: Schema = {
    "type": "string",
    "enum": [status.value for status in AppointmentStatus],
    "description": "pending -> confirmed -> blood_drawn, or cancelled.",
}
SEX_ENUM: Schema = {
    "type": "integer",
    "enum": sorted(SEXES),
    "description": "ISO/IEC 5218: 1 male, 2 female.",
}
LANGUAGE_ENUM: Schema = {"type": "string", "enum": list(LANGUAGES)}
CLOCK_TIME: Schema = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"}


def ref(name: str) -> Schema:
    """A reference to the component schema `name`."""
    return {"$ref": f"#/components/schemas/{name}"}


# Enumerations are components of their own, so a generated client has one type for each.
STATUS = ref("AppointmentStatus")
SEX = ref("Sex")
LANGUAGE = ref("Language")


def nullable(schema: Schema) -> Schema:
    """`schema` (one plain JSON type, no enum) that also allows null (OpenAPI 3.1)."""
    return {**schema, "type": [schema["type"], "null"]}


def text(max_length: int | None = None) -> Schema:
    """A string, at most `max_length` characters when given."""
    return {"type": "string"} if max_length is None else {"type": "string", "maxLength": max_length}


def closed_object(
    properties: dict[str, Schema],
    *,
    description: str | None = None,
    optional: tuple[str, ...] = (),
) -> Schema:
    """An object that holds `properties` and no others: every one of them, but the `optional`."""
    schema: Schema = {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def array(items: Schema) -> Schema:
    """A JSON array of `items`."""
    return {"type": "array", "items": items}


def measure(bounds: tuple[float, float], unit: str) -> Schema:
    """A body measure in `unit` within `bounds`, or null (contract: height in cm, weight in kg)."""
    low, high = bounds
    return {
        "type": ["number", "null"],
        "minimum": low,
        "maximum": high,
        "description": f"In {unit}; a whole number is sent as an integer (168, not 168.0).",
    }


PROFILE = closed_object(
    {
        "id": UUID,
        "handle": nullable(text(100)),
        "first_name": text(100),
        "last_name": nullable(text(100)),
        "email": {"type": ["string", "null"], "format": "email"},
        "phone": {
            "type": ["string", "null"],
            "pattern": r"^\+[1-9][0-9]{1,14}$",
            "description": "E.164.",
        },
        "sex": SEX,
        "date_of_birth": DAY,
        "height": measure(HEIGHT_RANGE_CM, "cm"),
        "weight": measure(WEIGHT_RANGE_KG, "kg"),
        "language": LANGUAGE,
        "created_at": INSTANT,
        "updated_at": {**nullable(INSTANT), "description": "Null until the profile is changed."},
    },
    description="A partner's patient (contract, Profile).",
)

OPENING_PERIOD = closed_object({"open": CLOCK_TIME, "close": CLOCK_TIME})
LOCATION = closed_object(
    {
        "id": UUID,
        "name": text(),
        "company_name": nullable(text()),
        "address_line_1": text(),
        "address_line_2": nullable(text()),
        "city": text(),
        "state": nullable(text()),
        "postal_code": text(),
        "country_name": text(),
        "country_code": {"type": "string", "minLength": 2, "maxLength": 2},
        "timezone": {"type": "string", "description": "IANA time zone.", "examples": ["UTC"]},
        "contact_phone": nullable(text()),
        "email": nullable(text()),
        "website": nullable(text()),
        "google_maps_url": nullable(text()),
        "image_url": nullable(text()),
        "open_hours": closed_object(
            {day: array(ref("OpeningPeriod")) for day in WEEKDAYS},
            description="Local wall-clock hours per weekday; an empty list is closed.",
        ),
        "default_status": {"type": "string", "enum": ["confirmed", "pending"]},
        "slot_duration_minutes": {"type": "integer", "minimum": 1},
        "slot_interval_minutes": {"type": "integer", "minimum": 1},
        "capacity": {"type": "integer", "minimum": 1, "description": "Chairs per slot."},
        "minimum_notice_minutes": {"type": "integer", "minimum": 0},
        "booking_horizon_days": {"type": "integer", "minimum": 1},
        "early_arrival_minutes": {
            "type": "integer",
            "minimum": 0,
            "description": "A blood draw may be recorded on an appointment's local day only, "
            "from this many minutes before its start.",
        },
        "closed_dates": array(closed_object({"date": DAY, "reason": text()})),
    },
    description="A test location of the shared catalogue (contract, Test location).",
)

SLOT_DETAIL = closed_object(
    {
        "start": LOCAL_INSTANT,
        "remaining": {"type": "integer", "minimum": 1},
        "capacity": {"type": "integer", "minimum": 1},
    },
    description="A free slot with `detail=true`.",
)
AVAILABILITY = closed_object(
    {
        "location_id": UUID,
        "timezone": text(),
        "slot_duration_minutes": {"type": "integer"},
        "slot_interval_minutes": {"type": "integer"},
        "availability": array(
            closed_object(
                {
                    "date": DAY,
                    "slots": array({"oneOf": [LOCAL_INSTANT, ref("SlotDetail")]}),
                }
            )
        ),
    },
    description="Free slot starts per local date; each slot is a start, or with `detail=true` "
    "a SlotDetail.",
)

PANEL = closed_object(
    {
        "id": UUID,
        "name": text(),
        "description": text(),
        "biomarkers": array(closed_object({"name": text(), "loinc_code": text(), "unit": text()})),
        "requires_fasting": {"type": "boolean"},
    },
    description="An orderable panel of LOINC-coded biomarkers (contract, Panel).",
)

APPOINTMENT = closed_object(
    {
        "id": UUID,
        "profile_id": UUID,
        "location_id": UUID,
        "scheduled_at": LOCAL_INSTANT,
        "status": STATUS,
        "test_method": {
            "type": "string",
            "enum": ["practitioner", "home"],
            "description": "Vena draws at its test locations: always `practitioner`.",
        },
        "created_at": INSTANT,
        "updated_at": {**nullable(INSTANT), "description": "Null until the first change."},
        "profile": ref("Profile"),
        "panels": array(closed_object({"panel_id": UUID, "added_at": INSTANT})),
        "shipments": array(closed_object({"id": UUID, "added_at": INSTANT})),
        "status_history": array(ref("StatusChange")),
    },
    description="A booked blood draw (contract, Appointment); `status_history` oldest first.",
)

HISTORY_PLACE = closed_object(
    {"scheduled_at": LOCAL_INSTANT, "location_id": UUID},
    description="Where and when the appointment was; the instant in that location's offset.",
)
HISTORY_PANELS = array(closed_object({"panel_id": UUID, "name": text()}))
STATUS_CHANGE = closed_object(
    {
        "status": STATUS,
        "changed_at": INSTANT,
        "actor": text(),
        "reason": nullable(text()),
        "details": {
            "oneOf": [
                closed_object({"from": ref("HistoryPlace"), "to": ref("HistoryPlace")}),
                closed_object({"panels_added": HISTORY_PANELS}),
                closed_object({"panels_removed": HISTORY_PANELS}),
            ],
            "description": "[Vena] What a reschedule (`from`, `to`) or a panel change did; "
            "absent on other entries.",
        },
    },
    description="An entry of an appointment's status history: the status it entered (a panel "
    "change keeps the status it had), when, who and why.",
    optional=("details",),
)

SUCCESS = closed_object({"success": {"type": "boolean", "const": True}})

OBJECT_SCHEMAS: dict[str, Schema] = {
    "AppointmentStatus": STATUS_ENUM,
    "Sex": SEX_ENUM,
    "Language": LANGUAGE_ENUM,
    "Profile": PROFILE,
    "OpeningPeriod": OPENING_PERIOD,
    "TestLocation": LOCATION,
    "SlotDetail": SLOT_DETAIL,
    "Availability": AVAILABILITY,
    "Panel": PANEL,
    "HistoryPlace": HISTORY_PLACE,
    "StatusChange": STATUS_CHANGE,
    "Appointment": APPOINTMENT,
    "Success": SUCCESS,
}
