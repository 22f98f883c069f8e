"""Load the demo data (`app.demo_data`) in one transaction, skipping what exists already; then the
demo appointments (`app.demo_appointments`)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import demo_data
from app.demo_appointments import seed_appointments
from app.domain.accounts import hash_password
from app.domain.models import (
    Biomarker,
    ClosedDate,
    Organisation,
    Panel,
    Profile,
    TestLocation,
    User,
)
from app.domain.profiles import parse_profile_fields
from app.domain.transactions import write_transaction


def seed_demo(session: Session, *, now: datetime) -> Counter[str]:
    """Add the demo organisation, test locations, panels and biomarkers, users and profiles,
    then the demo appointments (`app.demo_appointments`: once, relative to `now`).

    Rows are matched by their natural keys (organisation slug, location name, panel name, LOINC
    code, user e-mail, profile handle) and left alone when present, so running it again changes
    nothing. Profiles pass the domain's profile rules. Returns how many rows of each kind it added.
    """
    created: Counter[str] = Counter()
    with write_transaction(session):
        organisation = _organisation(session, now, created)
        locations = {
            spec["name"]: _location(session, spec, created) for spec in demo_data.LOCATIONS
        }
        for spec in demo_data.PANELS:
            _panel(session, spec, created)
        users = {
            spec["email"]: _user(session, spec, locations, now, created) for spec in demo_data.USERS
        }
        for spec in demo_data.PROFILES:
            _profile(session, spec, organisation, users, now, created)
    created.update(seed_appointments(session, now=now))
    return created


def _organisation(session: Session, now: datetime, created: Counter[str]) -> Organisation:
    spec = demo_data.DEMO_ORGANISATION
    organisation = session.scalar(select(Organisation).where(Organisation.slug == spec["slug"]))
    if organisation is None:
        organisation = Organisation(slug=spec["slug"], name=spec["name"], created_at=now)
        session.add(organisation)
        created["organisations"] += 1
    return organisation


def _location(session: Session, spec: dict[str, Any], created: Counter[str]) -> TestLocation:
    location = session.scalar(select(TestLocation).where(TestLocation.name == spec["name"]))
    if location is None:
        fields = {key: value for key, value in spec.items() if key != "closed_dates"}
        location = TestLocation(**fields)
        location.closed_dates = [
            ClosedDate(date=date.fromisoformat(day), reason=reason)
            for day, reason in spec.get("closed_dates", ())
        ]
        session.add(location)
        created["test locations"] += 1
    return location


def _panel(session: Session, spec: dict[str, Any], created: Counter[str]) -> None:
    if session.scalar(select(Panel).where(Panel.name == spec["name"])) is not None:
        return
    biomarkers = []
    for name, loinc_code, unit in spec["biomarkers"]:
        biomarker = session.scalar(select(Biomarker).where(Biomarker.loinc_code == loinc_code))
        if biomarker is None:
            biomarker = Biomarker(name=name, loinc_code=loinc_code, unit=unit)
            created["biomarkers"] += 1
        biomarkers.append(biomarker)
    fields = {key: value for key, value in spec.items() if key != "biomarkers"}
    session.add(Panel(**fields, biomarkers=biomarkers))
    created["panels"] += 1


def _user(
    session: Session,
    spec: dict[str, Any],
    locations: dict[str, TestLocation],
    now: datetime,
    created: Counter[str],
) -> User:
    user = session.scalar(select(User).where(User.email == spec["email"]))
    if user is None:
        organisation = None
        if "organisation" in spec:
            query = select(Organisation).where(Organisation.slug == spec["organisation"])
            organisation = session.scalar(query)
        user = User(
            email=spec["email"],
            password_hash=hash_password(demo_data.DEMO_PASSWORD),
            role=spec["role"],
            organisation=organisation,
            created_at=now,
        )
        session.add(user)
        session.flush()  # the owned profile needs the user's id
        created["users"] += 1
    # A demo database from before front desk worked at several locations gains the new ones.
    for name in spec.get("locations", ()):
        if locations[name] not in user.locations:
            user.locations.append(locations[name])
            created["front desk locations"] += 1
    return user


def _profile(
    session: Session,
    spec: dict[str, Any],
    organisation: Organisation,
    users: dict[str, User],
    now: datetime,
    created: Counter[str],
) -> None:
    session.flush()  # a new organisation gets its id here
    query = select(Profile).where(
        Profile.organisation_id == organisation.id, Profile.handle == spec["handle"]
    )
    if session.scalar(query) is not None:
        return
    owner = users[spec["owner"]] if "owner" in spec else None
    clean = parse_profile_fields(spec, now=now)
    session.add(
        Profile(
            organisation_id=organisation.id,
            owner_id=owner.id if owner else None,
            created_at=now,
            **clean,
        )
    )
    created["profiles"] += 1
