"""When a blood draw may be recorded (the appointment's local day, from the location's early
arrival before its start) and when a patient may be recorded as not attending (after the start)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.domain.draw_rules import CancelReason, draw_window
from app.domain.errors import Conflict
from app.domain.lifecycle import cancel_appointment, record_blood_draw
from app.domain.models import Appointment, StatusChange
from app.domain.rules import DESK_DRAWABLE
from tests.factories import APPOINTMENT_START, make_appointment

BERLIN = ZoneInfo("Europe/Berlin")


def utc(year, month, day, hour, minute):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "start", "early", "now", "open_"),
    [
        # Mon 23 Nov 2026, 10:30 in Berlin (UTC+1), from 60 minutes before.
        ("Europe/Berlin", utc(2026, 11, 23, 9, 30), 60, utc(2026, 11, 20, 9, 30), False),
        ("Europe/Berlin", utc(2026, 11, 23, 9, 30), 60, utc(2026, 11, 23, 8, 29), False),
        ("Europe/Berlin", utc(2026, 11, 23, 9, 30), 60, utc(2026, 11, 23, 8, 30), True),
        ("Europe/Berlin", utc(2026, 11, 23, 9, 30), 60, utc(2026, 11, 23, 14, 0), True),
        ("Europe/Berlin", utc(2026, 11, 23, 9, 30), 60, utc(2026, 11, 23, 22, 59), True),
        ("Europe/Berlin", utc(2026, 11, 23, 9, 30), 60, utc(2026, 11, 23, 23, 0), False),
        ("Europe/Berlin", utc(2026, 11, 23, 9, 30), 0, utc(2026, 11, 23, 9, 29), False),
        ("Europe/Berlin", utc(2026, 11, 23, 9, 30), 0, utc(2026, 11, 23, 9, 30), True),
        # 00:30 on Monday: not from Sunday 23:30, but from the day's first minute.
        ("Europe/Berlin", utc(2026, 11, 22, 23, 30), 60, utc(2026, 11, 22, 22, 59), False),
        ("Europe/Berlin", utc(2026, 11, 22, 23, 30), 60, utc(2026, 11, 22, 23, 0), True),
        # 29 Mar 2026: clocks go from 02:00 to 03:00. 03:30 CEST is 01:30 UTC; an hour before
        # is 01:30 CET (00:30 UTC), not the 02:30 the wall clock skips.
        ("Europe/Berlin", utc(2026, 3, 29, 1, 30), 60, utc(2026, 3, 29, 0, 29), False),
        ("Europe/Berlin", utc(2026, 3, 29, 1, 30), 60, utc(2026, 3, 29, 0, 30), True),
        # 25 Oct 2026: clocks go from 03:00 back to 02:00; the day has 25 hours. The second
        # 02:30 (CET, 01:30 UTC) opens at the first 02:30 (CEST, 00:30 UTC).
        ("Europe/Berlin", utc(2026, 10, 25, 1, 30), 60, utc(2026, 10, 25, 0, 29), False),
        ("Europe/Berlin", utc(2026, 10, 25, 1, 30), 60, utc(2026, 10, 25, 0, 30), True),
        ("Europe/Berlin", utc(2026, 10, 25, 1, 30), 60, utc(2026, 10, 25, 22, 59), True),
        ("Europe/Berlin", utc(2026, 10, 25, 1, 30), 60, utc(2026, 10, 25, 23, 0), False),
        # Mon 23 Nov, 09:00 in New York (UTC-5): still Monday there at 03:00 UTC on Tuesday.
        ("America/New_York", utc(2026, 11, 23, 14, 0), 60, utc(2026, 11, 24, 4, 59), True),
        ("America/New_York", utc(2026, 11, 23, 14, 0), 60, utc(2026, 11, 24, 5, 0), False),
        # Tue 24 Nov, 00:30 in Tokyo (UTC+9) is Monday 15:30 UTC; Tuesday begins at 15:00 UTC.
        ("Asia/Tokyo", utc(2026, 11, 23, 15, 30), 60, utc(2026, 11, 23, 14, 59), False),
        ("Asia/Tokyo", utc(2026, 11, 23, 15, 30), 60, utc(2026, 11, 23, 15, 0), True),
    ],
)
def test_a_draw_is_recordable_on_the_local_day_from_the_early_arrival_before_the_start(
    zone, start, early, now, open_
):
    assert draw_window(start, zone, early).is_open(now) is open_


def test_the_window_closes_at_the_next_local_midnight():
    window = draw_window(utc(2026, 11, 23, 9, 30), "Europe/Berlin", 60)
    assert window.closes.astimezone(BERLIN) == datetime(2026, 11, 24, tzinfo=BERLIN)


def _history(session, appointment_id):
    session.rollback()  # read what the database holds now
    query = select(StatusChange.reason).where(StatusChange.appointment_id == appointment_id)
    return list(session.scalars(query.order_by(StatusChange.sequence)))


def _status(session, appointment_id):
    session.rollback()
    return session.scalar(select(Appointment.status).where(Appointment.id == appointment_id))


def test_a_draw_days_early_is_refused_saying_when_and_nothing_is_stored(session, world):
    appointment = make_appointment(session, world.profile, world.location, panels=[world.panel])
    six_days_early = APPOINTMENT_START - timedelta(days=6)
    with pytest.raises(Conflict) as caught:
        record_blood_draw(session, appointment.id, "123456", actor=world.desk, now=six_days_early)
    assert caught.value.message == (
        "It is too early to record the blood draw of the appointment on Mon 23 Nov 2026 at 10:30: "
        "it can be recorded from 09:30 on Mon 23 Nov 2026 (Europe/Berlin time)."
    )
    assert _status(session, appointment.id) == "confirmed"
    assert _history(session, appointment.id) == ["Booked"]


def test_a_location_sets_how_long_before_the_start_a_draw_may_be_recorded(session, world):
    world.location.early_arrival_minutes = 15
    session.commit()
    appointment = make_appointment(session, world.profile, world.location, panels=[world.panel])
    with pytest.raises(Conflict, match="from 10:15"):
        record_blood_draw(
            session,
            appointment.id,
            "123456",
            actor=world.desk,
            now=APPOINTMENT_START - timedelta(minutes=16),
        )
    drawn = record_blood_draw(
        session,
        appointment.id,
        "123456",
        actor=world.desk,
        now=APPOINTMENT_START - timedelta(minutes=15),
    )
    assert drawn.status == "blood_drawn"


def test_the_desk_draws_a_confirmed_appointment_while_a_partner_may_draw_a_pending_one(
    session, world
):
    pending = make_appointment(
        session, world.profile, world.location, status="pending", panels=[world.panel]
    )
    with pytest.raises(Conflict) as caught:
        record_blood_draw(
            session,
            pending.id,
            "123456",
            actor=world.desk,
            now=APPOINTMENT_START,
            statuses=DESK_DRAWABLE,
        )
    assert (
        caught.value.message == "Cannot record the blood draw for an appointment that is pending."
    )
    drawn = record_blood_draw(
        session, pending.id, "123456", actor=world.desk, now=APPOINTMENT_START
    )
    assert drawn.status == "blood_drawn"


@pytest.mark.parametrize(
    ("minutes_after_the_start", "allowed"), [(-1, False), (0, True), (90, True)]
)
def test_did_not_attend_may_be_recorded_only_once_the_appointment_has_begun(
    session, world, minutes_after_the_start, allowed
):
    appointment = make_appointment(session, world.profile, world.location)
    now = APPOINTMENT_START + timedelta(minutes=minutes_after_the_start)
    if allowed:
        cancel_appointment(
            session, appointment.id, actor=world.desk, now=now, reason=CancelReason.NO_SHOW
        )
        assert _history(session, appointment.id) == ["Booked", "Patient did not attend"]
        return
    with pytest.raises(Conflict) as caught:
        cancel_appointment(
            session, appointment.id, actor=world.desk, now=now, reason=CancelReason.NO_SHOW
        )
    assert (caught.value.field, caught.value.message) == (
        "reason",
        "The patient can be recorded as not attending only once the appointment has begun, at "
        "10:30 on Mon 23 Nov 2026.",
    )
    assert _status(session, appointment.id) == "confirmed"


def test_another_reason_may_cancel_before_the_start(session, world):
    appointment = make_appointment(session, world.profile, world.location)
    early = APPOINTMENT_START - timedelta(days=2)
    cancelled = cancel_appointment(
        session, appointment.id, actor=world.desk, now=early, reason=CancelReason.PATIENT_CANCELLED
    )
    assert (cancelled.status, cancelled.status_history[-1].reason) == (
        "cancelled",
        "Patient cancelled",
    )
