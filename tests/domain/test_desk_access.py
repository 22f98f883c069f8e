"""Front desk at several locations: they see and run every location they work at, no other."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from app.domain.accounts import create_user, user_actor
from app.domain.appointments import get_appointment, list_appointments
from app.domain.availability import day_slots
from app.domain.errors import Forbidden, NotFound, ValidationError
from app.domain.front_desk import list_day_sheet
from app.domain.lifecycle import cancel_appointment
from app.domain.models import Role
from tests.conftest import NOW
from tests.factories import make_appointment, make_location, make_profile, make_user

MONDAY = date(2026, 11, 23)
PASSWORD = "a long enough password"


@pytest.fixture
def places(session):
    """Three locations: the desk works at Berlin and Munich, not at Helsinki."""
    return {
        "berlin": make_location(session),
        "munich": make_location(session, name="Vena München Marienplatz"),
        "helsinki": make_location(session, name="Vena Helsinki", timezone="Europe/Helsinki"),
    }


@pytest.fixture
def desk(session, places):
    user = make_user(session, "front_desk", locations=[places["munich"], places["berlin"]])
    return user_actor(user)


def test_the_actor_of_a_front_desk_holds_every_location_they_work_at(desk, places):
    assert desk.location_ids == {places["berlin"].id, places["munich"].id}


def test_front_desk_of_two_locations_sees_both_and_not_a_third(session, world, places, desk):
    berlin = make_appointment(session, world.profile, places["berlin"])
    munich = make_appointment(session, world.other_profile, places["munich"])
    berta = make_profile(session, world.org, first_name="Berta")
    helsinki = make_appointment(session, berta, places["helsinki"])

    listed = {a.id for a in list_appointments(session, actor=desk, now=NOW)}

    assert listed == {berlin.id, munich.id}
    assert get_appointment(session, munich.id, actor=desk).id == munich.id
    with pytest.raises(Forbidden):
        get_appointment(session, helsinki.id, actor=desk)
    with pytest.raises(Forbidden):
        cancel_appointment(session, helsinki.id, actor=desk, now=NOW)


@pytest.mark.parametrize(
    ("place", "runs"), [("berlin", True), ("munich", True), ("helsinki", False)]
)
def test_front_desk_runs_the_day_of_their_locations_only(session, places, desk, place, runs):
    location_id = places[place].id
    if runs:
        assert list_day_sheet(session, actor=desk, location_id=location_id, day=MONDAY)[1] == []
        assert day_slots(session, location_id, MONDAY, actor=desk)[1]
    else:
        with pytest.raises(Forbidden):
            list_day_sheet(session, actor=desk, location_id=location_id, day=MONDAY)
        with pytest.raises(Forbidden):
            day_slots(session, location_id, MONDAY, actor=desk)


def test_front_desk_without_a_location_sees_nothing(session, world, places):
    make_appointment(session, world.profile, places["berlin"])
    nowhere = user_actor(make_user(session, "front_desk"))

    assert nowhere.location_ids == frozenset()
    assert list_appointments(session, actor=nowhere, now=NOW) == []


def test_create_user_gives_front_desk_each_location_once_listed_by_name(session, places):
    user = create_user(
        session,
        "desk@example.org",
        PASSWORD,
        "front_desk",
        now=NOW,
        location_ids=[places["munich"].id, places["berlin"].id, places["munich"].id],
    )

    assert [place.name for place in user.locations] == [
        "Vena Berlin Mitte",
        "Vena München Marienplatz",
    ]


def test_create_user_refuses_front_desk_without_a_location(session):
    with pytest.raises(ValidationError) as error:
        create_user(session, "desk@example.org", PASSWORD, "front_desk", now=NOW)

    assert error.value.errors == {"locations": ["Front desk needs one or more test locations."]}


def test_create_user_refuses_an_unknown_location(session, places):
    with pytest.raises(NotFound):
        create_user(
            session,
            "desk@example.org",
            PASSWORD,
            "front_desk",
            now=NOW,
            location_ids=[places["berlin"].id, uuid.uuid4()],
        )


def test_other_roles_get_no_locations(session, places):
    user = create_user(
        session, "admin@example.org", PASSWORD, "admin", now=NOW, location_ids=[places["berlin"].id]
    )

    assert user.locations == []
    assert user_actor(user).location_ids is None
    assert user.role == Role.ADMIN
