"""Template filters that show instants in a location's local time and statuses as words."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask

from app.domain.models import AppointmentStatus
from app.domain.rules import format_local

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
    app.add_template_filter(format_local, "iso_local")
    app.add_template_filter(status_label, "status_label")
