"""Admins add organisations, issue API keys shown once, and revoke keys for good."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from app.domain.access import SCOPE_PERMISSIONS, Permission, actor_for_user
from app.domain.accounts import authenticate_api_key, hash_api_key
from app.domain.errors import Conflict, Forbidden, NotFound, ValidationError
from app.domain.models import ApiKey
from app.domain.organisation_admin import (
    add_organisation,
    issue_api_key,
    list_api_keys,
    list_organisations,
    parse_slug,
    revoke_api_key,
)
from tests.conftest import NOW
from tests.factories import make_user

ADMIN = actor_for_user("admin:a@vena", "admin", user_id=uuid.uuid4(), organisation_id=None)
SLUG_RULE = (
    "The slug must be 1 to 64 letters a-z, digits and hyphens, starting and ending with a letter "
    "or digit, such as acme-clinics."
)


@pytest.mark.parametrize(
    ("value", "slug"), [("acme", "acme"), (" Acme-Clinics ", "acme-clinics"), ("a1", "a1")]
)
def test_a_slug_is_lower_case_letters_digits_and_inner_hyphens(value, slug):
    assert parse_slug(value) == slug


@pytest.mark.parametrize("value", ["", "-acme", "acme-", "acme clinics", "acme_clinics", "x" * 65])
def test_a_slug_of_another_form_is_refused(value):
    with pytest.raises(ValidationError) as caught:
        parse_slug(value)
    assert caught.value.errors == {"slug": [SLUG_RULE]}


def test_an_organisation_is_added_once_per_slug(session):
    organisation = add_organisation(session, "Initech", " Initech Labs ", actor=ADMIN, now=NOW)
    assert (organisation.slug, organisation.name) == ("initech", "Initech Labs")
    with pytest.raises(Conflict) as caught:
        add_organisation(session, "initech", "Another", actor=ADMIN, now=NOW)
    assert caught.value.field == "slug"


def test_an_organisation_names_every_failing_field(session):
    with pytest.raises(ValidationError) as caught:
        add_organisation(session, "a b", "  ", actor=ADMIN, now=NOW)
    assert caught.value.errors == {"slug": [SLUG_RULE], "name": ["The name is required."]}


def test_an_issued_key_authenticates_with_its_scopes_and_only_its_hash_is_kept(session, world):
    api_key, secret = issue_api_key(
        session, world.org.id, ["LOCATIONS_VIEW"], name=" Acme CRM ", actor=ADMIN, now=NOW
    )
    assert (api_key.name, api_key.scopes) == ("Acme CRM", ["LOCATIONS_VIEW"])
    assert secret.startswith(api_key.prefix)
    stored = session.get(ApiKey, api_key.id)
    assert stored.secret_hash == hash_api_key(secret) != secret
    actor = authenticate_api_key(session, secret)
    assert actor is not None
    assert actor.organisation_id == world.org.id
    assert actor.can(Permission.READ_LOCATIONS)
    assert not actor.can(Permission.BOOK)


@pytest.mark.parametrize(
    ("name", "scopes", "field"),
    [
        ("", ["LOCATIONS_VIEW"], "name"),
        ("x" * 101, ["LOCATIONS_VIEW"], "name"),
        ("CRM", [], "scope"),
        ("CRM", ["EVERYTHING"], "scope"),
    ],
)
def test_a_key_needs_a_name_and_known_scopes(session, world, name, scopes, field):
    with pytest.raises(ValidationError) as caught:
        issue_api_key(session, world.org.id, scopes, name=name, actor=ADMIN, now=NOW)
    assert list(caught.value.errors) == [field]


def test_a_revoked_key_authenticates_nothing_and_cannot_be_revoked_twice(session, world):
    api_key, secret = issue_api_key(
        session, world.org.id, ["LOCATIONS_VIEW"], name="CRM", actor=ADMIN, now=NOW
    )
    later = NOW + timedelta(minutes=5)
    revoked = revoke_api_key(session, world.org.id, api_key.id, actor=ADMIN, now=later)
    assert revoked.revoked_at == later
    assert authenticate_api_key(session, secret) is None
    with pytest.raises(Conflict) as caught:
        revoke_api_key(session, world.org.id, api_key.id, actor=ADMIN, now=later)
    assert caught.value.message == "The API key CRM is revoked already."


def test_a_key_is_revoked_only_through_its_own_organisation(session, world):
    api_key, secret = issue_api_key(
        session, world.org.id, ["LOCATIONS_VIEW"], name="CRM", actor=ADMIN, now=NOW
    )
    with pytest.raises(NotFound):
        revoke_api_key(session, world.other_org.id, api_key.id, actor=ADMIN, now=NOW)
    with pytest.raises(NotFound):
        revoke_api_key(session, world.org.id, uuid.uuid4(), actor=ADMIN, now=NOW)
    assert authenticate_api_key(session, secret) is not None


def test_organisations_are_listed_with_their_users_and_keys_in_use(session, world):
    kept, _ = issue_api_key(
        session, world.org.id, ["PROFILES_VIEW"], name="A", actor=ADMIN, now=NOW
    )
    gone, _ = issue_api_key(
        session, world.org.id, ["PROFILES_VIEW"], name="B", actor=ADMIN, now=NOW
    )
    revoke_api_key(session, world.org.id, gone.id, actor=ADMIN, now=NOW)
    make_user(session, "patient", org=world.org)
    rows = {
        row.organisation.slug: (row.users, row.active_keys)
        for row in list_organisations(session, actor=ADMIN)
    }
    assert rows == {"acme": (2, 1), "globex": (0, 0)}
    assert {key.name for key in list_api_keys(session, world.org.id, actor=ADMIN)} == {"A", "B"}


def test_only_admins_manage_organisations_and_keys(session, world):
    assert not any(Permission.MANAGE_ORGANISATIONS in p for p in SCOPE_PERMISSIONS.values())
    for actor in (world.coordinator, world.desk, world.other_coordinator):
        with pytest.raises(Forbidden):
            add_organisation(session, "initech", "Initech", actor=actor, now=NOW)
        with pytest.raises(Forbidden):
            issue_api_key(session, world.org.id, ["PROFILES_VIEW"], name="x", actor=actor, now=NOW)
        with pytest.raises(Forbidden):
            revoke_api_key(session, world.org.id, uuid.uuid4(), actor=actor, now=NOW)
        with pytest.raises(Forbidden):
            list_organisations(session, actor=actor)
