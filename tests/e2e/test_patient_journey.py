"""A new patient's journey: sign up, add their own and a family member's profile, book for the
family member with the keyboard alone, take the calendar file, reschedule, and cancel."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    DESKTOP,
    screenshot,
    sign_in,
    skip_to_main,
    summary_value,
    tab_to,
)
from tests.factories import make_location, make_org, make_panel, make_profile, make_user

EMAIL = "mara.keller@example.org"
PASSWORD = "wombat lantern quiche"
PHONE = {"width": 390, "height": 844}
BOOKED = "Mon 23 Nov 2026, 07:45 (Europe/Berlin, UTC+01:00)"
MOVED = "Tue 24 Nov 2026, 09:00 (Europe/Berlin, UTC+01:00)"


def _sign_up(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Create an account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create an account")
    screenshot(page, "sign-up")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create the account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add your profile")
    expect(page.get_by_role("status")).to_have_text(
        "Your account is ready. Now add your own profile."
    )


def _add_profile(page: Page, first_name: str, date_of_birth: str, sex: str) -> None:
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name").fill("Keller")
    page.get_by_label("Date of birth").fill(date_of_birth)
    page.get_by_role("group", name="Sex").get_by_role("radio", name=sex, exact=True).check()
    page.get_by_role("button", name="Save the profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Profiles")
    expect(page.get_by_role("status")).to_have_text("The profile is saved.")


def _step(page: Page, heading: str) -> None:
    """Wait until the booking step whose heading is `heading` has opened."""
    expect(page.get_by_role("heading", level=2, name=heading)).to_be_visible()


def _choose_jonas(page: Page) -> None:
    """Step 1 by keyboard: type-ahead in the profile select, then Continue."""
    _step(page, "Step 1 of 4: Patient profile")
    screenshot(page, "booking-profile")
    skip_to_main(page)
    page.keyboard.press("Tab")
    expect(page.get_by_role("combobox", name="Patient profile")).to_be_focused()
    page.keyboard.type("Jonas")  # a closed select jumps to the option typed
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Add a profile")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Continue")).to_be_focused()
    page.keyboard.press("Enter")


def _choose_berlin(page: Page) -> None:
    """Step 2 by keyboard: search by city, then pick the location's radio with Space."""
    _step(page, "Step 2 of 4: Test location")
    expect(summary_value(page, "Patient")).to_contain_text("Jonas Keller")
    skip_to_main(page)
    tab_to(page, page.get_by_role("searchbox", name="Search by city or name"))
    page.keyboard.type("Berlin")
    page.keyboard.press("Enter")
    # Good English is "1 test location matches"; the page says "match" (reported, not fixed).
    expect(page.get_by_text(re.compile(r"1 test location match(es)? “Berlin”"))).to_be_visible()
    screenshot(page, "booking-location")
    skip_to_main(page)
    berlin = page.get_by_role("radio", name="Vena Berlin Mitte")
    tab_to(page, berlin)
    page.keyboard.press("Space")
    expect(berlin).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Continue")).to_be_focused()
    page.keyboard.press("Enter")


def _choose_0745_and_the_lipid_panel(page: Page) -> None:
    """Step 3 by keyboard: arrow keys move through the slot radios, Space ticks a panel."""
    _step(page, "Step 3 of 4: Date and time")
    skip_to_main(page)
    slots = page.get_by_role("group", name="Free times on Mon 23 Nov 2026 at Vena Berlin Mitte")
    first, second, third = (slots.get_by_role("radio", name=t) for t in ("07:30", "07:45", "08:00"))
    tab_to(page, first)  # with none chosen, Tab enters the radio group at its first slot
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(second).to_be_focused()
    expect(second).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(third).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(second).to_be_focused()
    expect(second).to_be_checked()
    expect(first).not_to_be_checked()
    expect(third).not_to_be_checked()
    lipid = page.get_by_role("checkbox", name="Lipid panel (requires fasting)")
    page.keyboard.press("Tab")  # the whole group is one Tab stop: next comes the first panel
    expect(lipid).to_be_focused()
    page.keyboard.press("Space")
    expect(lipid).to_be_checked()
    page.keyboard.press("Shift+Tab")  # back into the group, onto its chosen slot
    expect(second).to_be_focused()
    screenshot(page, "booking-time")
    page.set_viewport_size(PHONE)
    screenshot(page, "phone-booking-time")
    page.set_viewport_size(DESKTOP)
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Continue to the review")).to_be_focused()
    page.keyboard.press("Enter")


def _review_and_book(page: Page) -> None:
    """Step 4: the choices and the fasting instruction, then Book by keyboard."""
    _step(page, "Step 4 of 4: Review and book")
    expect(summary_value(page, "Patient")).to_contain_text("Jonas Keller")
    expect(summary_value(page, "When")).to_contain_text(BOOKED)
    expect(summary_value(page, "Panels")).to_contain_text("Lipid panel")
    expect(page.get_by_role("main")).to_contain_text(
        "Fasting: no food after 20:00 the evening before"
    )
    screenshot(page, "booking-review")
    skip_to_main(page)
    tab_to(page, page.get_by_role("button", name="Book"))
    page.keyboard.press("Enter")


