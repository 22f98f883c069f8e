"""Front desk at several locations: a switcher between them, the first by name by default, and
403 for a location they do not work at."""

from __future__ import annotations

import uuid

import pytest

from tests.factories import make_appointment, make_location, make_user
from tests.web.conftest import login, soup, table_by_caption
from tests.web.test_desk import parts


@pytest.fixture
def two_places(session, world):
    """A front desk working at Berlin and New York (Vena Midtown), not at Helsinki."""
    helsinki = make_location(session, name="Vena Helsinki", timezone="Europe/Helsinki")
    desk = make_user(session, "front_desk", locations=[world.new_york, world.berlin])
    return desk, helsinki


def _switcher(page):
    nav = page.find("nav", attrs={"aria-label": "Locations"})
    return nav and {a.get_text(strip=True): a for a in nav.find_all("a")}


def test_a_front_desk_of_one_location_gets_no_switcher(client, world):
    login(client, world.front_desk)
    assert _switcher(soup(client.get("/desk"))) is None


@pytest.mark.parametrize("view", ["/desk", "/desk/next"])
def test_the_switcher_lists_each_location_and_marks_the_current_one(
    client, world, two_places, view
):
    login(client, two_places[0])
    page = soup(client.get(view))
    switcher = _switcher(page)
    assert list(switcher) == ["Vena Berlin Mitte", "Vena Midtown"]
    assert switcher["Vena Berlin Mitte"].get("aria-current") == "page"
    path, query = parts(switcher["Vena Midtown"]["href"])
    assert (path, query["location"]) == (view, [str(world.new_york.id)])


def test_the_switcher_keeps_the_day_of_the_sheet(client, world, two_places):
    login(client, two_places[0])
    page = soup(client.get("/desk?day=2026-11-23"))
    assert parts(_switcher(page)["Vena Midtown"]["href"]) == (
        "/desk",
        {"location": [str(world.new_york.id)], "day": ["2026-11-23"]},
    )


def test_the_sheet_opens_at_the_chosen_location(client, session, world, two_places):
    make_appointment(session, world.profile, world.berlin)
    make_appointment(session, world.other_profile, world.new_york)
    login(client, two_places[0])

    page = soup(client.get(f"/desk?location={world.new_york.id}&day=2026-11-23"))

    assert page.find("h1").get_text() == "Vena Midtown: Monday 23 November 2026"
    rows = table_by_caption(page, "1 appointment on")
    assert [row[:3] for row in rows] == [
        ["04:30 (UTC-05:00)", "Otto Schmidt born 12 Apr 1985", "Confirmed"]
    ]


def test_an_action_returns_to_the_appointments_own_location(client, session, world, two_places):
    appointment = make_appointment(session, world.profile, world.new_york, status="pending")
    login(client, two_places[0])
    page = soup(client.get(f"/desk/appointments/{appointment.id}/confirm"))
    back = page.find("a", string="Back to the day sheet")["href"]
    assert parts(back) == ("/desk", {"location": [str(world.new_york.id)], "day": ["2026-11-23"]})


@pytest.mark.parametrize("view", ["/desk", "/desk/next"])
def test_a_location_the_desk_does_not_work_at_is_forbidden(client, world, two_places, view):
    login(client, two_places[0])
    assert client.get(f"{view}?location={two_places[1].id}").status_code == 403
    assert client.get(f"{view}?location={uuid.uuid4()}").status_code == 403
    assert client.get(f"{view}?location=berlin").status_code == 400


def test_a_front_desk_without_a_location_is_forbidden(client, session):
    login(client, make_user(session, "front_desk"))
    assert client.get("/desk").status_code == 403
    assert client.get("/desk/next").status_code == 403
