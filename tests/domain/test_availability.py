"""Availability: slots follow the wall clock across DST, minus closures and full slots."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain.availability import location_availability
from app.domain.errors import ValidationError
from app.domain.models import ClosedDate
from app.domain.rules import format_local
from tests.conftest import NOW
from tests.factories import make_appointment, make_location, make_profile

SUNDAY_MORNING = {"sunday": [{"open": "08:00", "close": "10:00"}]}
SUNDAY_NIGHT = {"sunday": [{"open": "01:00", "close": "04:00"}]}


def _berlin(session, hours, **schedule):
    location = make_location(session)
    location.open_hours = hours
    for name, value in schedule.items():
        setattr(location, name, value)
    session.commit()
    return location


def _local_slots(session, location, day, now, actor):
    result = location_availability(
        session, location.id, actor=actor, now=now, start_date=day, end_date=day
    )
    return [format_local(slot.start, location.timezone) for slot in result.days[0].slots]


@pytest.mark.parametrize(
    ("day", "offset"), [(date(2027, 3, 28), "+02:00"), (date(2026, 10, 25), "+01:00")]
)
def test_a_dst_change_sunday_has_the_usual_local_opening_hours(session, world, day, offset):
    location = _berlin(session, SUNDAY_MORNING)
    now = datetime.combine(day - timedelta(days=20), datetime.min.time(), tzinfo=UTC)
    slots = _local_slots(session, location, day, now, world.coordinator)
    assert len(slots) == 8
    assert slots[0] == f"{day}T08:00:00{offset}"
    assert slots[-1] == f"{day}T09:45:00{offset}"


def test_the_hour_skipped_in_spring_has_no_slots(session, world):
    location = _berlin(session, SUNDAY_NIGHT)
    now = datetime(2027, 3, 1, tzinfo=UTC)
    slots = _local_slots(session, location, date(2027, 3, 28), now, world.coordinator)
    assert [s[11:16] for s in slots] == [
        "01:00",
        "01:15",
        "01:30",
        "01:45",
        "03:00",
        "03:15",
        "03:30",
        "03:45",
    ]


def test_the_hour_repeated_in_autumn_has_its_slots_twice_in_time_order(session, world):
    location = _berlin(session, SUNDAY_NIGHT)
    now = datetime(2026, 10, 1, tzinfo=UTC)
    slots = _local_slots(session, location, date(2026, 10, 25), now, world.coordinator)
    assert len(slots) == 16
    assert slots[4:6] == ["2026-10-25T02:00:00+02:00", "2026-10-25T02:15:00+02:00"]
    assert slots[8:10] == ["2026-10-25T02:00:00+01:00", "2026-10-25T02:15:00+01:00"]


def test_slots_start_on_the_interval_and_the_draw_ends_by_closing_time(session, world):
    location = _berlin(
        session,
        {"monday": [{"open": "08:00", "close": "09:00"}]},
        slot_interval_minutes=20,
        slot_duration_minutes=25,
    )
    slots = _local_slots(session, location, date(2026, 11, 23), NOW, world.coordinator)
    assert [s[11:16] for s in slots] == ["08:00", "08:20"]


def test_a_closed_date_has_no_slots_and_other_days_keep_theirs(session, world):
    location = make_location(session)
    session.add(ClosedDate(location_id=location.id, date=date(2026, 11, 24), reason="Staff day"))
    session.commit()
    result = location_availability(
        session,
        location.id,
        actor=world.coordinator,
        now=NOW,
        start_date=date(2026, 11, 23),
        end_date=date(2026, 11, 25),
    )
    assert [len(day.slots) for day in result.days] == [42, 0, 42]


def test_slots_inside_the_minimum_notice_or_beyond_the_horizon_are_not_offered(session, world):
    location = make_location(session)
    location.minimum_notice_minutes = 120
    location.booking_horizon_days = 3
    session.commit()
    monday_0745_berlin = datetime(2026, 11, 23, 6, 45, tzinfo=UTC)
    result = location_availability(
        session,
        location.id,
        actor=world.coordinator,
        now=monday_0745_berlin,
        start_date=date(2026, 11, 23),
        end_date=date(2026, 11, 27),
    )
    first = format_local(result.days[0].slots[0].start, location.timezone)
    assert first == "2026-11-23T09:45:00+01:00"
    last_day_slots = result.days[3].slots
    assert format_local(last_day_slots[-1].start, location.timezone) == "2026-11-26T07:45:00+01:00"
    assert result.days[4].slots == []


def test_a_slot_whose_chairs_are_all_taken_is_not_listed_and_others_show_what_is_left(
    session, world
):
    location = make_location(session)
    location.capacity = 2
    session.commit()
    at = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    later = at + timedelta(minutes=15)
    berta = make_profile(session, world.org, first_name="Berta")
    make_appointment(session, world.profile, location, scheduled_at=at)
    make_appointment(session, berta, location, scheduled_at=at)
    make_appointment(session, world.profile, location, scheduled_at=later)
    make_appointment(session, world.profile, location, scheduled_at=later, status="cancelled")
    day = location_availability(
        session,
        location.id,
        actor=world.coordinator,
        now=NOW,
        start_date=date(2026, 11, 23),
        end_date=date(2026, 11, 23),
    ).days[0]
    starts = {slot.start: slot.remaining for slot in day.slots}
    assert at not in starts
    assert starts[later] == 1
    assert starts[later + timedelta(minutes=15)] == 2


def test_the_window_defaults_to_today_through_thirty_days_ahead(session, world):
    location = make_location(session)
    result = location_availability(session, location.id, actor=world.coordinator, now=NOW)
    assert (result.days[0].day, result.days[-1].day) == (date(2026, 11, 21), date(2026, 12, 21))


@pytest.mark.parametrize(
    ("start", "end"),
    [(date(2026, 12, 2), date(2026, 12, 1)), (date(2026, 12, 1), date(2027, 2, 20))],
)
def test_a_window_ending_before_it_starts_or_beyond_ninety_days_is_refused(
    session, world, start, end
):
    location = make_location(session)
    with pytest.raises(ValidationError) as caught:
        location_availability(
            session, location.id, actor=world.coordinator, now=NOW, start_date=start, end_date=end
        )
    assert caught.value.field == "end_date"


def test_a_window_may_start_up_to_ninety_days_ago_and_no_earlier(session, world):
    location = make_location(session)
    earliest = location_availability(
        session,
        location.id,
        actor=world.coordinator,
        now=NOW,
        start_date=date(2026, 8, 23),
        end_date=date(2026, 11, 22),
    )
    assert (earliest.days[0].day, earliest.days[0].slots) == (date(2026, 8, 23), [])

    with pytest.raises(ValidationError) as caught:
        location_availability(
            session,
            location.id,
            actor=world.coordinator,
            now=NOW,
            start_date=date(2026, 8, 22),
            end_date=date(2026, 8, 23),
        )
    assert caught.value.field == "start_date"
