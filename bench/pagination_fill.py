"""The data of bench/pagination.py: two organisations, their profiles, and N appointments over
the list's default window, written in bulk as a booking leaves them (a panel, one history entry)."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from booking_race import SCOPES
from sqlalchemy import Engine, insert, text
from sqlalchemy.orm import Session

from app.domain.accounts import create_api_key
from app.domain.models import (
    Appointment,
    AppointmentPanel,
    Biomarker,
    Organisation,
    Panel,
    Profile,
    StatusChange,
    TestLocation,
)

NOW = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
CHUNK = 10_000


def fill(engine: Engine, appointments: int) -> str:
    """Fill the database as the module says; return the bench organisation's API key."""
    rng = random.Random(5)
    with Session(engine) as session:
        orgs = [Organisation(slug=slug, name=slug, created_at=NOW) for slug in ("bench", "other")]
        locations = [_location(n) for n in range(5)]
        panel = Panel(name="Lipid panel", description="", biomarkers=[_marker()])
        session.add_all([*orgs, *locations, panel])
        session.flush()
        groups = [
            [_profile(org.id, n) for n in range(size)]
            for org, size in zip(orgs, (1000, 100), strict=True)
        ]
        session.add_all([profile for group in groups for profile in group])
        session.commit()
        _, secret = create_api_key(session, "bench", SCOPES, name="bench", now=NOW)
        start, slots = NOW - timedelta(days=60), 90 * 24 * 4
        taken: set[tuple[uuid.UUID, int]] = set()

        def free_slot(profile_id: uuid.UUID) -> datetime:
            # One appointment per profile and start instant, as the database's index demands.
            while (profile_id, slot := rng.randrange(slots)) in taken:
                pass
            taken.add((profile_id, slot))
            return start + timedelta(minutes=15 * slot)

        rows: list[dict[str, Any]] = [
            {
                "id": uuid.uuid4(),
                "profile_id": group[n % len(group)].id,
                "location_id": locations[n % len(locations)].id,
                "scheduled_at": free_slot(group[n % len(group)].id),
                "status": "confirmed",
                "created_at": NOW,
                "updated_at": None,
            }
            for group, count in zip(groups, (appointments, appointments // 10), strict=True)
            for n in range(count)
        ]
        panel_id = panel.id
    with engine.begin() as connection:
        for first in range(0, len(rows), CHUNK):
            chunk = rows[first : first + CHUNK]
            connection.execute(insert(Appointment), chunk)
            panels = [
                {"appointment_id": r["id"], "panel_id": panel_id, "added_at": NOW} for r in chunk
            ]
            connection.execute(insert(AppointmentPanel), panels)
            connection.execute(insert(StatusChange), [_history(r["id"]) for r in chunk])
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
    return secret


def _location(n: int) -> TestLocation:
    hours = [{"open": "07:00", "close": "19:00"}]
    return TestLocation(
        name=f"Bench {n}",
        address_line_1="Hauptstraße 1",
        city="Berlin",
        postal_code="10117",
        country_name="Germany",
        country_code="DE",
        timezone="Europe/Berlin",
        open_hours={day: hours for day in ("monday", "tuesday", "wednesday", "thursday")},
    )


def _marker() -> Biomarker:
    return Biomarker(name="Cholesterol", loinc_code="2093-3", unit="mg/dL")


def _profile(organisation_id: uuid.UUID, n: int) -> Profile:
    return Profile(
        organisation_id=organisation_id,
        first_name="Bench",
        last_name=f"Patient {n:04d}",
        sex=1 + n % 2,
        date_of_birth=date(1980, 1, 1),
        created_at=NOW,
    )


def _history(appointment_id: uuid.UUID) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "appointment_id": appointment_id,
        "sequence": 1,
        "status": "confirmed",
        "changed_at": NOW,
        "actor": "bench",
        "reason": "Booked",
    }
