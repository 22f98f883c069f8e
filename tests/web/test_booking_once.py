"""The review's "Book" books once: pressing it again, or going Back and pressing it, shows the
appointment already booked, never an error (its one-time booking token; races: test_booking_race).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.domain.models import Appointment
from tests.web.conftest import alerts, login, soup
from tests.web.conftest import submit_page as submit
from tests.web.journey import MONDAY, step_url, walk_to_review

WHEN = "Mon 23 Nov 2026, 10:30 (Europe/Berlin, UTC+01:00)"


def _appointments(session) -> list[Appointment]:
    session.rollback()  # end the test session's snapshot, to see the app's commits
    return list(session.scalars(select(Appointment)))


def _assert_shows_already_booked(response, appointment) -> None:
    assert response.status_code == 200
    page = soup(response)
    assert page.find("h1").get_text(strip=True) == "Already booked"
    assert alerts(page) == []
    main = page.find("main")
    assert WHEN in main.get_text(" ", strip=True)
    link = main.find("a", string="Open the appointment")
    assert link["href"] == f"/appointments/{appointment.id}"
    assert main.find("button", string="Book") is None


def test_pressing_book_twice_books_once_and_the_second_press_shows_the_booked_appointment(
    client, session, world
):
    login(client, world.coordinator)
    review = walk_to_review(client, world, panels=("Lipid panel",))

    first = submit(client, review, {})
    second = submit(client, review, {})

    [appointment] = _appointments(session)
    assert first.headers["Location"] == f"/appointments/{appointment.id}"
    _assert_shows_already_booked(second, appointment)
    assert [item.panel_id for item in appointment.panels] == [world.panel.id]


def test_back_then_book_with_the_same_review_shows_the_booked_appointment(client, session, world):
    login(client, world.coordinator)
    review = walk_to_review(client, world)
    booked = submit(client, review, {})
    client.get(booked.headers["Location"])  # the appointment's page; then Back to the review

    again = submit(client, review, {})

    [appointment] = _appointments(session)
    _assert_shows_already_booked(again, appointment)


def test_the_review_opened_afresh_after_booking_shows_the_booked_appointment(
    client, session, world
):
    login(client, world.coordinator)
    review = walk_to_review(client, world)
    submit(client, review, {})

    query = {"profile_id": world.profile.id, "location_id": world.berlin.id, "date": MONDAY}
    again = client.get(step_url("review", slot="2026-11-23T09:30:00Z", **query))

    [appointment] = _appointments(session)
    _assert_shows_already_booked(again, appointment)


@pytest.mark.parametrize("chairs", [1, 2])
def test_book_on_a_second_review_of_the_same_choices_shows_the_one_the_first_booked(
    chairs, client, session, world
):
    world.berlin.capacity = chairs  # 1: the slot is full; 2: the profile's time is taken
    session.commit()
    login(client, world.coordinator)
    first, second = walk_to_review(client, world), walk_to_review(client, world)
    assert submit(client, first, {}).status_code == 302

    response = submit(client, second, {})

    [appointment] = _appointments(session)
    _assert_shows_already_booked(response, appointment)


def test_a_new_review_of_the_same_choices_is_a_new_booking_token(client, session, world):
    login(client, world.coordinator)
    first, second = walk_to_review(client, world), walk_to_review(client, world, label="10:45")
    token = {"name": "booking_token"}
    assert first.find("input", attrs=token)["value"] != second.find("input", attrs=token)["value"]
    assert submit(client, first, {}).status_code == 302
    assert submit(client, second, {}).status_code == 302
    assert len(_appointments(session)) == 2


def test_one_users_booking_token_is_not_another_users(client, app, session, world):
    login(client, world.coordinator)
    review = walk_to_review(client, world)
    token = review.find("input", attrs={"name": "booking_token"})["value"]
    other = app.test_client()
    login(other, world.patient)
    patients_review = walk_to_review(other, world_for_patient(world), label="10:45")
    assert submit(client, review, {}).status_code == 302

    response = submit(other, patients_review, {"booking_token": token})

    assert response.status_code == 302
    assert len(_appointments(session)) == 2


def world_for_patient(world):
    """The world with the patient's own profile as the one `walk_to_review` books for."""
    return type(world)(**{**vars(world), "profile": world.patient_profile})


def test_a_review_posted_without_its_booking_token_books_nothing_and_says_to_reload(
    client, session, world
):
    login(client, world.coordinator)
    review = walk_to_review(client, world)
    review.find("input", attrs={"name": "booking_token"}).decompose()

    response = submit(client, review, {})

    assert response.status_code == 422
    assert any("open the review again" in text for text in alerts(soup(response)))
    assert session.scalar(select(func.count()).select_from(Appointment)) == 0
