"""`Idempotency-Key` on `PATCH` and `DELETE /appointments/{id}` (contract, "Caching and
retries"): a retry replays the first answer instead of moving or cancelling again, or a 409."""

from __future__ import annotations

from sqlalchemy import select

from app.domain.idempotency_models import IdempotencyKey
from app.domain.models import StatusChange
from tests.api.idempotency import KEY, count, send
from tests.factories import make_appointment

MOVE = {"scheduled_at": "2026-11-24T09:00:00Z"}


def _history(session, appointment) -> list[str]:
    session.rollback()
    query = (
        select(StatusChange.reason)
        .where(StatusChange.appointment_id == appointment.id)
        .order_by(StatusChange.sequence)
    )
    return list(session.scalars(query))


def test_a_retried_cancel_with_the_same_key_replays_the_cancelled_appointment_not_409(
    api, session, profile, location
):
    appointment = make_appointment(session, profile, location)
    path = f"/appointments/{appointment.id}"

    first = send(api, "DELETE", path, KEY)
    retry = send(api, "DELETE", path, KEY)
    without_key = api.delete(path)

    assert (first.status_code, first.get_json()["status"]) == (200, "cancelled")
    assert "Idempotent-Replayed" not in first.headers
    assert retry.status_code == 200
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.data == first.data
    assert without_key.status_code == 409
    assert _history(session, appointment) == ["Booked", "Cancelled"]


def test_a_retried_reschedule_with_the_same_key_replays_the_move_and_moves_once(
    api, session, profile, location
):
    appointment = make_appointment(session, profile, location)
    path = f"/appointments/{appointment.id}"

    first = send(api, "PATCH", path, KEY, json=MOVE)
    retry = send(api, "PATCH", path, KEY, json=MOVE)

    assert (first.status_code, first.get_json()["scheduled_at"]) == (
        200,
        "2026-11-24T10:00:00+01:00",
    )
    assert retry.status_code == 200
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.data == first.data
    assert api.get(path).get_json() == first.get_json()
    assert _history(session, appointment) == ["Booked", "Rescheduled"]


def test_a_reschedule_to_where_it_is_already_replays_too(api, session, profile, location):
    appointment = make_appointment(session, profile, location)
    path = f"/appointments/{appointment.id}"
    here = {"location_id": str(location.id)}

    first = send(api, "PATCH", path, KEY, json=here)
    retry = send(api, "PATCH", path, KEY, json=here)

    assert first.status_code == 200
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert retry.data == first.data


def test_the_same_key_for_another_move_of_the_appointment_is_422(api, session, profile, location):
    appointment = make_appointment(session, profile, location)
    path = f"/appointments/{appointment.id}"
    send(api, "PATCH", path, KEY, json=MOVE)

    response = send(api, "PATCH", path, KEY, json={"scheduled_at": "2026-11-24T09:15:00Z"})

    assert response.status_code == 422
    assert response.get_json()["code"] == "idempotency_key_reused"
    assert api.get(path).get_json()["scheduled_at"] == "2026-11-24T10:00:00+01:00"


def test_the_same_key_for_cancelling_another_appointment_is_422(
    api, session, org, profile, location
):
    first = make_appointment(session, profile, location)
    second = make_appointment(
        session, profile, location, scheduled_at=first.scheduled_at.replace(hour=11)
    )
    send(api, "DELETE", f"/appointments/{first.id}", KEY)

    response = send(api, "DELETE", f"/appointments/{second.id}", KEY)

    assert response.status_code == 422
    assert api.get(f"/appointments/{second.id}").get_json()["status"] == "confirmed"


def test_a_refused_cancel_keeps_no_answer_so_the_key_stays_free(api, session, profile, location):
    drawn = make_appointment(session, profile, location, status="blood_drawn")

    refused = send(api, "DELETE", f"/appointments/{drawn.id}", KEY)

    assert refused.status_code == 409
    assert count(session, IdempotencyKey) == 0


def test_a_cancel_with_a_key_ignores_a_body_as_every_delete_does(api, session, profile, location):
    appointment = make_appointment(session, profile, location)
    path = f"/appointments/{appointment.id}"
    send(api, "DELETE", path, KEY)

    retry = send(api, "DELETE", path, KEY, data="not json")

    assert retry.status_code == 200
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert count(session, IdempotencyKey) == 1
