"""A coordinator narrows the appointments table to one status and changes an appointment's
panels."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

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


def test_a_coordinator_filters_by_status_and_orders_a_panel_for_a_pending_appointment(
    page: Page, session
):
    org = make_org(session, "demo")
    berlin = make_location(session)
    make_panel(session, "Lipid panel", requires_fasting=True)
    make_panel(session, "HbA1c")
    anna, ben = make_profile(session, org), make_profile(session, org, first_name="Ben")
    clara = make_profile(session, org, first_name="Clara")
    make_appointment(session, anna, berlin, scheduled_at=MONDAY_1030)
    make_appointment(
        session, ben, berlin, scheduled_at=MONDAY_1030 + timedelta(hours=1), status="pending"
    )
    make_appointment(session, clara, berlin, scheduled_at=MONDAY_1030 + timedelta(days=1))
    coordinator = make_user(session, "coordinator", org=org, email="carla@vena.example.com")

    sign_in(page, coordinator)
    expect(page.get_by_role("heading", level=1)).to_have_text("Appointments")
    everything = page.get_by_role("table", name="Appointments from two months ago")
    expect(everything.get_by_role("row")).to_have_count(4)  # the header and three

    filters = page.get_by_role("search", name="Filter appointments")
    filters.get_by_label("Status").select_option(label="Pending")
    filters.get_by_role("button", name="Filter").click()
    pending = page.get_by_role("table", name="Pending appointments from two months ago")
    expect(pending.get_by_role("row")).to_have_count(2)
    expect(pending.get_by_role("row").last).to_contain_text("Ben Schmidt")
    expect(pending.get_by_role("row").last).to_contain_text("Pending")
    expect(filters.get_by_label("Status")).to_have_value("pending")
    screenshot(page, "appointments-filtered")

    pending.get_by_role("link", name="Panels of Ben Schmidt's appointment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Panels for Ben Schmidt's appointment"
    )
    page.get_by_role("checkbox", name="HbA1c").check()
    screenshot(page, "panels")
    page.get_by_role("button", name="Save panels").click()
    expect(page.get_by_role("status")).to_have_text("Panels updated.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Appointment of Ben Schmidt")
    expect(summary_value(page, "Panels")).to_have_text("HbA1c")
