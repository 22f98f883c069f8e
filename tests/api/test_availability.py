"""`GET /locations/{id}/availability`: free slots in the location's offset, and the window rules."""

from __future__ import annotations

from datetime import date

from app.domain.models import ClosedDate
from tests.api.conftest import FORBIDDEN
from tests.factories import make_api_key, make_location, random_id

MONDAY = "2026-11-23"


def test_availability_lists_each_days_slot_starts_in_the_locations_offset(api, location):
    response = api.get(
        f"/locations/{location.id}/availability?start_date={MONDAY}&end_date={MONDAY}"
    )
    assert response.status_code == 200
    body = response.get_json()
    assert list(body) == [
        "location_id",
        "timezone",
        "slot_duration_minutes",
        "slot_interval_minutes",
        "availability",
    ]
    assert (body["timezone"], body["slot_duration_minutes"], body["slot_interval_minutes"]) == (
        "Europe/Berlin",
        10,
        15,
    )
    [day] = body["availability"]
    assert day["date"] == MONDAY
    assert day["slots"][0] == "2026-11-23T07:30:00+01:00"
    assert day["slots"][-1] == "2026-11-23T17:45:00+01:00"


def test_detail_shows_the_chairs_left_in_each_slot(api, location, profile):
    assert (
        api.post(
            "/appointments",
            json={
                "profile_id": str(profile.id),
                "location_id": str(location.id),
                "scheduled_at": "2026-11-23T10:30:00+01:00",
            },
        ).status_code
        == 201
    )
    body = api.get(
        f"/locations/{location.id}/availability?start_date={MONDAY}&end_date={MONDAY}&detail=true"
    ).get_json()
    starts = [slot["start"] for slot in body["availability"][0]["slots"]]
    assert "2026-11-23T10:30:00+01:00" not in starts
    assert body["availability"][0]["slots"][0] == {
        "start": "2026-11-23T07:30:00+01:00",
        "remaining": 1,
        "capacity": 1,
    }


def test_a_closed_date_is_listed_on_the_location_and_has_no_slots(api, session, location):
    session.add(
        ClosedDate(location_id=location.id, date=date(2026, 12, 24), reason="Christmas Eve")
    )
    session.commit()
    assert api.get(f"/locations/{location.id}").get_json()["closed_dates"] == [
        {"date": "2026-12-24", "reason": "Christmas Eve"}
    ]
    body = api.get(
        f"/locations/{location.id}/availability?start_date=2026-12-24&end_date=2026-12-24"
    ).get_json()
    assert body["availability"] == [{"date": "2026-12-24", "slots": []}]


def test_the_default_window_runs_from_today_for_thirty_days(api, location):
    days = api.get(f"/locations/{location.id}/availability").get_json()["availability"]
    assert (days[0]["date"], days[-1]["date"], len(days)) == ("2026-11-21", "2026-12-21", 31)


def test_a_bad_window_is_a_400_naming_the_parameter(api, location):
    for query, field in [
        ("start_date=2026-12-02&end_date=2026-12-01", "end_date"),
        ("end_date=2027-03-01", "end_date"),
        ("start_date=next-monday", "start_date"),
        ("detail=yes", "detail"),
    ]:
        response = api.get(f"/locations/{location.id}/availability?{query}")
        assert response.status_code == 400, query
        assert response.get_json()["code"] == "validation_error"
        assert field in response.get_json()["details"], query


def test_an_unknown_or_malformed_location_is_404_or_400(api):
    assert api.get(f"/locations/{random_id()}/availability").status_code == 404
    assert api.get("/locations/berlin/availability").get_json()["code"] == "invalid_id"


def test_a_key_without_a_location_scope_is_forbidden(client, session, org, location):
    key = make_api_key(session, org, ("PROFILES_VIEW",))
    response = client.get(
        f"/api/v1/locations/{location.id}/availability", headers={"x-api-key": key}
    )
    assert (response.status_code, response.get_json()) == (403, FORBIDDEN)


def test_another_location_with_more_chairs_reports_its_capacity(api, session):
    busy = make_location(session, name="Vena Helsinki", timezone="Europe/Helsinki")
    busy.capacity = 3
    session.commit()
    body = api.get(
        f"/locations/{busy.id}/availability?start_date={MONDAY}&end_date={MONDAY}&detail=true"
    ).get_json()
    assert body["availability"][0]["slots"][0] == {
        "start": "2026-11-23T07:30:00+02:00",
        "remaining": 3,
        "capacity": 3,
    }


def test_a_window_reaching_back_years_is_a_400_not_a_day_by_day_computation(api, location):
    # Found by the fuzzer: start_date=1900-01-01 made the server compute 46,000 days of slots;
    # a window in year 1 overflowed the conversion to UTC (500).
    for query in (
        "start_date=1900-01-01&end_date=2026-12-01",
        "start_date=1900-01-01",
        "start_date=0001-01-01&end_date=0001-01-02",
    ):
        response = api.get(f"/locations/{location.id}/availability?{query}")

        assert response.status_code == 400, query
        assert response.get_json()["details"] == {
            "start_date": ["start_date must be at most 90 days before today."]
        }
