"""Fixtures for the domain's use cases: actors of each kind, and a world of two organisations."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.domain.access import Actor, actor_for_scopes, actor_for_user
from app.domain.models import Organisation, Panel, Profile, TestLocation
from tests.factories import ALL_SCOPES, make_location, make_org, make_panel, make_profile, make_user


@dataclass
class World:
    """Two organisations with a profile each, a Berlin location, a panel, and their actors."""

    org: Organisation
    other_org: Organisation
    profile: Profile
    other_profile: Profile
    location: TestLocation
    panel: Panel
    coordinator: Actor
    other_coordinator: Actor
    desk: Actor


@pytest.fixture
def world(session) -> World:
    org, other_org = make_org(session, "acme"), make_org(session, "globex")
    location = make_location(session)
    coordinator = make_user(session, "coordinator", org=org)
    desk = make_user(session, "front_desk", location=location)
    return World(
        org=org,
        other_org=other_org,
        profile=make_profile(session, org),
        other_profile=make_profile(session, other_org, first_name="Otto"),
        location=location,
        panel=make_panel(session, "Lipid panel", requires_fasting=True),
        coordinator=actor_for_user(
            "coordinator:c@acme",
            "coordinator",
            user_id=coordinator.id,
            organisation_id=org.id,
        ),
        other_coordinator=actor_for_scopes("api_key:globex", other_org.id, ALL_SCOPES),
        desk=actor_for_user(
            "front_desk:d@acme",
            "front_desk",
            user_id=desk.id,
            organisation_id=None,
            location_ids=[location.id],
        ),
    )
