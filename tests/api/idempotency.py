"""Helpers for the Idempotency-Key tests: sending a key, counting rows, seeding a claim."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from app.domain.idempotency import Claim, StoredResponse, claim_key, fingerprint
from app.domain.idempotency_models import IdempotencyKey
from app.domain.models import Appointment, Organisation, Profile
from tests.api.conftest import Api

KEY = "8e03978e-40d5-43e8-bc93-6894a57f9324"
DAY = timedelta(hours=24)  # IDEMPOTENCY_KEY_TTL_HOURS, by default
# A claim is taken over after WORKER_TIMEOUT_SECONDS (30 by default) plus a 5 s margin.
TIMEOUT = timedelta(seconds=35)
NEW_PROFILE = {
    "first_name": "Lena",
    "last_name": "Fischer",
    "sex": 2,
    "date_of_birth": "1990-03-14",
}


def send(api: Api, method: str, path: str, key: str, **kwargs: Any) -> TestResponse:
    """`method` on `/api/v1{path}` with the client's API key and `Idempotency-Key: key`."""
    headers = {"Idempotency-Key": key}
    if api.key is not None:
        headers["x-api-key"] = api.key
    return api.client.open("/api/v1" + path, method=method, headers=headers, **kwargs)


def count(session: Session, model: type[Appointment | Profile | IdempotencyKey]) -> int:
    """How many rows of `model` the database holds now."""
    session.rollback()  # end this session's snapshot, to see what the requests committed
    return session.scalar(select(func.count()).select_from(model)) or 0


def claim_for(
    session: Session, org: Organisation, body: dict[str, Any], *, at: datetime, key: str = KEY
) -> Claim:
    """Claim `key` for `POST /appointments` with `body` at instant `at`, as a request that is
    still running (or whose process died) would have left it."""
    request_fingerprint = fingerprint("POST", "/api/v1/appointments", {}, body)
    claim = claim_key(
        session, org.id, key, request_fingerprint, now=at, ttl=DAY, claim_timeout=TIMEOUT
    )
    assert not isinstance(claim, StoredResponse)
    return claim
