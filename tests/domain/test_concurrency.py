"""Concurrent use cases on separate sessions: the database decides, exactly one wins."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from app.domain.access import actor_for_user
from app.domain.appointments import BookingRequest, book_appointment, reschedule_appointment
from app.domain.errors import Conflict, SlotUnavailable
from app.domain.lifecycle import cancel_appointment, record_blood_draw
from app.domain.models import Appointment, StatusChange
from app.domain.schedule_rules import ScheduleChange, parse_open_hours
from app.domain.schedules import update_schedule
from app.domain.slots import take_seat
from app.domain.transactions import WRITE_OPTION
from tests.conftest import NOW
from tests.factories import make_appointment, make_location, make_profile, seat_counter_problems

RACERS = 6
MONDAY_1030 = NOW + timedelta(days=2, minutes=30)  # 10:30 in Berlin
TUESDAY_0800 = NOW + timedelta(days=3, hours=-2)  # 08:00 in Berlin


def cancel_all(session, world):
    """Cancel every appointment still holding a chair, through the use case."""
    session.rollback()
    for appointment_id in list(
        session.scalars(
            select(Appointment.id).where(Appointment.status.in_(("pending", "confirmed")))
        )
    ):
        cancel_appointment(session, appointment_id, actor=world.coordinator, now=NOW)


def _race(app, action, racers=RACERS):
    """Run `action(session, index)` in `racers` threads released at once; count outcomes:
    "ok", "full" (SlotUnavailable), "conflict", or the repr of any other error."""
    barrier = threading.Barrier(racers)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        db_session = app.extensions["vena.sessionmaker"]()
        try:
            barrier.wait()
            action(db_session, index)
            outcome = "ok"
        except SlotUnavailable:
            outcome = "full"
        except Conflict:
            outcome = "conflict"
        except Exception as error:  # noqa: BLE001  # any other outcome is a failure to report
            outcome = repr(error)
        finally:
            db_session.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(outcomes)


def test_many_simultaneous_cancels_of_one_appointment_give_one_success(app, session, world):
    appointment = make_appointment(session, world.profile, world.location)
    appointment_id = appointment.id
    outcomes = _race(
        app,
        lambda s, _i: cancel_appointment(s, appointment_id, actor=world.coordinator, now=NOW),
    )
    assert outcomes == Counter({"ok": 1, "conflict": RACERS - 1})
    session.rollback()  # end this session's snapshot from before the race
    cancelled_entries = session.scalar(
        select(func.count()).where(
            StatusChange.appointment_id == appointment_id, StatusChange.status == "cancelled"
        )
    )
    assert cancelled_entries == 1


def test_one_barcode_recorded_on_many_appointments_at_once_is_taken_by_one(app, session, world):
    # One patient in each of RACERS consecutive slots of the one-chair location.
    ids = [
        make_appointment(
            session,
            make_profile(session, world.org),
            world.location,
            scheduled_at=MONDAY_1030 + timedelta(minutes=15 * i),
            panels=[world.panel],
        ).id
        for i in range(RACERS)
    ]
    last_start = MONDAY_1030 + timedelta(minutes=15 * (RACERS - 1))  # every draw is due then
    outcomes = _race(
        app,
        lambda s, i: record_blood_draw(s, ids[i], "987654321", actor=world.desk, now=last_start),
    )
    assert outcomes == Counter({"ok": 1, "conflict": RACERS - 1})


def test_many_bookings_of_the_last_chairs_at_once_get_exactly_the_capacity(app, session, world):
    location = make_location(session, name="Vena Hamburg", capacity=3)
    make_appointment(session, world.profile, location, scheduled_at=MONDAY_1030)
    profiles = [make_profile(session, world.org).id for _ in range(16)]

    def book(db_session, index):
        request = BookingRequest(
            profile_id=profiles[index], location_id=location.id, scheduled_at=MONDAY_1030
        )
        book_appointment(db_session, request, actor=world.coordinator, now=NOW)

    outcomes = _race(app, book, racers=len(profiles))
    assert outcomes == Counter({"ok": 2, "full": len(profiles) - 2})
    assert seat_counter_problems(session) == []


def test_a_reschedule_and_a_cancel_at_once_leave_the_counters_right(app, session, world):
    for _ in range(10):
        appointment = make_appointment(session, world.profile, world.location)
        appointment_id = appointment.id

        def act(db_session, index, appointment_id=appointment_id):
            if index == 0:
                cancel_appointment(db_session, appointment_id, actor=world.coordinator, now=NOW)
            else:
                reschedule_appointment(
                    db_session,
                    appointment_id,
                    actor=world.coordinator,
                    now=NOW,
                    scheduled_at=TUESDAY_0800,
                )

        outcomes = _race(app, act, racers=2)
        assert outcomes["ok"] >= 1, outcomes
        assert set(outcomes) <= {"ok", "conflict"}, outcomes
        assert seat_counter_problems(session) == []
        cancel_all(session, world)


def test_two_appointments_swapping_slots_at_once_neither_deadlock_nor_drift(app, session, world):
    location = make_location(session, name="Vena Hamburg", capacity=2)
    berta = make_profile(session, world.org, first_name="Berta")
    first = make_appointment(session, world.profile, location, scheduled_at=MONDAY_1030).id
    second = make_appointment(session, berta, location, scheduled_at=TUESDAY_0800).id
    moves = [(first, TUESDAY_0800), (second, MONDAY_1030)] * 4

    def move(db_session, index):
        appointment_id, to = moves[index]
        reschedule_appointment(
            db_session, appointment_id, actor=world.coordinator, now=NOW, scheduled_at=to
        )

    outcomes = _race(app, move, racers=len(moves))
    assert set(outcomes) <= {"ok", "conflict", "full"}, outcomes
    assert outcomes["ok"] >= 2, outcomes
    assert seat_counter_problems(session) == []


def test_lowering_the_capacity_waits_for_a_booking_in_flight_and_then_refuses(app, session, world):
    location = make_location(session, name="Vena Hamburg", capacity=2)
    make_appointment(session, world.profile, location, scheduled_at=MONDAY_1030)
    admin = actor_for_user("admin:a@vena", "admin", user_id=uuid.uuid4(), organisation_id=None)
    lower = ScheduleChange(
        open_hours=parse_open_hours(location.open_hours),
        slot_duration_minutes=10,
        slot_interval_minutes=15,
        capacity=1,
        minimum_notice_minutes=60,
        booking_horizon_days=90,
    )
    booking = app.extensions["vena.sessionmaker"]()
    booking.connection(execution_options={WRITE_OPTION: True})
    assert take_seat(booking, location.id, MONDAY_1030)  # the second chair, not yet committed
    outcome: list[str] = []

    def lower_capacity() -> None:
        admin_session = app.extensions["vena.sessionmaker"]()
        try:
            update_schedule(admin_session, location.id, lower, actor=admin, now=NOW)
            outcome.append("lowered")
        except Conflict as error:
            outcome.append(error.message)
        except Exception as error:  # noqa: BLE001  # reported by the assertion below
            outcome.append(repr(error))
        finally:
            admin_session.close()

    thread = threading.Thread(target=lower_capacity)
    thread.start()
    thread.join(timeout=0.5)
    waited = thread.is_alive()
    booking.commit()
    booking.close()
    thread.join()
    assert waited, f"the admin's change must wait for the booking in flight: {outcome}"
    assert outcome == [
        "2 chairs are booked on Mon 23 Nov 2026 at 10:30; move those appointments before "
        "lowering the capacity to 1."
    ]
