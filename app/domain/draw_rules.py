"""Attendance rules: when a blood draw may be recorded, and when a patient counts as absent.

A draw is irreversible, so it may be recorded only on the appointment's own local day, from the
location's `early_arrival_minutes` before its start (CONTRACT.md, `POST /appointments/{id}/confirm`:
409 outside the draw window); "did not attend" only once the appointment has begun.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.domain.errors import Conflict, ValidationError
from app.domain.messages import Message, msg
from app.domain.models import Appointment

# The minutes before its start that a patient may arrive and have blood drawn, at a location
# that sets nothing else; and the most a location may set (the window never leaves the day).
DEFAULT_EARLY_ARRIVAL_MINUTES = 60
MAX_EARLY_ARRIVAL_MINUTES = 720


class CancelReason(enum.StrEnum):
    """Why the front desk cancels an appointment; the status history records its words."""

    PATIENT_CANCELLED = "patient_cancelled"
    NO_SHOW = "no_show"
    LOCATION_CLOSED = "location_closed"
    OTHER = "other"


# What the status history records for each reason, in the order the desk offers them.
CANCEL_REASON_WORDS: dict[CancelReason, Message] = {
    CancelReason.PATIENT_CANCELLED: msg("Patient cancelled"),
    CancelReason.NO_SHOW: msg("Patient did not attend"),
    CancelReason.LOCATION_CLOSED: msg("Location closed"),
    CancelReason.OTHER: msg("Other"),
}


@dataclass(frozen=True)
class DrawWindow:
    """The instants (aware, UTC) between which an appointment's blood draw may be recorded:
    from `opens` (inclusive) to `closes`, the end of the appointment's local day (exclusive)."""

    opens: datetime
    closes: datetime

    def is_open(self, now: datetime) -> bool:
        """Answer whether a draw recorded at `now` (aware) falls within the window."""
        return self.opens <= now < self.closes


def parse_early_arrival_minutes(value: object, field: str = "early_arrival_minutes") -> int:
    """A location's early-arrival minutes: a whole number from 0 to 720. Raises
    ValidationError(field) otherwise."""
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not 0 <= value <= MAX_EARLY_ARRIVAL_MINUTES
    ):
        raise ValidationError(
            field,
            msg(
                "The early arrival must be a whole number of minutes from 0 to %(most)d.",
                most=MAX_EARLY_ARRIVAL_MINUTES,
            ),
        )
    return value


def draw_window(scheduled_at: datetime, zone_name: str, early_arrival_minutes: int) -> DrawWindow:
    """The draw window of an appointment starting at `scheduled_at` (aware) at a location in
    the IANA zone `zone_name`: from `early_arrival_minutes` of elapsed time before the start, but
    not before the local day's first instant, to the next local day's first instant. On a day
    the clocks change, the minutes are real minutes and the day has 23 or 25 hours."""
    zone = ZoneInfo(zone_name)
    day = scheduled_at.astimezone(zone).date()
    # A local midnight skipped by a clock change resolves to the instant the day begins.
    day_begins = datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
    next_day_begins = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    opens = max(scheduled_at.astimezone(UTC) - timedelta(minutes=early_arrival_minutes), day_begins)
    return DrawWindow(opens=opens, closes=next_day_begins.astimezone(UTC))


def appointment_draw_window(appointment: Appointment) -> DrawWindow:
    """`draw_window` of `appointment` at its location (its `location` loaded)."""
    location = appointment.location
    return draw_window(appointment.scheduled_at, location.timezone, location.early_arrival_minutes)


def draw_window_refusal(appointment: Appointment, *, now: datetime) -> Message | None:
    """None while `now` lies in the appointment's draw window; otherwise what a refusal says:
    from when the draw can be recorded, or that its day is over, in the location's local time."""
    window = appointment_draw_window(appointment)
    if window.is_open(now):
        return None
    zone = ZoneInfo(appointment.location.timezone)
    start = appointment.scheduled_at.astimezone(zone)
    if now < window.opens:
        opens = window.opens.astimezone(zone)
        return msg(
            "It is too early to record the blood draw of the appointment on %(day)s at "
            "%(start)s: it can be recorded from %(time)s on %(opens_day)s (%(zone)s time).",
            day=start.date(),
            start=start.time(),
            time=opens.time(),
            opens_day=opens.date(),
            zone=zone.key,
        )
    return msg(
        "The day of the appointment on %(day)s at %(start)s is over (%(zone)s time): its blood "
        "draw can no longer be recorded. Cancel it, or book a new appointment.",
        day=start.date(),
        start=start.time(),
        zone=zone.key,
    )


def ensure_draw_window(appointment: Appointment, *, now: datetime) -> None:
    """Raise Conflict (contract: 409) with `draw_window_refusal`'s message unless `now` lies in
    the appointment's draw window."""
    refusal = draw_window_refusal(appointment, now=now)
    if refusal is not None:
        raise Conflict(refusal)


def ensure_cancel_reason(
    reason: CancelReason | None, appointment: Appointment, *, now: datetime
) -> None:
    """Raise Conflict(field "reason") for "did not attend" (`NO_SHOW`) before the appointment's
    start: until then the patient may still come."""
    if reason is not CancelReason.NO_SHOW or now >= appointment.scheduled_at:
        return
    start = appointment.scheduled_at.astimezone(ZoneInfo(appointment.location.timezone))
    raise Conflict(
        msg(
            "The patient can be recorded as not attending only once the appointment has begun, "
            "at %(time)s on %(day)s.",
            time=start.time(),
            day=start.date(),
        ),
        field="reason",
    )
