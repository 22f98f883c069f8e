"""Template filters: instants in a location's local time; statuses and history details as words."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any, Literal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_skeleton, get_day_names
from flask import Flask
from flask_babel import get_locale, gettext, lazy_gettext, ngettext

from app.domain.history_details import PANELS_ADDED, PanelChange, Place, read_details
from app.domain.messages import Message
from app.domain.models import AppointmentStatus
from app.domain.rules import STATUS_WORDS, format_local, format_utc
from app.domain.slots import WEEKDAYS
from app.web.fields import focus_first_error

STATUS_LABELS = {
    AppointmentStatus.PENDING: lazy_gettext("Pending"),
    AppointmentStatus.CONFIRMED: lazy_gettext("Confirmed"),
    AppointmentStatus.BLOOD_DRAWN: lazy_gettext("Blood drawn"),
    AppointmentStatus.CANCELLED: lazy_gettext("Cancelled"),
}
# How a date is written: in English the strftime pattern, exactly as before Babel came; in the
# other languages Babel's (CLDR) format, a width or a skeleton, such as `Mo., 23. Nov. 2026`.
DATE_STYLES = {
    "day": ("%a %d %b %Y", "yMMMEd"),  # Mon 23 Nov 2026
    "short_day": ("%a %d %b", "MMMEd"),  # Mon 23 Nov
    "date": ("%d %b %Y", "yMMMd"),  # 23 Nov 2026
    "long_date": ("%d %B %Y", "long"),  # 23 November 2026
    "full_day": ("%A %d %B %Y", "full"),  # Monday 23 November 2026
}
CLDR_WIDTHS = ("short", "medium", "long", "full")


def translated_locale() -> Locale | None:
    """The request's locale unless it is English (or there is no request), whose dates keep
    their strftime forms."""
    locale = get_locale()
    return locale if locale is not None and locale.language != "en" else None


def date_text(day: date, style: str = "day") -> str:
    """`day` written in one of the DATE_STYLES, in the request's language."""
    english, babel_format = DATE_STYLES[style]
    locale = translated_locale()
    if locale is None:
        return format(day, english)
    if babel_format in CLDR_WIDTHS:
        return format_date(day, babel_format, locale=locale)
    return format_skeleton(babel_format, day, locale=locale)


def weekday_name(weekday: str, width: Literal["wide", "abbreviated"] = "wide") -> str:
    """A weekday of the schedules (`monday`) as `Monday`, or `Mon` when `width` is
    `abbreviated`, in the request's language."""
    locale = translated_locale()
    if locale is None:
        return weekday.capitalize() if width == "wide" else weekday[:3].capitalize()
    return str(get_day_names(width, locale=locale)[WEEKDAYS.index(weekday)])


def utc_offset(at: datetime, zone_name: str) -> str:
    """The zone's offset at `at`, as `UTC+01:00`."""
    return "UTC" + format_local(at, zone_name)[-6:]


def local_time(at: datetime, zone_name: str) -> str:
    """`Mon 23 Nov 2026, 10:30 (Europe/Berlin, UTC+01:00)`: the local time with its zone named."""
    local = at.astimezone(ZoneInfo(zone_name))
    return f"{date_text(local.date())}, {local:%H:%M} ({zone_name}, {utc_offset(at, zone_name)})"


def local_clock(at: datetime, zone_name: str) -> str:
    """`10:30 (UTC+01:00)`: the local time of day with the offset, for a one-day list."""
    return f"{at.astimezone(ZoneInfo(zone_name)):%H:%M} ({utc_offset(at, zone_name)})"


def wall_clock(at: datetime, zone_name: str) -> str:
    """`10:30`: the local time of day alone, where the zone is named nearby (a slot list)."""
    return f"{at.astimezone(ZoneInfo(zone_name)):%H:%M}"


def day_and_clock(at: datetime, zone_name: str) -> str:
    """`Mon 23 Nov 2026, 10:30`: local date and time, where the zone is named nearby."""
    local = at.astimezone(ZoneInfo(zone_name))
    return f"{date_text(local.date())}, {local:%H:%M}"


def day_label(day: date) -> str:
    """`Mon 23 Nov 2026`: a calendar date as the slot picker names it."""
    return date_text(day)


def zone_label(at: datetime, zone_name: str) -> str:
    """`Europe/Berlin, UTC+01:00`: the zone and its offset at `at`."""
    return f"{zone_name}, {utc_offset(at, zone_name)}"


