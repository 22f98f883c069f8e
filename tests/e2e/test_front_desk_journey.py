"""Front desk's days: the next hour on Saturday, then Monday's day sheet, recording a blood draw
that is due and confirming a pending appointment, each through its confirmation page."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Locator, Page, expect

from tests.conftest import NOW
from tests.e2e.conftest import screenshot, sign_in, summary_value
from tests.factories import (
    make_appointment,
    make_location,
    make_org,
    make_panel,
    make_profile,
    make_user,
)

MONDAY_1030 = NOW + timedelta(days=2, minutes=30)  # Mon 23 Nov 2026, 10:30 in Berlin
BARCODE = "4006381333931"


def _row(page: Page, table: str, text: str) -> Locator:
    """The row of the table named `table` that contains `text`."""
    return page.get_by_role("table", name=table).get_by_role("row").filter(has_text=text)


def test_front_desk_records_a_blood_draw_and_confirms_a_pending_appointment(
    app, page: Page, session
):
    org = make_org(session)
    berlin = make_location(session, capacity=2)
    lipid = make_panel(session, "Lipid panel")
    anna = make_profile(session, org)
    ben = make_profile(session, org, first_name="Ben")
    make_appointment(session, anna, berlin, scheduled_at=MONDAY_1030, panels=[lipid])
    make_appointment(session, ben, berlin, scheduled_at=MONDAY_1030, status="pending")
    # Due within the hour of NOW (Saturday 10:00 in Berlin), for the next hour view; arranged
    # directly, as the factory does not check opening hours.
    clara = make_profile(session, org, first_name="Clara")
    make_appointment(session, clara, berlin, scheduled_at=NOW + timedelta(minutes=30))
    desk = make_user(session, "front_desk", location=berlin, email="desk@vena.example.com")

    sign_in(page, desk)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vena Berlin Mitte: Saturday 21 November 2026"
    )
    page.get_by_role("navigation", name="Desk views").get_by_role("link", name="Next hour").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vena Berlin Mitte: the next hour")
    expect(
        page.get_by_role("table", name="1 appointment in the next hour, soonest first")
    ).to_contain_text("Clara Schmidt")
    screenshot(page, "desk-next-hour")

    # Monday, 10:00: Anna's draw at 10:30 may be recorded from 09:30. Two days on, the idle
    # session has ended: the desk signs in again.
    app.config["CLOCK"] = lambda: MONDAY_1030 - timedelta(minutes=30)
    sign_in(page, desk)
    page.get_by_role("navigation", name="Desk views").get_by_role("link", name="Day sheet").click()
    page.get_by_label("Day", exact=True).fill("2026-11-23")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Vena Berlin Mitte: Monday 23 November 2026"
    )
    chairs = "Chairs taken in each slot on 23 November 2026"
    expect(_row(page, chairs, "10:30")).to_contain_text("2 of 2")
    expect(_row(page, chairs, "10:30")).to_contain_text("Full")
    expect(_row(page, chairs, "10:45")).to_contain_text("0 of 2")
    appointments = "2 appointments on 23 November 2026"
    expect(_row(page, appointments, "Anna Schmidt")).to_contain_text("Confirmed")
    expect(_row(page, appointments, "Ben Schmidt")).to_contain_text("Pending")
    screenshot(page, "desk-day-sheet")

    page.get_by_role("link", name="Record blood draw for Anna Schmidt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Record the blood draw of Anna Schmidt at 10:30?"
    )
    expect(summary_value(page, "Panels")).to_contain_text("Lipid panel")
    screenshot(page, "blood-draw-confirmation")
    # A barcode scanner types the digits and Enter into the field that has the focus: the page
    # opens with the focus there.
    expect(page.get_by_label("Sample barcode")).to_be_focused()
    page.keyboard.type(BARCODE)
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(
        "The blood draw for the appointment at 10:30 is recorded."
    )
    expect(_row(page, appointments, "Anna Schmidt")).to_contain_text("Blood drawn")
    expect(page.get_by_role("link", name="Record blood draw for Anna Schmidt")).to_have_count(0)

    page.get_by_role("link", name="Confirm Ben Schmidt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Confirm the appointment of Ben Schmidt at 10:30?"
    )
    page.get_by_role("button", name="Confirm the appointment").click()
    expect(page.get_by_role("status")).to_have_text("The appointment at 10:30 is confirmed.")
    expect(_row(page, appointments, "Ben Schmidt")).to_contain_text("Confirmed")

    page.get_by_role("link", name="Anna Schmidt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Appointment of Anna Schmidt")
    expect(summary_value(page, "Status")).to_have_text("Blood drawn")
    history = page.get_by_role("table", name="Status history").get_by_role("row")
    expect(history).to_have_count(3)  # the header, "Booked", the draw
    expect(history.last).to_contain_text("Blood drawn")
    expect(history.last).to_contain_text("desk@vena.example.com")
