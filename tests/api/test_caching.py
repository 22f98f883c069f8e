"""What the API lets caches keep (contract, "Caching and retries"): nothing of an answer with
patient data (`no-store`); availability for 30 seconds in the client's own cache."""

from __future__ import annotations

import pytest

from tests.api.conftest import booking
from tests.factories import make_appointment

MONDAY = "2026-11-23"


def test_a_profile_answer_is_never_stored(api, profile):
    response = api.get(f"/profiles/{profile.id}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert api.get("/profiles").headers["Cache-Control"] == "no-store"


def test_an_appointment_answer_is_never_stored(api, session, profile, location):
    appointment = make_appointment(session, profile, location)
    response = api.get(f"/appointments/{appointment.id}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    booked = api.post("/appointments", json=booking(profile, location, "2026-11-23T10:30:00Z"))
    assert booked.status_code == 201
    assert booked.headers["Cache-Control"] == "no-store"


def test_an_error_is_never_stored(api):
    response = api.get("/profiles/not-a-uuid")
    assert response.status_code == 400
    assert response.headers["Cache-Control"] == "no-store"


def test_availability_may_be_kept_privately_for_thirty_seconds(api, location):
    response = api.get(
        f"/locations/{location.id}/availability?start_date={MONDAY}&end_date={MONDAY}"
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, max-age=30"


@pytest.mark.parametrize("query", ["start_date=monday", f"start_date={MONDAY}&end_date=2027-12-31"])
def test_a_refused_availability_question_is_never_stored(api, location, query):
    response = api.get(f"/locations/{location.id}/availability?{query}")
    assert response.status_code == 400
    assert response.headers["Cache-Control"] == "no-store"
