"""Admins add test locations and edit their details: the rules of each field, and who may."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from app.domain.access import SCOPE_PERMISSIONS, Permission, actor_for_scopes, actor_for_user
from app.domain.errors import Conflict, Forbidden, NotFound, ValidationError
from app.domain.locations import create_location, update_location
from app.domain.models import TestLocation
from tests.conftest import NOW
from tests.factories import ALL_SCOPES, make_appointment

ADMIN = actor_for_user("admin:a@vena", "admin", user_id=uuid.uuid4(), organisation_id=None)
HAMBURG = {
    "name": "Vena Hamburg Altona",
    "company_name": "Vena Labs GmbH",
    "address_line_1": " Ottenser Hauptstraße 10 ",
    "address_line_2": "",
    "city": "Hamburg",
    "state": "Hamburg",
    "postal_code": "22765",
    "country_name": "Germany",
    "country_code": "de",
    "timezone": "Europe/Berlin",
    "contact_phone": "+494030123456",
    "email": "altona@vena.example.com",
    "website": "https://vena.example.com/locations/altona",
    "google_maps_url": "https://www.google.com/maps/search/?api=1&query=Ottenser+Hauptstra%C3%9Fe",
    "default_status": "pending",
    "early_arrival_minutes": 45,
}


def _errors(session, data: dict[str, object]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        create_location(session, data, actor=ADMIN)
    return caught.value.errors


def test_a_new_location_keeps_its_details_and_opens_on_weekdays_with_one_chair(session):
    location = create_location(session, HAMBURG, actor=ADMIN)
    stored = session.get(TestLocation, location.id)
    assert (stored.name, stored.address_line_1, stored.address_line_2) == (
        "Vena Hamburg Altona",
        "Ottenser Hauptstraße 10",
        None,
    )
    assert (stored.country_code, stored.timezone, stored.default_status) == (
        "DE",
        "Europe/Berlin",
        "pending",
    )
    split_day = [{"open": "08:00", "close": "12:00"}, {"open": "13:00", "close": "17:00"}]
    assert stored.open_hours["monday"] == split_day
    assert stored.open_hours["friday"] == split_day
    assert stored.open_hours["saturday"] == stored.open_hours["sunday"] == []
    assert (stored.capacity, stored.slot_interval_minutes) == (1, 15)
    assert stored.early_arrival_minutes == 45


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "  ", "The name is required."),
        ("name", "x" * 201, "The name may have at most 200 characters."),
        ("postal_code", "1" * 21, "The postal code may have at most 20 characters."),
        ("city", None, "The city is required."),
        (
            "country_code",
            "DEU",
            "The country code must be two letters A-Z (ISO 3166-1 alpha-2), such as DE.",
        ),
        (
            "country_code",
            "D1",
            "The country code must be two letters A-Z (ISO 3166-1 alpha-2), such as DE.",
        ),
        ("timezone", "Mars/Olympus_Mons", "'Mars/Olympus_Mons' is not an IANA time zone."),
        ("timezone", "", "The time zone is required, such as Europe/Berlin."),
        ("contact_phone", "030 123", "phone must be in E.164 form, such as +4930123456789."),
        (
            "website",
            "javascript:alert(1)",
            "The website must be a web address starting with https:// or http://.",
        ),
        (
            "google_maps_url",
            "ftp://maps.example.com/x",
            "The Google Maps link must be a web address starting with https:// or http://.",
        ),
        (
            "website",
            "https://",
            "The website must be a web address starting with https:// or http://.",
        ),
        (
            "default_status",
            "blood_drawn",
            "The status of new bookings must be pending or confirmed.",
        ),
        *(
            (
                "early_arrival_minutes",
                value,
                "The early arrival must be a whole number of minutes from 0 to 720.",
            )
            for value in (-1, 721, None, "60", True)
        ),
    ],
)
def test_a_value_that_breaks_a_rule_is_refused_with_its_message(session, field, value, message):
    assert _errors(session, HAMBURG | {field: value}) == {field: [message]}


def test_every_failing_field_is_named_at_once(session):
    errors = _errors(
        session, HAMBURG | {"name": "", "email": "not-an-address", "country_code": "?"}
    )
    assert set(errors) == {"name", "email", "country_code"}
    assert errors["email"][0].startswith("email is not valid")


def test_optional_contact_details_may_be_empty(session):
    empty = dict.fromkeys(("contact_phone", "email", "website", "google_maps_url"), "")
    location = create_location(session, HAMBURG | empty, actor=ADMIN)
    assert (location.contact_phone, location.email, location.website) == (None, None, None)


def test_a_second_location_of_the_same_name_is_a_conflict_on_the_name(session, world):
    with pytest.raises(Conflict) as caught:
        create_location(session, HAMBURG | {"name": "vena berlin mitte"}, actor=ADMIN)
    assert caught.value.field == "name"
    assert caught.value.message == (
        "Another test location is called vena berlin mitte: choose another name."
    )


def test_editing_changes_the_details_and_keeps_the_schedule(session, world):
    before = dict(world.location.open_hours)
    update_location(
        session, world.location.id, HAMBURG | {"name": "Vena Berlin Mitte"}, actor=ADMIN, now=NOW
    )
    session.expire_all()
    stored = session.get(TestLocation, world.location.id)
    assert (stored.city, stored.default_status, stored.contact_phone) == (
        "Hamburg",
        "pending",
        "+494030123456",
    )
    assert stored.open_hours == before


def test_editing_an_unknown_location_is_not_found(session):
    with pytest.raises(NotFound):
        update_location(session, uuid.uuid4(), HAMBURG, actor=ADMIN, now=NOW)


def test_the_time_zone_stays_while_appointments_ahead_are_booked(session, world):
    make_appointment(session, world.profile, world.location)
    data = HAMBURG | {"name": "Vena Berlin Mitte", "timezone": "Europe/Lisbon"}
    with pytest.raises(Conflict) as caught:
        update_location(session, world.location.id, data, actor=ADMIN, now=NOW)
    assert caught.value.field == "timezone"
    assert caught.value.message == (
        "1 appointment ahead at Vena Berlin Mitte is booked in Europe/Berlin time: move or "
        "cancel it before changing the time zone."
    )


def test_the_time_zone_may_change_when_only_past_or_cancelled_appointments_exist(session, world):
    make_appointment(session, world.profile, world.location, status="cancelled")
    past = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    make_appointment(session, world.profile, world.location, scheduled_at=past)
    data = HAMBURG | {"timezone": "Europe/Lisbon"}
    location = update_location(session, world.location.id, data, actor=ADMIN, now=NOW)
    assert location.timezone == "Europe/Lisbon"


def test_only_admins_manage_locations(session, world):
    for actor in (world.coordinator, world.desk, actor_for_scopes("k", world.org.id, ALL_SCOPES)):
        with pytest.raises(Forbidden):
            create_location(session, HAMBURG, actor=actor)
        with pytest.raises(Forbidden):
            update_location(session, world.location.id, HAMBURG, actor=actor, now=NOW)
    assert not any(Permission.MANAGE_LOCATIONS in p for p in SCOPE_PERMISSIONS.values())
