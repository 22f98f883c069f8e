"""Idempotency keys in the domain (issue 5): parsing, fingerprints, claims, takeover and purge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.domain.appointments import BookingRequest, book_appointment
from app.domain.errors import IdempotencyKeyInUse, IdempotencyKeyReused, ValidationError
from app.domain.idempotency import (
    Claim,
    StoredResponse,
    claim_key,
    fingerprint,
    parse_idempotency_key,
    purge_expired_keys,
    release_claim,
    store_response,
)
from app.domain.idempotency_models import IdempotencyKey
from app.domain.models import Appointment
from app.domain.transactions import write_transaction
from tests.conftest import NOW
from tests.factories import seat_counter_problems

DAY = timedelta(hours=24)
TIMEOUT = timedelta(minutes=5)
ROUTE = "/api/v1/appointments"
BODY = {"profile_id": "p", "location_id": "l", "scheduled_at": "2026-11-23T09:30:00Z"}
FINGERPRINT = fingerprint("POST", ROUTE, {}, BODY)
ANSWER = {"id": "42", "status": "confirmed"}


def _claim(session, org, *, at=NOW, request_fingerprint=FINGERPRINT, key="k1"):
    return claim_key(
        session, org.id, key, request_fingerprint, now=at, ttl=DAY, claim_timeout=TIMEOUT
    )


def _complete(session, claim: Claim, *, at=NOW) -> None:
    with write_transaction(session):
        store_response(session, claim, 201, ANSWER, now=at)


@pytest.mark.parametrize("value", ["a", "8e03978e-40d5-43e8-bc93-6894a57f9324", "~" * 255, "a b"])
def test_a_key_of_1_to_255_printable_ascii_characters_is_taken_as_it_is(value):
    assert parse_idempotency_key(value) == value


def test_no_header_is_no_key():
    assert parse_idempotency_key(None) is None


@pytest.mark.parametrize("value", ["", "x" * 256, "tab\there", "naïve"])
def test_an_empty_too_long_or_non_ascii_key_is_refused_naming_the_header(value):
    with pytest.raises(ValidationError) as caught:
        parse_idempotency_key(value)
    assert caught.value.field == "Idempotency-Key"


def test_a_fingerprint_ignores_the_bodys_key_order():
    reordered = dict(reversed(BODY.items()))
    assert fingerprint("post", ROUTE, {}, reordered) == FINGERPRINT
    assert len(FINGERPRINT) == 64


@pytest.mark.parametrize(
    ("method", "route", "path_ids", "body"),
    [
        ("PATCH", ROUTE, {}, BODY),
        ("POST", "/api/v1/profiles", {}, BODY),
        ("POST", ROUTE, {"appointment_id": "a1"}, BODY),
        ("POST", ROUTE, {}, {**BODY, "scheduled_at": "2026-11-23T09:45:00Z"}),
        ("POST", ROUTE, {}, {**BODY, "note": "ignored by the API, but part of the body"}),
    ],
)
def test_a_fingerprint_tells_apart_method_route_path_ids_and_body(method, route, path_ids, body):
    assert fingerprint(method, route, path_ids, body) != FINGERPRINT


def test_a_completed_key_gives_its_stored_answer(session, world):
    _complete(session, _claim(session, world.org))

    assert _claim(session, world.org) == StoredResponse(status=201, body=ANSWER)


def test_a_completed_key_with_another_fingerprint_is_refused(session, world):
    _complete(session, _claim(session, world.org))

    with pytest.raises(IdempotencyKeyReused):
        _claim(session, world.org, request_fingerprint=fingerprint("POST", ROUTE, {}, {}))


def test_a_running_claim_with_another_fingerprint_is_refused_as_reused_not_in_use(session, world):
    _claim(session, world.org)

    with pytest.raises(IdempotencyKeyReused):
        _claim(session, world.org, request_fingerprint=fingerprint("POST", ROUTE, {}, {}))


@pytest.mark.parametrize(
    ("age", "retry_after"),
    [(timedelta(0), 300), (timedelta(seconds=10), 290), (TIMEOUT - timedelta(seconds=0.5), 1)],
)
def test_a_running_claim_is_refused_with_the_whole_seconds_until_it_may_be_taken_over(
    session, world, age, retry_after
):
    _claim(session, world.org)

    with pytest.raises(IdempotencyKeyInUse) as caught:
        _claim(session, world.org, at=NOW + age)

    assert caught.value.retry_after == retry_after
    assert isinstance(
        _claim(session, world.org, at=NOW + age + timedelta(seconds=retry_after)), Claim
    )


def test_a_booking_whose_claim_was_taken_over_is_rolled_back(session, world):
    """A request that outlived the claim timeout cannot commit under a key another request took
    over: its answer's conditional UPDATE finds no row, so its booking is undone."""
    slow = _claim(session, world.org)
    taker = _claim(session, world.org, at=NOW + TIMEOUT)
    assert isinstance(taker, Claim)
    assert taker.token != slow.token
    request = BookingRequest(world.profile.id, world.location.id, NOW + timedelta(days=2))

    with pytest.raises(IdempotencyKeyInUse):
        book_appointment(
            session,
            request,
            actor=world.coordinator,
            now=NOW,
            record=lambda appointment: store_response(session, slow, 201, ANSWER, now=NOW),
        )

    assert session.scalar(select(func.count()).select_from(Appointment)) == 0
    assert seat_counter_problems(session) == []
    release_claim(session, slow)
    assert session.scalar(select(IdempotencyKey.claim_token)) == taker.token


def test_the_answer_commits_with_the_booking(session, world):
    claim = _claim(session, world.org)
    request = BookingRequest(world.profile.id, world.location.id, NOW + timedelta(days=2))

    appointment = book_appointment(
        session,
        request,
        actor=world.coordinator,
        now=NOW,
        record=lambda booked: store_response(session, claim, 201, {"id": str(booked.id)}, now=NOW),
    )

    assert _claim(session, world.org) == StoredResponse(201, {"id": str(appointment.id)})


def test_releasing_a_claim_frees_the_key_but_never_a_stored_answer(session, world):
    running = _claim(session, world.org, key="running")
    release_claim(session, running)
    done = _claim(session, world.org, key="done")
    _complete(session, done)
    release_claim(session, done)

    assert session.scalars(select(IdempotencyKey.key)).all() == ["done"]


def test_purging_deletes_the_keys_older_than_the_ttl_and_counts_them(session, world):
    _complete(session, _claim(session, world.org, key="old", at=NOW - DAY))
    _claim(session, world.org, key="running-old", at=NOW - DAY - timedelta(hours=1))
    _complete(session, _claim(session, world.org, key="fresh", at=NOW - DAY + timedelta(minutes=1)))

    assert purge_expired_keys(session, now=NOW, ttl=DAY) == 2
    assert session.scalars(select(IdempotencyKey.key)).all() == ["fresh"]
