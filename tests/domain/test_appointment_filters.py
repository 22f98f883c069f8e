"""The appointment list's time filters: the default window, and `from`/`to` replacing it."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.domain.appointments import list_appointments
from app.domain.errors import ValidationError
from tests.conftest import NOW
from tests.factories import make_appointment


@pytest.fixture
def spread(session, world):
    """The world's profile's appointments, by days from NOW, each at 09:00 UTC."""
    return {
        days: make_appointment(
            session, world.profile, world.location, scheduled_at=NOW + timedelta(days=days)
        ).id
        for days in (-70, -30, 2, 20, 40, 100)
    }


def _days(session, world, spread, **filters):
    by_id = {aid: days for days, aid in spread.items()}
    found = list_appointments(session, actor=world.coordinator, now=NOW, **filters)
    return [by_id[a.id] for a in found]


def test_without_from_and_to_the_list_covers_two_months_back_to_one_month_ahead(
    session, world, spread
):
    assert _days(session, world, spread) == [-30, 2, 20]


def test_from_alone_replaces_the_window_and_leaves_the_end_open(session, world, spread):
    assert _days(session, world, spread, scheduled_from=NOW + timedelta(days=20)) == [20, 40, 100]


def test_to_alone_replaces_the_window_and_leaves_the_start_open(session, world, spread):
    assert _days(session, world, spread, scheduled_to=NOW + timedelta(days=2)) == [-70, -30]


def test_from_is_included_and_to_is_not(session, world, spread):
    start, end = NOW + timedelta(days=2), NOW + timedelta(days=40)
    assert _days(session, world, spread, scheduled_from=start, scheduled_to=end) == [2, 20]


def test_with_a_profile_and_no_range_every_appointment_of_the_profile_is_listed(
    session, world, spread
):
    listed = _days(session, world, spread, profile_id=world.profile.id)
    assert listed == [-70, -30, 2, 20, 40, 100]


def test_with_a_profile_from_and_to_still_apply(session, world, spread):
    listed = _days(
        session, world, spread, profile_id=world.profile.id, scheduled_to=NOW - timedelta(days=1)
    )
    assert listed == [-70, -30]


def test_an_empty_range_lists_nothing(session, world, spread):
    assert _days(session, world, spread, scheduled_from=NOW, scheduled_to=NOW) == []


def test_to_before_from_is_refused_naming_to(session, world):
    with pytest.raises(ValidationError) as refused:
        list_appointments(
            session,
            actor=world.coordinator,
            now=NOW,
            scheduled_from=NOW,
            scheduled_to=NOW - timedelta(seconds=1),
        )
    assert list(refused.value.errors) == ["to"]


@pytest.mark.parametrize(
    ("keyword", "field"),
    [("scheduled_from", "from"), ("scheduled_to", "to"), ("updated_since", "updated_since")],
)
def test_a_naive_instant_is_refused_naming_its_filter(session, world, keyword, field):
    naive = datetime(2026, 11, 23, 9, 0)  # noqa: DTZ001 - the naive value under test
    with pytest.raises(ValidationError) as refused:
        list_appointments(session, actor=world.coordinator, now=NOW, **{keyword: naive})
    assert list(refused.value.errors) == [field]


def test_updated_since_counts_an_appointment_never_changed_as_updated_when_it_was_booked(
    session, world
):
    made = {}
    for name, created, updated in [
        ("booked after, never changed", NOW + timedelta(hours=2), None),
        ("booked before, never changed", NOW - timedelta(hours=2), None),
        ("booked before, changed after", NOW - timedelta(days=3), NOW + timedelta(hours=1)),
        ("booked before, changed before", NOW - timedelta(days=3), NOW - timedelta(hours=1)),
    ]:
        appointment = make_appointment(
            session, world.profile, world.location, scheduled_at=NOW + timedelta(days=len(made))
        )
        appointment.created_at, appointment.updated_at = created, updated
        made[appointment.id] = name
    session.commit()
    found = list_appointments(session, actor=world.coordinator, now=NOW, updated_since=NOW)
    assert sorted(made[a.id] for a in found) == [
        "booked after, never changed",
        "booked before, changed after",
    ]
