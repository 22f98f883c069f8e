"""Schedules: the rules of weekly hours and slot settings, lowering capacity, closed dates."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from app.domain.access import ROLE_PERMISSIONS, SCOPE_PERMISSIONS, Permission, actor_for_user
from app.domain.errors import Conflict, Forbidden, NotFound, ValidationError
from app.domain.models import ClosedDate, Role, TestLocation
from app.domain.schedule_rules import (
    OpeningPeriod,
    ScheduleChange,
    ensure_schedule,
    ensure_setting,
    parse_open_hours,
)
from app.domain.schedules import add_closed_date, remove_closed_date, update_schedule
from tests.conftest import NOW
from tests.factories import make_appointment, make_profile

ADMIN = actor_for_user("admin:a@vena", "admin", user_id=uuid.uuid4(), organisation_id=None)
# Mon 30 Nov 2026 10:30 in Berlin.
MONDAY_1030 = datetime(2026, 11, 30, 9, 30, tzinfo=UTC)


def _period(opens: str, closes: str) -> OpeningPeriod:
    return OpeningPeriod(time.fromisoformat(opens), time.fromisoformat(closes))


WEEK = parse_open_hours(
    {
        **{
            day: [{"open": "07:30", "close": "12:00"}, {"open": "13:00", "close": "18:00"}]
            for day in ("monday", "tuesday", "wednesday", "thursday", "friday")
        },
        "saturday": [{"open": "08:00", "close": "12:00"}],
    }
)
CHANGE = ScheduleChange(
    open_hours=WEEK,
    slot_duration_minutes=10,
    slot_interval_minutes=15,
    capacity=3,
    minimum_notice_minutes=60,
    booking_horizon_days=90,
)


def _errors(call, *args):
    with pytest.raises(ValidationError) as caught:
        call(*args)
    return caught.value.errors


def test_weekly_hours_parse_into_every_weekday_in_time_order():
    hours = parse_open_hours(
        {"monday": [{"open": "13:00", "close": "18:00"}, {"open": "07:30", "close": "12:00"}]}
    )
    assert hours["monday"] == (_period("07:30", "12:00"), _period("13:00", "18:00"))
    assert hours["sunday"] == ()
    assert set(hours) == {
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    }


def test_a_period_with_both_times_empty_is_ignored_and_touching_periods_are_fine():
    hours = parse_open_hours(
        {
            "monday": [{"open": "", "close": ""}, {"open": "13:00", "close": "18:00"}],
            "tuesday": [{"open": "07:30", "close": "12:00"}, {"open": "12:00", "close": "14:00"}],
        }
    )
    assert hours["monday"] == (_period("13:00", "18:00"),)
    assert len(hours["tuesday"]) == 2


@pytest.mark.parametrize(
    ("monday", "field", "message"),
    [
        (
            [{"open": "7.30", "close": "12:00"}],
            "open_hours.monday.0.open",
            "Monday, period 1: opening time '7.30' is not a time: write HH:MM on the 24-hour "
            "clock, such as 07:30.",
        ),
        (
            [{"open": "07:30", "close": "24:00"}],
            "open_hours.monday.0.close",
            "Monday, period 1: closing time '24:00' is not a time: write HH:MM on the 24-hour "
            "clock, such as 07:30.",
        ),
        (
            [{"open": "07:30", "close": "12:00"}, {"open": "13:00", "close": ""}],
            "open_hours.monday.1.close",
            "Monday, period 2: give a closing time as well, or clear the opening time.",
        ),
        (
            [{"open": "12:00", "close": "07:30"}],
            "open_hours.monday.0.close",
            "Monday, period 1: the closing time 07:30 must be after the opening time 12:00.",
        ),
        (
            [{"open": "09:00", "close": "09:00"}],
            "open_hours.monday.0.close",
            "Monday, period 1: the closing time 09:00 must be after the opening time 09:00.",
        ),
        (
            [{"open": "11:00", "close": "18:00"}, {"open": "07:30", "close": "12:00"}],
            "open_hours.monday.0.open",
            "Monday, period 1 (11:00-18:00) overlaps period 2 (07:30-12:00): let one period end "
            "before the other begins.",
        ),
        ("07:30-12:00", "open_hours.monday", "open_hours.monday must be a list of periods."),
    ],
)
def test_weekly_hours_that_break_a_rule_are_refused_naming_the_input(monday, field, message):
    assert _errors(parse_open_hours, {"monday": monday}) == {field: [message]}


def test_an_unknown_weekday_is_refused():
    errors = _errors(parse_open_hours, {"mon": [{"open": "07:30", "close": "12:00"}]})
    assert errors == {"open_hours": ["open_hours has no weekday 'mon': use monday to sunday."]}


DURATION = "The slot duration must be a whole number of minutes from 5 to 240."
INTERVAL = "The slot interval must be a whole number of minutes from 5 to 240."
STEP = (
    "The slot interval must be a multiple of 5 minutes (5, 10, 15 ...), so that slots start at "
    "round clock times."
)
CAPACITY = "The capacity must be a whole number of chairs from 1 to 50."
NOTICE = "The minimum notice must be a whole number of minutes from 0 to 10080."
HORIZON = "The booking horizon must be a whole number of days from 1 to 365."


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("slot_duration_minutes", 5, None),
        ("slot_duration_minutes", 240, None),
        ("slot_duration_minutes", 4, DURATION),
        ("slot_duration_minutes", 241, DURATION),
        ("slot_interval_minutes", 5, None),
        ("slot_interval_minutes", 240, None),
        ("slot_interval_minutes", 0, INTERVAL),
        ("slot_interval_minutes", 245, INTERVAL),
        ("slot_interval_minutes", 7, STEP),
        ("capacity", 1, None),
        ("capacity", 50, None),
        ("capacity", 0, CAPACITY),
        ("capacity", 51, CAPACITY),
        ("capacity", True, CAPACITY),
        ("capacity", "3", CAPACITY),
        ("minimum_notice_minutes", 0, None),
        ("minimum_notice_minutes", 10080, None),
        ("minimum_notice_minutes", -1, NOTICE),
        ("minimum_notice_minutes", 10081, NOTICE),
        ("booking_horizon_days", 1, None),
        ("booking_horizon_days", 365, None),
        ("booking_horizon_days", 0, HORIZON),
        ("booking_horizon_days", 366, HORIZON),
    ],
)
def test_each_setting_has_its_limits(name, value, message):
    if message is None:
        ensure_setting(name, value)
        ensure_schedule(replace(CHANGE, **{name: value}))
    else:
        assert _errors(ensure_setting, name, value) == {name: [message]}
        assert _errors(ensure_schedule, replace(CHANGE, **{name: value})) == {name: [message]}


def test_a_draw_may_last_longer_than_the_interval_but_must_fit_in_every_period():
    ensure_schedule(replace(CHANGE, slot_duration_minutes=30, slot_interval_minutes=10))
    short_saturday = {**WEEK, "saturday": (_period("08:00", "08:20"),)}
    errors = _errors(
        ensure_schedule, replace(CHANGE, open_hours=short_saturday, slot_duration_minutes=30)
    )
    assert errors == {
        "slot_duration_minutes": [
            "A 30-minute draw does not fit in the opening 08:00-08:20 on Saturday: shorten the "
            "slot duration or lengthen that period."
        ]
    }


def test_a_schedule_names_every_failing_field_at_once():
    broken = {**WEEK, "monday": (_period("12:00", "08:00"),)}
    errors = _errors(ensure_schedule, replace(CHANGE, open_hours=broken, capacity=0))
    assert set(errors) == {"open_hours.monday.0.close", "capacity"}


def _location(session, world) -> TestLocation:
    session.rollback()  # see what the use case committed
    return session.get(TestLocation, world.location.id)


def test_an_admin_replaces_the_schedule(session, world):
    update_schedule(session, world.location.id, CHANGE, actor=ADMIN, now=NOW)
    location = _location(session, world)
    assert location.open_hours["monday"] == [
        {"open": "07:30", "close": "12:00"},
        {"open": "13:00", "close": "18:00"},
    ]
    assert location.open_hours["saturday"] == [{"open": "08:00", "close": "12:00"}]
    assert location.open_hours["sunday"] == []
    assert (location.slot_duration_minutes, location.slot_interval_minutes) == (10, 15)
    assert (location.capacity, location.minimum_notice_minutes) == (3, 60)
    assert location.booking_horizon_days == 90


def test_a_schedule_of_an_unknown_location_is_not_found(session, world):
    with pytest.raises(NotFound):
        update_schedule(session, uuid.uuid4(), CHANGE, actor=ADMIN, now=NOW)


@pytest.fixture
def three_chairs(session, world):
    """The Berlin location with 3 chairs; two booked and one cancelled at Mon 30 Nov 10:30, each
    for another person."""
    update_schedule(session, world.location.id, CHANGE, actor=ADMIN, now=NOW)
    berta = make_profile(session, world.org, first_name="Berta")
    clara = make_profile(session, world.org, first_name="Clara")
    for profile, status in [(world.profile, "confirmed"), (berta, "pending"), (clara, "cancelled")]:
        make_appointment(session, profile, world.location, scheduled_at=MONDAY_1030, status=status)
    return world.location


def test_capacity_cannot_drop_below_the_chairs_booked_in_a_future_slot(
    session, world, three_chairs
):
    with pytest.raises(Conflict) as caught:
        update_schedule(
            session, world.location.id, replace(CHANGE, capacity=1), actor=ADMIN, now=NOW
        )
    assert caught.value.field == "capacity"
    assert caught.value.message == (
        "2 chairs are booked on Mon 30 Nov 2026 at 10:30; move those appointments before "
        "lowering the capacity to 1."
    )
    assert _location(session, world).capacity == 3


def test_capacity_may_drop_to_the_chairs_booked_not_counting_cancelled_or_past_ones(
    session, world, three_chairs
):
    update_schedule(session, world.location.id, replace(CHANGE, capacity=2), actor=ADMIN, now=NOW)
    assert _location(session, world).capacity == 2
    later = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    update_schedule(session, world.location.id, replace(CHANGE, capacity=1), actor=ADMIN, now=later)
    assert _location(session, world).capacity == 1


def _closed_dates(session, world) -> list[tuple[date, str]]:
    session.rollback()
    query = select(ClosedDate.date, ClosedDate.reason).where(
        ClosedDate.location_id == world.location.id
    )
    return [tuple(row) for row in session.execute(query)]


def test_closing_a_date_counts_the_appointments_still_booked_that_local_day(session, world):
    make_appointment(session, world.profile, world.location, scheduled_at=MONDAY_1030)
    make_appointment(
        session, world.profile, world.location, scheduled_at=MONDAY_1030, status="cancelled"
    )
    # 23:30 UTC on Monday is already Tuesday in Berlin.
    make_appointment(
        session,
        world.profile,
        world.location,
        scheduled_at=datetime(2026, 11, 30, 23, 30, tzinfo=UTC),
    )
    booked = add_closed_date(
        session, world.location.id, date(2026, 11, 30), " Staff training ", actor=ADMIN, now=NOW
    )
    assert booked == 1
    assert _closed_dates(session, world) == [(date(2026, 11, 30), "Staff training")]


def test_today_may_be_closed_but_not_a_past_date(session, world):
    assert (
        add_closed_date(session, world.location.id, NOW.date(), "Burst pipe", actor=ADMIN, now=NOW)
        == 0
    )
    errors = _errors(
        lambda: add_closed_date(
            session, world.location.id, date(2026, 11, 20), "", actor=ADMIN, now=NOW
        )
    )
    assert errors == {
        "date": ["Fri 20 Nov 2026 is in the past: choose today or a later date."],
        "reason": ["Give the reason for closing, such as Christmas Day."],
    }


def test_a_reason_has_at_most_200_characters(session, world):
    errors = _errors(
        lambda: add_closed_date(
            session, world.location.id, date(2026, 12, 24), "x" * 201, actor=ADMIN, now=NOW
        )
    )
    assert errors == {"reason": ["The reason may have at most 200 characters."]}


def test_a_date_already_closed_is_a_conflict(session, world):
    add_closed_date(
        session, world.location.id, date(2026, 12, 25), "Christmas", actor=ADMIN, now=NOW
    )
    with pytest.raises(Conflict) as caught:
        add_closed_date(
            session, world.location.id, date(2026, 12, 25), "Again", actor=ADMIN, now=NOW
        )
    assert caught.value.field == "date"
    assert caught.value.message == "Vena Berlin Mitte is already closed on Fri 25 Dec 2026."


def test_reopening_removes_the_closed_date_and_a_date_not_closed_is_not_found(session, world):
    day = date(2026, 12, 25)
    add_closed_date(session, world.location.id, day, "Christmas", actor=ADMIN, now=NOW)
    remove_closed_date(session, world.location.id, day, actor=ADMIN, now=NOW)
    assert _closed_dates(session, world) == []
    with pytest.raises(NotFound) as caught:
        remove_closed_date(session, world.location.id, day, actor=ADMIN, now=NOW)
    assert caught.value.message == "Vena Berlin Mitte is not closed on Fri 25 Dec 2026."


@pytest.mark.parametrize("who", ["coordinator", "desk", "other_coordinator"])
def test_only_admins_change_schedules_and_closed_dates(session, world, who):
    actor = getattr(world, who)
    day = date(2026, 12, 25)
    with pytest.raises(Forbidden):
        update_schedule(session, world.location.id, CHANGE, actor=actor, now=NOW)
    with pytest.raises(Forbidden):
        add_closed_date(session, world.location.id, day, "Christmas", actor=actor, now=NOW)
    with pytest.raises(Forbidden):
        remove_closed_date(session, world.location.id, day, actor=actor, now=NOW)
    assert _closed_dates(session, world) == []


def test_managing_locations_belongs_to_the_admin_role_and_to_no_api_scope():
    holders = [
        role for role, held in ROLE_PERMISSIONS.items() if Permission.MANAGE_LOCATIONS in held
    ]
    assert holders == [Role.ADMIN]
    assert not any(Permission.MANAGE_LOCATIONS in held for held in SCOPE_PERMISSIONS.values())