def _download_calendar(page: Page) -> str:
    with page.expect_download() as info:
        page.get_by_role("link", name="Add to calendar").click()
    download = info.value
    assert download.suggested_filename == "vena-appointment-2026-11-23.ics"
    return Path(download.path()).read_text(encoding="utf-8")


def _reschedule(page: Page) -> None:
    page.get_by_role("link", name="Reschedule").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Reschedule the appointment of Jonas Keller"
    )
    expect(page.get_by_role("main")).to_contain_text(f"Now booked for {BOOKED}")
    page.get_by_label("Date (at the test location)").fill("2026-11-24")
    page.get_by_role("button", name="Show free times").click()
    slots = page.get_by_role("group", name="Free times on Tue 24 Nov 2026 at Vena Berlin Mitte")
    slots.get_by_role("radio", name="09:00").check()
    page.get_by_role("button", name="Reschedule to the chosen time").click()
    expect(page.get_by_role("status")).to_have_text(f"Rescheduled to {MOVED}.")
    expect(summary_value(page, "When")).to_have_text(MOVED)


def _cancel_from_the_list(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Appointments").click()
    upcoming = page.get_by_role("table", name="Upcoming appointments")
    expect(upcoming.get_by_role("row")).to_have_count(2)  # the header and Jonas's
    expect(upcoming).to_contain_text(MOVED)
    screenshot(page, "appointment-list")
    upcoming.get_by_role("link", name="Details of Jonas Keller's appointment").click()
    page.get_by_role("link", name="Cancel appointment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel this appointment?")
    screenshot(page, "cancel-confirmation")
    page.get_by_role("button", name="Cancel the appointment").click()
    expect(page.get_by_role("status")).to_have_text("The appointment is cancelled.")


def test_a_new_patient_books_for_a_family_member_by_keyboard_then_reschedules_and_cancels(
    page: Page, session
):
    make_location(session)
    make_panel(session, "Lipid panel", requires_fasting=True)

    _sign_up(page)
    expect(page.get_by_label("E-mail address")).to_have_value(EMAIL)  # their own profile's
    _add_profile(page, "Mara", "1984-06-02", "Female")
    page.get_by_role("link", name="Add a profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a profile")
    _add_profile(page, "Jonas", "2016-09-30", "Male")
    profiles = page.get_by_role("table", name="Profiles by last name")
    expect(profiles.get_by_role("row")).to_have_count(3)  # the header, Jonas and Mara
    screenshot(page, "profiles")

    book = page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Book an appointment"
    )
    tab_to(page, book)
    page.keyboard.press("Enter")
    _choose_jonas(page)
    _choose_berlin(page)
    _choose_0745_and_the_lipid_panel(page)
    _review_and_book(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Appointment of Jonas Keller")
    expect(page.get_by_role("status")).to_have_text(f"Appointment booked for {BOOKED}.")
    expect(summary_value(page, "Status")).to_have_text("Confirmed")
    screenshot(page, "appointment-detail")

    calendar = _download_calendar(page)
    assert calendar.startswith("BEGIN:VCALENDAR")
    assert "TZID:Europe/Berlin" in calendar
    assert "DTSTART;TZID=Europe/Berlin:20261123T074500" in calendar

    _reschedule(page)
    _cancel_from_the_list(page)
    expect(summary_value(page, "Status")).to_have_text("Cancelled")
    expect(page.get_by_role("link", name="Reschedule")).to_have_count(0)
    history = page.get_by_role("table", name="Status history").get_by_role("row")
    expect(history.last).to_contain_text("Cancelled")


def test_a_keyboard_user_who_continues_without_a_time_is_told_and_can_still_choose_one(
    page: Page, session
):
    location = make_location(session)
    org = make_org(session, "public")
    patient = make_user(session, "patient", org=org, email=EMAIL)
    profile = make_profile(session, org, owner=patient)
    sign_in(page, patient)
    page.goto(f"/appointments/new/time?profile_id={profile.id}&location_id={location.id}")
    _step(page, "Step 3 of 4: Date and time")
    skip_to_main(page)
    tab_to(page, page.get_by_role("button", name="Continue to the review"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("alert")).to_have_text("Please correct the fields marked below.")
    slots = page.get_by_role("group", name="Free times on Mon 23 Nov 2026 at Vena Berlin Mitte")
    expect(slots).to_have_accessible_description(re.compile("Choose one of the free times."))
    # The failed submit puts the focus on the first free time, as other steps do on the field
    # in error.
    first = slots.get_by_role("radio", name="07:30")
    expect(first).to_be_focused()
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Continue to the review"))
    page.keyboard.press("Enter")
    _step(page, "Step 4 of 4: Review and book")
    expect(summary_value(page, "When")).to_contain_text("Mon 23 Nov 2026, 07:30")
