"""Admins add test locations and edit their details in the portal; the domain's messages show."""

from __future__ import annotations

import pytest

from tests.factories import make_appointment, make_user
from tests.web.conftest import (
    control_by_label,
    field_errors,
    fieldset_by_legend,
    login,
    soup,
    statuses,
    submit_form,
    table_by_caption,
)

NEW = "/admin/locations/new"
HAMBURG = {
    "name": "Vena Hamburg Altona",
    "company_name": "Vena Labs GmbH",
    "address_line_1": "Ottenser Hauptstraße 10",
    "city": "Hamburg",
    "postal_code": "22765",
    "country_name": "Germany",
    "country_code": "de",
    "timezone": "Europe/Berlin",
    "contact_phone": "+49 40 3012 3456",
    "email": "altona@vena.example.com",
    "website": "https://vena.example.com/altona",
    "google_maps_url": "https://www.google.com/maps/search/?api=1&query=Altona",
    "default_status": "pending",
    "early_arrival_minutes": "45",
}


@pytest.fixture
def admin(client, session, world):
    """The client, signed in as an admin."""
    login(client, make_user(session, "admin"))
    return client


def _edit_url(location) -> str:
    return f"/admin/locations/{location.id}/edit"


def test_the_list_offers_a_new_location_and_the_schedule_page_links_to_the_details(admin, world):
    page = soup(admin.get("/admin/locations"))
    assert page.find("a", string="New location")["href"] == NEW
    schedule = soup(admin.get(f"/admin/locations/{world.berlin.id}/schedule"))
    link = next(a for a in schedule.select("main a") if a.get_text().startswith("Edit the details"))
    assert link["href"] == _edit_url(world.berlin)
    assert link.get_text(" ", strip=True) == "Edit the details of Vena Berlin Mitte"


def test_the_form_labels_every_input_and_offers_the_iana_zones(admin):
    page = soup(admin.get(NEW))
    legends = [legend.get_text(" ", strip=True) for legend in page.select("main legend")]
    assert legends == ["Name and address", "Time and bookings", "Contact"]
    zone = control_by_label(page, "Time zone")
    options = {
        option["value"] for option in page.find("datalist", id=zone["list"]).find_all("option")
    }
    assert {"Europe/Berlin", "America/New_York", "Asia/Kolkata"} <= options
    status = control_by_label(page, "Status of new bookings")
    assert [option["value"] for option in status.find_all("option")] == ["confirmed", "pending"]
    assert control_by_label(page, "Contact phone")["type"] == "tel"
    assert control_by_label(page, "Website")["type"] == "url"


def test_a_new_location_opens_its_schedule_with_default_hours_and_one_chair(admin):
    response = submit_form(admin, NEW, HAMBURG)
    assert response.status_code == 302
    schedule = soup(admin.get(response.headers["Location"]))
    assert statuses(schedule) == [
        "Vena Hamburg Altona is added, open on weekdays 08:00-12:00 and 13:00-17:00 with one "
        "chair: set its real hours and chairs here."
    ]
    assert control_by_label(schedule, "Monday, period 1: Opens")["value"] == "08:00"
    assert control_by_label(schedule, "Friday, period 2: Closes")["value"] == "17:00"
    assert control_by_label(schedule, "Saturday, period 1: Opens").get("value", "") == ""
    assert control_by_label(schedule, "Capacity")["value"] == "1"
    rows = table_by_caption(soup(admin.get("/admin/locations")), "Test locations")
    assert ["Vena Hamburg Altona Hamburg (Europe/Berlin)"] in [row[:1] for row in rows]


def test_values_that_break_a_rule_get_the_domains_message_beside_their_input(admin):
    data = HAMBURG | {"country_code": "DEU", "timezone": "Europe/Hamburg", "website": "ftp://x.de"}
    response = submit_form(admin, NEW, data | {"city": ""})
    assert response.status_code == 422
    page = soup(response)
    assert field_errors(page, "Country code") == [
        "The country code must be two letters A-Z (ISO 3166-1 alpha-2), such as DE."
    ]
    assert field_errors(page, "Time zone") == ["'Europe/Hamburg' is not an IANA time zone."]
    assert field_errors(page, "Website") == [
        "The website must be a web address starting with https:// or http://."
    ]
    assert field_errors(page, "City") == ["The city is required."]
    assert control_by_label(page, "Name")["value"] == "Vena Hamburg Altona"


def test_an_admin_edits_the_details_and_sees_them_in_the_list(admin, world):
    page = soup(admin.get(_edit_url(world.berlin)))
    assert page.find("h1").get_text() == "Edit Vena Berlin Mitte"
    assert control_by_label(page, "Address line 1")["value"] == "Friedrichstraße 68"
    data = HAMBURG | {"name": "Vena Berlin Friedrichstraße", "city": "Berlin"}
    response = submit_form(admin, _edit_url(world.berlin), data)
    assert response.headers["Location"] == "/admin/locations"
    page = soup(admin.get("/admin/locations"))
    assert statuses(page) == ["The details of Vena Berlin Friedrichstraße are saved."]
    assert page.find("a", string="Vena Berlin Friedrichstraße") is not None
    edit = soup(admin.get(_edit_url(world.berlin)))
    assert control_by_label(edit, "Contact phone")["value"] == "+494030123456"
    selected = control_by_label(edit, "Status of new bookings").find("option", selected=True)
    assert selected["value"] == "pending"
    assert control_by_label(edit, "Early arrival (minutes)")["value"] == "45"


def test_a_new_location_offers_draws_from_60_minutes_before_the_start(admin):
    early = control_by_label(soup(admin.get(NEW)), "Early arrival (minutes)")
    assert (early["value"], early["min"], early["max"]) == ("60", "0", "720")


def test_an_early_arrival_out_of_range_gets_the_domains_message_beside_it(admin):
    response = submit_form(admin, NEW, HAMBURG | {"early_arrival_minutes": "721"})
    assert response.status_code == 422
    assert field_errors(soup(response), "Early arrival (minutes)") == [
        "The early arrival must be a whole number of minutes from 0 to 720."
    ]


def test_a_name_another_location_has_is_refused_beside_the_name(admin, world):
    response = submit_form(admin, _edit_url(world.berlin), HAMBURG | {"name": "Vena Midtown"})
    assert response.status_code == 409
    assert field_errors(soup(response), "Name") == [
        "Another test location is called Vena Midtown: choose another name."
    ]


def test_the_time_zone_stays_while_appointments_ahead_are_booked(admin, session, world):
    make_appointment(session, world.profile, world.berlin)
    response = submit_form(
        admin, _edit_url(world.berlin), HAMBURG | {"name": "Vena Berlin Mitte", "timezone": "UTC"}
    )
    assert response.status_code == 409
    page = soup(response)
    assert field_errors(page, "Time zone") == [
        "1 appointment ahead at Vena Berlin Mitte is booked in Europe/Berlin time: move or "
        "cancel it before changing the time zone."
    ]
    assert fieldset_by_legend(page, "Time and bookings") is not None


@pytest.mark.parametrize("role", ["coordinator", "patient", "front_desk"])
def test_other_roles_may_not_add_or_edit_locations(client, world, role):
    user = {"coordinator": world.coordinator, "patient": world.patient}.get(role, world.front_desk)
    login(client, user)
    assert client.get(NEW).status_code == 403
    assert client.get(_edit_url(world.berlin)).status_code == 403
    assert client.post(_edit_url(world.berlin), data=HAMBURG).status_code in (400, 403)
