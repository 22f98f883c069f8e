"""`Idempotency-Key` over time: a refused request frees its key, keys expire after 24 hours, and a
claim left by a crashed request is taken over once it outlived the worker timeout."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.idempotency_models import IdempotencyKey
from app.domain.models import Appointment, Profile
from tests.api.conftest import booking
from tests.api.idempotency import DAY, KEY, NEW_PROFILE, TIMEOUT, claim_for, count, send
from tests.conftest import NOW
from tests.factories import make_appointment, make_location, make_profile, random_id


@pytest.fixture
def roomy(session):
    """A location with two chairs per slot, so a slot's chairs never decide these tests."""
    return make_location(session, name="Vena Hamburg", capacity=2)


def test_a_first_request_refused_as_slot_unavailable_leaves_the_key_free_for_a_retry(
    api, session, org, profile, location
):
    blocker = make_appointment(session, make_profile(session, org, first_name="Otto"), location)
    refused = send(api, "POST", "/appointments", KEY, json=booking(profile, location))
    assert refused.status_code == 409
    assert refused.get_json()["code"] == "slot_unavailable"
    assert count(session, IdempotencyKey) == 0

    assert api.delete(f"/appointments/{blocker.id}").status_code == 200
    retry = send(api, "POST", "/appointments", KEY, json=booking(profile, location))

    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry.headers


def test_a_first_request_refused_with_404_may_be_corrected_under_the_same_key(
    api, session, profile, roomy
):
    wrong = {**booking(profile, roomy), "profile_id": random_id()}
    assert send(api, "POST", "/appointments", KEY, json=wrong).status_code == 404

    corrected = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))

    assert corrected.status_code == 201
    assert count(session, Appointment) == 1


def test_a_malformed_body_claims_no_key(api, session, profile, roomy):
    incomplete = {"profile_id": str(profile.id), "location_id": str(roomy.id)}
    assert send(api, "POST", "/appointments", KEY, json=incomplete).status_code == 400
    assert count(session, IdempotencyKey) == 0

    assert send(api, "POST", "/appointments", KEY, json=booking(profile, roomy)).status_code == 201


def test_a_profile_refused_by_a_rule_leaves_the_key_free(api, session):
    refused = send(api, "POST", "/profiles", KEY, json={"first_name": "Lena"})
    assert refused.status_code == 400
    assert count(session, IdempotencyKey) == 0
    assert count(session, Profile) == 0


def test_a_key_still_replays_just_before_it_expires(app, api, session, profile, roomy):
    first = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))
    app.config["CLOCK"] = lambda: NOW + DAY - timedelta(seconds=1)

    retry = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))

    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.data == first.data


def test_an_expired_key_runs_the_request_again(app, api, session, profile, roomy):
    first = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))
    # Cancelled since, so the same booking may be made again (one per person and start time).
    assert api.delete(f"/appointments/{first.get_json()['id']}").status_code == 200
    app.config["CLOCK"] = lambda: NOW + DAY

    again = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))

    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again.headers
    assert again.get_json()["id"] != first.get_json()["id"]
    assert count(session, Appointment) == 2


def test_an_expired_key_may_be_used_for_a_different_request(app, api, session, profile, roomy):
    send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))
    app.config["CLOCK"] = lambda: NOW + DAY

    response = send(api, "POST", "/profiles", KEY, json=NEW_PROFILE)

    assert response.status_code == 201


def test_the_ttl_is_a_setting(app, api, profile, roomy):
    app.config["IDEMPOTENCY_KEY_TTL_HOURS"] = 1
    first = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))
    assert api.delete(f"/appointments/{first.get_json()['id']}").status_code == 200
    app.config["CLOCK"] = lambda: NOW + timedelta(hours=1)

    again = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))

    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again.headers
    assert again.get_json()["id"] != first.get_json()["id"]


def test_a_claim_left_by_a_crashed_request_is_taken_over_after_the_timeout(
    api, session, org, profile, roomy
):
    claim_for(session, org, booking(profile, roomy), at=NOW - TIMEOUT)

    response = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))
    retry = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response.headers
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert count(session, Appointment) == 1


def test_a_claim_younger_than_the_timeout_is_not_taken_over(api, session, org, profile, roomy):
    claim_for(session, org, booking(profile, roomy), at=NOW - TIMEOUT + timedelta(seconds=1))

    response = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))

    assert response.status_code == 409
    assert response.get_json()["code"] == "idempotency_key_in_use"


def test_a_claim_of_a_killed_worker_is_free_35_seconds_later_not_5_minutes(
    api, session, org, profile, roomy
):
    claim_for(session, org, booking(profile, roomy), at=NOW - timedelta(seconds=35))

    response = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))

    assert response.status_code == 201
    assert count(session, Appointment) == 1


def test_a_fresh_claim_answers_409_with_retry_after_the_seconds_until_it_may_be_taken_over(
    api, session, org, profile, roomy
):
    claim_for(session, org, booking(profile, roomy), at=NOW - timedelta(seconds=10))

    response = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))

    assert response.status_code == 409
    assert response.headers["Retry-After"] == "25"
    assert "Retry-After" in response.get_json()["error"]


def test_a_retry_after_the_seconds_it_was_told_takes_the_claim_over(
    app, api, session, org, profile, roomy
):
    claim_for(session, org, booking(profile, roomy), at=NOW - timedelta(seconds=10))
    wait = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))
    app.config["CLOCK"] = lambda: NOW + timedelta(seconds=int(wait.headers["Retry-After"]))

    retry = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))

    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry.headers


def test_the_takeover_follows_the_worker_timeout_read_from_the_environment(
    app, api, session, org, profile, roomy
):
    app.config["WORKER_TIMEOUT_SECONDS"] = "60"  # a string, as the environment gives it
    claim_for(session, org, booking(profile, roomy), at=NOW - timedelta(seconds=35))

    response = send(api, "POST", "/appointments", KEY, json=booking(profile, roomy))

    assert response.status_code == 409
    assert response.headers["Retry-After"] == "30"
