"""Factories that arrange data directly in the database for tests; each commits what it makes."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from itertools import count

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
) -> TestLocation:
    """A test location; Berlin by default, open on weekdays 07:30-18:00 local time."""
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
    session: Session, org: Organisation, *, owner: User | None = None, first_name: str = "Anna"
) -> Profile:
    """A profile in `org`, optionally owned by a patient user."""
    profile = Profile(
        organisation_id=org.id,
        owner_id=owner.id if owner else None,
        first_name=first_name,
        last_name="Schmidt",
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
    """An appointment with one history entry; next Monday 10:30 Berlin (09:30 UTC) by default."""
    appointment = Appointment(
        profile_id=profile.id,
        location_id=location.id,
        scheduled_at=scheduled_at or NOW + timedelta(days=2, minutes=30),
        status=status,
        created_at=NOW,
        updated_at=NOW,
    )
    appointment.panels = [AppointmentPanel(panel_id=p.id, added_at=NOW) for p in panels or []]
    appointment.status_history = [
        StatusChange(sequence=1, status=status, changed_at=NOW, actor="test", reason="Booked")
    ]
    _save(session, appointment)
    return appointment


def make_user(
    session: Session,
    role: str,
    *,
    org: Organisation | None = None,
    location: TestLocation | None = None,
    email: str | None = None,
) -> User:
    """A portal user whose password is PASSWORD."""
    if not _PASSWORD_HASH:
        _PASSWORD_HASH.append(hash_password(PASSWORD))
    user = User(
        email=email or f"{role}{next(_serial)}@example.org",
        password_hash=_PASSWORD_HASH[0],
        role=role,
        organisation_id=org.id if org else None,
        location_id=location.id if location else None,
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
