"""An admin opens the test locations and a location's schedule."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot, sign_in
from tests.factories import make_location, make_user


def test_an_admin_opens_the_locations_and_a_schedule_from_the_navigation(page: Page, session):
    make_location(session)
    make_location(session, name="Vena München", capacity=1)
    admin = make_user(session, "admin", email="admin@vena.example.com")

    sign_in(page, admin)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Locations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test locations")
    expect(
        page.get_by_role("table", name="Test locations by country").get_by_role("row")
    ).to_have_count(3)
    screenshot(page, "admin-locations")

    page.get_by_role("link", name="Vena Berlin Mitte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule of Vena Berlin Mitte")
    expect(page.get_by_role("heading", level=2)).to_have_text("Closed dates")
    expect(page.get_by_label("Monday, period 1: Opens")).to_have_value("07:30")
    expect(page.get_by_label("Monday, period 1: Closes")).to_have_value("18:00")
    expect(page.get_by_label("Saturday, period 1: Opens")).to_have_value("")
    screenshot(page, "admin-schedule")
