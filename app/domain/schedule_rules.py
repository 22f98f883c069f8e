"""Schedule rules: a test location's weekly opening hours and slot settings, parsed and checked
for the admin's schedule use cases (`schedules`); closed dates have `closure_rules`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import time

from app.domain.errors import ValidationError
from app.domain.messages import msg
from app.domain.slots import WEEKDAY_NAMES, WEEKDAYS

_CLOCK_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
# Setting -> (lowest, highest, what the message calls it, its unit).
SETTING_LIMITS: dict[str, tuple[int, int, str, str]] = {
    "slot_duration_minutes": (5, 240, msg("The slot duration"), msg("minutes")),
    "slot_interval_minutes": (5, 240, msg("The slot interval"), msg("minutes")),
    "capacity": (1, 50, msg("The capacity"), msg("chairs")),
    "minimum_notice_minutes": (0, 10080, msg("The minimum notice"), msg("minutes")),
    "booking_horizon_days": (1, 365, msg("The booking horizon"), msg("days")),
}
# Slots start on multiples of this many minutes after opening, so they read as round clock times.
INTERVAL_STEP_MINUTES = 5


@dataclass(frozen=True)
class OpeningPeriod:
    """One stretch of a day during which a location draws blood, in local wall-clock time."""

    opens: time
    closes: time


THE_TIME = msg("The time")


def _no_weekday(key: str) -> str:
    return msg("open_hours has no weekday '%(key)s': use monday to sunday.", key=key)


# Weekday name ("monday" ... "sunday") -> that day's periods in time order; () is closed.
OpenHours = Mapping[str, tuple[OpeningPeriod, ...]]


@dataclass(frozen=True)
class ScheduleChange:
    """A location's whole schedule: weekly hours in its own zone, a draw's length and the step
    between slot starts (minutes), chairs, the notice a booking needs (minutes) and how far
    ahead one may lie (days)."""

    open_hours: OpenHours
    slot_duration_minutes: int
    slot_interval_minutes: int
    capacity: int
    minimum_notice_minutes: int
    booking_horizon_days: int


def _period_label(weekday: str, index: int) -> str:
    """`Monday, period 1` for the first period (index 0) of Mondays."""
    return msg("%(day)s, period %(number)d", day=WEEKDAY_NAMES[weekday], number=index + 1)


def _clock(at: time) -> str:
    return f"{at:%H:%M}"


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def parse_clock_time(value: object, field: str, what: str = THE_TIME) -> time:
    """A local wall-clock time written `HH:MM` (24-hour clock). Raises ValidationError(field)."""
    text = value.strip() if isinstance(value, str) else value
    if not isinstance(text, str) or not _CLOCK_TIME.match(text):
        raise ValidationError(
            field,
            msg(
                "%(what)s '%(value)s' is not a time: write HH:MM on the 24-hour clock, such as "
                "07:30.",
                what=what,
                value=value,
            ),
        )
    return time.fromisoformat(text)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _day_errors(weekday: str, periods: Iterable[tuple[int, OpeningPeriod]]) -> dict[str, list[str]]:
    """Each period opens before it closes, and no two of the day's periods overlap (touching is
    fine). `periods` pairs each period with its index in the input, which names the field."""
    errors: dict[str, list[str]] = {}
    valid = []
    for index, period in periods:
        if period.closes <= period.opens:
            errors[f"open_hours.{weekday}.{index}.close"] = [
                msg(
                    "%(period)s: the closing time %(closes)s must be after the opening time "
                    "%(opens)s.",
                    period=_period_label(weekday, index),
                    closes=period.closes,
                    opens=period.opens,
                )
            ]
        else:
            valid.append((index, period))
    valid.sort(key=lambda item: item[1].opens)
    for (first_index, first), (index, period) in zip(valid, valid[1:], strict=False):
        if period.opens < first.closes:
            errors.setdefault(f"open_hours.{weekday}.{index}.open", []).append(
                msg(
                    "%(period)s (%(opens)s-%(closes)s) overlaps period %(other)d "
                    "(%(other_opens)s-%(other_closes)s): let one period end before the other "
                    "begins.",
                    period=_period_label(weekday, index),
                    opens=period.opens,
                    closes=period.closes,
                    other=first_index + 1,
                    other_opens=first.opens,
                    other_closes=first.closes,
                )
            )
    return errors


def parse_open_hours(value: object) -> dict[str, tuple[OpeningPeriod, ...]]:
    """Weekly hours as stored and sent in JSON (`{"monday": [{"open": "07:30", "close":
    "12:00"}, ...], ...}`) -> every weekday's periods, in time order; a missing day is closed.

    A period whose two times are both empty is ignored, so a form may send blank rows. Raises
    one ValidationError naming every failing input (`open_hours.monday.0.close`, ...): a time not
    HH:MM, one half of a period missing, a close not after its open, periods that overlap.
    """
    if not isinstance(value, Mapping):
        raise ValidationError(
            "open_hours", msg("open_hours must map weekdays to lists of periods.")
        )
    errors: dict[str, list[str]] = {}
    unknown = sorted(str(key) for key in value if key not in WEEKDAYS)
    if unknown:
        errors["open_hours"] = [_no_weekday(unknown[0])]
    hours: dict[str, tuple[OpeningPeriod, ...]] = {}
    for weekday in WEEKDAYS:
        raw_periods = value.get(weekday) or []
        if not isinstance(raw_periods, list | tuple):
            errors[f"open_hours.{weekday}"] = [
                msg("open_hours.%(weekday)s must be a list of periods.", weekday=weekday)
            ]
            continue
        parsed = []
        for index, raw in enumerate(raw_periods):
            period = _parse_period(weekday, index, raw, errors)
            if period is not None:
                parsed.append((index, period))
        errors.update(_day_errors(weekday, parsed))
        hours[weekday] = tuple(sorted((period for _, period in parsed), key=lambda p: p.opens))
    if errors:
        raise ValidationError.from_errors(errors)
    return hours


def _parse_period(
    weekday: str, index: int, raw: object, errors: dict[str, list[str]]
) -> OpeningPeriod | None:
    field = f"open_hours.{weekday}.{index}"
    where = _period_label(weekday, index)
    if not isinstance(raw, Mapping):
        errors[field] = [msg("%(period)s must have an open and a close time.", period=where)]
        return None
    opens, closes = raw.get("open"), raw.get("close")
    if _blank(opens) and _blank(closes):
        return None
    times: dict[str, time] = {}
    for key, missing, what in (
        (
            "open",
            msg("%(period)s: give an opening time as well, or clear the closing time."),
            msg("%(period)s: opening time"),
        ),
        (
            "close",
            msg("%(period)s: give a closing time as well, or clear the opening time."),
            msg("%(period)s: closing time"),
        ),
    ):
        if _blank(raw.get(key)):
            errors[f"{field}.{key}"] = [missing.bind(period=where)]
            continue
        try:
            times[key] = parse_clock_time(raw.get(key), f"{field}.{key}", what.bind(period=where))
        except ValidationError as error:
            errors.update(error.errors)
    if len(times) < 2:
        return None
    return OpeningPeriod(opens=times["open"], closes=times["close"])


def ensure_setting(name: str, value: object) -> None:
    """Raise ValidationError(name) unless `value` is a whole number within the setting's limits
    (`SETTING_LIMITS`); the slot interval must also be a multiple of 5 minutes."""
    low, high, subject, unit = SETTING_LIMITS[name]
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValidationError(
            name,
            msg(
                "%(subject)s must be a whole number of %(unit)s from %(low)d to %(high)d.",
                subject=subject,
                unit=unit,
                low=low,
                high=high,
            ),
        )
    if name == "slot_interval_minutes" and value % INTERVAL_STEP_MINUTES:
        raise ValidationError(
            name,
            msg(
                "%(subject)s must be a multiple of %(step)d minutes (5, 10, 15 ...), so that slots "
                "start at round clock times.",
                subject=subject,
                step=INTERVAL_STEP_MINUTES,
            ),
        )


def ensure_schedule(change: ScheduleChange) -> None:
    """Raise one ValidationError naming every rule `change` breaks: weekdays only, each period
    opening before it closes, no overlaps, each setting within its limits, and a draw of
    `slot_duration_minutes` fitting in every period (the duration may exceed the interval)."""
    errors: dict[str, list[str]] = {}
    unknown = sorted(key for key in change.open_hours if key not in WEEKDAYS)
    if unknown:
        errors["open_hours"] = [_no_weekday(unknown[0])]
    for weekday, periods in change.open_hours.items():
        errors.update(_day_errors(weekday, enumerate(periods)))
    for name in SETTING_LIMITS:
        try:
            ensure_setting(name, getattr(change, name))
        except ValidationError as error:
            errors.update(error.errors)
    if not errors:
        errors.update(_fit_errors(change))
    if errors:
        raise ValidationError.from_errors(errors)


def _fit_errors(change: ScheduleChange) -> dict[str, list[str]]:
    duration = change.slot_duration_minutes
    for weekday in WEEKDAYS:
        for period in change.open_hours.get(weekday, ()):
            if _minutes(period.closes) - _minutes(period.opens) < duration:
                message = msg(
                    "A %(minutes)d-minute draw does not fit in the opening %(opens)s-%(closes)s "
                    "on %(day)s: shorten the slot duration or lengthen that period.",
                    minutes=duration,
                    opens=period.opens,
                    closes=period.closes,
                    day=WEEKDAY_NAMES[weekday],
                )
                return {"slot_duration_minutes": [message]}
    return {}


def open_hours_json(hours: OpenHours) -> dict[str, list[dict[str, str]]]:
    """The stored (and API) form of weekly hours: every weekday, periods in time order."""
    return {
        weekday: [
            {"open": _clock(p.opens), "close": _clock(p.closes)}
            for p in sorted(hours.get(weekday, ()), key=lambda p: p.opens)
        ]
        for weekday in WEEKDAYS
    }
