"""`Idempotency-Key` (issue 5): a retry replays the first answer; misuse gets 400, 422 or 409."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app.domain.idempotency_models import IdempotencyKey
from app.domain.models import Appointment, Profile
from tests.api.conftest import FORBIDDEN, Api, booking
from tests.api.idempotency import KEY, NEW_PROFILE, claim_for, count, send
from tests.conftest import NOW
from tests.factories import APPOINTMENT_START, make_appointment, make_location, make_profile


@pytest.fixture
def on_the_day(app):
    """The app's clock at APPOINTMENT_START, when its blood draw may be recorded."""
    app.config["CLOCK"] = lambda: APPOINTMENT_START


@pytest.fixture
def roomy(session):
    """A location with two chairs per slot: a second booking of the same slot would succeed."""
    return make_location(session, name="Vena Hamburg", capacity=2)


def test_retry_with_same_key_replays_the_first_response_and_books_once(
    api, session, profile, roomy
):
    first = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))
    retry = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))

    assert first.status_code == 201
    assert "Idempotent-Replayed" not in first.headers
    assert retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.data == first.data
    assert count(session, Appointment) == 1


def test_the_first_response_with_a_key_is_the_appointment_as_it_reads_afterwards(
    api, profile, roomy
):
    first = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy)).get_json()

    assert api.get(f"/appointments/{first['id']}").get_json() == first


def test_the_same_body_with_other_key_order_and_spacing_is_a_retry(api, session, profile, roomy):
    body = booking(profile, roomy)
    send(api, "POST", "/appointments", KEY, json=body)
    reordered = json.dumps(dict(reversed(body.items())), indent=4)

    retry = send(api, "POST", "/appointments", KEY, data=reordered, content_type="application/json")

    assert retry.status_code == 201
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert count(session, Appointment) == 1


def test_the_same_key_with_a_different_body_is_422_and_books_nothing(api, session, profile, roomy):
    send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))

    response = send(
        api, "POST", "/appointments", KEY, json=booking(profile, roomy, "2026-11-23T09:45:00Z")
    )

    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "idempotency_key_reused"
    assert "Idempotency-Key" in body["error"]
    assert body["details"] == {"Idempotency-Key": [body["error"]]}
    assert count(session, Appointment) == 1


def test_the_same_key_on_another_endpoint_is_422(api, session, profile, roomy):
    send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))

    response = send(api, "POST", "/profiles", KEY, json=NEW_PROFILE)

    assert response.status_code == 422
    assert response.get_json()["code"] == "idempotency_key_reused"


def test_a_retry_while_the_first_request_runs_is_409_in_use(api, session, org, profile, roomy):
    claim_for(session, org, booking(profile, roomy), at=NOW)

    response = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))

    assert response.status_code == 409
    body = response.get_json()
    assert body["code"] == "idempotency_key_in_use"
    assert "Idempotency-Key" in body["error"]
    assert count(session, Appointment) == 0


def test_the_same_key_from_another_organisation_is_a_different_key(
    api, api_with, session, profile, other_org, roomy
):
    other_api = api_with("TEST_SESSIONS_SCHEDULE", organisation=other_org)
    other_profile = make_profile(session, other_org, first_name="Otto")

    ours = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))
    theirs = send(other_api, "POST", "/appointments", KEY, json=booking(other_profile, roomy))

    assert (ours.status_code, theirs.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in theirs.headers
    assert theirs.get_json()["profile_id"] == str(other_profile.id)
    assert count(session, Appointment) == 2


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("", "Idempotency-Key must not be empty."),
        ("k" * 256, "Idempotency-Key may hold at most 255 characters."),
        ("k" * 10_000, "Idempotency-Key may hold at most 255 characters."),
        ("schlüssel", "Idempotency-Key may hold only printable ASCII characters."),
    ],
)
def test_an_empty_too_long_or_non_ascii_key_is_400_naming_the_header(
    api, session, profile, roomy, key, message
):
    response = send(api, "POST", "/appointments", key, json=booking(profile, roomy))

    assert response.status_code == 400
    assert response.get_json() == {
        "error": message,
        "code": "validation_error",
        "details": {"Idempotency-Key": [message]},
    }
    assert count(session, Appointment) == 0


def test_a_key_of_255_characters_is_accepted(api, profile, roomy):
    response = send(api, "POST", "/appointments", "k" * 255, json=booking(profile, roomy))
    assert response.status_code == 201


def test_the_api_key_is_checked_before_the_idempotency_key(client, profile, roomy):
    response = send(Api(client, None), "POST", "/appointments", "", json=booking(profile, roomy))
    assert response.status_code == 403
    assert response.get_json() == FORBIDDEN


def test_retry_of_a_profile_creation_replays_it_and_creates_one_profile(api, session):
    first = send(api, "POST", "/profiles", KEY, json=NEW_PROFILE)
    retry = send(api, "POST", "/profiles", KEY, json=NEW_PROFILE)

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.data == first.data
    assert count(session, Profile) == 1


def test_retry_of_a_recorded_blood_draw_replays_its_success_instead_of_409(
    api, session, profile, location, panel, on_the_day
):
    appointment = make_appointment(session, profile, location, panels=[panel])
    path = f"/appointments/{appointment.id}/confirm"

    first = send(api, "POST", path, KEY, json={"barcode": "4006381333931"})
    retry = send(api, "POST", path, KEY, json={"barcode": "4006381333931"})
    without_key = api.post(path, json={"barcode": "4006381333931"})

    assert (first.status_code, first.get_json()) == (200, {"success": True})
    assert (retry.status_code, retry.get_json()) == (200, {"success": True})
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert without_key.status_code == 409


def test_the_same_key_for_another_appointments_blood_draw_is_422(
    api, session, org, profile, location, panel, on_the_day
):
    drawn = make_appointment(session, profile, location, panels=[panel])
    other = make_appointment(
        session,
        make_profile(session, org, first_name="Berta"),
        location,
        scheduled_at=NOW + timedelta(days=2, minutes=45),  # the slot after `drawn`'s
        panels=[panel],
    )
    barcode = {"barcode": "4006381333931"}
    assert (
        send(api, "POST", f"/appointments/{drawn.id}/confirm", KEY, json=barcode).status_code == 200
    )

    response = send(api, "POST", f"/appointments/{other.id}/confirm", KEY, json=barcode)

    assert response.status_code == 422
    assert api.get(f"/appointments/{other.id}").get_json()["status"] == "confirmed"


def test_a_request_without_a_key_stores_nothing(api, session, profile, roomy):
    assert api.post("/appointments", json=booking(profile, roomy)).status_code == 201
    assert count(session, IdempotencyKey) == 0
