"""Keyset pagination in the domain: page sizes, cursors, and walking a list page by page."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.appointment_filters import APPOINTMENT_ORDER
from app.domain.appointments import list_appointments
from app.domain.catalogue import LOCATION_ORDER, list_locations
from app.domain.errors import ValidationError
from app.domain.pages import decode_cursor, encode_cursor, parse_limit
from app.domain.profiles import PROFILE_ORDER, list_profiles
from tests.conftest import NOW
from tests.factories import make_appointment, make_location, make_profile

SLOT = NOW + timedelta(days=3)


def _raw(document: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(document).encode()).decode().rstrip("=")


def _appointments(session, world, count):
    """`count` appointments of the world's organisation, three to a slot (three people: one
    appointment per person and start time), in the list's order."""
    made = [
        make_appointment(
            session,
            make_profile(session, world.profile.organisation),
            world.location,
            scheduled_at=SLOT + timedelta(hours=n // 3),
        )
        for n in range(count)
    ]
    return [a.id for a in sorted(made, key=lambda a: (a.scheduled_at, a.id))]


def _walk(session, actor, limit):
    pages, after = [], None
    while True:
        page = list_appointments(session, actor=actor, now=NOW, limit=limit, after=after)
        pages.append([a.id for a in page])
        if page.next_cursor is None:
            return pages
        after = page.next_cursor


@pytest.mark.parametrize(("text", "limit"), [("1", 1), ("50", 50), ("200", 200), (7, 7)])
def test_a_page_size_from_1_to_200_is_taken(text, limit):
    assert parse_limit(text) == limit


@pytest.mark.parametrize("value", ["0", "201", "-1", "abc", "1.5", " 5", "+5", "", 0, True, None])
def test_any_other_page_size_is_refused_naming_limit(value):
    with pytest.raises(ValidationError) as refused:
        parse_limit(value)
    assert list(refused.value.errors) == ["limit"]


def test_a_cursor_gives_back_the_sort_key_it_was_made_from():
    key = (datetime(2026, 11, 24, 9, 30, tzinfo=UTC), uuid.uuid4())
    assert decode_cursor(encode_cursor(key, APPOINTMENT_ORDER), APPOINTMENT_ORDER) == key


@pytest.mark.parametrize(
    "cursor",
    [
        "not a cursor",
        "%%%",
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        _raw(["2026-11-24T09:30:00+00:00"]),
        _raw({"v": 1, "list": "appointments"}),
        _raw({"v": 2, "list": "appointments", "key": ["2026-11-24T09:30:00Z", str(uuid.uuid4())]}),
        _raw({"v": 1, "list": "appointments", "key": ["2026-11-24T09:30:00+00:00"]}),
        _raw({"v": 1, "list": "appointments", "key": ["2026-11-24T09:30:00", str(uuid.uuid4())]}),
        _raw({"v": 1, "list": "appointments", "key": ["2026-11-24T09:30:00Z", "anna"]}),
        _raw({"v": 1, "list": "appointments", "key": [1700000000, str(uuid.uuid4())]}),
        _raw({"v": 1, "list": "profiles", "key": [str(uuid.uuid4())]}),
        "A" * 600,
    ],
)
def test_a_malformed_tampered_or_foreign_cursor_is_refused_naming_cursor(cursor):
    with pytest.raises(ValidationError) as refused:
        decode_cursor(cursor, APPOINTMENT_ORDER)
    assert list(refused.value.errors) == ["cursor"]


@pytest.mark.parametrize("limit", [1, 2, 50])
def test_walking_every_page_gives_each_appointment_once_in_order(session, world, limit):
    expected = _appointments(session, world, 7)

    pages = _walk(session, world.coordinator, limit)

    assert [a for page in pages for a in page] == expected
    assert [len(page) for page in pages[:-1]] == [limit] * (len(pages) - 1)
    assert 1 <= len(pages[-1]) <= limit


def test_a_page_that_ends_the_list_exactly_has_no_next_cursor(session, world):
    expected = _appointments(session, world, 4)
    first = list_appointments(session, actor=world.coordinator, now=NOW, limit=2)
    last = list_appointments(
        session, actor=world.coordinator, now=NOW, limit=2, after=first.next_cursor
    )
    assert [a.id for a in first + last] == expected
    assert last.next_cursor is None


def test_without_a_limit_the_portal_gets_every_row_and_no_cursor(session, world):
    expected = _appointments(session, world, 4)
    page = list_appointments(session, actor=world.coordinator, now=NOW)
    assert ([a.id for a in page], page.next_cursor) == (expected, None)


def test_rows_added_between_pages_neither_repeat_nor_hide_the_rows_after_the_cursor(session, world):
    expected = _appointments(session, world, 6)
    first = list_appointments(session, actor=world.coordinator, now=NOW, limit=3)
    earlier, later = (  # one before the first page, one after the last row
        make_appointment(
            session, world.profile, world.location, scheduled_at=SLOT + timedelta(hours=hours)
        )
        for hours in (-1, 9)
    )

    rest = list_appointments(
        session, actor=world.coordinator, now=NOW, limit=50, after=first.next_cursor
    )

    assert [a.id for a in first] == expected[:3]
    assert [a.id for a in rest] == [*expected[3:], later.id]
    assert earlier.id not in {a.id for a in first + rest}


def test_another_organisations_appointments_never_appear_on_any_page(session, world):
    ours = _appointments(session, world, 3)
    for n in range(3):
        at = SLOT + timedelta(hours=n, minutes=15)
        make_appointment(session, world.other_profile, world.location, scheduled_at=at)

    assert [a for page in _walk(session, world.coordinator, 1) for a in page] == ours


def test_a_profile_cursor_carries_the_id_and_not_the_patients_name(session, world):
    make_profile(session, world.org, first_name="Berta", last_name="Zimmer")
    first = list_profiles(session, actor=world.coordinator, limit=1)

    decoded = base64.urlsafe_b64decode(first.next_cursor + "==").decode()

    assert "Schmidt" not in decoded
    assert "Anna" not in decoded
    assert decode_cursor(first.next_cursor, PROFILE_ORDER) == (world.profile.id,)


def test_profiles_without_a_last_name_come_first_on_every_database(session, world):
    nameless = make_profile(session, world.org, first_name="Zoe", last_name=None)
    adler = make_profile(session, world.org, first_name="Zeno", last_name="Adler")

    pages, after = [], None
    while after is not None or not pages:
        page = list_profiles(session, actor=world.coordinator, limit=1, after=after)
        pages.append(page[0].id)
        after = page.next_cursor

    assert pages == [nameless.id, adler.id, world.profile.id]


def test_a_profile_cursor_of_another_organisation_is_refused(session, world):
    make_profile(session, world.other_org, first_name="Olga")
    theirs = list_profiles(session, actor=world.other_coordinator, limit=1)

    with pytest.raises(ValidationError) as refused:
        list_profiles(session, actor=world.coordinator, limit=1, after=theirs.next_cursor)
    assert list(refused.value.errors) == ["cursor"]


def test_locations_page_by_country_city_and_name(session, world):
    names = ["Vena Aachen", "Vena Zwickau", "Vena Dresden"]
    made = [make_location(session, name=name) for name in names]
    expected = sorted([world.location, *made], key=lambda loc: (loc.name, loc.id))
    first = list_locations(session, actor=world.coordinator, limit=3)
    rest = list_locations(session, actor=world.coordinator, limit=3, after=first.next_cursor)
    assert [loc.id for loc in first + rest] == [loc.id for loc in expected]
    assert decode_cursor(first.next_cursor, LOCATION_ORDER)[-1] == expected[2].id


def _walk_back(session, actor, limit, before):
    pages = []
    while before is not None:
        page = list_appointments(session, actor=actor, now=NOW, limit=limit, before=before)
        pages.insert(0, [a.id for a in page])
        before = page.previous_cursor
    return pages


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_walking_back_from_the_last_page_gives_the_same_pages_in_the_same_order(
    session, world, limit
):
    _appointments(session, world, 7)
    forward = _walk(session, world.coordinator, limit)
    page, after = list_appointments(session, actor=world.coordinator, now=NOW, limit=limit), None
    while page.next_cursor is not None:
        after = page.next_cursor
        page = list_appointments(
            session, actor=world.coordinator, now=NOW, limit=limit, after=after
        )

    back = _walk_back(session, world.coordinator, limit, page.previous_cursor)

    assert [*back, [a.id for a in page]] == forward


def test_the_first_page_has_no_previous_cursor_and_the_second_one_has(session, world):
    _appointments(session, world, 3)
    first = list_appointments(session, actor=world.coordinator, now=NOW, limit=2)
    second = list_appointments(
        session, actor=world.coordinator, now=NOW, limit=2, after=first.next_cursor
    )
    back = list_appointments(
        session, actor=world.coordinator, now=NOW, limit=2, before=second.previous_cursor
    )
    assert first.previous_cursor is None
    assert second.previous_cursor is not None
    assert ([a.id for a in back], back.previous_cursor) == ([a.id for a in first], None)
    assert back.next_cursor is not None


def test_newest_first_pages_run_from_the_latest_appointment_back(session, world):
    expected = list(reversed(_appointments(session, world, 5)))
    first = list_appointments(session, actor=world.coordinator, now=NOW, limit=2, newest_first=True)
    rest = list_appointments(
        session,
        actor=world.coordinator,
        now=NOW,
        newest_first=True,
        limit=50,
        after=first.next_cursor,
    )
    back = list_appointments(
        session,
        actor=world.coordinator,
        now=NOW,
        newest_first=True,
        limit=2,
        before=rest.previous_cursor,
    )
    assert [a.id for a in first + rest] == expected
    assert [a.id for a in back] == expected[:2]


def test_a_cursor_after_and_one_before_at_once_are_refused_naming_cursor(session, world):
    _appointments(session, world, 3)
    first = list_appointments(session, actor=world.coordinator, now=NOW, limit=1)
    with pytest.raises(ValidationError) as refused:
        list_appointments(
            session,
            actor=world.coordinator,
            now=NOW,
            limit=1,
            after=first.next_cursor,
            before=first.next_cursor,
        )
    assert list(refused.value.errors) == ["cursor"]
