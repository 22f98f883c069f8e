"""A coordinator presses "Book" twice while the server is still booking the first press (as a
double-click on a slow connection does): one appointment is booked, and the page shows it, never
"The appointment is not booked"."""

from __future__ import annotations

import threading
from urllib.parse import urlencode

import pytest
from flask import Flask, request
from playwright.sync_api import Page, expect
from sqlalchemy import select

from app.domain.models import Appointment
from tests.e2e.conftest import sign_in, summary_value
from tests.factories import make_location, make_org, make_profile, make_user

REVIEW = "/appointments/new/review"
WAIT = 10  # seconds, at most, that one press waits for the other
WHEN = "Mon 23 Nov 2026, 10:30 (Europe/Berlin, UTC+01:00)"


class Presses:
    """Orders the two POSTs of the review: the first is held until the second has arrived, and
    the second (whose answer the browser shows) runs once the first has finished."""

    def __init__(self) -> None:
        self.arrived = 0
        self.first_arrived = threading.Event()
        self.second_arrived = threading.Event()
        self.first_done = threading.Event()
        self.lock = threading.Lock()


@pytest.fixture
def presses(app: Flask) -> Presses:
    """The app with the review's POSTs ordered as a slow server would see a double-click."""
    order = Presses()

    @app.before_request
    def _hold() -> None:
        if request.method != "POST" or request.path != REVIEW:
            return
        with order.lock:
            order.arrived += 1
            number = order.arrived
        request.environ["press"] = number
        if number == 1:
            order.first_arrived.set()
            order.second_arrived.wait(WAIT)
        else:
            order.second_arrived.set()
            order.first_done.wait(WAIT)

    @app.teardown_request
    def _done(_error: BaseException | None) -> None:
        if request.environ.get("press") == 1:
            order.first_done.set()

    return order


def test_pressing_book_twice_while_booking_books_one_appointment_and_shows_it(
    presses: Presses, page: Page, session
):
    org = make_org(session, "demo")
    berlin = make_location(session)
    anna = make_profile(session, org)
    coordinator = make_user(session, "coordinator", org=org, email="carla@vena.example.com")
    sign_in(page, coordinator)
    query = {"profile_id": anna.id, "location_id": berlin.id, "slot": "2026-11-23T09:30:00Z"}
    page.goto(f"{REVIEW}?{urlencode(query)}")
    box = page.get_by_role("button", name="Book").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    # The mouse, unlike a locator's click, does not wait for the first press's navigation.
    page.mouse.click(x, y)
    assert presses.first_arrived.wait(WAIT)
    page.mouse.click(x, y)

    expect(page.get_by_role("heading", level=1)).to_have_text("Already booked")
    expect(page.get_by_role("main").get_by_role("alert")).to_have_count(0)
    expect(summary_value(page, "When")).to_have_text(WHEN)
    page.get_by_role("link", name="Open the appointment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Appointment of Anna Schmidt")
    assert presses.arrived == 2
    session.rollback()
    [booked] = session.scalars(select(Appointment)).all()
    assert page.url.endswith(f"/appointments/{booked.id}")
