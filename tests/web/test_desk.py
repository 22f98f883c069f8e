"""Front desk's day sheet: the location's appointments for a local day, and their actions, each
behind a confirmation page that shows the status history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from app.domain.models import Appointment, StatusChange
from tests.factories import APPOINTMENT_START, make_appointment
from tests.web.conftest import (
    alerts,
    field_errors,
    login,
    main_forms,
    soup,
    statuses,
    submit_form,
    table_by_caption,
)

MONDAY = "/desk?day=2026-11-23"


def sheet_url(location, day="2026-11-23"):
    """The day sheet's address, as (path, query), for comparing links whatever their order."""
    return ("/desk", {"location": [str(location.id)], "day": [day]})


def parts(url):
    """A link's (path, query)."""
    split = urlsplit(url)
    return split.path, parse_qs(split.query)


@pytest.fixture
def monday(session, world):
    """Monday at Berlin: Anna pending at 10:30 with a panel, Paula confirmed at 08:00 without."""
    return {
        "pending": make_appointment(
            session, world.profile, world.berlin, status="pending", panels=[world.panel]
        ),
        "no_panel": make_appointment(
            session,
            world.patient_profile,
            world.berlin,
            scheduled_at=datetime(2026, 11, 23, 7, 0, tzinfo=UTC),
        ),
    }


@pytest.fixture
def due(app, session, world):
    """Monday at Berlin, 10:00: Anna confirmed at 10:30 with a panel, her draw due (from 09:30)."""
    app.config["CLOCK"] = lambda: APPOINTMENT_START - timedelta(minutes=30)
    return make_appointment(session, world.profile, world.berlin, panels=[world.panel])


def status_of(session, appointment):
    session.rollback()  # end the test session's snapshot, to see the app's commits
    return session.scalar(select(Appointment.status).where(Appointment.id == appointment.id))


def _token(client, url):
    """The CSRF token of the POST form on `url` (the same for every form of the session)."""
    return main_forms(soup(client.get(url)))[0].find("input", attrs={"name": "csrf_token"})["value"]


def test_the_day_sheet_lists_the_locations_appointments_of_that_local_day(
    client, session, world, monday
):
    make_appointment(session, world.other_profile, world.new_york)
    make_appointment(
        session,
        world.profile,
        world.berlin,
        scheduled_at=datetime(2026, 11, 23, 23, 30, tzinfo=UTC),
    )
    login(client, world.front_desk)
    page = soup(client.get(MONDAY))
    rows = table_by_caption(page, "2 appointments on")
    assert [row[:4] for row in rows] == [
        ["08:00 (UTC+01:00)", "Paula Schmidt born 12 Apr 1985", "Confirmed", "None"],
        ["10:30 (UTC+01:00)", "Anna Schmidt born 12 Apr 1985", "Pending", "Lipid panel"],
    ]
    days = page.find("nav", attrs={"aria-label": "Days"})
    links = {a.get_text().split(":")[0].strip(): a["href"] for a in days.find_all("a")}
    assert parts(links["Previous day"]) == sheet_url(world.berlin, "2026-11-22")
    assert parts(links["Next day"]) == sheet_url(world.berlin, "2026-11-24")


def test_the_day_sheet_opens_on_today_in_the_locations_zone(client, world):
    login(client, world.front_desk)
    page = soup(client.get("/desk"))
    assert page.find("h1").get_text() == "Vena Berlin Mitte: Saturday 21 November 2026"


def test_a_malformed_day_gets_a_400_page(client, world):
    login(client, world.front_desk)
    response = client.get("/desk?day=monday")
    assert response.status_code == 400
    assert "2026-11-23" in soup(response).find("main").get_text()


def test_confirm_asks_first_then_confirms_and_returns_to_the_sheet(client, session, world, monday):
    login(client, world.front_desk)
    url = f"/desk/appointments/{monday['pending'].id}/confirm"
    assert soup(client.get(MONDAY)).find("a", href=url) is not None
    page = soup(client.get(url))
    assert page.find("h1").get_text() == "Confirm the appointment of Anna Schmidt at 10:30?"
    assert status_of(session, monday["pending"]) == "pending"

    response = submit_form(client, url, {})

    assert parts(response.headers["Location"]) == sheet_url(world.berlin)
    sheet = soup(client.get(response.headers["Location"]))
    assert "The appointment at 10:30 is confirmed." in statuses(sheet)
    assert status_of(session, monday["pending"]) == "confirmed"
    assert sheet.find("a", href=url) is None


def test_confirming_twice_shows_the_domains_conflict_on_the_page(client, world, monday):
    login(client, world.front_desk)
    url = f"/desk/appointments/{monday['pending'].id}/confirm"
    token = _token(client, url)
    client.post(url, data={"csrf_token": token})
    response = client.post(url, data={"csrf_token": token})
    assert response.status_code == 409
    assert "Cannot confirm an appointment that is confirmed." in alerts(soup(response))


def test_a_confirmation_page_of_a_confirmed_appointment_offers_no_button(client, world, monday):
    login(client, world.front_desk)
    page = soup(client.get(f"/desk/appointments/{monday['no_panel'].id}/confirm"))
    assert main_forms(page) == []
    assert "This appointment is confirmed, so it cannot be confirmed." in page.get_text(" ")


