"""Factories that arrange data directly in the database for tests; each commits what it makes."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date, datetime, timedelta
from itertools import count

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.accounts import create_api_key, hash_api_key, hash_password
from app.domain.models import (
    ApiKey,
    Appointment,
    AppointmentPanel,
    Biomarker,
    Organisation,
    Panel,
    Profile,
    SlotSeats,
    StatusChange,
    TestLocation,
    User,
)
from tests.conftest import NOW

ALL_SCOPES = (
    "TEST_SESSIONS_SCHEDULE",
    "TEST_SESSIONS_VIEW",
    "TEST_SESSIONS_OPERATE",
    "TEST_SESSIONS_MANAGE",
    "PROFILES_VIEW",
    "CREATE_USER",
    "LOCATIONS_VIEW",
)
PASSWORD = "correct horse battery staple"
_serial = count(1)
# make_appointment's start unless told otherwise: Monday 23 Nov 2026, 10:30 in Berlin, two days
# after NOW; its blood draw may be recorded from an hour before it, that day.
APPOINTMENT_START = NOW + timedelta(days=2, minutes=30)
# One argon2id hash of PASSWORD, computed once: hashing is slow on purpose.
_PASSWORD_HASH: list[str] = []

WEEKDAY_HOURS = [{"open": "07:30", "close": "18:00"}]
BERLIN_HOURS = {
    day: (WEEKDAY_HOURS if day not in ("saturday", "sunday") else [])
    for day in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
}


def _save(session: Session, obj: object) -> None:
    session.add(obj)
    session.commit()


def make_org(session: Session, slug: str | None = None) -> Organisation:
    """An organisation with a unique slug."""
    slug = slug or f"org{next(_serial)}"
    org = Organisation(slug=slug, name=slug.title(), created_at=NOW)
    _save(session, org)
    return org


def make_location(
    session: Session,
    *,
    name: str = "Vena Berlin Mitte",
    timezone: str = "Europe/Berlin",
    default_status: str = "confirmed",
    capacity: int = 1,
) -> TestLocation:
    """A test location; Berlin by default, open on weekdays 07:30-18:00 local time, with slots
    every 15 minutes and `capacity` chairs."""
    location = TestLocation(
        name=name,
        company_name="Vena Labs",
        address_line_1="Friedrichstraße 68",
        city="Berlin",
        postal_code="10117",
        country_name="Germany",
        country_code="DE",
        timezone=timezone,
        open_hours=BERLIN_HOURS,
        default_status=default_status,
        capacity=capacity,
    )
    _save(session, location)
    return location


def make_panel(
    session: Session, name: str | None = None, *, requires_fasting: bool = False
) -> Panel:
    """A panel with one biomarker."""
    serial = next(_serial)
    panel = Panel(
        name=name or f"Panel {serial}",
        description="Test panel",
        requires_fasting=requires_fasting,
        biomarkers=[Biomarker(name=f"Marker {serial}", loinc_code=f"{serial}-0", unit="mg/dL")],
    )
    _save(session, panel)
    return panel


def make_profile(
    session: Session,
    org: Organisation,
    *,
    owner: User | None = None,
    first_name: str = "Anna",
    last_name: str | None = "Schmidt",
) -> Profile:
    """A profile in `org`, optionally owned by a patient user."""
    profile = Profile(
        organisation_id=org.id,
        owner_id=owner.id if owner else None,
        first_name=first_name,
        last_name=last_name,
        sex=2,
        date_of_birth=date(1985, 4, 12),
        language="en",
        created_at=NOW,
    )
    _save(session, profile)
    return profile


def make_appointment(
    session: Session,
    profile: Profile,
    location: TestLocation,
    *,
    scheduled_at: datetime | None = None,
    status: str = "confirmed",
    panels: list[Panel] | None = None,
) -> Appointment:
    """An appointment with one history entry; next Monday 10:30 Berlin (09:30 UTC) by default.

    Unless it is cancelled it holds a chair in its slot's counter, as a booking would; the
    counter may go over the location's capacity, which only direct inserts can do.
    """
    appointment = Appointment(
        profile_id=profile.id,
        location_id=location.id,
        scheduled_at=scheduled_at or APPOINTMENT_START,
        status=status,
        created_at=NOW,
    )
    appointment.panels = [AppointmentPanel(panel_id=p.id, added_at=NOW) for p in panels or []]
    appointment.status_history = [
        StatusChange(sequence=1, status=status, changed_at=NOW, actor="test", reason="Booked")
    ]
    _save(session, appointment)
    if status != "cancelled":
        _hold_chair(session, location, appointment.scheduled_at)
    return appointment


def make_appointments(
    session: Session,
    profile: Profile,
    location: TestLocation,
    starts: list[datetime],
    *,
    panels: list[Panel],
) -> list[uuid.UUID]:
    """Confirmed appointments of `profile` at each of `starts` with `panels`, in one commit (for
    tests that race on hundreds of them), each holding a chair; returns their ids in order."""
    appointments = []
    for at in starts:
        appointment = Appointment(
            profile_id=profile.id,
            location_id=location.id,
            scheduled_at=at,
            status="confirmed",
            created_at=NOW,
            updated_at=NOW,
        )
        appointment.panels = [AppointmentPanel(panel_id=p.id, added_at=NOW) for p in panels]
        booked = StatusChange(
            sequence=1, status="confirmed", changed_at=NOW, actor="test", reason="Booked"
        )
        appointment.status_history = [booked]
        appointments.append(appointment)
    session.add_all(appointments)
    session.add_all(SlotSeats(location_id=location.id, starts_at=at, taken=1) for at in starts)
    session.commit()
    return [appointment.id for appointment in appointments]


def _hold_chair(session: Session, location: TestLocation, at: datetime) -> None:
    seats = session.get(SlotSeats, (location.id, at))
    if seats is None:
        seats = SlotSeats(location_id=location.id, starts_at=at, taken=0)
        session.add(seats)
    seats.taken += 1
    _save(session, seats)


def make_user(
    session: Session,
    role: str,
    *,
    org: Organisation | None = None,
    location: TestLocation | None = None,
    locations: list[TestLocation] | None = None,
    email: str | None = None,
) -> User:
    """A portal user whose password is PASSWORD; front desk works at `location`, or at each of
    `locations`."""
    if not _PASSWORD_HASH:
        _PASSWORD_HASH.append(hash_password(PASSWORD))
    user = User(
        email=email or f"{role}{next(_serial)}@example.org",
        password_hash=_PASSWORD_HASH[0],
        role=role,
        organisation_id=org.id if org else None,
        locations=[location] if location else list(locations or []),
        created_at=NOW,
    )
    _save(session, user)
    return user


def make_api_key(session: Session, org: Organisation, scopes: tuple[str, ...] = ALL_SCOPES) -> str:
    """A new API key of `org` with `scopes`; returns the secret for the x-api-key header."""
    _key, secret = create_api_key(session, org.slug, scopes, name="test key", now=NOW)
    return secret


def revoke_api_key(session: Session, secret: str) -> None:
    """Mark the key revoked."""
    key = session.query(ApiKey).filter_by(secret_hash=hash_api_key(secret)).one()
    key.revoked_at = NOW
    session.commit()


def random_id() -> str:
    """A UUID that names nothing."""
    return str(uuid.uuid4())


def seat_counter_problems(session: Session) -> list[str]:
    """Slots whose chair counter differs from the appointments holding a chair there (all but
    cancelled ones), or exceeds the location's capacity; empty when all agree."""
    session.rollback()  # read what the database holds now, not this session's old snapshot
    holding = Counter(
        (location_id, at)
        for location_id, at in session.execute(
            select(Appointment.location_id, Appointment.scheduled_at).where(
                Appointment.status != "cancelled"
            )
        )
    )
    counters = {
        (seats.location_id, seats.starts_at): seats.taken
        for seats in session.scalars(select(SlotSeats))
    }
    capacity = {
        loc: cap for loc, cap in session.execute(select(TestLocation.id, TestLocation.capacity))
    }
    problems = [
        f"{at.isoformat()}: counter {counters.get((loc, at), 0)}, appointments {holding[(loc, at)]}"
        for loc, at in sorted(holding.keys() | counters.keys(), key=lambda key: key[1])
        if counters.get((loc, at), 0) != holding[(loc, at)]
    ]
    problems += [
        f"{at.isoformat()}: {taken} chairs taken of {capacity[loc]}"
        for (loc, at), taken in counters.items()
        if taken > capacity[loc]
    ]
    return problems
