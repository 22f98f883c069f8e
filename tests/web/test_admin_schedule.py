"""Admins edit a test location's schedule and closed dates in the portal; others may not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.factories import make_appointment, make_user
from tests.web.conftest import (
    alerts,
    control_by_label,
    field_errors,
    login,
    main_forms,
    soup,
    statuses,
    submit_form,
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


@pytest.fixture
def admin(client, session, world):
    """The client, signed in as an admin."""
    login(client, make_user(session, "admin"))
    return client


def _schedule_url(location) -> str:
    return f"/admin/locations/{location.id}/schedule"


def _save_schedule(client, location, changes: dict[str, str]):
    """Submit the schedule form as a browser would: every input's current value, then
    `changes` (by label) typed over them."""
    url = _schedule_url(location)
    page = soup(client.get(url))
    form = next(f for f in main_forms(page) if f.get("action") == url)
    values = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}
    for label, value in changes.items():
        values[control_by_label(page, label)["name"]] = value
    return client.post(url, data=values)


def _rows(page):
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in page.find("tbody").find_all("tr")
    ]


def test_admins_see_the_locations_with_a_summary_of_their_schedules(admin, world):
    page = soup(admin.get("/admin/locations"))
    nav = page.find("nav", attrs={"aria-label": "Main"})
    assert nav.find("a", string="Locations")["aria-current"] == "page"
    rows = _rows(page)
    assert rows[0] == [
        "Vena Berlin Mitte Berlin (Europe/Berlin)",
        "Mon-Fri 07:30-18:00; Sat-Sun closed",
        "10-minute draws every 15 minutes, 1 chair",
        "60 minutes' notice, up to 90 days ahead",
    ]
    link = page.find("a", string="Vena Berlin Mitte")
    assert link["href"] == _schedule_url(world.berlin)


def test_an_admin_sets_split_weekday_hours_a_saturday_and_the_chairs(admin, world):
    changes = {}
    for day in WEEKDAYS:
        changes |= {
            f"{day}, period 1: Opens": "07:30",
            f"{day}, period 1: Closes": "12:00",
            f"{day}, period 2: Opens": "13:00",
            f"{day}, period 2: Closes": "18:00",
        }
    changes |= {"Saturday, period 1: Opens": "08:00", "Saturday, period 1: Closes": "12:00"}
    changes |= {"Capacity": "3", "Slot interval": "10"}
    response = _save_schedule(admin, world.berlin, changes)
    assert response.status_code == 302
    assert response.headers["Location"] == _schedule_url(world.berlin)

    page = soup(admin.get(_schedule_url(world.berlin)))
    assert "The schedule of Vena Berlin Mitte is saved." in statuses(page)
    assert control_by_label(page, "Friday, period 2: Opens")["value"] == "13:00"
    assert control_by_label(page, "Saturday, period 1: Closes")["value"] == "12:00"
    assert control_by_label(page, "Sunday, period 1: Opens").get("value", "") == ""
    assert control_by_label(page, "Capacity")["value"] == "3"
    summary = _rows(soup(admin.get("/admin/locations")))[0]
    assert summary[1:3] == [
        "Mon-Fri 07:30-12:00, 13:00-18:00; Sat 08:00-12:00; Sun closed",
        "10-minute draws every 10 minutes, 3 chairs",
    ]


def test_the_schedule_page_labels_its_groups_and_gives_units(admin, world):
    page = soup(admin.get(_schedule_url(world.berlin)))
    legends = [legend.get_text(" ", strip=True) for legend in page.find_all("legend")]
    assert legends[0] == "Opening hours, local time (Europe/Berlin)"
    assert legends[1:8] == [*WEEKDAYS, "Saturday", "Sunday"]
    assert legends[8:] == ["Slots", "Booking window"]
    assert control_by_label(page, "Monday, period 1: Opens")["type"] == "time"
    duration = control_by_label(page, "Slot duration (minutes")
    assert (duration["type"], duration["min"], duration["max"]) == ("number", "5", "240")
    assert control_by_label(page, "Booking horizon (days")["value"] == "90"


def test_values_that_break_a_rule_get_the_domains_message_beside_their_field(admin, world):
    response = _save_schedule(
        admin,
        world.berlin,
        {"Capacity": "60", "Tuesday, period 1: Closes": "06:00", "Slot interval": "7"},
    )
    assert response.status_code == 422
    page = soup(response)
    assert field_errors(page, "Capacity") == [
        "The capacity must be a whole number of chairs from 1 to 50."
    ]
    assert field_errors(page, "Tuesday, period 1: Closes") == [
        "Tuesday, period 1: the closing time 06:00 must be after the opening time 07:30."
    ]
    assert field_errors(page, "Slot interval") == [
        "The slot interval must be a multiple of 5 minutes (5, 10, 15 ...), so that slots "
        "start at round clock times."
    ]
    assert alerts(page) == ["Please correct the fields marked below."]


def test_a_draw_too_long_for_a_period_is_refused_beside_the_duration(admin, world):
    response = _save_schedule(
        admin,
        world.berlin,
        {"Wednesday, period 2: Opens": "18:00", "Wednesday, period 2: Closes": "18:05"},
    )
    assert response.status_code == 422
    assert field_errors(soup(response), "Slot duration") == [
        "A 10-minute draw does not fit in the opening 18:00-18:05 on Wednesday: shorten the "
        "slot duration or lengthen that period."
    ]


def test_lowering_the_capacity_below_booked_chairs_is_refused_beside_the_capacity(
    admin, session, world
):
    _save_schedule(admin, world.berlin, {"Capacity": "3"})
    session.rollback()  # leave the snapshot read before the app's commit, to write after it
    monday = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)
    for profile in (world.profile, world.patient_profile):
        make_appointment(session, profile, world.berlin, scheduled_at=monday)
    response = _save_schedule(admin, world.berlin, {"Capacity": "1"})
    assert response.status_code == 409
    assert field_errors(soup(response), "Capacity") == [
        "2 chairs are booked on Mon 30 Nov 2026 at 10:30; move those appointments before "
        "lowering the capacity to 1."
    ]
    page = soup(admin.get(_schedule_url(world.berlin)))
    assert control_by_label(page, "Capacity")["value"] == "3"


@pytest.mark.parametrize("role", ["coordinator", "patient", "front_desk"])
def test_other_roles_may_not_open_the_admin_pages(client, world, role):
    user = {"coordinator": world.coordinator, "patient": world.patient}.get(role, world.front_desk)
    login(client, user)
    assert client.get("/admin/locations").status_code == 403
    assert client.get(_schedule_url(world.berlin)).status_code == 403
    assert (
        client.get(f"{_schedule_url(world.berlin)[:-9]}/closed-dates/2026-12-25/reopen").status_code
        == 403
    )
    page = soup(client.get("/"))
    assert page.find("a", string="Locations") is None


def _close(client, location, day: str, reason: str):
    action = f"/admin/locations/{location.id}/closed-dates"
    data = {"closed-date": day, "closed-reason": reason}
    return submit_form(client, _schedule_url(location), data, action=action)


def test_an_admin_closes_a_date_is_warned_of_bookings_and_reopens_it(admin, session, world):
    make_appointment(
        session, world.profile, world.berlin, scheduled_at=datetime(2026, 12, 24, 9, 0, tzinfo=UTC)
    )
    response = _close(admin, world.berlin, "2026-12-24", "Christmas Eve")
    assert response.headers["Location"] == f"{_schedule_url(world.berlin)}#closed-dates"
    page = soup(admin.get(_schedule_url(world.berlin)))
    assert statuses(page) == [
        "Vena Berlin Mitte is closed on Thu 24 Dec 2026.",
        "1 appointment on that day is still booked; the front desk can cancel it from that "
        "day's sheet.",
    ]
    assert _rows(page) == [["Thu 24 Dec 2026", "Christmas Eve", "Reopen on Thu 24 Dec 2026"]]

    reopen = next(
        a
        for a in page.select("main a")
        if a.get_text(" ", strip=True) == "Reopen on Thu 24 Dec 2026"
    )
    confirm = soup(admin.get(reopen["href"]))
    assert confirm.find("h1").get_text() == "Reopen on Thu 24 Dec 2026?"
    assert "Christmas Eve" in confirm.find("main").get_text()
    response = submit_form(admin, reopen["href"], {})
    assert response.status_code == 302
    page = soup(admin.get(_schedule_url(world.berlin)))
    assert statuses(page) == ["Vena Berlin Mitte is open again on Thu 24 Dec 2026."]
    assert page.find("tbody") is None
    assert "No closed dates ahead." in page.find("main").get_text()


def test_a_past_date_without_a_reason_gets_the_messages_beside_both_fields(admin, world):
    response = _close(admin, world.berlin, "2026-11-20", "  ")
    assert response.status_code == 422
    page = soup(response)
    assert field_errors(page, "Date to close") == [
        "Fri 20 Nov 2026 is in the past: choose today or a later date."
    ]
    assert field_errors(page, "Reason") == ["Give the reason for closing, such as Christmas Day."]
    assert control_by_label(page, "Date to close")["min"] == "2026-11-21"


def test_closing_a_date_twice_is_refused_beside_the_date(admin, world):
    _close(admin, world.berlin, "2026-12-25", "Christmas Day")
    response = _close(admin, world.berlin, "2026-12-25", "Christmas Day")
    assert response.status_code == 409
    assert field_errors(soup(response), "Date to close") == [
        "Vena Berlin Mitte is already closed on Fri 25 Dec 2026."
    ]


def test_reopening_a_date_that_is_not_closed_is_not_found(admin, world):
    response = admin.get(f"/admin/locations/{world.berlin.id}/closed-dates/2026-12-25/reopen")
    assert response.status_code == 404
    assert "Vena Berlin Mitte is not closed on Fri 25 Dec 2026." in soup(response).get_text()
    bad_day = f"/admin/locations/{world.berlin.id}/closed-dates/christmas/reopen"
    assert admin.get(bad_day).status_code == 404
