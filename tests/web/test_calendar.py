"""An appointment's calendar file: one RFC 5545 event in the test location's time zone, parsed
back with icalendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from tests.conftest import NOW
from tests.factories import make_appointment, make_panel, random_id
from tests.web.conftest import login, submit_form

FASTING = "Fasting: no food after 20:00 the evening before; water is fine."


def _download(client, appointment):
    response = client.get(f"/appointments/{appointment.id}/calendar.ics")
    assert response.status_code == 200
    return response


def _event(response):
    """The calendar's only event, and the calendar."""
    calendar = Calendar.from_ical(response.get_data())
    [event] = calendar.walk("VEVENT")
    return event, calendar


def test_the_download_is_an_ics_attachment_that_is_not_cached(client, session, world):
    appointment = make_appointment(session, world.profile, world.berlin)
    login(client, world.coordinator)
    response = _download(client, appointment)
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="vena-appointment-2026-11-23.ics"'
    )
    assert response.headers["Cache-Control"] == "no-store"


def test_the_event_is_the_slot_in_the_locations_zone_with_its_vtimezone(client, session, world):
    appointment = make_appointment(session, world.profile, world.berlin, panels=[world.panel])
    login(client, world.coordinator)
    event, calendar = _event(_download(client, appointment))
    assert calendar["VERSION"] == "2.0"
    assert event["UID"] == f"{appointment.id}@vena.example.com"
    assert event.decoded("DTSTAMP") == NOW
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    berlin = ZoneInfo("Europe/Berlin")
    assert event.decoded("DTSTART") == datetime(2026, 11, 23, 10, 30, tzinfo=berlin)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=10)
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert event["SUMMARY"] == "Blood draw at Vena Berlin Mitte"
    assert event["LOCATION"] == "Friedrichstraße 68, 10117 Berlin, Germany"
    assert event["STATUS"] == "CONFIRMED"
    assert str(event["DESCRIPTION"]).splitlines() == [
        "Panels: Lipid panel",
        f"Appointment page: http://localhost/appointments/{appointment.id}",
    ]


def test_the_file_holds_no_patient_details(client, session, world):
    appointment = make_appointment(session, world.profile, world.berlin)
    login(client, world.coordinator)
    text = _download(client, appointment).get_data(as_text=True)
    for detail in ("Anna", "Schmidt", "1985", str(world.profile.id)):
        assert detail not in text


def test_the_fasting_instruction_is_in_the_description_when_a_panel_needs_it(
    client, session, world
):
    fasting = make_panel(session, "Fasting glucose", requires_fasting=True)
    appointment = make_appointment(session, world.profile, world.berlin, panels=[fasting])
    login(client, world.coordinator)
    event, _calendar = _event(_download(client, appointment))
    assert str(event["DESCRIPTION"]).splitlines()[:2] == ["Panels: Fasting glucose", FASTING]


@pytest.mark.parametrize(
    ("zone", "at", "local", "offset"),
    [
        ("Europe/Berlin", datetime(2027, 3, 26, 9, 30, tzinfo=UTC), (3, 26, 10, 30), 1),
        ("Europe/Berlin", datetime(2027, 3, 29, 8, 30, tzinfo=UTC), (3, 29, 10, 30), 2),
        ("America/New_York", datetime(2027, 3, 12, 15, 0, tzinfo=UTC), (3, 12, 10, 0), -5),
        ("America/New_York", datetime(2027, 3, 15, 14, 0, tzinfo=UTC), (3, 15, 10, 0), -4),
    ],
)
def test_times_stay_right_on_both_sides_of_a_change_of_the_clocks(
    client, session, world, zone, at, local, offset
):
    location = world.berlin if zone == "Europe/Berlin" else world.new_york
    appointment = make_appointment(session, world.profile, location, scheduled_at=at)
    login(client, world.coordinator)
    event, calendar = _event(_download(client, appointment))
    start = event.decoded("DTSTART")
    assert (start.month, start.day, start.hour, start.minute) == local
    assert event["DTSTART"].params["TZID"] == zone
    assert start == at
    # The VTIMEZONE written into the file, read on its own, gives the same offset.
    [vtimezone] = calendar.walk("VTIMEZONE")
    own_zone = vtimezone.to_tz(lookup_tzid=False)
    assert start.replace(tzinfo=own_zone).utcoffset() == timedelta(hours=offset)


@pytest.mark.parametrize(
    ("status", "event_status"),
    [("pending", "TENTATIVE"), ("confirmed", "CONFIRMED"), ("cancelled", "CANCELLED")],
)
def test_the_event_status_follows_the_appointments(client, session, world, status, event_status):
    appointment = make_appointment(session, world.profile, world.berlin, status=status)
    login(client, world.coordinator)
    event, _calendar = _event(_download(client, appointment))
    assert event["STATUS"] == event_status


def test_a_cancellation_replaces_the_event_downloaded_before(client, session, world):
    appointment = make_appointment(session, world.profile, world.berlin)
    login(client, world.coordinator)
    before, _calendar = _event(_download(client, appointment))
    assert submit_form(client, f"/appointments/{appointment.id}/cancel", {}).status_code == 302
    after, _calendar = _event(_download(client, appointment))
    assert after["UID"] == before["UID"]
    assert (after["STATUS"], after.decoded("SEQUENCE")) == ("CANCELLED", 1)
    assert before.decoded("SEQUENCE") == 0


def test_only_those_who_may_read_the_appointment_get_its_file(client, session, world):
    appointment = make_appointment(session, world.other_profile, world.berlin)
    url = f"/appointments/{appointment.id}/calendar.ics"
    assert client.get(url).status_code == 302  # to the sign-in page
    login(client, world.coordinator)
    assert client.get(url).status_code == 403
    assert client.get(f"/appointments/{random_id()}/calendar.ics").status_code == 404
    login(client, world.other_coordinator)
    assert client.get(url).status_code == 200


def test_the_uid_carries_the_operators_calendar_domain(app, client, session, world):
    app.config["CALENDAR_UID_DOMAIN"] = "clinic.example.org"
    appointment = make_appointment(session, world.profile, world.berlin)
    login(client, world.coordinator)
    event, _calendar = _event(_download(client, appointment))
    assert event["UID"] == f"{appointment.id}@clinic.example.org"
