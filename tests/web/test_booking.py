"""Patients and coordinators book in steps: profile, test location, date and time, then a review
whose "Book" button books (the time step's picker: test_booking_time)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.domain.accounts import user_actor
from app.domain.appointments import BookingRequest, book_appointment
from app.domain.errors import SlotUnavailable
from app.domain.models import Appointment
from tests.conftest import NOW
from tests.factories import make_appointment, make_location, make_panel, random_id
from tests.web.conftest import alerts, control_by_label, field_errors, login, soup, statuses
from tests.web.conftest import submit_page as submit
from tests.web.journey import (
    choose,
    current_step,
    described_text,
    open_page,
    query_of,
    search_locations,
    step_heading,
    step_url,
    walk_to_review,
)

MONDAY_1030 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
FASTING = "Fasting: no food after 20:00 the evening before; water is fine."


def _count(session):
    session.rollback()  # end the test session's snapshot, to see the app's commits
    return session.scalar(select(func.count()).select_from(Appointment))


def _location_step(client, world):
    return open_page(client, step_url("location", profile_id=world.profile.id))


def test_step_one_asks_for_the_profile_and_marks_the_current_step(client, world):
    login(client, world.coordinator)
    page = open_page(client, step_url("profile"))
    assert step_heading(page) == "Step 1 of 4: Patient profile"
    assert current_step(page) == "Patient profile"
    steps = page.select('nav[aria-label="Booking steps"] li')
    assert [li.get_text(strip=True) for li in steps] == [
        "Patient profile",
        "Test location",
        "Date and time",
        "Review and book",
    ]
    assert page.select('nav[aria-label="Booking steps"] a') == []  # no later step before its time
    options = control_by_label(page, "Patient profile").find_all("option")
    assert [o.get_text() for o in options if o["value"]] == [
        "Anna Schmidt (born 12 Apr 1985)",
        "Paula Schmidt (born 12 Apr 1985)",
    ]


def test_each_step_carries_only_ids_and_the_slot_instant_in_its_url(client, world):
    login(client, world.coordinator)
    page = open_page(client, step_url("profile"))
    response = submit(client, page, {"profile_id": str(world.profile.id)})
    assert response.status_code == 303
    assert query_of(response.headers["Location"]) == {"profile_id": [str(world.profile.id)]}
    review = walk_to_review(client, world, panels=("Lipid panel",))
    [book] = review.select("main form[method=post]")
    carried = {tag["name"]: tag["value"] for tag in book.find_all("input", type="hidden")}
    assert carried == {
        "csrf_token": carried["csrf_token"],
        "booking_token": carried["booking_token"],
        "profile_id": str(world.profile.id),
        "location_id": str(world.berlin.id),
        "date": "2026-11-23",
        "slot": "2026-11-23T09:30:00Z",
        "panel_id": str(world.panel.id),
    }


def test_the_location_step_shows_each_locations_address_hours_and_next_free_slot(client, world):
    login(client, world.coordinator)
    page = _location_step(client, world)
    assert step_heading(page) == "Step 2 of 4: Test location"
    assert (
        page.find("dl")
        .get_text(" ", strip=True)
        .startswith("Patient Anna Schmidt born 12 Apr 1985 Change")
    )
    berlin = control_by_label(page, "Vena Berlin Mitte")
    assert (berlin["type"], berlin["name"]) == ("radio", "location_id")
    assert described_text(page, berlin) == (
        "Friedrichstraße 68, 10117 Berlin, Germany "
        "Today (Sat 21 Nov): closed "
        "Opening hours (Europe/Berlin time): Mon–Fri 07:30–18:00; Sat, Sun closed "
        "Next free: Mon 23 Nov, 07:30"
    )
    midtown = described_text(page, control_by_label(page, "Vena Midtown"))
    assert "Opening hours (America/New_York time)" in midtown
    assert midtown.endswith("Next free: Mon 23 Nov, 07:30")


def test_the_next_free_slot_skips_the_slots_whose_chairs_are_taken(client, session, world):
    first = datetime(2026, 11, 23, 6, 30, tzinfo=UTC)
    for step in range(4):  # 07:30 to 08:15 local time
        at = first + timedelta(minutes=15 * step)
        make_appointment(session, world.other_profile, world.berlin, scheduled_at=at)
    login(client, world.coordinator)
    page = _location_step(client, world)
    berlin = control_by_label(page, "Vena Berlin Mitte")
    assert described_text(page, berlin).endswith("Next free: Mon 23 Nov, 08:30")


def test_searching_by_city_or_name_filters_the_list_ignoring_case(client, session, world):
    world.new_york.city = "New York"
    session.commit()
    make_location(session, name="Vena Prenzlauer Berg")
    login(client, world.coordinator)
    page = search_locations(client, _location_step(client, world), "NEW york")
    assert [r.find_next("label").get_text() for r in page("input", type="radio")] == [
        "Vena Midtown"
    ]
    assert "1 test location matches “NEW york”." in page.find("main").get_text(" ", strip=True)
    page = search_locations(client, page, "mitte")
    assert [r.find_next("label").get_text() for r in page("input", type="radio")] == [
        "Vena Berlin Mitte"
    ]
    assert query_of(page.find("a", string="Show all test locations")["href"]) == {
        "profile_id": [str(world.profile.id)]
    }
    page = search_locations(client, page, "Hamburg")
    assert page("input", type="radio") == []
    assert "No test location matches “Hamburg”." in page.find("main").get_text(" ", strip=True)


def test_the_location_step_asks_for_a_choice_and_names_an_unknown_one(client, world):
    login(client, world.coordinator)
    page = _location_step(client, world)
    response = submit(client, page, {})
    assert response.status_code == 422
    assert "Choose a test location." in soup(response).find(class_="field-error").get_text()
    response = submit(client, page, {"location_id": random_id()})
    assert "Test location not found." in soup(response).find(class_="field-error").get_text()


def test_choosing_another_location_drops_the_date_and_time_chosen_at_the_first(client, world):
    login(client, world.coordinator)
    review = walk_to_review(client, world)
    back = open_page(client, review.find("a", string="Test location")["href"])
    assert control_by_label(back, "Vena Berlin Mitte").has_attr("checked")
    page = choose(client, back, {"location_id": str(world.new_york.id)})
    assert step_heading(page) == "Step 3 of 4: Date and time"
    assert page.find("input", attrs={"type": "radio", "checked": True}) is None


def test_the_review_shows_every_choice_in_local_time_without_fasting(client, world):
    login(client, world.coordinator)
    page = walk_to_review(client, world, panels=("Lipid panel",))
    assert step_heading(page) == "Step 4 of 4: Review and book"
    summary = {
        dt.get_text(strip=True): " ".join(dt.find_next("dd").get_text(" ").split())
        for dt in page.find("dl")("dt")
    }
    assert summary == {
        "Patient": "Anna Schmidt born 12 Apr 1985 Change the patient",
        "Test location": (
            "Vena Berlin Mitte Friedrichstraße 68 10117 Berlin Germany Change the test location"
        ),
        "When": "Mon 23 Nov 2026, 10:30 (Europe/Berlin, UTC+01:00) Change the date and time",
        "Panels": "Lipid panel Change the panels",
    }
    assert FASTING not in page.get_text()
    assert page.find("button", string="Book") is not None


def test_the_review_gives_the_fasting_instruction_when_a_panel_needs_it(client, session, world):
    make_panel(session, "Fasting glucose", requires_fasting=True)
    login(client, world.coordinator)
    page = walk_to_review(client, world, panels=("Fasting glucose", "Lipid panel"))
    assert page.find(class_="notice").get_text(strip=True) == FASTING


def test_book_on_the_review_books_the_appointment(client, session, world):
    login(client, world.coordinator)
    page = walk_to_review(client, world, panels=("Lipid panel",))
    response = submit(client, page, {})
    assert response.status_code == 302
    session.rollback()
    appointment = session.scalars(select(Appointment)).one()
    assert (appointment.profile_id, appointment.scheduled_at) == (world.profile.id, MONDAY_1030)
    assert [item.panel_id for item in appointment.panels] == [world.panel.id]
    assert response.headers["Location"] == f"/appointments/{appointment.id}"
    detail = soup(client.get(response.headers["Location"]))
    assert "Appointment booked for Mon 23 Nov 2026, 10:30 (Europe/Berlin, UTC+01:00)." in (
        statuses(detail)
    )


def test_a_slot_taken_meanwhile_shows_the_domains_message_and_the_next_free_times(
    client, session, world
):
    login(client, world.coordinator)
    page = walk_to_review(client, world)
    make_appointment(session, world.other_profile, world.berlin, scheduled_at=MONDAY_1030)
    request = BookingRequest(world.profile.id, world.berlin.id, MONDAY_1030)
    with pytest.raises(SlotUnavailable) as refused:
        book_appointment(session, request, actor=user_actor(world.coordinator), now=NOW)
    session.rollback()

    response = submit(client, page, {})
    assert response.status_code == 409
    page = soup(response)
    assert f"The appointment is not booked: {refused.value.message}" in alerts(page)
    assert page.find("button", string="Book") is None
    offered = page.find("ul", attrs={"aria-labelledby": "next-times"})
    links = {a.get_text(strip=True): a["href"] for a in offered("a")}
    assert list(links) == [
        "Mon 23 Nov 2026, 10:45",
        "Mon 23 Nov 2026, 11:00",
        "Mon 23 Nov 2026, 11:15",
    ]
    assert _count(session) == 1

    assert query_of(links["Mon 23 Nov 2026, 10:45"])["slot"] == ["2026-11-23T09:45:00Z"]
    review = open_page(client, links["Mon 23 Nov 2026, 10:45"])
    assert "Mon 23 Nov 2026, 10:45 (Europe/Berlin, UTC+01:00)" in review.find("dl").get_text()
    assert submit(client, review, {}).status_code == 302
    assert _count(session) == 2


def test_a_review_whose_slot_can_no_longer_be_booked_says_why_and_offers_no_book(client, world):
    login(client, world.coordinator)
    query = {"profile_id": world.profile.id, "location_id": world.berlin.id}
    page = open_page(client, step_url("review", slot="2026-11-21T08:00:00Z", **query))
    when = page.find("dt", string="When").find_next("dd")
    assert when.find(class_="field-error").get_text(strip=True) == (
        "This time has passed: choose a later one."
    )
    assert page.find("button", string="Book") is None


def test_a_step_opened_without_an_earlier_choice_sends_back_to_that_step(client, world):
    login(client, world.coordinator)
    response = client.get(step_url("review", profile_id=world.profile.id, slot="x"))
    assert response.status_code == 303
    assert response.headers["Location"].startswith("/appointments/new/location?")
    assert client.get(step_url("time")).headers["Location"] == "/appointments/new"


def test_a_patient_books_only_for_their_own_profiles(client, world):
    login(client, world.patient)
    page = open_page(client, step_url("profile"))
    options = control_by_label(page, "Patient profile")
    only = "Paula Schmidt (born 12 Apr 1985)"
    assert [o.get_text() for o in options.find_all("option") if o["value"]] == [only]
    assert options.find(selected=True).get_text() == only  # the only one: chosen
    response = submit(client, page, {"profile_id": str(world.profile.id)})
    assert response.status_code == 422
    assert field_errors(soup(response), "Patient profile") == ["Not a valid choice."]
    other = client.get(step_url("location", profile_id=world.profile.id))
    assert other.status_code == 403


def test_front_desk_cannot_book(client, world):
    login(client, world.front_desk)
    for step in ("profile", "location", "time", "review"):
        assert client.get(step_url(step)).status_code == 403
