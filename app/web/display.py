"""Template filters that show instants in a location's local time and statuses as words."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from flask import Flask

from app.domain.models import AppointmentStatus
from app.domain.rules import format_local, format_utc
from app.web.fields import focus_first_error

STATUS_LABELS = {
    AppointmentStatus.PENDING: "Pending",
    AppointmentStatus.CONFIRMED: "Confirmed",
    AppointmentStatus.BLOOD_DRAWN: "Blood drawn",
    AppointmentStatus.CANCELLED: "Cancelled",
}


def utc_offset(at: datetime, zone_name: str) -> str:
    """The zone's offset at `at`, as `UTC+01:00`."""
    return "UTC" + format_local(at, zone_name)[-6:]


def local_time(at: datetime, zone_name: str) -> str:
    """`Mon 23 Nov 2026, 10:30 (Europe/Berlin, UTC+01:00)`: the local time with its zone named."""
    local = at.astimezone(ZoneInfo(zone_name))
    return f"{local:%a %d %b %Y, %H:%M} ({zone_name}, {utc_offset(at, zone_name)})"


def local_clock(at: datetime, zone_name: str) -> str:
    """`10:30 (UTC+01:00)`: the local time of day with the offset, for a one-day list."""
    return f"{at.astimezone(ZoneInfo(zone_name)):%H:%M} ({utc_offset(at, zone_name)})"


def wall_clock(at: datetime, zone_name: str) -> str:
    """`10:30`: the local time of day alone, where the zone is named nearby (a slot list)."""
    return f"{at.astimezone(ZoneInfo(zone_name)):%H:%M}"


def day_and_clock(at: datetime, zone_name: str) -> str:
    """`Mon 23 Nov 2026, 10:30`: local date and time, where the zone is named nearby."""
    return f"{at.astimezone(ZoneInfo(zone_name)):%a %d %b %Y, %H:%M}"


def day_label(day: date) -> str:
    """`Mon 23 Nov 2026`: a calendar date as the slot picker names it."""
    return f"{day:%a %d %b %Y}"


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
        return STATUS_LABELS[AppointmentStatus(status)]
    except ValueError:
        return status


def init_display(app: Flask) -> None:
    """Register the filters with the app's Jinja environment."""
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(local_clock, "local_clock")
    app.add_template_filter(wall_clock, "wall_clock")
    app.add_template_filter(day_and_clock, "day_and_clock")
    app.add_template_filter(day_label, "day_label")
    app.add_template_filter(day_zone, "day_zone")
    app.add_template_filter(zone_label, "zone_label")
    app.add_template_filter(format_local, "iso_local")
    app.add_template_filter(format_utc, "iso_utc")
    app.add_template_filter(status_label, "status_label")
    app.add_template_global(focus_first_error, "focus_first_error")
