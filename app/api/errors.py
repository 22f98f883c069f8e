"""Maps domain errors, bad bodies and unknown routes to the contract's JSON error bodies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pydantic
from flask import Blueprint, Response, current_app, jsonify, request
from flask_limiter import RateLimitExceeded
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import (
    HTTPException,
    MethodNotAllowed,
    RequestEntityTooLarge,
    SecurityError,
)
from werkzeug.exceptions import NotFound as RouteNotFound

from app.api.limits import limited_by_key
from app.db import UNAVAILABLE_RETRY_AFTER, is_unavailable
from app.domain.errors import (
    Conflict,
    Forbidden,
    IdempotencyKeyInUse,
    IdempotencyKeyReused,
    NotFound,
    SlotUnavailable,
    ValidationError,
)
from app.ratelimit import retry_after_seconds

# Stable codes for HTTP errors raised by the framework itself (contract, "Errors").
_HTTP_CODES = {
    400: "validation_error",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


def error_response(
    status: int, message: str, code: str, details: dict[str, Any] | None = None
) -> tuple[Response, int]:
    """The contract's error body `{"error", "code", "details"?}` with `status`."""
    body: dict[str, Any] = {"error": message, "code": code}
    if details:
        body["details"] = details
    return jsonify(body), status


def _summary(details: dict[str, list[str]]) -> str:
    if len(details) == 1:
        return next(iter(details.values()))[0]
    return f"Some fields are not valid ({', '.join(details)}); see details."


def on_validation_error(error: ValidationError) -> tuple[Response, int]:
    """400 `validation_error` (or `invalid_id` for a path id), details naming every field."""
    return error_response(400, _summary(error.errors), error.code, error.errors)


def on_forbidden(_error: Forbidden) -> tuple[Response, int]:
    """403 with the contract's fixed body: the reason is not disclosed."""
    return error_response(403, "Forbidden", "forbidden")


def on_not_found(error: NotFound) -> tuple[Response, int]:
    """404 `not_found`, saying what was not found."""
    return error_response(404, error.message, error.code)


def on_conflict(error: Conflict) -> tuple[Response, int]:
    """409 `conflict`; details name the conflicting field when there is one."""
    details = {error.field: [error.message]} if error.field else None
    return error_response(409, error.message, error.code, details)


def on_slot_unavailable(error: SlotUnavailable) -> tuple[Response, int]:
    """409 `slot_unavailable`; `details.next_available` lists the next free slot starts in the
    location's offset (contract, "Availability")."""
    next_available = [at.isoformat(timespec="seconds") for at in error.next_available]
    return error_response(409, error.message, error.code, {"next_available": next_available})


def on_idempotency_key_in_use(error: IdempotencyKeyInUse) -> tuple[Response, int]:
    """409 `idempotency_key_in_use` with `Retry-After`: the seconds until a retry gets the first
    request's answer or may take its key over (RFC 9110, 10.2.3)."""
    response, status = on_conflict(error)
    response.headers["Retry-After"] = str(error.retry_after)
    return response, status


def on_idempotency_key_reused(error: IdempotencyKeyReused) -> tuple[Response, int]:
    """422 `idempotency_key_reused`: the key came with a different request; details name the
    header (issue 5)."""
    return error_response(422, error.message, error.code, {error.field: [error.message]})


def _pydantic_message(field: str, item: Any) -> str:
    kind = item["type"]
    if kind == "missing":
        return f"{field} is required."
    if kind == "json_invalid":
        return "The body is not valid JSON."
    if kind in ("model_type", "dict_type"):
        return "The body must be a JSON object."
    return f"{field}: {item['msg']}."


def on_bad_body(error: pydantic.ValidationError) -> tuple[Response, int]:
    """400 `validation_error` for a body of the wrong shape: malformed JSON, a missing field, a
    value of the wrong type. The offending values are left out of the answer and the log."""
    details: dict[str, list[str]] = {}
    for item in error.errors(include_url=False, include_input=False, include_context=False):
        field = str(item["loc"][0]) if item["loc"] else "body"
        details.setdefault(field, []).append(_pydantic_message(field, item))
    return error_response(400, _summary(details), "validation_error", details)


