"""Access context: each kind of actor sees and changes only what lies inside its context."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from app.domain.access import SCOPE_PERMISSIONS, Permission, actor_for_scopes, actor_for_user
from app.domain.appointments import get_appointment, list_appointments
from app.domain.errors import Forbidden
from app.domain.lifecycle import cancel_appointment
from app.domain.profiles import get_profile, list_profiles
from tests.conftest import NOW
from tests.factories import make_appointment, make_location, make_profile, make_user


def _patient(session, org):
    user = make_user(session, "patient", org=org)
    actor = actor_for_user(
        f"patient:{user.email}",
        "patient",
        user_id=user.id,
        organisation_id=org.id,
    )
    return user, actor


def test_a_coordinator_sees_only_their_organisations_appointments(session, world):
    mine = make_appointment(session, world.profile, world.location)
    theirs = make_appointment(session, world.other_profile, world.location)
    listed = list_appointments(session, actor=world.coordinator, now=NOW)
    assert [a.id for a in listed] == [mine.id]
    with pytest.raises(Forbidden):
        get_appointment(session, theirs.id, actor=world.coordinator)
    with pytest.raises(Forbidden):
        cancel_appointment(session, theirs.id, actor=world.coordinator, now=NOW)
    assert get_appointment(session, theirs.id, actor=world.other_coordinator).status == "confirmed"


def test_a_patient_sees_only_the_profiles_they_own(session, world):
    user, patient = _patient(session, world.org)
    own = make_profile(session, world.org, owner=user, first_name="Paula")
    own_visit = make_appointment(session, own, world.location)
    colleague_visit = make_appointment(session, world.profile, world.location)
    assert [p.id for p in list_profiles(session, actor=patient)] == [own.id]
    assert [a.id for a in list_appointments(session, actor=patient, now=NOW)] == [own_visit.id]
    with pytest.raises(Forbidden):
        get_appointment(session, colleague_visit.id, actor=patient)
    with pytest.raises(Forbidden):
        get_profile(session, world.profile.id, actor=patient)


def test_front_desk_sees_only_their_locations_appointments_of_any_organisation(session, world):
    elsewhere = make_location(session, name="Vena Helsinki", timezone="Europe/Helsinki")
    berta = make_profile(session, world.org, first_name="Berta")
    here_a = make_appointment(session, world.profile, world.location)
    next_slot = here_a.scheduled_at + timedelta(minutes=15)  # the location has one chair
    here_b = make_appointment(session, world.other_profile, world.location, scheduled_at=next_slot)
    there = make_appointment(session, berta, elsewhere)
    listed = {a.id for a in list_appointments(session, actor=world.desk, now=NOW)}
    assert listed == {here_a.id, here_b.id}
    with pytest.raises(Forbidden):
        get_appointment(session, there.id, actor=world.desk)


def test_an_api_key_reads_only_its_organisations_profiles(session, world):
    key = actor_for_scopes("api_key:acme", world.org.id, ["PROFILES_VIEW"])
    assert [p.id for p in list_profiles(session, actor=key)] == [world.profile.id]
    with pytest.raises(Forbidden):
        get_profile(session, world.other_profile.id, actor=key)


def test_a_role_without_the_permission_is_forbidden_even_inside_its_context(session, world):
    appointment = make_appointment(session, world.profile, world.location, status="pending")
    from app.domain.lifecycle import confirm_appointment

    with pytest.raises(Forbidden):
        confirm_appointment(session, appointment.id, actor=world.coordinator, now=NOW)


# The contract's "Scopes" table, row by row, as the permissions each scope grants.
_P = Permission
CONTRACT_SCOPES = {
    "TEST_SESSIONS_SCHEDULE": {
        _P.BOOK,
        _P.CANCEL,
        _P.RECORD_DRAW,
        _P.READ_APPOINTMENTS,
        _P.READ_LOCATIONS,
        _P.READ_PANELS,
    },
    "TEST_SESSIONS_VIEW": {_P.READ_APPOINTMENTS, _P.READ_LOCATIONS, _P.READ_PANELS},
    "TEST_SESSIONS_OPERATE": {_P.RECORD_DRAW, _P.READ_APPOINTMENTS},
    "TEST_SESSIONS_MANAGE": {
        _P.BOOK,
        _P.CANCEL,
        _P.CONFIRM,
        _P.RECORD_DRAW,
        _P.READ_APPOINTMENTS,
        _P.READ_LOCATIONS,
        _P.READ_PANELS,
    },
    "PROFILES_VIEW": {_P.READ_PROFILES},
    "IMPERSONATE": {_P.READ_PROFILES},
    "CREATE_USER": {_P.WRITE_PROFILES},
    "LOCATIONS_VIEW": {_P.READ_LOCATIONS},
    "RESULTS_VIEW": set(),
    "SHIPMENTS_MANAGE": set(),
}


@pytest.mark.parametrize(("scope", "granted"), CONTRACT_SCOPES.items())
def test_each_scope_grants_what_the_contracts_table_lists(scope, granted):
    assert actor_for_scopes("api_key:x", uuid.uuid4(), [scope]).permissions == granted


def test_a_key_may_hold_every_scope_the_contract_names_and_no_other():
    assert set(SCOPE_PERMISSIONS) == set(CONTRACT_SCOPES)
