"""The booking rules' tables of cases: instants, the future, local times across DST, barcodes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.domain.errors import Conflict, InvalidId, ValidationError
from app.domain.models import AppointmentStatus
from app.domain.rules import (
    CANCELLABLE,
    CANNOT_CANCEL,
    CONFIRMABLE,
    DRAWABLE,
    ensure_future,
    ensure_status,
    format_local,
    format_utc,
    parse_barcode,
    parse_instant,
    parse_local_time,
    parse_path_id,
)

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected_utc"),
    [
        ("2026-11-23T10:30:00Z", datetime(2026, 11, 23, 10, 30, tzinfo=UTC)),
        ("2026-11-23T10:30:00+02:00", datetime(2026, 11, 23, 8, 30, tzinfo=UTC)),
        ("2026-11-23T10:30:00+05:30", datetime(2026, 11, 23, 5, 0, tzinfo=UTC)),
        ("2026-11-23T10:30:00-05:00", datetime(2026, 11, 23, 15, 30, tzinfo=UTC)),
        ("2026-11-23T10:30Z", datetime(2026, 11, 23, 10, 30, tzinfo=UTC)),
        ("2026-11-23t10:30:00z", datetime(2026, 11, 23, 10, 30, tzinfo=UTC)),
    ],
)
def test_an_instant_with_z_or_an_offset_is_read_as_that_utc_instant(text, expected_utc):
    parsed = parse_instant(text)
    assert parsed == expected_utc
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("value", "message_part"),
    [
        ("2026-11-23T10:30:00", "no time zone"),
        ("2026-11-23 10:30", "no time zone"),
        ("2026-11-23", "not an ISO 8601"),
        ("tomorrow at ten", "not an ISO 8601"),
        ("", "must be an ISO 8601"),
        ("2026-13-40T10:30:00Z", "not a valid date"),
        ("2026-11-23T10:30:00+0200", "not an ISO 8601"),
        ("2026-11-23T10:30:00+25:00", "not a valid date"),
        ("0001-01-01T00:02:00+02:00", "not a valid date"),
        ("9999-12-31T23:59:59Z", "not a valid date"),
        ("9999-12-31T12:00:00-13:00", "not a valid date"),
        (1763890200, "must be an ISO 8601"),
        (None, "must be an ISO 8601"),
    ],
)
def test_a_naive_malformed_or_non_text_instant_is_refused_naming_the_field(value, message_part):
    with pytest.raises(ValidationError) as caught:
        parse_instant(value)
    assert caught.value.field == "scheduled_at"
    assert message_part in caught.value.message


@pytest.mark.parametrize(
    ("at", "accepted"),
    [
        (NOW + timedelta(seconds=1), True),
        (NOW + timedelta(days=7), True),
        (NOW, False),
        (NOW - timedelta(seconds=1), False),
        (datetime(2026, 5, 15, 10, 30, tzinfo=UTC), False),
    ],
)
def test_only_an_instant_strictly_after_now_is_in_the_future(at, accepted):
    if accepted:
        ensure_future(at, now=NOW)
    else:
        with pytest.raises(ValidationError, match="in the past"):
            ensure_future(at, now=NOW)


def test_a_naive_datetime_is_never_taken_as_future():
    with pytest.raises(ValidationError, match="no time zone"):
        ensure_future(datetime(2030, 1, 1, 10, 0), now=NOW)  # noqa: DTZ001  # the case under test


@pytest.mark.parametrize(
    ("day", "wall", "zone", "expected_utc"),
    [
        (
            date(2026, 11, 23),
            time(10, 30),
            "Europe/Berlin",
            datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
        ),
        (date(2026, 7, 1), time(10, 30), "Europe/Berlin", datetime(2026, 7, 1, 8, 30, tzinfo=UTC)),
        (
            date(2026, 11, 23),
            time(10, 30),
            "Asia/Kolkata",
            datetime(2026, 11, 23, 5, 0, tzinfo=UTC),
        ),
        (
            date(2026, 11, 23),
            time(8, 0),
            "America/New_York",
            datetime(2026, 11, 23, 13, 0, tzinfo=UTC),
        ),
        (date(2027, 3, 28), time(3, 0), "Europe/Berlin", datetime(2027, 3, 28, 1, 0, tzinfo=UTC)),
    ],
)
def test_a_local_wall_time_becomes_the_locations_utc_instant(day, wall, zone, expected_utc):
    assert parse_local_time(day, wall, zone) == expected_utc


def test_a_wall_time_skipped_by_daylight_saving_is_refused_clearly():
    with pytest.raises(ValidationError) as caught:
        parse_local_time(date(2027, 3, 28), time(2, 30), "Europe/Berlin")
    assert "does not exist" in caught.value.message
    assert "Europe/Berlin" in caught.value.message


def test_a_wall_time_that_happens_twice_when_clocks_go_back_is_refused_clearly():
    with pytest.raises(ValidationError) as caught:
        parse_local_time(date(2026, 10, 25), time(2, 30), "Europe/Berlin")
    assert "happens twice" in caught.value.message


def test_an_unknown_zone_is_refused():
    with pytest.raises(ValidationError, match="not an IANA time zone"):
        parse_local_time(date(2026, 11, 23), time(10, 0), "Mars/Olympus_Mons")


@pytest.mark.parametrize(
    ("at", "zone", "expected"),
    [
        (datetime(2026, 11, 23, 9, 30, tzinfo=UTC), "Europe/Berlin", "2026-11-23T10:30:00+01:00"),
        (datetime(2026, 5, 15, 10, 30, tzinfo=UTC), "Europe/Berlin", "2026-05-15T12:30:00+02:00"),
        (datetime(2026, 11, 23, 5, 0, tzinfo=UTC), "Asia/Kolkata", "2026-11-23T10:30:00+05:30"),
        (
            datetime(2026, 11, 23, 0, 0, tzinfo=UTC),
            "Australia/Adelaide",
            "2026-11-23T10:30:00+10:30",
        ),
    ],
)
def test_an_instant_is_shown_in_the_locations_own_offset(at, zone, expected):
    assert format_local(at, zone) == expected


def test_other_timestamps_are_shown_in_utc_with_z_to_the_second():
    at = datetime(2026, 11, 21, 10, 0, 5, 123456, tzinfo=UTC)
    assert format_utc(at) == "2026-11-21T10:00:05Z"


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("123456", True),
        (" 0012345678 ", True),
        ("12345", False),
        ("12345A", False),
        ("", False),
        ("12 3456", False),
        (123456, False),
        (None, False),
    ],
)
def test_a_barcode_is_six_to_thirty_two_digits(value, ok):
    if ok:
        assert parse_barcode(value).isdigit()
    else:
        with pytest.raises(ValidationError) as caught:
            parse_barcode(value)
        assert caught.value.field == "barcode"


def test_a_path_id_that_is_not_a_uuid_is_an_invalid_id():
    with pytest.raises(InvalidId) as caught:
        parse_path_id("not-a-uuid")
    assert caught.value.code == "invalid_id"


@pytest.mark.parametrize(
    ("allowed", "status", "ok"),
    [
        (CANCELLABLE, AppointmentStatus.PENDING, True),
        (CANCELLABLE, AppointmentStatus.CONFIRMED, True),
        (CANCELLABLE, AppointmentStatus.BLOOD_DRAWN, False),
        (CANCELLABLE, AppointmentStatus.CANCELLED, False),
        (CONFIRMABLE, AppointmentStatus.PENDING, True),
        (CONFIRMABLE, AppointmentStatus.CONFIRMED, False),
        (DRAWABLE, AppointmentStatus.CONFIRMED, True),
        (DRAWABLE, AppointmentStatus.CANCELLED, False),
        (DRAWABLE, AppointmentStatus.BLOOD_DRAWN, False),
    ],
)
def test_the_status_machine_allows_only_its_transitions(allowed, status, ok):
    if ok:
        ensure_status(status, allowed, CANNOT_CANCEL)
    else:
        refused = f"Cannot cancel an appointment that is {status.replace('_', ' ')}."
        with pytest.raises(Conflict, match=refused):
            ensure_status(status, allowed, CANNOT_CANCEL)
