"""One-time booking tokens: a token books once; its repeat names that appointment and writes
nothing; tokens are scoped to their user and stored hashed. And `find_booked`, which names the
appointment a booking request would duplicate."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.domain.appointments import BookingRequest, book_appointment, find_booked
from app.domain.booking_tokens import OneTimeToken, new_booking_token, parse_booking_token
from app.domain.errors import AlreadyBooked, ValidationError
from app.domain.idempotency_models import BookingToken
from app.domain.models import Appointment, StatusChange
from tests.conftest import NOW
from tests.factories import make_appointment, make_user, seat_counter_problems

MONDAY_1030 = NOW + timedelta(days=2, minutes=30)


def _user(session):
    return make_user(session, "coordinator").id


def _request(world, at=MONDAY_1030):
    return BookingRequest(world.profile.id, world.location.id, at)


def _counts(session):
    session.rollback()
    return tuple(
        session.scalar(select(func.count()).select_from(table))
        for table in (Appointment, StatusChange, BookingToken)
    )


def test_a_token_books_once_and_its_repeat_names_the_appointment_and_writes_nothing(session, world):
    once = OneTimeToken(_user(session), new_booking_token())
    booked = book_appointment(session, _request(world), actor=world.coordinator, now=NOW, once=once)
    before = _counts(session)

    with pytest.raises(AlreadyBooked) as repeat:
        book_appointment(session, _request(world), actor=world.coordinator, now=NOW, once=once)

    assert repeat.value.appointment_id == booked.id
    assert _counts(session) == before == (1, 1, 1)
    assert seat_counter_problems(session) == []


def test_the_same_token_of_another_user_books_again(session, world):
    token = new_booking_token()
    book_appointment(
        session,
        _request(world),
        actor=world.coordinator,
        now=NOW,
        once=OneTimeToken(_user(session), token),
    )
    world.location.capacity = 2
    session.commit()

    later = MONDAY_1030 + timedelta(minutes=15)
    other = OneTimeToken(_user(session), token)
    book_appointment(session, _request(world, later), actor=world.coordinator, now=NOW, once=other)

    assert _counts(session)[0] == 2


def test_only_the_tokens_hash_is_stored(session, world):
    once = OneTimeToken(_user(session), new_booking_token())
    book_appointment(session, _request(world), actor=world.coordinator, now=NOW, once=once)
    session.rollback()
    stored = session.scalars(select(BookingToken)).one()
    assert once.token not in stored.token_hash
    assert len(stored.token_hash) == 64


def test_a_failed_booking_leaves_its_token_free_for_the_retry(session, world):
    once = OneTimeToken(_user(session), new_booking_token())
    closed_saturday = NOW + timedelta(hours=2)
    with pytest.raises(ValidationError):
        book_appointment(
            session, _request(world, closed_saturday), actor=world.coordinator, now=NOW, once=once
        )

    book_appointment(session, _request(world), actor=world.coordinator, now=NOW, once=once)

    assert _counts(session) == (1, 1, 1)


@pytest.mark.parametrize("value", [None, "", "short", "x" * 43 + "!", "a" * 44, "é" * 43])
def test_a_missing_or_altered_token_is_refused_on_booking_token(value):
    with pytest.raises(ValidationError) as refused:
        parse_booking_token(value)
    assert list(refused.value.errors) == ["booking_token"]


def test_a_new_token_parses():
    token = new_booking_token()
    assert parse_booking_token(token) == token


def test_find_booked_names_the_profiles_appointment_at_that_place_and_instant(session, world):
    booked = book_appointment(session, _request(world), actor=world.coordinator, now=NOW)

    assert find_booked(session, _request(world), actor=world.coordinator).id == booked.id
    later = _request(world, MONDAY_1030 + timedelta(minutes=15))
    assert find_booked(session, later, actor=world.coordinator) is None
    assert find_booked(session, _request(world), actor=world.other_coordinator) is None


def test_find_booked_passes_over_a_cancelled_appointment(session, world):
    make_appointment(session, world.profile, world.location, status="cancelled")

    assert find_booked(session, _request(world), actor=world.coordinator) is None
