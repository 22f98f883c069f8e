"""Idempotency keys (issue 5): claim a key, replay its first answer, store it with the change."""

from __future__ import annotations

import hashlib
import json
import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Row, delete, insert, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.errors import IdempotencyKeyInUse, IdempotencyKeyReused, ValidationError
from app.domain.idempotency_models import IdempotencyKey
from app.domain.messages import msg
from app.domain.transactions import write_transaction

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# A claim that changes under a takeover attempt is read again; after this many rounds the
# request is told the key is busy rather than looping on a key other requests keep changing.
_CLAIM_ROUNDS = 3

IN_USE = msg(
    "A request with this Idempotency-Key is still being processed; retry after the seconds in "
    "Retry-After to get its answer."
)
REUSED = msg(
    "This Idempotency-Key was already used for a different request; send a new "
    "Idempotency-Key for a new request."
)


@dataclass(frozen=True)
class Claim:
    """A key held by the running request; `token` tells this claim from a later takeover."""

    organisation_id: uuid.UUID
    key: str
    token: uuid.UUID


@dataclass(frozen=True)
class StoredResponse:
    """The first answer given for a key: its HTTP status and JSON body, to be replayed."""

    status: int
    body: dict[str, Any]


def parse_idempotency_key(value: str | None) -> str | None:
    """The `Idempotency-Key` header's value, or None when the header is absent.

    A key is 1 to 255 printable ASCII characters (issue 5; a UUID is a good key). Raises
    ValidationError naming the header (contract: 400 `validation_error`).
    """
    if value is None:
        return None
    if not value:
        raise ValidationError(HEADER, msg("%(header)s must not be empty.", header=HEADER))
    if len(value) > MAX_KEY_LENGTH:
        raise ValidationError(
            HEADER,
            msg(
                "%(header)s may hold at most %(most)d characters.",
                header=HEADER,
                most=MAX_KEY_LENGTH,
            ),
        )
    if not all(" " <= char <= "~" for char in value):
        raise ValidationError(
            HEADER, msg("%(header)s may hold only printable ASCII characters.", header=HEADER)
        )
    return value


def fingerprint(method: str, route: str, path_ids: Mapping[str, str], body: object) -> str:
    """SHA-256 (64 hex digits) of the request a key is used with: the method, the route
    pattern, the path ids and the JSON body in canonical form (keys sorted, no spaces), so the
    same body sent with other spacing or key order is the same request."""
    canonical = json.dumps(
        {"method": method.upper(), "route": route, "path": dict(path_ids), "body": body},
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def claim_key(
    session: Session,
    organisation_id: uuid.UUID,
    key: str,
    request_fingerprint: str,
    *,
    now: datetime,
    ttl: timedelta,
    claim_timeout: timedelta,
) -> Claim | StoredResponse:
    """Claim `key` for a request of `organisation_id`, in a short transaction of its own.

    The key's unique constraint decides between concurrent requests, never a lock in this
    process. A new key, or one older than `ttl` (expired), is claimed: run the use case with
    `store_response` as its recorder. A key already used with the same fingerprint gives its
    StoredResponse to replay; a claim older than `claim_timeout` that never completed (its
    process died) is taken over with a conditional UPDATE. Raises IdempotencyKeyReused when the
    key was used with another fingerprint (422), IdempotencyKeyInUse while the first request
    runs (409), saying in how many seconds the claim can be taken over if it is still open.
    """
    claim = Claim(organisation_id, key, uuid.uuid4())
    with write_transaction(session):
        for _round in range(_CLAIM_ROUNDS):
            if _insert(session, claim, request_fingerprint, now=now):
                return claim
            row = _read(session, claim)
            if row is None:  # released since the insert failed: try the insert again
                continue
            expired = row.created_at <= now - ttl
            if not expired and row.fingerprint != request_fingerprint:
                raise IdempotencyKeyReused(REUSED)
            if not expired and row.completed_at is not None:
                return StoredResponse(status=row.status_code, body=row.response_body)
            if not expired and row.created_at > now - claim_timeout:
                wait = row.created_at + claim_timeout - now
                raise IdempotencyKeyInUse(IN_USE, retry_after=math.ceil(wait.total_seconds()))
            if _take_over(session, claim, row, request_fingerprint, now=now):
                return claim
    raise IdempotencyKeyInUse(IN_USE)


def store_response(
    session: Session, claim: Claim, status: int, body: dict[str, Any], *, now: datetime
) -> None:
    """Complete `claim` with the answer (HTTP status, JSON body), inside the caller's transaction.

    Meant as the use case's recorder, so the answer commits with the change it describes. Raises
    IdempotencyKeyInUse if the claim was taken over meanwhile, which rolls the use case back:
    only the request holding the key may commit a change under it.
    """
    result = session.execute(
        update(IdempotencyKey)
        .where(_is_claim(claim), IdempotencyKey.completed_at.is_(None))
        .values(completed_at=now, status_code=status, response_body=body)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], result).rowcount == 0:
        raise IdempotencyKeyInUse(IN_USE)


