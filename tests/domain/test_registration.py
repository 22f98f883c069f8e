"""Patients sign up on their own: `register_patient` and the organisation they join."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.domain.accounts import (
    PUBLIC_ORGANISATION,
    authenticate_user,
    register_patient,
    user_actor,
)
from app.domain.errors import Conflict, ValidationError
from app.domain.models import Organisation, Role, User
from app.domain.profiles import create_profile, list_profiles
from tests.conftest import NOW
from tests.factories import make_org, make_user

PASSWORD = "wombat lantern quiche"


def _count(session, model) -> int:
    session.rollback()  # see what the use case committed
    return session.scalar(select(func.count()).select_from(model))


def test_a_sign_up_creates_a_patient_who_can_sign_in_with_a_normalised_e_mail(session):
    user = register_patient(session, "  Lena.Fischer@Example.ORG ", PASSWORD, now=NOW)

    assert user.role == Role.PATIENT
    assert user.email == "lena.fischer@example.org"
    assert user.locations == []
    assert authenticate_user(session, "lena.fischer@example.org", PASSWORD).id == user.id


def test_the_first_sign_up_creates_the_public_organisation_and_later_ones_join_it(session):
    first = register_patient(session, "first@example.org", PASSWORD, now=NOW)
    second = register_patient(session, "second@example.org", PASSWORD, now=NOW)

    public = session.scalars(select(Organisation)).one()
    assert public.slug == PUBLIC_ORGANISATION
    assert first.organisation_id == second.organisation_id == public.id


def test_a_configured_organisation_that_exists_receives_the_sign_ups(session):
    acme = make_org(session, "acme")

    user = register_patient(
        session, "lena@example.org", PASSWORD, now=NOW, organisation_slug="acme"
    )

    assert user.organisation_id == acme.id
    assert _count(session, Organisation) == 1


def test_a_sign_up_that_loses_the_race_to_create_the_organisation_joins_the_winners(
    session, monkeypatch
):
    public = make_org(session, PUBLIC_ORGANISATION)
    looked_up = session.scalar
    misses = iter([None])

    def scalar_missing_the_organisation_once(statement, *args, **kwargs):
        # As if another sign-up committed the organisation just after this one looked.
        found = looked_up(statement, *args, **kwargs)
        return next(misses, found) if isinstance(found, Organisation) else found

    monkeypatch.setattr(session, "scalar", scalar_missing_the_organisation_once)

    user = register_patient(session, "lena@example.org", PASSWORD, now=NOW)

    assert user.organisation_id == public.id
    assert _count(session, Organisation) == 1


@pytest.mark.parametrize("email", ["lena@example.org", "LENA@example.org"])
def test_an_e_mail_with_an_account_already_is_a_conflict_on_the_e_mail_field(session, email):
    make_user(session, "coordinator", email="lena@example.org")

    with pytest.raises(Conflict) as caught:
        register_patient(session, email, PASSWORD, now=NOW)

    assert caught.value.field == "email"
    assert _count(session, User) == 1


def test_a_bad_e_mail_and_a_weak_password_are_both_named_and_nothing_is_written(session):
    with pytest.raises(ValidationError) as caught:
        register_patient(session, "lena@", "password1234", now=NOW)

    assert set(caught.value.errors) == {"email", "password"}
    assert "commonly used passwords" in caught.value.errors["password"][0]
    assert _count(session, User) == 0
    assert _count(session, Organisation) == 0


def test_a_missing_e_mail_is_refused(session):
    with pytest.raises(ValidationError) as caught:
        register_patient(session, "", PASSWORD, now=NOW)
    assert caught.value.errors == {"email": ["An e-mail address is required."]}


def test_a_registered_patient_owns_the_profiles_they_add_and_sees_only_those(session):
    lena = user_actor(register_patient(session, "lena@example.org", PASSWORD, now=NOW))
    otto = user_actor(register_patient(session, "otto@example.org", PASSWORD, now=NOW))
    data = {"first_name": "Lena", "sex": 2, "date_of_birth": "1990-03-14"}

    profile = create_profile(session, data, actor=lena, now=NOW)

    assert [p.id for p in list_profiles(session, actor=lena)] == [profile.id]
    assert list_profiles(session, actor=otto) == []
