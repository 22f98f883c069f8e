"""Access control everywhere: every role tries every other role's objects, page by page.

Each object page answers 200 to the users whose access context holds the object and 403 to
everyone else; lists never show another account's, organisation's or location's rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.factories import make_appointment, make_location, make_org, make_profile, make_user
from tests.web.conftest import login, soup

USERS = ("patient_a1", "patient_a2", "coordinator_a", "coordinator_b", "desk_1", "desk_2", "admin")


@dataclass
class Objects:
    """Organisation A's patients own one profile each; B has one; each location one booking."""

    profile_a1: str
    appointment_a1: str  # patient_a1's profile, at location 1
    appointment_b: str  # organisation B's profile, at location 2
    users: dict[str, object]


@pytest.fixture
def objects(session) -> Objects:
    org_a, org_b = make_org(session, "orga"), make_org(session, "orgb")
    first, second = make_location(session), make_location(session, name="Vena Hamburg")
    users = {
        "patient_a1": make_user(session, "patient", org=org_a),
        "patient_a2": make_user(session, "patient", org=org_a),
        "coordinator_a": make_user(session, "coordinator", org=org_a),
        "coordinator_b": make_user(session, "coordinator", org=org_b),
        "desk_1": make_user(session, "front_desk", location=first),
        "desk_2": make_user(session, "front_desk", location=second),
        "admin": make_user(session, "admin"),
    }
    profile_a1 = make_profile(session, org_a, owner=users["patient_a1"], first_name="Alma")
    make_profile(session, org_a, owner=users["patient_a2"], first_name="Bert")
    profile_b = make_profile(session, org_b, first_name="Cleo")
    return Objects(
        profile_a1=str(profile_a1.id),
        appointment_a1=str(make_appointment(session, profile_a1, first).id),
        appointment_b=str(make_appointment(session, profile_b, second).id),
        users=users,
    )


# Page (with the object it opens) -> the users who may open it; everyone else gets 403.
PAGES = {
    "/profiles/{profile_a1}/edit": {"patient_a1", "coordinator_a"},
    "/appointments/{appointment_a1}": {"patient_a1", "coordinator_a", "desk_1", "admin"},
    "/appointments/{appointment_a1}/calendar.ics": {
        "patient_a1",
        "coordinator_a",
        "desk_1",
        "admin",
    },
    "/appointments/{appointment_a1}/reschedule": {"patient_a1", "coordinator_a", "admin"},
    "/appointments/{appointment_a1}/cancel": {"patient_a1", "coordinator_a", "admin"},
    "/appointments/{appointment_a1}/panels": {"patient_a1", "coordinator_a", "admin"},
    "/desk/appointments/{appointment_a1}/confirm": {"desk_1"},
    "/desk/appointments/{appointment_a1}/cancel": {"desk_1"},
    "/desk/appointments/{appointment_a1}/blood-draw": {"desk_1"},
    "/admin/locations": {"admin"},
    "/admin/panels": {"admin"},
    "/admin/users": {"admin"},
    "/admin/organisations": {"admin"},
}


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("page", PAGES)
def test_each_page_opens_only_for_the_users_whose_context_holds_its_object(
    client, objects, user, page
):
    login(client, objects.users[user])
    url = page.format(
        profile_a1=objects.profile_a1,
        appointment_a1=objects.appointment_a1,
    )
    expected = 200 if user in PAGES[page] else 403
    assert client.get(url).status_code == expected


# List page -> who sees organisation A's patient Alma (patient_a1's profile) on it.
LISTS = {
    "/appointments": {"patient_a1", "coordinator_a", "admin"},
    "/profiles": {"patient_a1", "coordinator_a"},
}


@pytest.mark.parametrize("user", ["patient_a1", "patient_a2", "coordinator_a", "coordinator_b"])
@pytest.mark.parametrize("page", LISTS)
def test_lists_show_only_the_rows_of_the_users_own_context(client, objects, user, page):
    login(client, objects.users[user])
    text = soup(client.get(page)).find("main").get_text(" ")
    assert ("Alma" in text) == (user in LISTS[page])
    assert "Cleo" not in text or user == "coordinator_b"


def test_front_desk_sees_only_their_own_locations_day(client, objects):
    login(client, objects.users["desk_2"])
    text = soup(client.get("/desk?day=2026-11-23")).find("main").get_text(" ")
    assert "Cleo" in text
    assert "Alma" not in text