def release_claim(session: Session, claim: Claim) -> None:
    """Give the key up after its request failed and changed nothing, so a retry (perhaps a
    corrected one) runs afresh; a claim taken over, or completed, is left alone."""
    with write_transaction(session):
        session.execute(
            delete(IdempotencyKey)
            .where(_is_claim(claim), IdempotencyKey.completed_at.is_(None))
            .execution_options(synchronize_session=False)
        )


def purge_expired_keys(session: Session, *, now: datetime, ttl: timedelta) -> int:
    """Delete the keys claimed `ttl` or longer before `now`; returns how many were deleted."""
    with write_transaction(session):
        result = session.execute(
            delete(IdempotencyKey)
            .where(IdempotencyKey.created_at <= now - ttl)
            .execution_options(synchronize_session=False)
        )
    return cast(CursorResult[Any], result).rowcount


def _insert(session: Session, claim: Claim, request_fingerprint: str, *, now: datetime) -> bool:
    try:
        # A savepoint: when the key exists, only this insert is undone, not the transaction.
        with session.begin_nested():
            session.execute(
                insert(IdempotencyKey).values(
                    organisation_id=claim.organisation_id,
                    key=claim.key,
                    fingerprint=request_fingerprint,
                    claim_token=claim.token,
                    created_at=now,
                )
            )
    except IntegrityError:
        return False
    return True


def _read(session: Session, claim: Claim) -> Row[Any] | None:
    return session.execute(
        select(
            IdempotencyKey.fingerprint,
            IdempotencyKey.claim_token,
            IdempotencyKey.created_at,
            IdempotencyKey.completed_at,
            IdempotencyKey.status_code,
            IdempotencyKey.response_body,
        ).where(
            IdempotencyKey.organisation_id == claim.organisation_id,
            IdempotencyKey.key == claim.key,
        )
    ).one_or_none()


def _take_over(
    session: Session, claim: Claim, row: Row[Any], request_fingerprint: str, *, now: datetime
) -> bool:
    """Compare-and-swap: replace the row only if it is still as read (same claim, still
    incomplete if it was); the row count says whether this request now holds the key."""
    unchanged = IdempotencyKey.claim_token == row.claim_token
    still_open: ColumnElement[bool] = (
        IdempotencyKey.completed_at.is_(None) if row.completed_at is None else true()
    )
    result = session.execute(
        update(IdempotencyKey)
        .where(
            IdempotencyKey.organisation_id == claim.organisation_id,
            IdempotencyKey.key == claim.key,
            unchanged,
            still_open,
        )
        .values(
            fingerprint=request_fingerprint,
            claim_token=claim.token,
            created_at=now,
            completed_at=None,
            status_code=None,
            response_body=None,
        )
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount == 1


def _is_claim(claim: Claim) -> ColumnElement[bool]:
    return (
        (IdempotencyKey.organisation_id == claim.organisation_id)
        & (IdempotencyKey.key == claim.key)
        & (IdempotencyKey.claim_token == claim.token)
    )
