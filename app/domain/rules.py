"""Pure rule functions: `parse_*` convert or raise, `ensure_*` raise, `is_*` answer."""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.domain.errors import Conflict, InvalidId, ValidationError
from app.domain.messages import Message, msg
from app.domain.models import AppointmentStatus

# Contract, "Datetimes": ISO 8601 with `Z` or `+HH:MM`/`-HH:MM` (RFC 3339's profile of it).
# An offset with seconds (`+00:53:28`) is read too: `format_local` writes one for the local mean
# time some zones kept before standard time, and what the API writes it must read back.
_INSTANT = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?"
    r"(?P<zone>[Zz]|[+-]\d{2}:\d{2}(:\d{2})?)?$"
)
_BARCODE = re.compile(r"^[0-9]{6,32}$")
# RFC 3339's full-date: `date.fromisoformat` alone also reads week dates (`2026-W47-6`).
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# RFC 9562's text form of a UUID, hyphens optional: ASCII hex digits only, never the spaces,
# underscores and other digits that `uuid.UUID` lets through (it reads the hex with `int`).
_UUID = re.compile(r"[0-9a-fA-F]{8}(-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12}")
# Characters no text input holds: controls (Unicode category Cc: NUL, the C0 and C1 sets, DEL)
# and surrogates (Cs, which UTF-8 cannot encode). A text of several lines may hold these.
_NO_TEXT_CATEGORIES = ("Cc", "Cs")
_LINE_CONTROLS = frozenset("\t\n\r")
# The line and paragraph separators break a line as a newline does (Unicode category Zl, Zp).
_LINE_SEPARATORS = frozenset("\u2028\u2029")
# UTC offsets stay within a day, so instants a day inside `datetime`'s range exist in every zone.
_EARLIEST_INSTANT = datetime.min.replace(tzinfo=UTC) + timedelta(days=1)
_LATEST_INSTANT = datetime.max.replace(tzinfo=UTC) - timedelta(days=1)

# The status machine: which statuses each transition may start from.
CANCELLABLE = (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED)
CHANGEABLE = (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED)
CONFIRMABLE = (AppointmentStatus.PENDING,)
DRAWABLE = (AppointmentStatus.PENDING, AppointmentStatus.CONFIRMED)
# The portal's front desk confirms an appointment before it records the draw; the contract lets
# a partner's key draw a pending one (DRAWABLE).
DESK_DRAWABLE = (AppointmentStatus.CONFIRMED,)

# A status in words, for messages; `ensure_status` puts it in a refusal's `%(status)s`.
STATUS_WORDS = {
    AppointmentStatus.PENDING: msg("pending"),
    AppointmentStatus.CONFIRMED: msg("confirmed"),
    AppointmentStatus.BLOOD_DRAWN: msg("blood drawn"),
    AppointmentStatus.CANCELLED: msg("cancelled"),
}
# What a refused status change says, by use case.
CANNOT_CANCEL = msg("Cannot cancel an appointment that is %(status)s.")
CANNOT_CONFIRM = msg("Cannot confirm an appointment that is %(status)s.")
CANNOT_RESCHEDULE = msg("Cannot reschedule an appointment that is %(status)s.")
CANNOT_ADD_PANELS = msg("Cannot add panels to an appointment that is %(status)s.")
CANNOT_REMOVE_PANELS = msg("Cannot remove panels from an appointment that is %(status)s.")
CANNOT_CHANGE_PANELS = msg("Cannot change the panels of an appointment that is %(status)s.")
CANNOT_DRAW = msg("Cannot record the blood draw for an appointment that is %(status)s.")


def parse_instant(value: object, field: str = "scheduled_at") -> datetime:
    """Parse an ISO 8601 instant that carries `Z` or an offset; return it as an aware UTC datetime.

    Raises ValidationError(field) for a non-string, a malformed value, a naive one (contract,
    "Datetimes": a value without a zone designator is ambiguous and refused), or one within a day
    of the ends of the years 1 to 9999, which some zones' local time cannot show.
    """
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(
            field, msg("%(field)s must be an ISO 8601 date-time string.", field=field)
        )
    match = _INSTANT.match(value.strip())
    if match is None:
        raise ValidationError(
            field,
            msg(
                "%(field)s is not an ISO 8601 date-time such as 2026-05-15T10:30:00Z.", field=field
            ),
        )
    if match.group("zone") is None:
        raise ValidationError(
            field,
            msg("%(field)s has no time zone: add Z or an offset such as +02:00.", field=field),
        )
    try:
        at = datetime.fromisoformat(value.strip().upper().replace("Z", "+00:00")).astimezone(UTC)
    except (ValueError, OverflowError):  # found by fuzzing: year 1 with an offset east of UTC
        at = None
    # The instant must also exist in every zone's local time, which the slot rules read (an
    # instant at the end of year 9999 overflowed there).
    if at is None or not _EARLIEST_INSTANT <= at <= _LATEST_INSTANT:
        raise ValidationError(field, msg("%(field)s is not a valid date and time.", field=field))
    return at


