"""Booking and rescheduling through the API take a real free slot: 400 when the time is not a
slot, 409 `slot_unavailable` with the next free slots when it is full."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.api.conftest import booking
from tests.factories import make_appointment, make_profile

MONDAY_1030 = "2026-11-23T09:30:00Z"  # 10:30 in Berlin
TUESDAY_0800 = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 08:00 in Berlin


def test_a_full_slot_answers_409_slot_unavailable_with_the_next_three_free_slots(
    api, session, org, profile, location
):
    other = make_profile(session, org)
    assert api.post("/appointments", json=booking(profile, location)).status_code == 201
    response = api.post("/appointments", json=booking(other, location))
    assert response.status_code == 409
    assert response.get_json() == {
        "error": "This slot is fully booked; choose another time.",
        "code": "slot_unavailable",
        "details": {
            "next_available": [
                "2026-11-23T10:45:00+01:00",
                "2026-11-23T11:00:00+01:00",
                "2026-11-23T11:15:00+01:00",
            ]
        },
    }


def test_a_time_that_is_not_a_slot_start_is_a_400_naming_scheduled_at(api, profile, location):
    response = api.post("/appointments", json=booking(profile, location, "2026-11-23T09:37:00Z"))
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "validation_error"
    assert body["error"] == (
        "10:37 on Mon 23 Nov 2026 is not a slot start: "
        "slots at Vena Berlin Mitte start every 15 minutes from opening time."
    )
    assert list(body["details"]) == ["scheduled_at"]


def test_a_sunday_is_refused_with_the_opening_hours(api, profile, location):
    response = api.post("/appointments", json=booking(profile, location, "2026-11-29T09:30:00Z"))
    assert response.status_code == 400
    assert (
        "outside Vena Berlin Mitte's opening hours (closed on Sundays)"
        in (response.get_json()["error"])
    )


def test_cancelling_frees_the_chair_for_the_next_booking(api, session, org, profile, location):
    other = make_profile(session, org)
    first = api.post("/appointments", json=booking(profile, location)).get_json()
    assert api.delete(f"/appointments/{first['id']}").status_code == 200
    assert api.post("/appointments", json=booking(other, location)).status_code == 201


def test_a_move_into_a_full_slot_is_409_and_the_appointment_keeps_its_slot(
    api, session, org, profile, location
):
    appointment = make_appointment(session, profile, location)
    make_appointment(session, make_profile(session, org), location, scheduled_at=TUESDAY_0800)
    response = api.patch(
        f"/appointments/{appointment.id}", json={"scheduled_at": "2026-11-24T07:00:00Z"}
    )
    assert response.status_code == 409
    assert response.get_json()["details"]["next_available"][0] == "2026-11-24T08:15:00+01:00"
    after = api.get(f"/appointments/{appointment.id}").get_json()
    assert after["scheduled_at"] == "2026-11-23T10:30:00+01:00"


def test_the_old_slot_is_free_again_after_a_move(api, session, org, profile, location):
    appointment = make_appointment(session, profile, location)
    other = make_profile(session, org)
    moved = api.patch(
        f"/appointments/{appointment.id}", json={"scheduled_at": "2026-11-24T07:00:00Z"}
    )
    assert moved.status_code == 200
    assert api.post("/appointments", json=booking(other, location, MONDAY_1030)).status_code == 201
