"""`GET /appointments` filters `from`, `to` and `updated_since` (issue 5): aware instants in any
offset, alone or combined with `status` and `location_id`, inside the key's organisation only."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from app.domain.models import TestLocation
from tests.conftest import NOW
from tests.factories import make_appointment, make_location, make_profile

MONDAY = NOW + timedelta(days=2)  # 2026-11-23 09:00 UTC, 10:00 in Berlin


def ids(response):
    assert response.status_code == 200, response.get_json()
    return [a["id"] for a in response.get_json()]


@pytest.fixture
def week(session, profile, location):
    """Monday's appointments of the key's organisation at 09:00, 10:00 and 11:00 UTC (the
    last one pending there), and the same hours at a second location: ids by name, and
    `elsewhere`, the second location's id."""
    elsewhere = make_location(session, name="Vena Helsinki", timezone="Europe/Helsinki")
    partner = make_profile(session, profile.organisation)  # one appointment per person and time
    made = {}
    for hour in range(3):
        at = MONDAY + timedelta(hours=hour)
        status = "pending" if hour == 2 else "confirmed"
        made[f"berlin {hour}"] = make_appointment(session, profile, location, scheduled_at=at)
        made[f"helsinki {hour}"] = make_appointment(
            session, partner, elsewhere, scheduled_at=at, status=status
        )
    return {name: str(a.id) for name, a in made.items()} | {"elsewhere": str(elsewhere.id)}


@pytest.mark.parametrize("instant", ["2026-11-23T12:00:00+02:00", "2026-11-23T05:00:00-05:00"])
def test_from_names_the_same_instant_in_any_offset(api, week, instant):
    in_utc = ids(api.get("/appointments", query_string={"from": "2026-11-23T10:00:00Z"}))
    found = ids(api.get("/appointments", query_string={"from": instant}))
    assert found == in_utc
    later = {week[f"{place} {hour}"] for place in ("berlin", "helsinki") for hour in (1, 2)}
    assert set(found) == later


def test_to_excludes_the_instant_it_names(api, week):
    found = ids(api.get("/appointments", query_string={"to": "2026-11-23T11:00:00+01:00"}))
    assert sorted(found) == sorted([week["berlin 0"], week["helsinki 0"]])


def test_updated_since_lists_only_what_changed_from_that_instant(
    api, session, week, profile, location
):
    changed = make_appointment(session, profile, location, scheduled_at=MONDAY + timedelta(days=1))
    changed.updated_at = NOW + timedelta(hours=1)
    session.commit()
    since = "2026-11-21T11:30:00+02:00"  # 09:30 UTC: after every other change
    assert ids(api.get("/appointments", query_string={"updated_since": since})) == [str(changed.id)]


def test_every_filter_combined_leaves_what_matches_them_all(api, session, week, profile):
    helsinki = session.get(TestLocation, uuid.UUID(week["elsewhere"]))
    newcomer = make_profile(session, profile.organisation)
    stale = make_appointment(session, newcomer, helsinki, scheduled_at=MONDAY, status="pending")
    stale.updated_at = NOW - timedelta(days=1)  # left out by updated_since alone
    session.commit()
    late = MONDAY + timedelta(hours=2, seconds=1)  # left out by `to` alone
    make_appointment(session, profile, helsinki, scheduled_at=late, status="pending")
    query = {
        "location_id": week["elsewhere"],
        "status": "pending",
        "from": "2026-11-23T09:30:00+01:00",
        "to": "2026-11-23T11:00:01Z",
        "updated_since": "2026-11-21T09:00:00Z",
    }
    assert ids(api.get("/appointments", query_string=query)) == [week["helsinki 2"]]


def test_filters_never_reach_another_organisations_appointments(
    api, session, other_org, location, week
):
    make_appointment(session, make_profile(session, other_org), location, scheduled_at=MONDAY)
    query = {"from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z", "limit": "200"}
    found = ids(api.get("/appointments", query_string=query))
    assert sorted(found) == sorted(v for k, v in week.items() if k != "elsewhere")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-11-23T10:00:00"}, "from"),
        ({"to": "2026-11-23"}, "to"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"from": "2026-11-24T00:00:00Z", "to": "2026-11-23T00:00:00Z"}, "to"),
    ],
)
def test_a_naive_malformed_or_reversed_instant_is_refused_naming_it(api, query, field):
    response = api.get("/appointments", query_string=query)
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "validation_error"
    assert list(body["details"]) == [field]


def test_a_profile_filter_naming_another_organisations_profile_is_forbidden(
    api, session, other_org, location
):
    theirs = make_profile(session, other_org)
    make_appointment(session, theirs, location, scheduled_at=MONDAY)

    response = api.get("/appointments", query_string={"profile_id": str(theirs.id)})

    assert (response.status_code, response.get_json()) == (
        403,
        {"error": "Forbidden", "code": "forbidden"},
    )


def test_a_profile_filter_naming_no_profile_at_all_is_not_found(api):
    response = api.get("/appointments", query_string={"profile_id": str(uuid.uuid4())})

    assert (response.status_code, response.get_json()) == (
        404,
        {"error": "Profile not found.", "code": "not_found"},
    )


def test_a_profile_filter_naming_an_own_profile_without_appointments_is_an_empty_list(api, profile):
    assert ids(api.get("/appointments", query_string={"profile_id": str(profile.id)})) == []
