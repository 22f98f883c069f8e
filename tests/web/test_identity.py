"""Two patients of one name are told apart wherever a profile is chosen or listed: each shows
the date of birth (in the page's language) and the organisation's reference where it has one."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import NOW
from tests.factories import make_appointment, make_profile
from tests.web.conftest import control_by_label, login, soup, table_by_caption
from tests.web.journey import step_url

MONDAY_1030 = NOW + timedelta(days=2, minutes=30)
FIRST = "Anna Schmidt born 12 Apr 1985"
SECOND = "Anna Schmidt born 03 Sep 1990, reference A-1042"


@pytest.fixture
def annas(session, world):
    """Two Anna Schmidts of the organisation, each booked on Monday at Berlin, and each with an
    appointment in the coming hour."""
    second = make_profile(session, world.org, first_name="Anna")
    second.date_of_birth, second.handle = date(1990, 9, 3), "A-1042"
    session.commit()
    profiles = [world.profile, second]
    monday = [
        make_appointment(
            session,
            profile,
            world.berlin,
            scheduled_at=MONDAY_1030 + timedelta(minutes=30 * n),
            panels=[world.panel],
        )
        for n, profile in enumerate(profiles)
    ]
    soon = [
        make_appointment(
            session, profile, world.berlin, scheduled_at=NOW + timedelta(minutes=15 + 15 * n)
        )
        for n, profile in enumerate(profiles)
    ]
    return profiles, monday, soon


def _patient(page) -> str:
    """The value beside "Patient" in the page's summary list."""
    return page.find("dt", string="Patient").find_next("dd").get_text(" ", strip=True)


def _patients(page, caption: str, column: int = 1) -> list[str]:
    return [row[column] for row in table_by_caption(page, caption)]


def test_booking_step_one_names_each_profile_with_its_date_of_birth_and_reference(
    client, world, annas
):
    login(client, world.coordinator)
    page = soup(client.get(step_url("profile")))
    options = [o.get_text() for o in control_by_label(page, "Patient profile")("option")]
    assert sorted(options[1:3]) == [
        "Anna Schmidt (born 03 Sep 1990, reference A-1042)",
        "Anna Schmidt (born 12 Apr 1985)",
    ]


@pytest.mark.parametrize(("text", "found"), [("anna schmidt", 2), ("A-1042", 1), ("1042", 1)])
def test_booking_step_ones_search_finds_by_name_and_by_reference(client, world, annas, text, found):
    login(client, world.coordinator)
    page = soup(client.get(step_url("profile", q=text)))
    search = page.find("form", attrs={"role": "search"})
    assert control_by_label(search, "Search by name or reference")["name"] == "q"
    options = control_by_label(page, "Patient profile")("option")
    assert [o.get_text() for o in options if o["value"]][-1].startswith("Anna Schmidt (born")
    assert len([o for o in options if o["value"]]) == found


def test_the_later_booking_steps_show_the_chosen_patients_identity(client, world, annas):
    (_, second), _monday, _soon = annas
    login(client, world.coordinator)
    page = soup(client.get(step_url("location", profile_id=second.id)))
    assert _patient(page) == f"{SECOND} Change the patient"


def test_the_appointment_list_shows_each_patients_date_of_birth(client, world, annas):
    login(client, world.coordinator)
    page = soup(client.get("/appointments"))
    assert _patients(page, "Appointments from two months ago")[:4] == [FIRST, SECOND] * 2


@pytest.mark.parametrize(
    "path", ["", "/cancel", "/reschedule"], ids=["detail", "cancel", "reschedule"]
)
def test_each_appointment_page_names_its_patient_apart(client, world, annas, path):
    _profiles, monday, _soon = annas
    login(client, world.coordinator)
    shown = [_patient(soup(client.get(f"/appointments/{a.id}{path}"))) for a in monday]
    assert shown == [FIRST, SECOND]


def test_the_day_sheet_and_the_next_hour_name_each_patient_apart(client, world, annas):
    login(client, world.front_desk)
    day = soup(client.get(f"/desk?location={world.berlin.id}&day=2026-11-23"))
    soon = soup(client.get(f"/desk/next?location={world.berlin.id}"))
    assert _patients(day, "2 appointments on 23 November 2026") == [FIRST, SECOND]
    assert _patients(soon, "2 appointments in the next hour") == [FIRST, SECOND]


@pytest.mark.parametrize("action", ["confirm", "cancel", "blood-draw"])
def test_the_desks_confirmation_pages_name_each_patient_apart(client, world, annas, action):
    _profiles, monday, _soon = annas
    login(client, world.front_desk)
    shown = [_patient(soup(client.get(f"/desk/appointments/{a.id}/{action}"))) for a in monday]
    assert shown == [FIRST, SECOND]


def test_a_german_page_writes_the_date_of_birth_the_german_way(client, world, annas):
    login(client, world.coordinator)
    client.set_cookie("vena_language", "de")
    page = soup(client.get("/appointments"))
    assert _patients(page, "Termine")[:2] == [
        "Anna Schmidt geboren am 12. Apr. 1985",
        "Anna Schmidt geboren am 3. Sept. 1990, Referenz A-1042",
    ]
