"""An appointment as an iCalendar file (RFC 5545, written by `icalendar`) for the patient's own
calendar: one event in the test location's time zone, with that zone's VTIMEZONE."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from flask_babel import gettext
from flask_login import login_required
from icalendar import Calendar, Event
from werkzeug.wrappers import Response

from app.clock import now
from app.db import get_session
from app.domain.appointments import get_appointment
from app.domain.models import Appointment, AppointmentStatus
from app.web.booking_display import address_lines, fasting_note
from app.web.users import current_actor

PRODID = "-//Vena//Blood-draw booking//EN"
EVENT_STATUS = {
    AppointmentStatus.PENDING: "TENTATIVE",
    AppointmentStatus.CONFIRMED: "CONFIRMED",
    AppointmentStatus.BLOOD_DRAWN: "CONFIRMED",
    AppointmentStatus.CANCELLED: "CANCELLED",
}
# The VTIMEZONE covers a year either side of the event: enough for any calendar to place it.
ZONE_MARGIN = timedelta(days=366)


def appointment_uid(appointment_id: uuid.UUID) -> str:
    """The event's UID, `<appointment id>@<CALENDAR_UID_DOMAIN setting>`: the same for every
    download of the appointment, so a calendar updates the one event."""
    return f"{appointment_id}@{current_app.config['CALENDAR_UID_DOMAIN']}"


def _description(appointment: Appointment, page_url: str) -> str:
    panels = [item.panel for item in appointment.panels]
    names = ", ".join(panel.name for panel in panels) or gettext("none ordered yet")
    lines = [gettext("Panels: %(names)s", names=names)]
    if fasting := fasting_note(panels):
        lines.append(fasting)
    if appointment.location.contact_phone:
        phone = appointment.location.contact_phone
        lines.append(gettext("Test location phone: %(phone)s", phone=phone))
    lines.append(gettext("Appointment page: %(url)s", url=page_url))
    return "\n".join(lines)


def appointment_calendar(appointment: Appointment, *, now: datetime, page_url: str) -> Calendar:
    """A calendar holding the appointment as one event: its slot in the location's zone (TZID,
    with a VTIMEZONE), the slot's duration, the address, the panels and fasting instruction,
    and a STATUS from the appointment's; SEQUENCE grows with each status history entry, so a
    later download (rescheduled, cancelled) replaces an earlier one."""
    location = appointment.location
    zone = ZoneInfo(location.timezone)
    start = appointment.scheduled_at.astimezone(zone)
    # Exact time arithmetic in UTC, then local: a slot may straddle a change of the clocks.
    end = (appointment.scheduled_at + timedelta(minutes=location.slot_duration_minutes)).astimezone(
        zone
    )
    event = Event()
    event.add("uid", appointment_uid(appointment.id))
    event.add("dtstamp", now.astimezone(UTC))
    event.add("sequence", max(len(appointment.status_history) - 1, 0))
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", gettext("Blood draw at %(location)s", location=location.name))
    event.add("location", ", ".join(address_lines(location)))
    event.add("description", _description(appointment, page_url))
    event.add("status", EVENT_STATUS[AppointmentStatus(appointment.status)])
    event.add("url", page_url)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones(
        first_date=start.date() - ZONE_MARGIN, last_date=start.date() + ZONE_MARGIN
    )
    return calendar


@login_required
def download_calendar(appointment_id: uuid.UUID) -> Response:
    """The appointment's .ics file, for whoever may read the appointment (the domain decides)."""
    appointment = get_appointment(get_session(), appointment_id, actor=current_actor())
    page_url = url_for("booking.appointment_detail", appointment_id=appointment.id, _external=True)
    calendar = appointment_calendar(appointment, now=now(), page_url=page_url)
    day = appointment.scheduled_at.astimezone(ZoneInfo(appointment.location.timezone)).date()
    return Response(
        calendar.to_ical(),
        content_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="vena-appointment-{day.isoformat()}.ics"',
            "Cache-Control": "no-store",
        },
    )
