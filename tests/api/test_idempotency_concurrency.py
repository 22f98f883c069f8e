"""Retries racing each other with one `Idempotency-Key`, each on its own connection: the
database decides, and exactly one appointment is booked (issue 5)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import select

from app.domain.idempotency_models import IdempotencyKey
from app.domain.models import Appointment
from tests.api.conftest import booking
from tests.api.idempotency import KEY, TIMEOUT, claim_for, count
from tests.conftest import NOW
from tests.factories import make_api_key, make_location, seat_counter_problems

RACERS = 8


@dataclass(frozen=True)
class Answer:
    status: int
    replayed: bool
    body: dict[str, object]


def _race(app, secret, body) -> list[Answer]:
    """POST the same booking with the same key from RACERS threads released at once; each
    request runs in its own app context, so with its own session and connection."""
    barrier = threading.Barrier(RACERS)
    answers: list[Answer] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def post() -> None:
        try:
            client = app.test_client()
            barrier.wait(timeout=10)
            response = client.post(
                "/api/v1/appointments",
                json=body,
                headers={"x-api-key": secret, "Idempotency-Key": KEY},
            )
            answer = Answer(
                response.status_code,
                response.headers.get("Idempotent-Replayed") == "true",
                response.get_json(),
            )
            with lock:
                answers.append(answer)
        except BaseException as error:  # the main thread reports it; threads must not raise
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=post) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(answers) == RACERS
    return answers


def _assert_booked_once(session, answers: list[Answer]) -> None:
    """One original 201; every other answer is its replay or a 409 in-use; one appointment."""
    originals = [a for a in answers if a.status == 201 and not a.replayed]
    assert len(originals) == 1, answers
    for answer in answers:
        if answer.status == 201:
            assert answer.body == originals[0].body
        else:
            assert (answer.status, answer.body["code"]) == (409, "idempotency_key_in_use")
    assert count(session, Appointment) == 1
    assert seat_counter_problems(session) == []
    stored = session.scalars(select(IdempotencyKey)).one()
    assert (stored.status_code, stored.response_body) == (201, originals[0].body)


def test_simultaneous_retries_with_one_key_book_exactly_one_appointment(app, session, org, profile):
    # As many chairs as racers: without the key, every request would book.
    location = make_location(session, name="Vena Hamburg", capacity=RACERS)
    secret = make_api_key(session, org)

    answers = _race(app, secret, booking(profile, location))

    _assert_booked_once(session, answers)


def test_simultaneous_takeovers_of_a_crashed_requests_claim_book_exactly_one_appointment(
    app, session, org, profile
):
    location = make_location(session, name="Vena Hamburg", capacity=RACERS)
    secret = make_api_key(session, org)
    claim_for(session, org, booking(profile, location), at=NOW - TIMEOUT)
    session.commit()

    answers = _race(app, secret, booking(profile, location))

    _assert_booked_once(session, answers)
