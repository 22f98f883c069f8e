"""`GET /appointments`: soonest first, a default window, filters, and the access context."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.api.conftest import booking
from tests.conftest import NOW
from tests.factories import make_appointment, make_location, make_profile


def test_the_list_without_profile_id_covers_two_months_back_to_one_month_ahead(
    api, session, profile, location
):
    def at(days: int) -> str:
        return str(
            make_appointment(session, profile, location, scheduled_at=NOW + timedelta(days=days)).id
        )

    too_old, old, soon, later, too_late = at(-70), at(-30), at(2), at(20), at(40)
    response = api.get("/appointments")
    assert response.status_code == 200
    assert [a["id"] for a in response.get_json()] == [old, soon, later]
    everything = api.get(f"/appointments?profile_id={profile.id}").get_json()
    assert [a["id"] for a in everything] == [too_old, old, soon, later, too_late]


def test_the_list_is_soonest_first_whatever_the_booking_order(api, profile, location):
    late = api.post("/appointments", json=booking(profile, location, "2026-11-27T09:00:00Z"))
    early = api.post("/appointments", json=booking(profile, location, "2026-11-24T09:00:00Z"))
    ids = [a["id"] for a in api.get("/appointments").get_json()]
    assert ids == [early.get_json()["id"], late.get_json()["id"]]


def test_the_list_filters_by_location_and_status(api, session, org, profile, location):
    elsewhere = make_location(session, name="Vena Helsinki", timezone="Europe/Helsinki")
    sister = make_profile(session, org, first_name="Berta")
    here = make_appointment(session, profile, location)
    pending = make_appointment(session, sister, elsewhere, status="pending")
    by_location = api.get(f"/appointments?location_id={location.id}").get_json()
    assert [a["id"] for a in by_location] == [str(here.id)]
    by_status = api.get("/appointments?status=pending").get_json()
    assert [a["id"] for a in by_status] == [str(pending.id)]


def test_the_list_leaves_out_other_organisations_appointments(
    api, session, other_org, profile, location
):
    ours = make_appointment(session, profile, location)
    make_appointment(session, make_profile(session, other_org), location)
    assert [a["id"] for a in api.get("/appointments").get_json()] == [str(ours.id)]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("profile_id=anna", "profile_id"),
        ("location_id=1", "location_id"),
        ("status=done", "status"),
    ],
)
def test_a_bad_list_filter_is_refused_naming_it(api, query, field):
    response = api.get(f"/appointments?{query}")
    assert response.status_code == 400
    body = response.get_json()
    assert body["code"] == "validation_error"
    assert list(body["details"]) == [field]
