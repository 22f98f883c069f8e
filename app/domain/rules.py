"""Pure rule functions: `parse_*` convert or raise, `ensure_*` raise, `is_*` answer."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.domain.errors import Conflict, InvalidId, ValidationError
from app.domain.models import AppointmentStatus

# Contract, "Datetimes": ISO 8601 with `Z` or `+HH:MM`/`-HH:MM` (RFC 3339's profile of it).
_INSTANT = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(?P<zone>[Zz]|[+-]\d{2}:\d{2})?$"
)
_BARCODE = re.compile(r"^[0-9]{6,32}$")
# UTC offsets stay within a day, so instants a day inside `datetime`'s range exist in every zone.
_EARLIEST_INSTANT = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
_LATEST_INSTANT = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)

# The status machine: which statuses each transition may start from.
CANCELLABLE = (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED)
CHANGEABLE = (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED)
CONFIRMABLE = (AppointmentStatus.PENDING,)
DRAWABLE = (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED)


def parse_instant(value: object, field: str = "scheduled_at") -> datetime:
    """Parse an ISO 8601 instant that carries `Z` or an offset; return it as an aware UTC datetime.

    Raises ValidationError(field) for a non-string, a malformed value, a naive one (contract,
    "Datetimes": a value without a zone designator is ambiguous and refused), or one within a day
    of the ends of the years 1 to 9999, which some zones' local time cannot show.
    """
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(field, f"{field} must be an ISO 8601 date-time string.")
    match = _INSTANT.match(value.strip())
    if match is None:
        raise ValidationError(
            field, f"{field} is not an ISO 8601 date-time such as 2026-05-15T10:30:00Z."
        )
    if match.group("zone") is None:
        raise ValidationError(
            field,
            f"{field} has no time zone: add Z or an offset such as +02:00.",
        )
    try:
        at = datetime.fromisoformat(value.strip().upper().replace("Z", "+00:00")).astimezone(UTC)
    except (ValueError, OverflowError):  # found by fuzzing: year 1 with an offset east of UTC
        at = None
    # The instant must also exist in every zone's local time, which the slot rules read (an
    # instant at the end of year 9999 overflowed there).
    if at is None or not _EARLIEST_INSTANT <= at <= _LATEST_INSTANT:
        raise ValidationError(field, f"{field} is not a valid date and time.")
    return at


def ensure_aware(at: datetime, field: str = "scheduled_at") -> None:
    """Raise ValidationError(field) if `at` is a naive datetime."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValidationError(field, f"{field} has no time zone.")


def ensure_future(at: datetime, *, now: datetime, field: str = "scheduled_at") -> None:
    """Raise ValidationError(field) unless `at` is strictly after `now` (both aware)."""
    ensure_aware(at, field)
    if at <= now:
        raise ValidationError(field, f"{field} is in the past: choose a time after now.")


def parse_uuid(value: object, field: str = "id") -> uuid.UUID:
    """Parse a UUID given as a string; raise ValidationError(field) otherwise."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        raise ValidationError(field, f"{field} is not a valid UUID.") from None


def parse_path_id(value: str, field: str = "id") -> uuid.UUID:
    """Parse an id taken from a URL path; raise InvalidId (contract: 400 `invalid_id`)."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise InvalidId(field, f"{field} '{value[:64]}' is not a valid UUID.") from None


def parse_zone(name: str, field: str = "timezone") -> ZoneInfo:
    """Return the IANA zone `name`; raise ValidationError(field) if it is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(field, f"{name!r} is not an IANA time zone.") from None


def wall_clock_instants(day: date, at: time, zone: ZoneInfo) -> list[datetime]:
    """The UTC instants a local wall time names on `day`, in time order: none when daylight
    saving time skips it, two when the clocks going back repeat it, else one."""
    naive = datetime.combine(day, at.replace(tzinfo=None))
    instants = set()
    for fold in (0, 1):
        local = naive.replace(tzinfo=zone, fold=fold)
        if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive:
            instants.add(local.astimezone(UTC))
    return sorted(instants)


def parse_local_time(day: date, at: time, zone_name: str, field: str = "scheduled_at") -> datetime:
    """Turn a wall-clock date and time at a location into an aware UTC instant.

    Raises ValidationError(field) when the wall time does not exist (the hour skipped when daylight
    saving time starts) or exists twice (the hour repeated when it ends), naming the zone.
    """
    instants = wall_clock_instants(day, at, parse_zone(zone_name))
    if not instants:
        raise ValidationError(
            field,
            f"{at:%H:%M} does not exist on {day:%Y-%m-%d} in {zone_name}: "
            "the clocks skip it for daylight saving time. Choose another time.",
        )
    if len(instants) > 1:
        raise ValidationError(
            field,
            f"{at:%H:%M} happens twice on {day:%Y-%m-%d} in {zone_name} as the clocks go back. "
            "Choose a time outside that hour.",
        )
    return instants[0]


def format_local(at: datetime, zone_name: str) -> str:
    """ISO 8601 with the location's own offset, seconds precision: `2026-05-15T12:30:00+02:00`."""
    return at.astimezone(ZoneInfo(zone_name)).isoformat(timespec="seconds")


def format_utc(at: datetime) -> str:
    """ISO 8601 in UTC with `Z`, seconds precision: `2026-05-15T10:30:00Z`."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_barcode(value: object, field: str = "barcode") -> str:
    """Return a sample barcode: 6 to 32 digits. Raise ValidationError(field) otherwise."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(field, "barcode is required.")
    if not _BARCODE.match(value.strip()):
        raise ValidationError(field, "barcode must be 6 to 32 digits, with nothing else.")
    return value.strip()


def ensure_status(current: str, allowed: tuple[AppointmentStatus, ...], action: str) -> None:
    """Raise Conflict unless an appointment in `current` status may undergo `action`."""
    if current not in allowed:
        raise Conflict(f"Cannot {action} an appointment that is {current.replace('_', ' ')}.")