def on_rate_limited(error: RateLimitExceeded) -> tuple[Response, int]:
    """429 `rate_limited` (contract, "Errors") with `Retry-After` in seconds (RFC 9110); the
    message names the budget that ran out (the key's, or the address's for a request without a
    valid key), the limit, and when to try again."""
    seconds = retry_after_seconds(error)
    holder = "this API key" if limited_by_key() else "this address without a valid API key"
    wait = "1 second" if seconds == 1 else f"{seconds} seconds"
    message = (
        f"Too many requests for {holder}: the limit is {error.limit.limit}. Try again in {wait}."
    )
    response, status = error_response(429, message, "rate_limited")
    response.headers["Retry-After"] = str(seconds)
    return response, status


def on_payload_too_large(_error: RequestEntityTooLarge) -> tuple[Response, int]:
    """413 `payload_too_large` (contract, "Errors"), naming the limit (MAX_CONTENT_LENGTH)."""
    most = current_app.config["MAX_CONTENT_LENGTH"]
    message = f"The body is larger than this API takes ({most:,} bytes); send less."
    return error_response(413, message, "payload_too_large")


def on_http_error(error: HTTPException) -> tuple[Response, int]:
    """An HTTP error raised inside an API view, as JSON."""
    status = error.code or 500
    response, _ = error_response(status, error.description or "", _HTTP_CODES.get(status, "error"))
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response, status


def on_database_error(error: SQLAlchemyError) -> tuple[Response, int]:
    """503 `unavailable` with `Retry-After` when the database cannot answer (a lost connection,
    a timeout, SQLite locked: `app.db.is_unavailable`; contract, "Errors"); any other database
    error is a bug, answered as `on_unexpected` does. Only the kind of error is logged."""
    if not is_unavailable(error):
        return on_unexpected(error)
    current_app.logger.warning(
        "Database unavailable in %s %s (%s)", request.method, request.path, type(error).__name__
    )
    message = (
        f"The database is not answering; try again in {UNAVAILABLE_RETRY_AFTER} seconds. A change "
        "may have been saved or not: retry it with the same Idempotency-Key to make it once."
    )
    response, status = error_response(503, message, "unavailable")
    response.headers["Retry-After"] = str(UNAVAILABLE_RETRY_AFTER)
    return response, status


def on_unexpected(error: Exception) -> tuple[Response, int]:
    """500 `internal_error`: logged with its traceback, answered without it. Only the method and
    path are logged, never the body, which may hold patient data."""
    current_app.logger.exception("Unhandled error in %s %s", request.method, request.path)
    return error_response(
        500, "Something went wrong on our side; try again later.", "internal_error"
    )


def reject_unknown_api_route(prefix: str) -> Callable[[], tuple[Response, int] | None]:
    """A before-request hook that answers JSON for an unknown path or method under `prefix`.

    A URL that matches no rule belongs to no blueprint, so the blueprint's error handlers never see
    it, and an app-wide 404 handler belongs to the portal. Flask runs app-wide before-request hooks
    before it raises the routing error, which is the one place to answer in the API's own format.
    The same holds for a `Host` that TRUSTED_HOSTS refuses (400), which Flask finds before
    routing; its `details` name the header.
    """

    def hook() -> tuple[Response, int] | None:
        error = request.routing_exception
        path = request.path
        if not (path == prefix or path.startswith(prefix + "/")):
            return None
        if isinstance(error, RouteNotFound | MethodNotAllowed):
            return on_http_error(error)
        if isinstance(error, SecurityError):
            message = "The Host header names a host this server does not serve."
            return error_response(400, message, "validation_error", {"Host": [message]})
        return None

    return hook


def register_error_handlers(api: Blueprint) -> None:
    """Attach the API's error handlers to the blueprint."""
    api.register_error_handler(ValidationError, on_validation_error)
    api.register_error_handler(Forbidden, on_forbidden)
    api.register_error_handler(NotFound, on_not_found)
    api.register_error_handler(Conflict, on_conflict)
    api.register_error_handler(SlotUnavailable, on_slot_unavailable)
    api.register_error_handler(IdempotencyKeyInUse, on_idempotency_key_in_use)
    api.register_error_handler(IdempotencyKeyReused, on_idempotency_key_reused)
    api.register_error_handler(pydantic.ValidationError, on_bad_body)
    api.register_error_handler(RateLimitExceeded, on_rate_limited)
    api.register_error_handler(RequestEntityTooLarge, on_payload_too_large)
    api.register_error_handler(HTTPException, on_http_error)
    api.register_error_handler(SQLAlchemyError, on_database_error)
    api.register_error_handler(Exception, on_unexpected)
    api.before_app_request(reject_unknown_api_route(api.url_prefix or ""))
