"""The front desk's "next" view: from the slot in progress to an hour ahead, own locations only."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from app.domain.accounts import user_actor
from app.domain.errors import Forbidden
from app.domain.front_desk import list_upcoming
from tests.factories import make_appointment, make_location, make_user

# Monday 23 Nov 2026, 10:35 in Berlin (UTC+01:00): inside the 10:30 slot, which lasts 10 minutes.
NOW_AT_DESK = datetime.fromisoformat("2026-11-23T10:35:00+01:00")


@pytest.fixture
def berlin(session):
    return make_location(session, capacity=3)


def _at(berlin_clock: str) -> datetime:
    return datetime.fromisoformat(f"2026-11-23T{berlin_clock}:00+01:00")


def test_next_lists_the_slot_in_progress_and_the_coming_hour_soonest_first(session, world, berlin):
    desk = user_actor(make_user(session, "front_desk", location=berlin))
    times = ("10:15", "10:30", "10:45", "11:30", "11:45")
    booked = {
        clock: make_appointment(session, world.profile, berlin, scheduled_at=_at(clock))
        for clock in times
    }

    location, upcoming = list_upcoming(session, actor=desk, location_id=berlin.id, now=NOW_AT_DESK)

    assert location.id == berlin.id
    assert [a.id for a in upcoming] == [booked[c].id for c in ("10:30", "10:45", "11:30")]


def test_a_wider_window_reaches_further(session, world, berlin):
    desk = user_actor(make_user(session, "front_desk", location=berlin))
    later = make_appointment(session, world.profile, berlin, scheduled_at=_at("11:45"))

    _, upcoming = list_upcoming(
        session, actor=desk, location_id=berlin.id, now=NOW_AT_DESK, within=timedelta(hours=2)
    )

    assert [a.id for a in upcoming] == [later.id]


def test_front_desk_cannot_see_the_next_hour_of_another_location(session, berlin):
    elsewhere = make_location(session, name="Vena München Marienplatz")
    desk = user_actor(make_user(session, "front_desk", location=elsewhere))

    with pytest.raises(Forbidden):
        list_upcoming(session, actor=desk, location_id=berlin.id, now=NOW_AT_DESK)
