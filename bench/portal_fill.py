"""The portal-lists bench's data, written by PostgreSQL itself (`generate_series`), so a million
appointments load in a minute or two: see `bench/portal_pages.py` for what it measures.

One organisation (`bench`) holds the profiles, the portal users (a patient each, who owns one
profile), the appointments and the API keys; the other organisations are empty. Names repeat as
they do in life (20 first names and 50 last names drawn at random: "Anna Schmidt" many times).
Appointments run every quarter-hour from 60 days back to 30 days ahead, round-robin over the
profiles and the locations, with a panel and a history entry each and their chairs counted; a
tenth cancelled, a tenth pending, a tenth drawn. Two fixed groups are the same at every size, so
that a page shows the same rows at 1,000 appointments as at 1,000,000: the front desk's busy day
(120 appointments at the first location on BUSY_DAY) and the bench patient's 60 appointments.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, text

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
WINDOW_START = NOW - timedelta(days=60)
SLOTS = 90 * 24 * 4  # quarter-hours from WINDOW_START: the list's default window
BUSY_DAY = date(2026, 11, 23)  # a Monday, in Europe/Berlin
BUSY_APPOINTMENTS = 120
PATIENT_APPOINTMENTS = 60
PASSWORD = "bench-password-for-the-lists"
FIRST_NAMES = [
    *("Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hannah", "Ida", "Jonas"),
    *("Karl", "Lena", "Mia", "Noah", "Otto", "Paula", "Rosa", "Sophie", "Tom", "Uwe"),
]
LAST_NAMES = [
    *("Schmidt", "Müller", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker"),
    *("Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder"),
    *("Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange"),
    *("Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid", "Schulze"),
    *("Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs"),
    *("Peters", "Lang", "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Schubert"),
]


@dataclass(frozen=True)
class Size:
    """How many rows of each list one run loads."""

    label: str
    appointments: int
    profiles: int
    organisations: int
    api_keys: int
    panels: int
    locations: int


SIZES = {
    "1k": Size("1k", 1_000, 1_000, 100, 100, 100, 60),
    "1M": Size("1M", 1_000_000, 20_000, 2_000, 2_000, 1_000, 80),
}

STATEMENTS = [
    # Organisations: the bench one, and the empty others.
    "INSERT INTO organisations (id, slug, name, created_at) VALUES "
    "(gen_random_uuid(), 'bench', 'Bench Clinics', :now)",
    "INSERT INTO organisations (id, slug, name, created_at) SELECT gen_random_uuid(), "
    "'org-' || lpad(g::text, 5, '0'), 'Organisation ' || g, :now "
    "FROM generate_series(1, :organisations - 1) g",
    # Test locations, open every day 07:00-19:00 in Berlin, three chairs a slot.
    "INSERT INTO test_locations (id, name, address_line_1, city, postal_code, country_name, "
    "country_code, timezone, open_hours, default_status, slot_duration_minutes, "
    "slot_interval_minutes, capacity, minimum_notice_minutes, booking_horizon_days) "
    "SELECT gen_random_uuid(), 'Bench ' || lpad(g::text, 3, '0'), 'Hauptstraße ' || g, 'Berlin', "
    "'10117', 'Germany', 'DE', 'Europe/Berlin', CAST(:hours AS json), 'confirmed', 10, 15, 3, "
    "60, 90 "
    "FROM generate_series(0, :locations - 1) g",
    # Panels, each measuring its own biomarker.
    "INSERT INTO biomarkers (id, name, loinc_code, unit) SELECT gen_random_uuid(), "
    "'Marker ' || lpad(g::text, 5, '0'), g || '-0', 'mg/dL' FROM generate_series(1, :panels) g",
    "INSERT INTO panels (id, name, description, requires_fasting) SELECT gen_random_uuid(), "
    "'Panel ' || lpad(g::text, 5, '0'), '', g % 3 = 0 FROM generate_series(1, :panels) g",
    "INSERT INTO panel_biomarkers (panel_id, biomarker_id) SELECT p.id, b.id FROM panels p "
    "JOIN biomarkers b ON substr(b.name, 8) = substr(p.name, 7)",
    # Portal users: a patient per profile, then the bench coordinator, front desk and admin.
    "INSERT INTO users (id, email, password_hash, role, organisation_id, created_at) "
    "SELECT gen_random_uuid(), 'patient-' || lpad(g::text, 6, '0') || '@bench.example', :hash, "
    "'patient', o.id, :now FROM generate_series(0, :profiles - 1) g, organisations o "
    "WHERE o.slug = 'bench'",
    "INSERT INTO users (id, email, password_hash, role, organisation_id, created_at) "
    "SELECT gen_random_uuid(), r || '@bench.example', :hash, r, "
    "CASE WHEN r = 'coordinator' THEN o.id END, :now "
    "FROM unnest(ARRAY['coordinator', 'front_desk', 'admin']) r, organisations o "
    "WHERE o.slug = 'bench'",
    "INSERT INTO user_locations (user_id, location_id) SELECT u.id, l.id FROM users u, "
    "test_locations l WHERE u.email = 'front_desk@bench.example' AND l.name = 'Bench 000'",
    # Profiles, each owned by its patient, with names drawn at random (the same on every run):
    # a name that followed the profile's number would follow the appointments' times below.
    # The numbered table drives the round robin below.
    "SELECT setseed(0.42)",
    "CREATE TEMPORARY TABLE numbered_profiles (n integer PRIMARY KEY, id uuid NOT NULL)",
    "INSERT INTO profiles (id, organisation_id, owner_id, handle, first_name, last_name, sex, "
    "date_of_birth, language, created_at) SELECT gen_random_uuid(), u.organisation_id, u.id, "
    "'P-' || lpad(g::text, 6, '0'), (CAST(:first_names AS text[]))[1 + floor(random() * 20)::int], "
    "(CAST(:last_names AS text[]))[1 + floor(random() * 50)::int], "
    "1 + g % 2, date '1940-01-01' + (g * 37) % 25000, 'de', :now "
    "FROM generate_series(0, :profiles - 1) g "
    "JOIN users u ON u.email = 'patient-' || lpad(g::text, 6, '0') || '@bench.example'",
    "INSERT INTO numbered_profiles SELECT substr(handle, 3)::integer, id FROM profiles",
    "CREATE TEMPORARY TABLE numbered_locations (n integer PRIMARY KEY, id uuid NOT NULL)",
    "INSERT INTO numbered_locations SELECT substr(name, 7)::integer, id FROM test_locations",
    # The appointments: profile g % profiles at quarter-hour g % SLOTS, so no profile holds two
    # at one instant (lcm(profiles, SLOTS) exceeds the count at both sizes).
    "INSERT INTO appointments (id, profile_id, location_id, scheduled_at, status, created_at, "
    "updated_at) SELECT gen_random_uuid(), p.id, l.id, "
    ":window_start + (g % :slots) * interval '15 minutes', "
    "CASE g % 10 WHEN 0 THEN 'cancelled' WHEN 1 THEN 'pending' WHEN 2 THEN 'blood_drawn' "
    "ELSE 'confirmed' END, :now, :now "
    "FROM generate_series(0, :appointments - 1) g "
    "JOIN numbered_profiles p ON p.n = g % :profiles "
    "JOIN numbered_locations l ON l.n = g % :locations",
    # The fixed groups: the busy day at the first location, and the bench patient's own.
    "INSERT INTO profiles (id, organisation_id, first_name, last_name, sex, date_of_birth, "
    "language, created_at) SELECT gen_random_uuid(), o.id, 'Busy', "
    "'Day ' || lpad(g::text, 3, '0'), 1, date '1980-01-01', 'de', :now "
    "FROM generate_series(0, :busy - 1) g, organisations o "
    "WHERE o.slug = 'bench'",
    "INSERT INTO appointments (id, profile_id, location_id, scheduled_at, status, created_at, "
    "updated_at) SELECT gen_random_uuid(), p.id, l.id, :busy_start + "
    "(substr(p.last_name, 5)::integer % 48) * interval '15 minutes', 'confirmed', :now, :now "
    "FROM profiles p, numbered_locations l WHERE p.first_name = 'Busy' AND l.n = 0",
    "INSERT INTO users (id, email, password_hash, role, organisation_id, created_at) "
    "SELECT gen_random_uuid(), 'patient@bench.example', :hash, 'patient', o.id, :now "
    "FROM organisations o WHERE o.slug = 'bench'",
    "INSERT INTO profiles (id, organisation_id, owner_id, first_name, last_name, sex, "
    "date_of_birth, language, created_at) SELECT gen_random_uuid(), u.organisation_id, u.id, "
    "'Bench', 'Patient', 2, date '1985-04-12', 'de', :now FROM users u "
    "WHERE u.email = 'patient@bench.example'",
    "INSERT INTO appointments (id, profile_id, location_id, scheduled_at, status, created_at, "
    "updated_at) SELECT gen_random_uuid(), p.id, l.id, :now + (g - 30) * interval '1 day' + "
    "interval '1 hour', 'confirmed', :now, :now FROM generate_series(0, :own - 1) g, profiles p, "
    "numbered_locations l WHERE p.first_name = 'Bench' AND l.n = 1",
    # What a booking leaves beside each appointment: a panel, a history entry, its chair.
    "INSERT INTO appointment_panels (appointment_id, panel_id, added_at) SELECT a.id, "
    "(SELECT id FROM panels ORDER BY name LIMIT 1), :now FROM appointments a",
    "INSERT INTO status_changes (id, appointment_id, sequence, status, changed_at, actor, "
    "reason) SELECT gen_random_uuid(), id, 1, status, :now, 'bench', 'Booked' FROM appointments",
    "INSERT INTO slot_seats (location_id, starts_at, taken) SELECT location_id, scheduled_at, "
    "count(*) FROM appointments WHERE status <> 'cancelled' GROUP BY location_id, scheduled_at",
    # The bench organisation's API keys, one a minute back from now.
    "INSERT INTO api_keys (id, organisation_id, name, prefix, secret_hash, scopes, created_at) "
    "SELECT gen_random_uuid(), o.id, 'Key ' || lpad(g::text, 5, '0'), 'vena_' || g, "
    "encode(sha256(('bench-key-' || g)::bytea), 'hex'), CAST('[\"PROFILES_VIEW\"]' AS json), "
    ":now - g * interval '1 minute' FROM generate_series(1, :api_keys) g, organisations o "
    "WHERE o.slug = 'bench'",
]


def fill(engine: Engine, size: Size, password_hash: str) -> None:
    """Load `size`'s rows into the empty schema of `engine` (PostgreSQL), then VACUUM ANALYZE."""
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    params = {
        "now": NOW,
        "window_start": WINDOW_START,
        "slots": SLOTS,
        "busy": BUSY_APPOINTMENTS,
        "busy_start": datetime(BUSY_DAY.year, BUSY_DAY.month, BUSY_DAY.day, 6, 0, tzinfo=UTC),
        "own": PATIENT_APPOINTMENTS,
        "hash": password_hash,
        "hours": json.dumps({day: [{"open": "07:00", "close": "19:00"}] for day in days}),
        "first_names": FIRST_NAMES,
        "last_names": LAST_NAMES,
        "appointments": size.appointments,
        "profiles": size.profiles,
        "organisations": size.organisations,
        "api_keys": size.api_keys,
        "panels": size.panels,
        "locations": size.locations,
    }
    with engine.begin() as connection:
        for statement in STATEMENTS:
            clause = text(statement)
            used = {name: value for name, value in params.items() if f":{name}" in statement}
            connection.execute(clause, used)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE"))