def day_zone(day: date, zone_name: str) -> str:
    """`Europe/Berlin, UTC+01:00`: the zone and its offset at noon on `day` there (slots are in
    opening hours, and the clocks change at night)."""
    return zone_label(datetime.combine(day, time(12), tzinfo=ZoneInfo(zone_name)), zone_name)


def status_label(status: str) -> str:
    """The status as words a person reads (`blood_drawn` -> `Blood drawn`)."""
    try:
        return str(STATUS_LABELS[AppointmentStatus(status)])
    except ValueError:
        return status


def status_word(status: str) -> str:
    """The status as a word inside a sentence (`blood drawn`), in the request's language: the
    domain's STATUS_WORDS, the words its refusals use."""
    try:
        return message_text(STATUS_WORDS[AppointmentStatus(status)])
    except ValueError:
        return status


def message_text(text: str) -> str:
    """`text` in the request's language. A domain message (`app.domain.messages.Message`) is
    looked up in the catalogue by its template, with its parameters written in that language:
    dates by `date_text`, times as `10:30`, nested messages in turn. Other text (a form's own
    message, already translated) is returned as it is."""
    if not isinstance(text, Message):
        return text
    params = {name: _parameter_text(value) for name, value in text.params.items()}
    if text.plural is not None and text.number is not None:
        params.pop("num")  # ngettext passes the count as `num` itself
        return ngettext(text.template, text.plural, text.number, **params)
    return gettext(text.template, **params) if params else gettext(text.template)


def _parameter_text(value: object) -> object:
    if isinstance(value, Message):
        return message_text(value)
    if isinstance(value, datetime):
        raise TypeError("a message's parameters are local dates and times, not instants")
    if isinstance(value, date):
        return date_text(value)
    if isinstance(value, time):
        return f"{value:%H:%M}"
    return value


def recorded_text(text: str | None) -> str:
    """Words the domain recorded in English, such as a status history's reason (`Booked`,
    `Patient did not attend`): in the page's language when the catalogue has them, else as
    recorded (a reason typed by a person)."""
    return gettext(text) if text else ""


def history_details(details: Mapping[str, Any] | None, zone_name: str) -> str:
    """What a status-history entry's `details` did, as a sentence in the request's language:
    `Moved from Mon 07 Dec 09:00 to Tue 08 Dec 10:30 at Vena München` (each time local to its
    own location, with that location's zone named when it is not `zone_name`, the page's), or
    `Panels added: Lipid panel`; empty for an entry without details."""
    change = read_details(details)
    if isinstance(change, PanelChange):
        names = ", ".join(name for _panel_id, name in change.panels)
        if change.key == PANELS_ADDED:
            return gettext("Panels added: %(names)s", names=names)
        return gettext("Panels removed: %(names)s", names=names)
    if change is None:
        return ""
    old, new = _place_text(change.old, zone_name), _place_text(change.new, zone_name)
    if change.old.location_id == change.new.location_id:
        return gettext(
            "Moved from %(old)s to %(new)s at %(location)s",
            old=old,
            new=new,
            location=change.new.location_name,
        )
    return gettext(
        "Moved from %(old)s at %(old_location)s to %(new)s at %(location)s",
        old=old,
        old_location=change.old.location_name,
        new=new,
        location=change.new.location_name,
    )


def _place_text(place: Place, zone_name: str) -> str:
    local = place.scheduled_at.astimezone(ZoneInfo(place.timezone))
    text = f"{date_text(local.date(), 'short_day')} {local:%H:%M}"
    return text if place.timezone == zone_name else f"{text} ({place.timezone})"


def init_display(app: Flask) -> None:
    """Register the filters with the app's Jinja environment."""
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(local_clock, "local_clock")
    app.add_template_filter(wall_clock, "wall_clock")
    app.add_template_filter(day_and_clock, "day_and_clock")
    app.add_template_filter(day_label, "day_label")
    app.add_template_filter(date_text, "date_text")
    app.add_template_filter(day_zone, "day_zone")
    app.add_template_filter(zone_label, "zone_label")
    app.add_template_filter(format_local, "iso_local")
    app.add_template_filter(format_utc, "iso_utc")
    app.add_template_filter(status_label, "status_label")
    app.add_template_filter(message_text, "message_text")
    app.add_template_filter(status_word, "status_word")
    app.add_template_filter(recorded_text, "recorded_text")
    app.add_template_filter(history_details, "history_details")
    app.add_template_global(focus_first_error, "focus_first_error")