def ensure_aware(at: datetime, field: str = "scheduled_at") -> None:
    """Raise ValidationError(field) if `at` is a naive datetime."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValidationError(field, msg("%(field)s has no time zone.", field=field))


def ensure_future(at: datetime, *, now: datetime, field: str = "scheduled_at") -> None:
    """Raise ValidationError(field) unless `at` is strictly after `now` (both aware)."""
    ensure_aware(at, field)
    if at <= now:
        raise ValidationError(
            field, msg("%(field)s is in the past: choose a time after now.", field=field)
        )


def unprintable_character(value: str, *, multiline: bool = False) -> str | None:
    """The first character of `value` that no text input may hold, or None when there is none.

    Refused everywhere: control characters (Unicode category Cc: NUL, which PostgreSQL cannot
    store in text, the other C0 and C1 controls, DEL) and lone surrogates (Cs, which UTF-8
    cannot encode). A one-line value (a name, an address, a search, a path) also refuses tab and
    the line breaks (LF, CR, U+2028, U+2029); with `multiline` (a description) those are text.
    Letters and marks of every script, digits, punctuation, symbols and spaces all pass.
    """
    for char in value:
        if multiline and (char in _LINE_CONTROLS or char in _LINE_SEPARATORS):
            continue
        if unicodedata.category(char) in _NO_TEXT_CATEGORIES or char in _LINE_SEPARATORS:
            return char
    return None


def ensure_printable_text(value: str, field: str, *, multiline: bool = False) -> None:
    """Raise ValidationError(field), naming the character as `U+0000`, if `value` holds one
    that `unprintable_character` refuses (with the same `multiline`)."""
    char = unprintable_character(value, multiline=multiline)
    if char is None:
        return
    code = f"U+{ord(char):04X}"
    if multiline:
        message = msg(
            "%(field)s may not hold control characters such as %(char)s.", field=field, char=code
        )
    else:
        message = msg(
            "%(field)s may not hold control characters, tabs or line breaks (it holds %(char)s).",
            field=field,
            char=code,
        )
    raise ValidationError(field, message)


def parse_iso_day(value: str) -> date:
    """A date written `YYYY-MM-DD` (RFC 3339 full-date, ASCII digits); raises ValueError for
    any other text, or a day that does not exist."""
    if not _ISO_DAY.fullmatch(value):
        raise ValueError(value)
    return date.fromisoformat(value)


def is_uuid_text(value: str) -> bool:
    """Answer whether `value` is a UUID written as 32 hex digits, hyphens optional (RFC 9562)."""
    return _UUID.fullmatch(value) is not None


def parse_uuid(value: object, field: str = "id") -> uuid.UUID:
    """Parse a UUID given as a string of 32 hex digits (hyphens optional); raise
    ValidationError(field) otherwise."""
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str) or not is_uuid_text(value):
        raise ValidationError(field, msg("%(field)s is not a valid UUID.", field=field))
    return uuid.UUID(value)


def parse_path_id(value: str, field: str = "id") -> uuid.UUID:
    """Parse an id taken from a URL path (32 hex digits, hyphens optional); raise InvalidId
    (contract: 400 `invalid_id`) quoting the value's first 64 characters."""
    if not is_uuid_text(value):
        raise InvalidId(
            field, msg("%(field)s '%(value)s' is not a valid UUID.", field=field, value=value[:64])
        )
    return uuid.UUID(value)


def parse_zone(name: str, field: str = "timezone") -> ZoneInfo:
    """Return the IANA zone `name`; raise ValidationError(field) if it is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            field, msg("%(name)s is not an IANA time zone.", name=repr(name))
        ) from None


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
            msg(
                "%(time)s does not exist on %(day)s in %(zone)s: the clocks skip it for daylight "
                "saving time. Choose another time.",
                time=at,
                day=day,
                zone=zone_name,
            ),
        )
    if len(instants) > 1:
        raise ValidationError(
            field,
            msg(
                "%(time)s happens twice on %(day)s in %(zone)s as the clocks go back. Choose a "
                "time outside that hour.",
                time=at,
                day=day,
                zone=zone_name,
            ),
        )
    return instants[0]


def format_local(at: datetime, zone_name: str) -> str:
    """ISO 8601 with the location's own offset, seconds precision: `2026-05-15T12:30:00+02:00`."""
    return at.astimezone(ZoneInfo(zone_name)).isoformat(timespec="seconds")


def format_utc(at: datetime) -> str:
    """ISO 8601 in UTC with `Z`, seconds precision: `2026-05-15T10:30:00Z`, four-digit years
    always (strftime's `%Y` writes the year 999 as `999` on Linux)."""
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def parse_barcode(value: object, field: str = "barcode") -> str:
    """Return a sample barcode: 6 to 32 digits. Raise ValidationError(field) otherwise."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(field, msg("barcode is required."))
    if not _BARCODE.match(value.strip()):
        raise ValidationError(field, msg("barcode must be 6 to 32 digits, with nothing else."))
    return value.strip()


def ensure_status(current: str, allowed: tuple[AppointmentStatus, ...], refusal: Message) -> None:
    """Raise Conflict with `refusal` (one of the CANNOT_* messages, its `%(status)s` filled with
    the status in words) unless `current` is one of the `allowed` statuses."""
    if current not in allowed:
        raise Conflict(refusal.bind(status=STATUS_WORDS[AppointmentStatus(current)]))
