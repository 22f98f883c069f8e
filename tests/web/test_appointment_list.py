"""The appointment list: patients' upcoming and past, coordinators' filters and their messages."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import NOW
from tests.factories import make_appointment, make_profile, make_user
from tests.web.conftest import alerts, control_by_label, field_errors, login, soup, table_by_caption
from tests.web.tables import (
    captions,
    option_texts,
    row_links,
    search_form,
    selected_text,
    submit_search,
)

DEFAULT = "Appointments from two months ago to one month ahead"


def _names(page, caption=""):
    """The patients' names in the table, without their dates of birth and references."""
    return [row[1].split(" born ")[0] for row in table_by_caption(page, caption)]


def test_a_patient_sees_upcoming_and_past_appointments_of_their_own_profiles(
    client, session, world
):
    soon = make_appointment(session, world.patient_profile, world.berlin)
    far = make_appointment(
        session, world.patient_profile, world.berlin, scheduled_at=NOW + timedelta(days=60)
    )
    make_appointment(
        session,
        world.patient_profile,
        world.berlin,
        scheduled_at=NOW - timedelta(days=90),
        status="blood_drawn",
    )
    make_appointment(
        session,
        world.patient_profile,
        world.new_york,
        scheduled_at=NOW - timedelta(days=3),
        status="cancelled",
    )
    make_appointment(session, world.profile, world.berlin)  # the organisation's, not theirs
    login(client, world.patient)
    page = soup(client.get("/appointments"))

    assert [h2.get_text() for h2 in page.find("main").find_all("h2")] == ["Upcoming", "Past"]
    assert page.find("main").find("form", attrs={"role": "search"}) is None
    upcoming = table_by_caption(page, "Upcoming appointments, soonest first.")
    assert [row[:4] for row in upcoming] == [
        [
            "Mon 23 Nov 2026, 10:30 (Europe/Berlin, UTC+01:00)",
            "Paula Schmidt born 12 Apr 1985",
            "Vena Berlin Mitte, Berlin",
            "Confirmed",
        ],
        [
            "Wed 20 Jan 2027, 10:00 (Europe/Berlin, UTC+01:00)",
            "Paula Schmidt born 12 Apr 1985",
            "Vena Berlin Mitte, Berlin",
            "Confirmed",
        ],
    ]
    past = table_by_caption(page, "Past appointments, most recent first.")
    assert [(row[0], row[3]) for row in past] == [
        ("Wed 18 Nov 2026, 04:00 (America/New_York, UTC-05:00)", "Cancelled"),
        ("Sun 23 Aug 2026, 11:00 (Europe/Berlin, UTC+02:00)", "Blood drawn"),
    ]
    links = row_links(page, "Upcoming appointments")
    assert links[0]["Details of Paula Schmidt's appointment"] == f"/appointments/{soon.id}"
    assert links[1]["Panels of Paula Schmidt's appointment"] == f"/appointments/{far.id}/panels"
    assert all(
        not any(text.startswith("Panels") for text in row) for row in row_links(page, "Past")
    )


def test_a_patient_without_appointments_is_told_so(client, world):
    login(client, world.patient)
    main = soup(client.get("/appointments")).find("main")
    assert [section.find("p").get_text() for section in main.find_all("section")] == [
        "No upcoming appointments.",
        "No past appointments.",
    ]


def test_a_coordinator_gets_labelled_filters_of_what_they_may_see(client, session, world):
    make_appointment(session, world.profile, world.berlin)
    login(client, world.coordinator)
    page = soup(client.get("/appointments"))
    form = search_form(page)
    assert form["method"] == "get"
    assert option_texts(page, "Status") == [
        "Any status",
        "Pending",
        "Confirmed",
        "Blood drawn",
        "Cancelled",
    ]
    assert option_texts(page, "Test location") == [
        "Any test location",
        "Berlin: Vena Berlin Mitte",
        "Berlin: Vena Midtown",
    ]
    patient = control_by_label(page, "Patient")
    assert (patient.name, patient["type"], patient["name"]) == ("input", "search", "patient")
    assert control_by_label(page, "From")["type"] == "date"
    assert control_by_label(page, "To")["type"] == "date"
    assert captions(page) == [f"{DEFAULT}, soonest first. Times are local to each test location."]
    assert page.find("a", string="Clear filters") is None


def test_a_coordinator_filters_by_status_and_keeps_the_filter_in_the_address(
    client, session, world
):
    make_appointment(session, world.profile, world.berlin)
    make_appointment(
        session,
        world.profile,
        world.berlin,
        scheduled_at=NOW + timedelta(days=3),
        status="cancelled",
    )
    login(client, world.coordinator)
    response = submit_search(client, soup(client.get("/appointments")), {"status": "cancelled"})
    assert response.status_code == 200
    assert response.request.args["status"] == "cancelled"
    page = soup(response)
    assert [row[3] for row in table_by_caption(page, "Cancelled appointments from two")] == [
        "Cancelled"
    ]
    assert selected_text(page, "Status") == "Cancelled"
    assert page.find("a", string="Clear filters")["href"] == "/appointments"


