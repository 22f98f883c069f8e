"""The `Idempotency-Key` header: a retried POST, PATCH or DELETE gets its first answer again
(contract, "Caching and retries")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from flask import Response, current_app, jsonify, request

from app.api.bodies import parse_json_object
from app.clock import now
from app.config import idempotency_claim_timeout
from app.db import get_session
from app.domain.access import Actor
from app.domain.errors import Forbidden
from app.domain.idempotency import (
    HEADER,
    StoredResponse,
    claim_key,
    fingerprint,
    parse_idempotency_key,
    release_claim,
    store_response,
)
from app.domain.transactions import Recorder

T = TypeVar("T")

REPLAYED_HEADER = "Idempotent-Replayed"


def idempotency_key() -> str | None:
    """The request's `Idempotency-Key`, or None without one. Called right after the key and
    scope check; raises ValidationError naming the header (400) when it is empty or too long."""
    return parse_idempotency_key(request.headers.get(HEADER))


def answer_once(
    actor: Actor,
    key: str | None,
    run: Callable[[Recorder[T] | None], T],
    serialize: Callable[[T], dict[str, Any]],
    status: int,
) -> tuple[Response, int]:
    """Answer `serialize(run(...))` with `status`, at most once per key of the organisation.

    `run` calls the use case with the recorder it is given. Without a key, it runs as before.
    With one, the key is claimed first (`claim_key`): a replay answers the stored status and
    body with `Idempotent-Replayed: true`; otherwise the answer is serialized and stored inside
    the use case's transaction, and sent. If the use case fails, it changed nothing and the
    claim is released, so a retry runs again. Raises IdempotencyKeyReused (422),
    IdempotencyKeyInUse (409), and whatever the use case raises.
    """
    if key is None:
        return jsonify(serialize(run(None))), status
    if actor.organisation_id is None:  # every API key belongs to an organisation (contract)
        raise Forbidden()
    session = get_session()
    settings = current_app.config
    claim = claim_key(
        session,
        actor.organisation_id,
        key,
        _request_fingerprint(),
        now=now(),
        ttl=timedelta(hours=settings["IDEMPOTENCY_KEY_TTL_HOURS"]),
        claim_timeout=idempotency_claim_timeout(settings),
    )
    if isinstance(claim, StoredResponse):
        response = jsonify(claim.body)
        response.headers[REPLAYED_HEADER] = "true"
        return response, claim.status
    answers: list[dict[str, Any]] = []

    def record(result: T) -> None:
        body = serialize(result)
        store_response(session, claim, status, body, now=now())
        answers.append(body)

    try:
        run(record)
    except BaseException:
        release_claim(session, claim)
        raise
    return jsonify(answers[0]), status


def _request_fingerprint() -> str:
    """The fingerprint of this request: method, route pattern, path ids, and its JSON body
    (already checked to be an object by the view before the key is claimed); a DELETE's body is
    left out, as its content has no meaning (RFC 9110, 9.3.5) and the view ignores it."""
    rule = request.url_rule.rule if request.url_rule is not None else request.path
    path_ids = {name: str(value) for name, value in (request.view_args or {}).items()}
    body = None if request.method == "DELETE" else parse_json_object()
    return fingerprint(request.method, rule, path_ids, body)
