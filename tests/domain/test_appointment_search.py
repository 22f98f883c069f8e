"""Appointment search: filters, local calendar dates per location, the range's limits, access."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.domain.access import actor_for_scopes
from app.domain.appointment_search import (
    SearchFilters,
    parse_search_filters,
    resolve_day_range,
    search_appointments,
)
from app.domain.errors import Forbidden, ValidationError
from app.domain.models import AppointmentStatus
from tests.conftest import NOW
from tests.factories import make_appointment, make_location, make_profile


def _search(session, actor, **filters):
    return [a.id for a in search_appointments(session, actor=actor, now=NOW, **filters)]


def _at(text):
    return datetime.fromisoformat(text).astimezone(UTC)


def test_a_date_is_the_calendar_day_at_the_appointments_own_location(session, world):
    new_york = make_location(session, name="Vena Midtown", timezone="America/New_York")
    # 00:30 on the 24th in Berlin, and 22:00 on the 23rd in New York: both 2026-11-23/24 in UTC.
    berlin = make_appointment(
        session, world.profile, world.location, scheduled_at=_at("2026-11-24T00:30+01:00")
    )
    midtown = make_appointment(
        session, world.profile, new_york, scheduled_at=_at("2026-11-23T22:00-05:00")
    )
    monday, tuesday = date(2026, 11, 23), date(2026, 11, 24)
    found = _search(session, world.coordinator, day_from=monday, day_to=monday)
    assert found == [midtown.id]
    assert _search(session, world.coordinator, day_from=tuesday, day_to=tuesday) == [berlin.id]


def test_both_ends_of_the_range_are_included(session, world):
    first = make_appointment(
        session, world.profile, world.location, scheduled_at=_at("2026-11-02T00:00+01:00")
    )
    last = make_appointment(
        session, world.profile, world.location, scheduled_at=_at("2026-11-30T23:45+01:00")
    )
    make_appointment(
        session, world.profile, world.location, scheduled_at=_at("2026-12-01T00:00+01:00")
    )
    found = _search(
        session, world.coordinator, day_from=date(2026, 11, 2), day_to=date(2026, 11, 30)
    )
    assert found == [first.id, last.id]


@pytest.mark.parametrize(
    ("day_from", "day_to", "expected"),
    [
        (None, None, None),
        (date(2026, 11, 1), None, (date(2026, 11, 1), date(2027, 1, 31))),
        (None, date(2027, 1, 31), (date(2026, 11, 1), date(2027, 1, 31))),
        (date(2026, 11, 1), date(2026, 11, 1), (date(2026, 11, 1), date(2026, 11, 1))),
        (date(2026, 11, 1), date(2027, 1, 31), (date(2026, 11, 1), date(2027, 1, 31))),
    ],
)
def test_one_date_alone_covers_92_days_from_it(day_from, day_to, expected):
    assert resolve_day_range(day_from, day_to) == expected


@pytest.mark.parametrize(
    ("day_from", "day_to", "field", "message"),
    [
        (date(2026, 11, 2), date(2026, 11, 1), "to", "The end date comes before the start date."),
        (
            date(2026, 11, 1),
            date(2027, 2, 1),
            "to",
            "Choose at most 92 days; these dates cover 93 days.",
        ),
        (date(1899, 12, 31), None, "from", "Choose a date from 1900 to 2999."),
        (None, date(3000, 1, 1), "to", "Choose a date from 1900 to 2999."),
    ],
)
def test_a_range_out_of_bounds_is_refused_naming_the_field(
    session, world, day_from, day_to, field, message
):
    with pytest.raises(ValidationError) as refused:
        search_appointments(
            session, actor=world.coordinator, now=NOW, day_from=day_from, day_to=day_to
        )
    assert refused.value.errors == {field: [message]}


def test_without_dates_the_search_keeps_the_lists_window(session, world):
    soon = make_appointment(session, world.profile, world.location)
    later = make_appointment(
        session, world.profile, world.location, scheduled_at=NOW + timedelta(days=40)
    )
    assert _search(session, world.coordinator) == [soon.id]
    assert _search(session, world.coordinator, profile_id=world.profile.id) == [soon.id, later.id]


def test_status_location_and_profile_filters_combine_with_dates(session, world):
    other_location = make_location(session, name="Vena München")
    sister = make_profile(session, world.org, first_name="Berta")
    wanted = make_appointment(session, world.profile, world.location, status="pending")
    # Each of the others misses one filter; later that day, as a person holds one appointment
    # per start time and the location one chair per slot.
    make_appointment(session, world.profile, world.location, status="cancelled")
    make_appointment(
        session,
        world.profile,
        other_location,
        scheduled_at=_at("2026-11-23T14:00+01:00"),
        status="pending",
    )
    make_appointment(
        session,
        sister,
        world.location,
        scheduled_at=_at("2026-11-23T11:00+01:00"),
        status="pending",
    )
    found = _search(
        session,
        world.coordinator,
        status=AppointmentStatus.PENDING,
        location_id=world.location.id,
        profile_id=world.profile.id,
        day_from=date(2026, 11, 23),
        day_to=date(2026, 11, 23),
    )
    assert found == [wanted.id]


def test_another_organisations_appointments_never_appear(session, world):
    ours = make_appointment(session, world.profile, world.location)
    theirs = make_appointment(session, world.other_profile, world.location)
    week = {"day_from": date(2026, 11, 21), "day_to": date(2026, 11, 28)}
    assert _search(session, world.coordinator, **week) == [ours.id]
    assert _search(session, world.coordinator, profile_id=world.other_profile.id, **week) == []
    assert _search(session, world.other_coordinator, **week) == [theirs.id]


def test_front_desk_finds_only_its_locations_appointments(session, world):
    elsewhere = make_location(session, name="Vena München")
    here = make_appointment(session, world.profile, world.location)
    make_appointment(session, make_profile(session, world.org, first_name="Berta"), elsewhere)
    found = _search(session, world.desk, day_from=date(2026, 11, 23), day_to=date(2026, 11, 23))
    assert found == [here.id]


def test_searching_needs_permission_to_read_appointments(session, world):
    actor = actor_for_scopes("api_key:locations", world.org.id, ["LOCATIONS_VIEW"])
    with pytest.raises(Forbidden):
        search_appointments(session, actor=actor, now=NOW)


def test_empty_filters_are_no_filters():
    assert parse_search_filters({"status": "", "location_id": " ", "to": None}) == SearchFilters()


def test_the_filters_are_read_from_their_text(world):
    filters = parse_search_filters(
        {
            "status": "blood_drawn",
            "location_id": str(world.location.id),
            "profile_id": str(world.profile.id),
            "from": "2026-11-01",
            "to": "2026-11-30",
        }
    )
    assert filters == SearchFilters(
        status=AppointmentStatus.BLOOD_DRAWN,
        location_id=world.location.id,
        profile_id=world.profile.id,
        day_from=date(2026, 11, 1),
        day_to=date(2026, 11, 30),
    )


def test_every_malformed_filter_is_named_with_its_message():
    with pytest.raises(ValidationError) as refused:
        parse_search_filters(
            {
                "status": "done",
                "location_id": "berlin",
                "profile_id": "42",
                "from": "2026-13-01",
                "to": "20261130",
            }
        )
    assert refused.value.errors == {
        "status": ["Choose a status: pending, confirmed, blood drawn, cancelled."],
        "location_id": ["Choose a test location from the list."],
        "profile_id": ["Choose a patient profile from the list."],
        "from": ["Enter the start date as year-month-day, such as 2026-11-01."],
        "to": ["Enter the end date as year-month-day, such as 2026-11-30."],
    }


def test_a_range_out_of_bounds_is_named_with_the_other_malformed_filters():
    with pytest.raises(ValidationError) as refused:
        parse_search_filters({"status": "done", "from": "2026-12-02", "to": "2026-12-01"})
    assert set(refused.value.errors) == {"status", "to"}


@pytest.mark.parametrize(
    ("text", "who"),
    [("anna schmidt", ["Anna", "Anna"]), ("A-1042", ["Anna"]), ("schm", ["Anna", "Anna", "Berta"])],
)
def test_a_patient_search_keeps_the_appointments_of_the_profiles_it_finds(
    session, world, text, who
):
    namesake = make_profile(session, world.org, first_name="Anna")
    namesake.handle = "A-1042"
    sister = make_profile(session, world.org, first_name="Berta")
    session.commit()
    for hours, profile in enumerate([world.profile, namesake, sister, world.other_profile]):
        make_appointment(
            session, profile, world.location, scheduled_at=NOW + timedelta(days=2, hours=hours)
        )
    found = search_appointments(session, actor=world.coordinator, now=NOW, patient=text)
    assert [a.profile.first_name for a in found] == who


def test_a_patient_search_of_more_than_100_characters_is_refused_naming_patient():
    with pytest.raises(ValidationError) as refused:
        parse_search_filters({"patient": "x" * 101})
    assert refused.value.errors == {
        "patient": ["The patient's name may have at most 100 characters."]
    }
    assert parse_search_filters({"patient": " anna "}).patient == "anna"
