"""The contract's error bodies ("Errors") and the error responses each operation lists.

`app.api.errors` writes these bodies; the codes here are the contract's, plus the idempotency
codes (`idempotency_key_in_use`, `idempotency_key_reused`; README, "Booking, and retrying safely").
"""

from __future__ import annotations

from app.api.openapi.schemas import Schema, array, ref

# Field name -> its messages; for `slot_unavailable`, `next_available` -> slot starts.
DETAILS: Schema = {
    "type": "object",
    "additionalProperties": array({"type": "string"}),
    "description": "For validation errors, each field's messages.",
}


def error_body(
    codes: list[str], *, description: str, message: Schema | None = None, details: bool = True
) -> Schema:
    """The contract's error body `{error, code, details?}` whose `code` is one of `codes`;
    without `details`, the body never has them."""
    properties: dict[str, Schema] = {
        "error": message or {"type": "string", "description": "A message a person can act on."},
        "code": {"type": "string", "enum": codes},
    }
    if details:
        properties["details"] = DETAILS
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": ["error", "code"],
        "additionalProperties": False,
    }


SLOT_UNAVAILABLE: Schema = {
    "type": "object",
    "description": "The slot is fully booked; `details.next_available` offers the next free "
    "slot starts (at most three) in the location's offset.",
    "properties": {
        "error": {"type": "string"},
        "code": {"type": "string", "enum": ["slot_unavailable"]},
        "details": {
            "type": "object",
            "properties": {
                "next_available": {
                    "type": "array",
                    "maxItems": 3,
                    "items": {"type": "string", "format": "date-time"},
                }
            },
            "required": ["next_available"],
            "additionalProperties": False,
        },
    },
    "required": ["error", "code", "details"],
    "additionalProperties": False,
}

ERROR_SCHEMAS: dict[str, Schema] = {
    "BadRequestError": error_body(
        ["validation_error", "invalid_id"],
        description="`validation_error`: the body or a query parameter breaks a rule, and "
        "`details` names each field; `invalid_id`: a path id is not a UUID.",
    ),
    "ForbiddenError": error_body(
        ["forbidden"],
        description="The key is missing, unknown or revoked, lacks the operation's scope, or "
        "the object belongs to another organisation. The reason is not disclosed.",
        message={"type": "string", "description": "Always `Forbidden`."},
        details=False,
    ),
    "NotFoundError": error_body(
        ["not_found"], description="The object does not exist.", details=False
    ),
    "ConflictError": error_body(
        ["conflict", "idempotency_key_in_use"],
        description="`conflict`: the object's state forbids the change (`details` names a "
        "conflicting field when there is one); `idempotency_key_in_use`: the first request "
        "with this Idempotency-Key is still running.",
    ),
    "SlotUnavailableError": SLOT_UNAVAILABLE,
    "IdempotencyKeyReusedError": error_body(
        ["idempotency_key_reused"],
        description="The Idempotency-Key was used before with a different request body.",
    ),
    "RateLimitedError": error_body(["rate_limited"], description="Too many requests."),
    "PayloadTooLargeError": error_body(
        ["payload_too_large"],
        description="The body is longer than the server takes (1 MiB unless configured).",
        details=False,
    ),
    "UnsupportedMediaTypeError": error_body(
        ["unsupported_media_type"],
        description="The body is not sent as `application/json`.",
        details=False,
    ),
    "InternalError": error_body(
        ["internal_error"],
        description="Something failed on Vena's side; no stack trace.",
        details=False,
    ),
    "UnavailableError": error_body(
        ["unavailable"],
        description="The database cannot answer now (a lost connection, a timeout). Try "
        "again after `Retry-After` seconds; send a change again with the same "
        "Idempotency-Key, so that it is made once.",
        details=False,
    ),
}

RETRY_AFTER: Schema = {
    "description": "Seconds to wait before trying again (RFC 9110, section 10.2.3).",
    "required": True,
    "schema": {"type": "integer", "minimum": 0},
}


KEY_IN_USE_RETRY_AFTER: Schema = {
    "description": "With `idempotency_key_in_use`: seconds until a retry gets the first "
    "request's answer, or may take over the key of a request that died.",
    "required": False,
    "schema": {"type": "integer", "minimum": 1},
}


def _json(schema: Schema) -> Schema:
    return {"application/json": {"schema": schema}}


# Status -> the reusable response (components/responses) an operation lists for it.
ERROR_RESPONSES: dict[str, Schema] = {
    "BadRequest": {"description": "Invalid request.", "content": _json(ref("BadRequestError"))},
    "Forbidden": {"description": "Forbidden.", "content": _json(ref("ForbiddenError"))},
    "NotFound": {"description": "Not found.", "content": _json(ref("NotFoundError"))},
    "Conflict": {
        "description": "Conflict.",
        "headers": {"Retry-After": KEY_IN_USE_RETRY_AFTER},
        "content": _json(ref("ConflictError")),
    },
    "ConflictOrSlotUnavailable": {
        "description": "Conflict, or the slot is fully booked.",
        "headers": {"Retry-After": KEY_IN_USE_RETRY_AFTER},
        "content": _json({"oneOf": [ref("ConflictError"), ref("SlotUnavailableError")]}),
    },
    "IdempotencyKeyReused": {
        "description": "Idempotency-Key reused with a different body.",
        "content": _json(ref("IdempotencyKeyReusedError")),
    },
    "PayloadTooLarge": {
        "description": "The body is too large.",
        "content": _json(ref("PayloadTooLargeError")),
    },
    "UnsupportedMediaType": {
        "description": "The body is not JSON.",
        "content": _json(ref("UnsupportedMediaTypeError")),
    },
    "RateLimited": {
        "description": "Rate limit exceeded.",
        "headers": {"Retry-After": RETRY_AFTER},
        "content": _json(ref("RateLimitedError")),
    },
    "InternalError": {
        "description": "Unexpected server error.",
        "content": _json(ref("InternalError")),
    },
    "Unavailable": {
        "description": "The database cannot answer now.",
        "headers": {"Retry-After": RETRY_AFTER},
        "content": _json(ref("UnavailableError")),
    },
}


def error_responses(
    *, bad_request: bool, not_found: bool, conflict: str | None, idempotent: bool, body: bool
) -> dict[str, Schema]:
    """An operation's error responses by status; `conflict` is None (no 409) or the name of the
    409 response; one that takes a `body` can answer 413 and 415. Every operation that needs a
    key can answer 403, 429, 500 and 503."""
    names = {
        "403": "Forbidden",
        "429": "RateLimited",
        "500": "InternalError",
        "503": "Unavailable",
    }
    if bad_request:
        names["400"] = "BadRequest"
    if body:
        names["413"] = "PayloadTooLarge"
        names["415"] = "UnsupportedMediaType"
    if not_found:
        names["404"] = "NotFound"
    if conflict is not None or idempotent:
        names["409"] = conflict or "Conflict"
    if idempotent:
        names["422"] = "IdempotencyKeyReused"
    return {status: {"$ref": f"#/components/responses/{names[status]}"} for status in sorted(names)}
