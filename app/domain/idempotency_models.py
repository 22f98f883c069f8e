"""Typed ORM models of the idempotency keys: the partner API's and the portal's booking tokens
(kept apart so `models` stays small)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.models import Base
from app.domain.types import UTCDateTime


class IdempotencyKey(Base):
    """An `Idempotency-Key` an organisation sent, and the first answer given for it (issue 5).

    The primary key (organisation_id, key) is the unique constraint that decides which of two
    concurrent requests claims a key: the same key from two organisations is two keys.
    `fingerprint` is the SHA-256 (hex) of the request it was first used with. While that request
    runs, `completed_at`, `status_code` and `response_body` are null; they are written in the
    same transaction as the booking, profile or blood draw. `claim_token` names the request that
    holds the key, so a request whose stale claim was taken over can no longer complete it.
    `created_at` (UTC) is when the key was claimed; the key expires a set time after it.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        CheckConstraint("(completed_at IS NULL) = (status_code IS NULL)", name="completed"),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    claim_token: Mapped[uuid.UUID]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status_code: Mapped[int | None] = mapped_column(SmallInteger)
    # none_as_null: an answer not yet stored is SQL NULL, not the JSON value `null`.
    response_body: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))


class BookingToken(Base):
    """A one-time booking token of the portal's review form, and the appointment it booked.

    The primary key (user_id, token_hash) is the unique constraint that decides between two
    submissions of one token: the token is claimed first in the booking's own transaction, so a
    second submission waits for the first to commit, then finds `appointment_id`. Only the
    token's SHA-256 (hex) is stored. `appointment_id` is null only inside that transaction.
    `created_at` (UTC) is when the token was used. A token lives as long as its appointment, so
    a review reopened from the browser's history weeks later still shows what it booked; the
    table holds at most one row per appointment booked in the portal.
    """

    __tablename__ = "booking_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    appointment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
