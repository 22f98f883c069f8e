"""Signed-in pages are never stored by a browser or proxy; the session cookie, which anyone
holding it can read (it is signed, not encrypted), carries no patient's name."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, datetime

import pytest
from itsdangerous.encoding import base64_decode

from tests.factories import make_appointment
from tests.web.conftest import login, soup, submit_form, submit_page
from tests.web.journey import walk_to_review

PATIENT_DATA = ("Anna", "Schmidt", "Paula", "1985-04-12")


def readable_session(app, client) -> str:
    """The session cookie's contents as anyone holding the cookie reads them, without the
    SECRET_KEY: the payload before the first `.`, base64, compressed when it starts with `.`."""
    value = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    compressed = value.startswith(".")
    payload = base64_decode(value.lstrip(".").split(".")[0])
    return (zlib.decompress(payload) if compressed else payload).decode()


def assert_no_patient_data(app, client) -> None:
    text = readable_session(app, client)
    json.loads(text)
    found = [word for word in PATIENT_DATA if word in text]
    assert not found, text


def test_a_signed_in_page_is_never_stored(client, world):
    login(client, world.coordinator)
    response = client.get("/appointments")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_the_style_sheet_keeps_its_caching(client, world):
    login(client, world.coordinator)
    response = client.get("/static/css/vena.css")
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"
    response.close()


def test_booking_leaves_no_patient_data_in_the_session_cookie(app, client, world):
    login(client, world.coordinator)
    response = submit_page(client, walk_to_review(client, world), {})
    assert response.status_code == 302
    assert_no_patient_data(app, client)


def test_cancelling_leaves_no_patient_data_in_the_session_cookie(app, client, session, world):
    appointment = make_appointment(session, world.patient_profile, world.berlin)
    login(client, world.patient)
    response = submit_form(client, f"/appointments/{appointment.id}/cancel", {})
    assert response.status_code == 302
    assert_no_patient_data(app, client)


def test_a_profile_change_leaves_no_patient_data_in_the_session_cookie(app, client, world):
    login(client, world.coordinator)
    page = soup(client.get(f"/profiles/{world.profile.id}/edit"))
    response = submit_page(client, page, {"weight": "63.5"})
    assert response.status_code == 302
    assert_no_patient_data(app, client)


def test_a_new_profile_leaves_no_patient_data_in_the_session_cookie(app, client, world):
    login(client, world.coordinator)
    page = soup(client.get("/profiles/new"))
    changes = {"first_name": "Anna", "last_name": "Schmidt", "date_of_birth": "1985-04-12"}
    response = submit_page(client, page, {**changes, "sex": "2", "email": "anna@example.org"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert_no_patient_data(app, client)


@pytest.mark.parametrize(
    ("action", "data"), [("confirm", {}), ("cancel", {"reason": "patient_cancelled"})]
)
def test_a_front_desk_action_leaves_no_patient_data_in_the_session_cookie(
    app, client, session, world, action, data
):
    appointment = make_appointment(
        session,
        world.profile,
        world.berlin,
        status="pending",
        scheduled_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
    )
    login(client, world.front_desk)
    response = submit_form(client, f"/desk/appointments/{appointment.id}/{action}", data)
    assert response.status_code == 302
    assert_no_patient_data(app, client)
