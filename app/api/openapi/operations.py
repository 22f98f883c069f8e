"""What each API operation takes and answers, keyed by its view function's name (operationId).

The paths, methods and scopes come from the routes themselves (`app.api.openapi.document`);
this table adds what a route does not tell: parameters, body, responses (contract, CONTRACT.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.api.openapi.errors import error_responses
from app.api.openapi.parameters import (
    APPOINTMENT_FILTERS,
    ID_NAMES,
    LINK_HEADER,
    PAGINATION,
    REPLAYED_HEADER,
    parameter_ref,
)
from app.api.openapi.schemas import Schema, array, ref


@dataclass(frozen=True)
class Operation:
    """One operation: `result` is the 2xx body's schema, `body` names the request body's
    component schema; `query` names component parameters; `not_found` says an id in the body
    or query can name a missing object (path ids always can); `conflict` names the 409 response;
    `idempotent` adds Idempotency-Key; `paginated` adds `limit`, `cursor` and `Link`."""

    summary: str
    tag: str
    result: Schema
    status: str = "200"
    body: str | None = None
    query: tuple[str, ...] = ()
    not_found: bool = False
    conflict: str | None = None
    idempotent: bool = False
    paginated: bool = False

    def parameters(self, path_ids: list[str]) -> list[Schema]:
        """The parameters of the operation at a path whose ids are `path_ids`."""
        names = [*path_ids, *self.query, *(PAGINATION if self.paginated else ())]
        if self.idempotent:
            names.append("idempotency_key")
        return [parameter_ref(name) for name in names]

    def responses(self, path_ids: list[str], *, secured: bool) -> dict[str, Schema]:
        """The success response, then each error response by status."""
        headers: dict[str, Schema] = {}
        if self.paginated:
            headers["Link"] = LINK_HEADER
        if self.idempotent:
            headers["Idempotent-Replayed"] = REPLAYED_HEADER
        success: Schema = {
            "description": self.summary,
            "content": {"application/json": {"schema": self.result}},
        }
        if headers:
            success["headers"] = headers
        errors = error_responses(
            bad_request=bool(path_ids or self.body or self.query or self.paginated),
            not_found=bool(path_ids) or self.not_found,
            conflict=self.conflict,
            idempotent=self.idempotent,
            body=self.body is not None,
        )
        if not secured:
            errors = {status: errors[status] for status in ("429", "500")}
        return {self.status: success, **errors}


def path_ids(names: list[str]) -> list[str]:
    """The path parameter names that are ids; a route with another kind is a mistake here."""
    unknown = [name for name in names if name not in ID_NAMES]
    if unknown:
        raise ValueError(f"path parameters without a description: {unknown}")
    return names


_SLOT = "ConflictOrSlotUnavailable"

OPERATIONS: dict[str, Operation] = {
    "get_openapi_document": Operation(
        "This document: OpenAPI 3.1, no key needed.", "Document", {"type": "object"}
    ),
    "list_profiles": Operation(
        "The organisation's profiles.", "Profiles", array(ref("Profile")), paginated=True
    ),
    "create_profile": Operation(
        "Create a profile in the key's organisation.",
        "Profiles",
        ref("Profile"),
        status="201",
        body="ProfileInput",
        conflict="Conflict",
        idempotent=True,
    ),
    "get_profile": Operation("One profile.", "Profiles", ref("Profile")),
    "update_profile": Operation(
        "Change a profile's fields; sets updated_at when a value changes.",
        "Profiles",
        ref("Profile"),
        body="ProfileChanges",
        conflict="Conflict",
    ),
    "list_locations": Operation(
        "Every test location.", "Locations", array(ref("TestLocation")), paginated=True
    ),
    "get_location": Operation("One test location.", "Locations", ref("TestLocation")),
    "get_availability": Operation(
        "A test location's free slots per local date; only slots with a chair left.",
        "Locations",
        ref("Availability"),
        query=("start_date", "end_date", "detail"),
    ),
    "list_panels": Operation("Every panel.", "Panels", array(ref("Panel")), paginated=True),
    "list_appointments": Operation(
        "The organisation's appointments, soonest first; without profile_id, only those "
        "scheduled from two months ago to one month ahead.",
        "Appointments",
        array(ref("Appointment")),
        query=APPOINTMENT_FILTERS,
        not_found=True,
        paginated=True,
    ),
    "book_appointment": Operation(
        "Book an appointment; it starts in the location's default status.",
        "Appointments",
        ref("Appointment"),
        status="201",
        body="BookingRequest",
        not_found=True,
        conflict=_SLOT,
        idempotent=True,
    ),
    "get_appointment": Operation("One appointment.", "Appointments", ref("Appointment")),
    "reschedule_appointment": Operation(
        "Move an appointment to another time and/or location (the booking's rules apply).",
        "Appointments",
        ref("Appointment"),
        body="RescheduleRequest",
        conflict=_SLOT,
        idempotent=True,
    ),
    "cancel_appointment": Operation(
        "Cancel an appointment; its panels and shipments are kept.",
        "Appointments",
        ref("Appointment"),
        conflict="Conflict",
        idempotent=True,
    ),
    "add_panels": Operation(
        "Attach panels; a panel already attached is left as it is.",
        "Appointments",
        ref("Appointment"),
        body="PanelsRequest",
        conflict="Conflict",
    ),
    "remove_panels": Operation(
        "Detach panels.",
        "Appointments",
        ref("Success"),
        body="PanelsRequest",
        conflict="Conflict",
    ),
    "record_blood_draw": Operation(
        "Record the blood draw with the tube's barcode; the status becomes blood_drawn. Only on "
        "the appointment's local day, from the location's early_arrival_minutes before its start.",
        "Appointments",
        ref("Success"),
        body="BarcodeRequest",
        conflict="Conflict",
        idempotent=True,
    ),
}
