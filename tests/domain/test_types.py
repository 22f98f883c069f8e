"""UTCDateTime: refuses naive values, stores UTC, returns aware UTC on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import StatementError

from app.domain.models import Appointment
from tests.factories import make_appointment, make_location, make_org, make_profile


def test_an_instant_given_in_any_offset_comes_back_as_the_same_instant_in_utc(session):
    kolkata = timezone(timedelta(hours=5, minutes=30))
    at = datetime(2026, 11, 23, 15, 0, tzinfo=kolkata)
    appointment_id = make_appointment(
        session, make_profile(session, make_org(session)), make_location(session), scheduled_at=at
    ).id
    session.expunge_all()
    stored = session.scalars(select(Appointment).where(Appointment.id == appointment_id)).one()
    assert stored.scheduled_at == at
    assert stored.scheduled_at.tzinfo is UTC
    assert (stored.scheduled_at.hour, stored.scheduled_at.minute) == (9, 30)


def test_the_database_holds_the_utc_wall_time(session):
    at = datetime(2026, 11, 23, 10, 30, tzinfo=timezone(timedelta(hours=1)))
    make_appointment(
        session, make_profile(session, make_org(session)), make_location(session), scheduled_at=at
    )
    if session.bind.dialect.name == "postgresql":
        raw = session.execute(
            text("SELECT to_char(scheduled_at AT TIME ZONE 'UTC', 'HH24:MI') FROM appointments")
        ).scalar_one()
    else:
        raw = session.execute(
            text("SELECT strftime('%H:%M', scheduled_at) FROM appointments")
        ).scalar_one()
    assert raw == "09:30"


def test_a_naive_datetime_is_refused_before_it_reaches_the_database(session):
    profile = make_profile(session, make_org(session))
    location = make_location(session)
    naive = datetime(2026, 11, 23, 10, 30)  # noqa: DTZ001  # the case under test
    session.add(
        Appointment(
            profile_id=profile.id,
            location_id=location.id,
            scheduled_at=naive,
            status="pending",
            created_at=datetime.now(UTC),
            updated_at=datetime.now(UTC),
        )
    )
    with pytest.raises(StatementError, match="naive"):
        session.commit()
    session.rollback()


def test_comparisons_in_queries_use_the_instant_not_the_wall_time(session):
    at = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    make_appointment(
        session, make_profile(session, make_org(session)), make_location(session), scheduled_at=at
    )
    just_before_in_new_york = datetime(2026, 11, 23, 4, 29, tzinfo=timezone(timedelta(hours=-5)))
    found = session.scalars(
        select(Appointment).where(Appointment.scheduled_at > just_before_in_new_york)
    ).all()
    assert len(found) == 1