def test_a_coordinator_filters_by_location_and_profile(client, session, world):
    sister = make_profile(session, world.org, first_name="Berta")
    make_appointment(session, world.patient_profile, world.berlin)
    make_appointment(session, world.profile, world.new_york)
    make_appointment(session, sister, world.new_york, scheduled_at=NOW + timedelta(days=4))
    login(client, world.coordinator)
    page = soup(client.get("/appointments"))
    by_location = soup(submit_search(client, page, {"location_id": str(world.new_york.id)}))
    assert _names(by_location, "Appointments at Vena Midtown") == ["Anna Schmidt", "Berta Schmidt"]
    both = soup(submit_search(client, by_location, {"profile_id": str(sister.id)}))
    assert _names(both, "Appointments of Berta Schmidt (born 12 Apr 1985) at Vena Midtown") == [
        "Berta Schmidt"
    ]
    chosen = both.find("p", class_="chosen-profile").get_text(" ", strip=True)
    assert chosen.startswith("Only the appointments of Berta Schmidt born 12 Apr 1985")
    assert selected_text(both, "Test location") == "Berlin: Vena Midtown"


def test_a_coordinator_filters_by_a_range_of_local_dates(client, session, world):
    make_appointment(session, world.profile, world.berlin)  # Mon 23 Nov
    later = NOW + timedelta(days=50)  # beyond the default window
    make_appointment(session, world.patient_profile, world.berlin, scheduled_at=later)
    login(client, world.coordinator)
    page = soup(client.get("/appointments"))
    assert _names(page) == ["Anna Schmidt"]
    found = soup(submit_search(client, page, {"from": "2026-12-01", "to": "2027-01-31"}))
    caption = "Appointments from Tue 01 Dec 2026 to Sun 31 Jan 2027 (local dates), soonest first."
    assert _names(found, caption) == ["Paula Schmidt"]
    assert control_by_label(found, "From")["value"] == "2026-12-01"
    one_end = soup(client.get("/appointments?from=2026-11-23"))
    assert captions(one_end)[0].startswith("Appointments from Mon 23 Nov 2026 to Mon 22 Feb 2027")
    assert _names(one_end) == ["Anna Schmidt", "Paula Schmidt"]


@pytest.mark.parametrize(
    ("query", "label", "message"),
    [
        ("status=done", "Status", "Choose a status: pending, confirmed, blood drawn, cancelled."),
        ("location_id=berlin", "Test location", "Choose a test location from the list."),
        ("from=2026-13-01", "From", "Enter the start date as year-month-day, such as 2026-11-01."),
        ("from=2026-12-02&to=2026-12-01", "To", "The end date comes before the start date."),
        (
            "from=2026-11-01&to=2027-02-01",
            "To",
            "Choose at most 92 days; these dates cover 93 days.",
        ),
    ],
)
def test_a_bad_filter_is_shown_beside_its_field_with_a_400(
    client, session, world, query, label, message
):
    make_appointment(session, world.profile, world.berlin)
    login(client, world.coordinator)
    response = client.get(f"/appointments?{query}")
    assert response.status_code == 400
    page = soup(response)
    assert field_errors(page, label) == [message]
    assert "Please correct the fields marked below." in alerts(page)
    assert captions(page) == []
    assert page.find("a", string="Clear filters") is not None


def test_another_organisations_appointments_never_appear(client, session, world):
    make_appointment(session, world.profile, world.berlin)
    make_appointment(session, world.other_profile, world.berlin)
    login(client, world.coordinator)
    assert _names(soup(client.get("/appointments"))) == ["Anna Schmidt"]
    dates = "from=2026-11-01&to=2026-11-30"
    assert _names(soup(client.get(f"/appointments?{dates}"))) == ["Anna Schmidt"]
    response = client.get(f"/appointments?profile_id={world.other_profile.id}&{dates}")
    assert response.status_code == 400
    assert field_errors(soup(response), "Patient") == [
        "Search for the patient by name or reference."
    ]
    assert "Otto Schmidt" not in response.get_data(as_text=True)


def test_an_admin_filters_every_organisations_appointments(client, session, world):
    make_appointment(session, world.profile, world.berlin)
    make_appointment(session, world.other_profile, world.berlin)
    login(client, make_user(session, "admin"))
    page = soup(client.get(f"/appointments?profile_id={world.other_profile.id}"))
    assert _names(page, "Appointments of Otto Schmidt (born 12 Apr 1985),") == ["Otto Schmidt"]
