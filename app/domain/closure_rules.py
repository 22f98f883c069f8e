"""Rules for the dates a test location closes (`schedules.add_closed_date`): the reason, on one
line, and a day that has not passed."""

from __future__ import annotations

from datetime import date

from app.domain.errors import ValidationError
from app.domain.messages import msg
from app.domain.rules import ensure_printable_text

MAX_REASON_LENGTH = 200


def parse_closure_reason(value: object) -> str:
    """The reason a location closes on a date: 1 to 200 characters once trimmed, on one line.
    Raises ValidationError("reason"), also for a control character (`ensure_printable_text`)."""
    if isinstance(value, str):
        ensure_printable_text(value, "reason")
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise ValidationError("reason", msg("Give the reason for closing, such as Christmas Day."))
    if len(text) > MAX_REASON_LENGTH:
        raise ValidationError(
            "reason",
            msg("The reason may have at most %(most)d characters.", most=MAX_REASON_LENGTH),
        )
    return text


def ensure_closable(day: date, *, today: date) -> None:
    """Raise ValidationError("date") if `day` lies before `today` (both local dates)."""
    if day < today:
        raise ValidationError(
            "date", msg("%(day)s is in the past: choose today or a later date.", day=day)
        )
