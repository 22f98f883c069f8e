"""Booking takes a chair in a real slot: the slot rules, the counters, full slots and moves."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.domain.appointments import BookingRequest, book_appointment, reschedule_appointment
from app.domain.errors import SlotUnavailable, ValidationError
from app.domain.lifecycle import cancel_appointment, record_blood_draw
from app.domain.models import Appointment, ClosedDate, SlotSeats
from app.domain.slots import ensure_bookable_slot
from tests.conftest import NOW
from tests.factories import make_appointment, make_location, make_profile, seat_counter_problems

MONDAY_1030 = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)  # 10:30 in Berlin (UTC+01:00)


def _berlin(day: int, hour: int, minute: int, second: int = 0) -> datetime:
    """An instant given as November 2026 wall-clock time in Berlin (UTC+01:00)."""
    return datetime(2026, 11, day, hour - 1, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "message"),
    [
        (_berlin(23, 10, 37), "10:37 on Mon 23 Nov 2026 is not a slot start"),
        (_berlin(23, 10, 30, 30), "10:30 on Mon 23 Nov 2026 is not a slot start"),
        (_berlin(23, 17, 50), "17:50 on Mon 23 Nov 2026 is not a slot start"),
        (
            _berlin(23, 7, 0),
            "07:00 on Mon 23 Nov 2026 is outside Vena Berlin Mitte's",
        ),
        (_berlin(23, 18, 0), "(07:30-18:00)"),
        (_berlin(29, 10, 30), "(closed on Sundays)"),
        (_berlin(21, 11, 0), "outside"),
        (
            datetime(2027, 3, 1, 9, 30, tzinfo=UTC),
            "too far ahead: Vena Berlin Mitte takes bookings",
        ),
    ],
)
def test_an_instant_that_is_not_a_bookable_slot_start_is_refused_saying_why(
    session, world, at, message
):
    with pytest.raises(ValidationError) as error:
        ensure_bookable_slot(world.location, at, now=NOW)
    assert error.value.field == "scheduled_at"
    assert message in error.value.message


@pytest.mark.parametrize("at", [_berlin(23, 7, 30), MONDAY_1030, _berlin(23, 17, 45)])
def test_slot_starts_on_the_grid_inside_opening_hours_are_bookable(session, world, at):
    ensure_bookable_slot(world.location, at, now=NOW)


def test_a_slot_inside_the_minimum_notice_is_refused(session, world):
    monday_0745 = _berlin(23, 7, 45)
    with pytest.raises(ValidationError, match="too soon: book at least 60 minutes ahead"):
        ensure_bookable_slot(world.location, monday_0745, now=monday_0745 - timedelta(minutes=59))
    ensure_bookable_slot(world.location, monday_0745, now=monday_0745 - timedelta(minutes=60))


def test_a_slot_on_a_closed_date_is_refused_with_the_reason(session, world):
    world.location.closed_dates.append(ClosedDate(date=date(2026, 12, 24), reason="Christmas Eve"))
    session.commit()
    with pytest.raises(ValidationError, match=r"closed on Thu 24 Dec 2026 \(Christmas Eve\)"):
        ensure_bookable_slot(world.location, datetime(2026, 12, 24, 9, 30, tzinfo=UTC), now=NOW)


def _book(session, world, at=MONDAY_1030, location=None, profile=None):
    request = BookingRequest(
        profile_id=(profile or world.profile).id,
        location_id=(location or world.location).id,
        scheduled_at=at,
    )
    return book_appointment(session, request, actor=world.coordinator, now=NOW)


def _taken(session, location, at) -> int:
    session.rollback()
    seats = session.get(SlotSeats, (location.id, at))
    return seats.taken if seats else 0


def test_booking_takes_a_chair_and_cancelling_frees_it_at_once(session, world):
    appointment = _book(session, world)
    assert _taken(session, world.location, MONDAY_1030) == 1
    cancel_appointment(session, appointment.id, actor=world.coordinator, now=NOW)
    assert _taken(session, world.location, MONDAY_1030) == 0
    _book(session, world)
    assert seat_counter_problems(session) == []


def test_a_full_slot_is_refused_offering_the_next_three_free_slots(session, world):
    make_appointment(session, world.profile, world.location, scheduled_at=_berlin(23, 10, 45))
    _book(session, world)
    with pytest.raises(SlotUnavailable) as error:
        _book(session, world, profile=make_profile(session, world.profile.organisation))
    assert error.value.code == "slot_unavailable"
    assert [at.isoformat() for at in error.value.next_available] == [
        "2026-11-23T11:00:00+01:00",
        "2026-11-23T11:15:00+01:00",
        "2026-11-23T11:30:00+01:00",
    ]
    assert _taken(session, world.location, MONDAY_1030) == 1
    assert session.scalar(select(func.count()).select_from(Appointment)) == 2


def test_the_next_free_slots_skip_the_weekend_and_closed_dates(session, world):
    world.location.closed_dates.append(ClosedDate(date=date(2026, 11, 30), reason="Staff day"))
    session.commit()
    friday_1745 = _berlin(27, 17, 45)
    _book(session, world, at=friday_1745)
    someone_else = make_profile(session, world.profile.organisation)
    with pytest.raises(SlotUnavailable) as error:
        _book(session, world, at=friday_1745, profile=someone_else)
    assert [at.isoformat() for at in error.value.next_available] == [
        "2026-12-01T07:30:00+01:00",
        "2026-12-01T07:45:00+01:00",
        "2026-12-01T08:00:00+01:00",
    ]


def test_a_location_with_three_chairs_takes_three_bookings_in_one_slot(session, world):
    location = make_location(session, name="Vena Hamburg", capacity=3)
    berta, clara, dora = (
        make_profile(session, world.org, first_name=name) for name in ("Berta", "Clara", "Dora")
    )
    for profile in (world.profile, berta, clara):
        _book(session, world, location=location, profile=profile)
    with pytest.raises(SlotUnavailable):
        _book(session, world, location=location, profile=dora)
    assert _taken(session, location, MONDAY_1030) == 3


def test_a_drawn_appointment_keeps_its_chair(session, world):
    appointment = make_appointment(session, world.profile, world.location, panels=[world.panel])
    record_blood_draw(session, appointment.id, "12345678", actor=world.desk, now=MONDAY_1030)
    assert _taken(session, world.location, MONDAY_1030) == 1
    assert seat_counter_problems(session) == []


def test_rescheduling_moves_the_chair_to_the_new_slot(session, world):
    appointment = _book(session, world)
    later = _berlin(24, 8, 0)
    moved = reschedule_appointment(
        session, appointment.id, actor=world.coordinator, now=NOW, scheduled_at=later
    )
    assert moved.scheduled_at == later
    assert _taken(session, world.location, MONDAY_1030) == 0
    assert _taken(session, world.location, later) == 1
    assert seat_counter_problems(session) == []


def test_rescheduling_to_another_location_keeps_the_time_and_moves_the_chair(session, world):
    appointment = _book(session, world)
    hamburg = make_location(session, name="Vena Hamburg")
    moved = reschedule_appointment(
        session, appointment.id, actor=world.coordinator, now=NOW, location_id=hamburg.id
    )
    assert (moved.location_id, moved.scheduled_at) == (hamburg.id, MONDAY_1030)
    assert _taken(session, world.location, MONDAY_1030) == 0
    assert _taken(session, hamburg, MONDAY_1030) == 1


def test_a_move_into_a_full_slot_fails_and_keeps_the_old_chair(session, world):
    appointment = _book(session, world)
    full = _berlin(24, 8, 0)
    make_appointment(session, world.profile, world.location, scheduled_at=full)
    with pytest.raises(SlotUnavailable) as error:
        reschedule_appointment(
            session, appointment.id, actor=world.coordinator, now=NOW, scheduled_at=full
        )
    assert error.value.next_available[0].isoformat() == "2026-11-24T08:15:00+01:00"
    session.rollback()
    assert session.get(Appointment, appointment.id).scheduled_at == MONDAY_1030
    assert _taken(session, world.location, MONDAY_1030) == 1
    assert _taken(session, world.location, full) == 1
    assert seat_counter_problems(session) == []


def test_a_move_to_a_time_that_is_not_a_slot_is_refused(session, world):
    appointment = _book(session, world)
    with pytest.raises(ValidationError, match="not a slot start"):
        reschedule_appointment(
            session,
            appointment.id,
            actor=world.coordinator,
            now=NOW,
            scheduled_at=_berlin(24, 8, 5),
        )
    assert _taken(session, world.location, MONDAY_1030) == 1


def test_rescheduling_to_the_same_slot_changes_nothing(session, world):
    appointment = _book(session, world)
    reschedule_appointment(
        session, appointment.id, actor=world.coordinator, now=NOW, scheduled_at=MONDAY_1030
    )
    assert _taken(session, world.location, MONDAY_1030) == 1
    assert [entry.reason for entry in session.get(Appointment, appointment.id).status_history] == [
        "Booked"
    ]
