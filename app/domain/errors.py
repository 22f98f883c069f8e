"""Domain errors: each carries a stable code and a message a person can act on.

Messages are built with `app.domain.messages.msg`, so that the portal can translate them; the API
sends their English text.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from app.domain.messages import Message, msg

FORBIDDEN = msg("Forbidden")
# NotFound's default message for each entity, listed so that `pybabel extract` finds them.
NOT_FOUND_MESSAGES: dict[str, Message] = {
    "Appointment": msg("Appointment not found."),
    "Profile": msg("Profile not found."),
    "Test location": msg("Test location not found."),
    "Panel": msg("Panel not found."),
    "Organisation": msg("Organisation not found."),
    "API key": msg("API key not found."),
    "User": msg("User not found."),
}


class DomainError(Exception):
    """Base of every error a use case raises on purpose; `code` is the contract's error code."""

    code = "domain_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    """Input breaks a rule. `errors` maps each field name to its messages (contract: 400)."""

    code = "validation_error"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.errors: dict[str, list[str]] = {field: [message]}

    @classmethod
    def from_errors(cls, errors: dict[str, list[str]]) -> ValidationError:
        """Build one error from several fields' messages; `errors` must not be empty."""
        field, messages = next(iter(errors.items()))
        error = cls(field, messages[0])
        error.errors = errors
        return error


class InvalidId(ValidationError):
    """A path id is not a UUID (contract: 400 `invalid_id`)."""

    code = "invalid_id"


class NotFound(DomainError):
    """The object does not exist (contract: 404 `not_found`)."""

    code = "not_found"

    def __init__(self, entity: str, message: str | None = None) -> None:
        default = NOT_FOUND_MESSAGES.get(entity) or msg("%(entity)s not found.", entity=entity)
        super().__init__(message or default)
        self.entity = entity


class Forbidden(DomainError):
    """The actor may not do this, or the object is outside its access context (contract: 403)."""

    code = "forbidden"

    def __init__(self, message: str = FORBIDDEN) -> None:
        super().__init__(message)


class Conflict(DomainError):
    """The object's state forbids the change (contract: 409 `conflict`).

    `field` names the input that conflicts, when there is one (a used barcode, a taken handle).
    """

    code = "conflict"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class SlotUnavailable(Conflict):
    """The slot has no chair left (contract: 409 `slot_unavailable`).

    `next_available` holds the next free slot starts after it at the same location (at most
    three, aware datetimes in the location's zone), for the client to offer instead.
    """

    code = "slot_unavailable"

    def __init__(self, message: str, *, next_available: list[datetime]) -> None:
        super().__init__(message, field="scheduled_at")
        self.next_available = next_available


class IdempotencyKeyInUse(Conflict):
    """The first request with this `Idempotency-Key` is still running, or took the key over from
    this one (409 `idempotency_key_in_use`, README "Booking, and retrying safely"); retrying is
    safe. `retry_after`: whole seconds (at least 1) until a retry gets the first answer or,
    if its request died, may take the key over."""

    code = "idempotency_key_in_use"

    def __init__(self, message: str, *, retry_after: int = 1) -> None:
        super().__init__(message, field="Idempotency-Key")
        self.retry_after = max(1, retry_after)


class IdempotencyKeyReused(DomainError):
    """An `Idempotency-Key` came back with a different request: another method, path or body
    (issue 5: 422 `idempotency_key_reused`). `field` names the header."""

    code = "idempotency_key_reused"
    field = "Idempotency-Key"


class AlreadyBooked(DomainError):
    """The booking token was used before: `appointment_id` names the appointment it booked. Not
    a failure to show as one; the portal shows that appointment ("Already booked")."""

    code = "already_booked"

    def __init__(self, appointment_id: uuid.UUID) -> None:
        super().__init__(msg("Already booked."))
        self.appointment_id = appointment_id
