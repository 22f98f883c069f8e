"""Two partners cancelling one appointment at the same instant: one wins, one gets 409."""

from __future__ import annotations

import threading

from sqlalchemy import select

from app.domain.models import StatusChange
from tests.factories import make_api_key, make_appointment

THREADS = 2


def test_two_simultaneous_cancels_give_one_200_one_409_and_one_history_entry(
    app, session, org, profile, location
):
    appointment = make_appointment(session, profile, location)
    key = make_api_key(session, org)
    path = f"/api/v1/appointments/{appointment.id}"
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def cancel() -> None:
        try:
            client = app.test_client()
            barrier.wait(timeout=10)
            statuses.append(client.delete(path, headers={"x-api-key": key}).status_code)
        except BaseException as error:  # the main thread reports it; threads must not raise
            errors.append(error)

    threads = [threading.Thread(target=cancel) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(statuses) == [200, 409]
    session.rollback()
    history = session.scalars(
        select(StatusChange.status)
        .where(StatusChange.appointment_id == appointment.id)
        .order_by(StatusChange.sequence)
    ).all()
    assert history == ["confirmed", "cancelled"]
