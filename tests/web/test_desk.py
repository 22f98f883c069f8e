"""Front desk's day sheet: the location's appointments for a local day, and their actions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from app.domain.models import Appointment, StatusChange
from tests.factories import make_appointment
from tests.web.conftest import (
    alerts,
    field_errors,
    login,
    soup,
    statuses,
    submit_form,
    table_by_caption,
)

MONDAY = "/desk?day=2026-11-23"


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


def _status_of(session, appointment):
    session.rollback()  # end the test session's snapshot, to see the app's commits
    return session.scalar(select(Appointment.status).where(Appointment.id == appointment.id))


def test_the_day_sheet_lists_the_locations_appointments_of_that_local_day(
    client, session, world, monday
):
    make_appointment(session, world.profile, world.new_york)
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
        ["08:00 (UTC+01:00)", "Paula Schmidt", "Confirmed", "None"],
        ["10:30 (UTC+01:00)", "Anna Schmidt", "Pending", "Lipid panel"],
    ]
    links = {a.get_text().split(":")[0].strip(): a["href"] for a in page.select("nav a")}
    assert links["Previous day"] == "/desk?day=2026-11-22"
    assert links["Next day"] == "/desk?day=2026-11-24"


def test_the_day_sheet_opens_on_today_in_the_locations_zone(client, world):
    login(client, world.front_desk)
    page = soup(client.get("/desk"))
    assert page.find("h1").get_text() == "Vena Berlin Mitte: Saturday 21 November 2026"


def test_a_malformed_day_gets_a_400_page(client, world):
    login(client, world.front_desk)
    response = client.get("/desk?day=monday")
    assert response.status_code == 400
    assert "2026-11-23" in soup(response).find("main").get_text()


def test_front_desk_confirms_a_pending_appointment(client, session, world, monday):
    login(client, world.front_desk)
    action = f"/desk/appointments/{monday['pending'].id}/confirm"
    response = submit_form(client, MONDAY, {}, action=action)
    assert response.headers["Location"] == MONDAY
    page = soup(client.get(MONDAY))
    assert "The appointment is confirmed." in statuses(page)
    assert _status_of(session, monday["pending"]) == "confirmed"
    assert not page.select(f'form[action="{action}"]')


def test_confirming_twice_shows_the_domains_conflict(client, session, world, monday):
    login(client, world.front_desk)
    action = f"/desk/appointments/{monday['pending'].id}/confirm"
    page = soup(client.get(MONDAY))
    token = page.select_one(f'form[action="{action}"] input[name=csrf_token]')["value"]
    client.post(action, data={"csrf_token": token})
    client.post(action, data={"csrf_token": token})
    assert "Cannot confirm an appointment that is confirmed." in alerts(soup(client.get(MONDAY)))


def test_front_desk_records_the_blood_draw_with_a_barcode(client, session, world, monday):
    login(client, world.front_desk)
    url = f"/desk/appointments/{monday['pending'].id}/blood-draw"
    assert soup(client.get(MONDAY)).find("a", href=url) is not None
    response = submit_form(client, url, {"barcode": "12345678"})
    assert response.headers["Location"] == MONDAY
    assert _status_of(session, monday["pending"]) == "blood_drawn"


def test_a_barcode_with_letters_gets_the_domain_message_beside_the_field(client, world, monday):
    login(client, world.front_desk)
    url = f"/desk/appointments/{monday['pending'].id}/blood-draw"
    response = submit_form(client, url, {"barcode": "12AB5678"})
    assert response.status_code == 422
    assert field_errors(soup(response), "Sample barcode") == [
        "barcode must be 6 to 32 digits, with nothing else."
    ]


def test_a_draw_without_a_panel_gets_the_domain_message_beside_the_field(client, world, monday):
    login(client, world.front_desk)
    url = f"/desk/appointments/{monday['no_panel'].id}/blood-draw"
    response = submit_form(client, url, {"barcode": "12345678"})
    assert response.status_code == 409
    assert field_errors(soup(response), "Sample barcode") == [
        "Attach at least one panel before recording the blood draw."
    ]


def test_a_used_barcode_gets_the_domain_message_beside_the_field(client, session, world, monday):
    make_appointment(session, world.profile, world.berlin, panels=[world.panel])
    other = session.scalars(select(Appointment).order_by(Appointment.scheduled_at)).all()[-1]
    login(client, world.front_desk)
    submit_form(
        client, f"/desk/appointments/{monday['pending'].id}/blood-draw", {"barcode": "555555"}
    )
    response = submit_form(
        client, f"/desk/appointments/{other.id}/blood-draw", {"barcode": "555555"}
    )
    assert field_errors(soup(response), "Sample barcode") == [
        "This barcode is already used by another sample."
    ]


def test_front_desk_cancels_with_a_reason(client, session, world, monday):
    login(client, world.front_desk)
    url = f"/desk/appointments/{monday['pending'].id}/cancel"
    response = submit_form(client, url, {"reason": "no_show"})
    assert response.headers["Location"] == MONDAY
    assert _status_of(session, monday["pending"]) == "cancelled"
    last = session.scalars(
        select(StatusChange)
        .where(StatusChange.appointment_id == monday["pending"].id)
        .order_by(StatusChange.sequence.desc())
    ).first()
    assert last.reason == "Patient did not attend"


def test_front_desk_cannot_open_another_locations_appointment(client, session, world):
    elsewhere = make_appointment(session, world.profile, world.new_york)
    login(client, world.front_desk)
    assert client.get(f"/desk/appointments/{elsewhere.id}/blood-draw").status_code == 403
    assert client.get(f"/appointments/{elsewhere.id}").status_code == 403


@pytest.mark.parametrize("role", ["coordinator", "patient"])
def test_only_front_desk_opens_the_day_sheet(client, world, role):
    login(client, getattr(world, role))
    assert client.get("/desk").status_code == 403


def test_the_day_sheet_needs_sign_in(client):
    assert client.get("/desk").headers["Location"].startswith("/sign-in")