def test_each_confirmation_page_shows_the_status_history_in_local_time(
    client, session, world, monday
):
    login(client, world.front_desk)
    submit_form(client, f"/desk/appointments/{monday['pending'].id}/confirm", {})
    for action in ("confirm", "cancel", "blood-draw"):
        page = soup(client.get(f"/desk/appointments/{monday['pending'].id}/{action}"))
        assert table_by_caption(page, "Status history") == [
            ["Pending", "Sat 21 Nov 2026, 10:00", "test", "Booked"],
            [
                "Confirmed",
                "Sat 21 Nov 2026, 10:00",
                f"{world.front_desk.email} (front desk)",
                "Confirmed",
            ],
        ], action


def test_front_desk_records_the_blood_draw_with_a_barcode(client, session, world, due):
    login(client, world.front_desk)
    url = f"/desk/appointments/{due.id}/blood-draw"
    assert soup(client.get(MONDAY)).find("a", href=url) is not None
    response = submit_form(client, url, {"barcode": "12345678"})
    assert parts(response.headers["Location"]) == sheet_url(world.berlin)
    assert status_of(session, due) == "blood_drawn"
    sheet = soup(client.get(response.headers["Location"]))
    assert "The blood draw for the appointment at 10:30 is recorded." in statuses(sheet)


def test_a_barcode_with_letters_gets_the_domain_message_beside_the_field(client, world, due):
    login(client, world.front_desk)
    url = f"/desk/appointments/{due.id}/blood-draw"
    response = submit_form(client, url, {"barcode": "12AB5678"})
    assert response.status_code == 422
    assert field_errors(soup(response), "Sample barcode") == [
        "The barcode must be 6 to 32 digits, with nothing else."
    ]


def test_without_a_panel_the_draw_page_says_to_attach_one_first(client, world, monday):
    login(client, world.front_desk)
    page = soup(client.get(f"/desk/appointments/{monday['no_panel'].id}/blood-draw"))
    assert alerts(page) == [
        "No panel is ordered for this appointment, so there is nothing to draw yet. The patient "
        "or their coordinator orders panels on the appointment page."
    ]
    assert main_forms(page) == []


def test_a_draw_posted_without_a_panel_gets_the_domains_message(client, session, world, due):
    no_panel = make_appointment(
        session, world.patient_profile, world.berlin, scheduled_at=APPOINTMENT_START
    )
    login(client, world.front_desk)
    token = _token(client, f"/desk/appointments/{due.id}/blood-draw")
    url = f"/desk/appointments/{no_panel.id}/blood-draw"
    response = client.post(url, data={"csrf_token": token, "barcode": "12345678"})
    assert response.status_code == 409
    assert "Attach at least one panel before recording the blood draw." in alerts(soup(response))


def test_a_used_barcode_gets_the_domain_message_beside_the_field(client, session, world, due):
    other = make_appointment(
        session,
        world.other_profile,
        world.berlin,
        scheduled_at=datetime(2026, 11, 23, 9, 45, tzinfo=UTC),  # 10:45, after Anna's
        panels=[world.panel],
    )
    login(client, world.front_desk)
    submit_form(client, f"/desk/appointments/{due.id}/blood-draw", {"barcode": "555555"})
    response = submit_form(
        client, f"/desk/appointments/{other.id}/blood-draw", {"barcode": "555555"}
    )
    assert field_errors(soup(response), "Sample barcode") == [
        "This barcode is already used by another sample."
    ]


def test_front_desk_cancels_with_a_reason(app, client, session, world, monday):
    app.config["CLOCK"] = lambda: APPOINTMENT_START + timedelta(minutes=20)
    login(client, world.front_desk)
    url = f"/desk/appointments/{monday['pending'].id}/cancel"
    page = soup(client.get(url))
    assert page.find("h1").get_text() == "Cancel the appointment of Anna Schmidt at 10:30?"
    response = submit_form(client, url, {"reason": "no_show"})
    assert parts(response.headers["Location"]) == sheet_url(world.berlin)
    assert status_of(session, monday["pending"]) == "cancelled"
    last = session.scalars(
        select(StatusChange)
        .where(StatusChange.appointment_id == monday["pending"].id)
        .order_by(StatusChange.sequence.desc())
    ).first()
    assert last.reason == "Patient did not attend"
    history = table_by_caption(soup(client.get(url)), "Status history")
    assert history[-1][0::3] == ["Cancelled", "Patient did not attend"]


def test_front_desk_cannot_open_another_locations_appointment(client, session, world):
    elsewhere = make_appointment(session, world.profile, world.new_york)
    login(client, world.front_desk)
    for action in ("confirm", "cancel", "blood-draw"):
        assert client.get(f"/desk/appointments/{elsewhere.id}/{action}").status_code == 403
    assert client.get(f"/appointments/{elsewhere.id}").status_code == 403


@pytest.mark.parametrize("role", ["coordinator", "patient"])
def test_only_front_desk_opens_the_day_sheet(client, world, role):
    login(client, getattr(world, role))
    assert client.get("/desk").status_code == 403
    assert client.get("/desk/next").status_code == 403


def test_the_day_sheet_needs_sign_in(client):
    assert client.get("/desk").headers["Location"].startswith("/sign-in")
