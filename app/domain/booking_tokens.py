"""One-time booking tokens: a form books at most once per token, and a repeat submission of it
(a second press of "Book", Back then "Book", another tab) finds the appointment it booked."""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain.errors import AlreadyBooked, ValidationError
from app.domain.idempotency_models import BookingToken
from app.domain.messages import msg

FIELD = "booking_token"
# 32 random bytes in URL-safe base64 without padding (`secrets.token_urlsafe`) are 43 characters.
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
# A claim whose row vanished between the failed insert and the read (purged) is tried again.
_CLAIM_ROUNDS = 2
OUT_OF_DATE = msg("This page is out of date: open the review again and press Book.")


@dataclass(frozen=True)
class OneTimeToken:
    """A booking token as the signed-in user's form carried it: tokens are scoped to the user
    (`user_id`), never shared with another user or with the API's idempotency keys."""

    user_id: uuid.UUID
    token: str


def new_booking_token() -> str:
    """A fresh token for a form to carry: 32 random bytes, URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(32)


def parse_booking_token(value: str | None) -> str:
    """The token a form sent back, as `new_booking_token` made it. Raises ValidationError on
    `booking_token` when it is missing or malformed (a page from before tokens, or altered)."""
    if value is None or not _TOKEN.fullmatch(value):
        raise ValidationError(FIELD, OUT_OF_DATE)
    return value


def claim_booking_token(session: Session, once: OneTimeToken, *, now: datetime) -> None:
    """Claim `once` inside the caller's write transaction, before anything else is written.

    The primary key decides: while another transaction holds the same token uncommitted, the
    insert waits for it (PostgreSQL's unique index; SQLite's single writer). Raises
    AlreadyBooked with the appointment when the token was already used, which rolls the
    caller's transaction back so nothing more is written.
    """
    token_hash = _hash(once.token)
    for _round in range(_CLAIM_ROUNDS):
        try:
            # A savepoint: when the token exists, only this insert is undone.
            with session.begin_nested():
                session.execute(
                    insert(BookingToken).values(
                        user_id=once.user_id, token_hash=token_hash, created_at=now
                    )
                )
        except IntegrityError:
            booked = session.execute(
                select(BookingToken.appointment_id).where(
                    BookingToken.user_id == once.user_id, BookingToken.token_hash == token_hash
                )
            ).one_or_none()
            if booked is not None and booked.appointment_id is not None:
                raise AlreadyBooked(booked.appointment_id) from None
            continue
        return
    raise ValidationError(FIELD, OUT_OF_DATE)


def record_booking(session: Session, once: OneTimeToken, appointment_id: uuid.UUID) -> None:
    """Store the appointment that `once` booked, in the same transaction as its claim."""
    session.execute(
        update(BookingToken)
        .where(BookingToken.user_id == once.user_id, BookingToken.token_hash == _hash(once.token))
        .values(appointment_id=appointment_id)
        .execution_options(synchronize_session=False)
    )


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
