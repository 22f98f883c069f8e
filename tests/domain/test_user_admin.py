"""Admins change what a portal user's role works for: the rules create_user applies, and more."""

from __future__ import annotations

import uuid

import pytest

from app.domain.access import SCOPE_PERMISSIONS, Permission, actor_for_user
from app.domain.errors import Conflict, Forbidden, NotFound, ValidationError
from app.domain.models import Role, User
from app.domain.user_admin import ensure_role_links, list_users, update_user_role
from tests.factories import make_location, make_profile, make_user

ADMIN = actor_for_user("admin:a@vena", "admin", user_id=uuid.uuid4(), organisation_id=None)


@pytest.mark.parametrize(
    ("role", "has_organisation", "location_count", "field", "message"),
    [
        (Role.PATIENT, False, 0, "organisation", "A patient needs an organisation."),
        (Role.COORDINATOR, False, 2, "organisation", "A coordinator needs an organisation."),
        (Role.FRONT_DESK, True, 0, "locations", "Front desk needs one or more test locations."),
    ],
)
def test_a_role_without_what_it_works_for_is_refused(
    role, has_organisation, location_count, field, message
):
    with pytest.raises(ValidationError) as caught:
        ensure_role_links(role, has_organisation=has_organisation, location_count=location_count)
    assert caught.value.errors == {field: [message]}


@pytest.mark.parametrize(
    ("role", "has_organisation", "location_count"),
    [
        (Role.PATIENT, True, 0),
        (Role.COORDINATOR, True, 1),
        (Role.FRONT_DESK, False, 1),
        (Role.FRONT_DESK, False, 3),
        (Role.ADMIN, False, 0),
        (Role.ADMIN, True, 2),
    ],
)
def test_a_role_with_what_it_works_for_passes(role, has_organisation, location_count):
    ensure_role_links(role, has_organisation=has_organisation, location_count=location_count)


def _reload(session, user: User) -> User:
    session.expire_all()
    return session.get(User, user.id)


def test_a_coordinator_becomes_front_desk_at_two_locations_and_leaves_the_organisation(
    session, world
):
    coordinator = make_user(session, "coordinator", org=world.org)
    munich = make_location(session, name="Vena München")
    update_user_role(
        session,
        coordinator.id,
        "front_desk",
        actor=ADMIN,
        organisation_slug="acme",
        location_ids=[str(world.location.id), str(munich.id)],
    )
    user = _reload(session, coordinator)
    assert (user.role, user.organisation_id) == ("front_desk", None)
    assert [location.name for location in user.locations] == ["Vena Berlin Mitte", "Vena München"]


def test_front_desk_becomes_a_coordinator_and_leaves_its_locations(session, world):
    desk = make_user(session, "front_desk", location=world.location)
    update_user_role(session, desk.id, "coordinator", actor=ADMIN, organisation_slug="globex")
    user = _reload(session, desk)
    assert (user.role, user.organisation_id, user.locations) == (
        "coordinator",
        world.other_org.id,
        [],
    )


@pytest.mark.parametrize(
    ("role", "slug", "locations", "error"),
    [
        ("patient", None, [], ValidationError),
        ("front_desk", None, [], ValidationError),
        ("janitor", None, [], ValidationError),
        ("coordinator", "nowhere", [], NotFound),
        ("front_desk", None, [str(uuid.uuid4())], NotFound),
        ("front_desk", None, ["not-an-id"], ValidationError),
    ],
)
def test_a_change_create_user_would_refuse_is_refused(session, world, role, slug, locations, error):
    coordinator = make_user(session, "coordinator", org=world.org)
    with pytest.raises(error):
        update_user_role(
            session,
            coordinator.id,
            role,
            actor=ADMIN,
            organisation_slug=slug,
            location_ids=locations,
        )
    assert _reload(session, coordinator).role == "coordinator"


def test_the_only_admin_stays_an_admin_until_there_is_another(session, world):
    admin = make_user(session, "admin")
    with pytest.raises(Conflict) as caught:
        update_user_role(session, admin.id, "coordinator", actor=ADMIN, organisation_slug="acme")
    assert (caught.value.field, caught.value.message) == (
        "role",
        f"{admin.email} is the only admin: make another user an admin first.",
    )
    make_user(session, "admin")
    update_user_role(session, admin.id, "coordinator", actor=ADMIN, organisation_slug="acme")
    assert _reload(session, admin).role == "coordinator"


def test_a_patient_stays_with_the_organisation_of_the_profiles_they_own(session, world):
    patient = make_user(session, "patient", org=world.org)
    make_profile(session, world.org, owner=patient)
    with pytest.raises(Conflict) as caught:
        update_user_role(session, patient.id, "patient", actor=ADMIN, organisation_slug="globex")
    assert caught.value.field == "organisation"
    assert caught.value.message == (
        f"{patient.email} owns 1 profile of another organisation, which they would no longer "
        "see in Globex."
    )
    update_user_role(session, patient.id, "coordinator", actor=ADMIN, organisation_slug="acme")
    assert _reload(session, patient).role == "coordinator"


def test_changing_an_unknown_user_is_not_found(session, world):
    with pytest.raises(NotFound):
        update_user_role(session, uuid.uuid4(), "admin", actor=ADMIN)


def test_users_are_listed_by_email_for_admins_only(session, world):
    make_user(session, "admin", email="zoe@vena.example.com")
    make_user(session, "patient", org=world.org, email="adam@example.com")
    emails = [user.email for user in list_users(session, actor=ADMIN)]
    assert emails == sorted(emails)
    assert emails[0] == "adam@example.com"
    for actor in (world.coordinator, world.desk):
        with pytest.raises(Forbidden):
            list_users(session, actor=actor)
        with pytest.raises(Forbidden):
            update_user_role(session, uuid.uuid4(), "admin", actor=actor)
    assert not any(Permission.MANAGE_USERS in p for p in SCOPE_PERMISSIONS.values())
