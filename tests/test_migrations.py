"""The migrations build exactly the models' schema, on SQLite and (with TEST_DATABASE_URL) on
PostgreSQL, and upgrading again is harmless."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    SmallInteger,
    String,
    Uuid,
    create_engine,
    inspect,
    make_url,
    pool,
    select,
    table,
    text,
)
from sqlalchemy.orm import Session

from app.db import make_engine
from app.domain.models import Appointment, Base, SlotSeats, User
from app.domain.types import UTCDateTime
from app.migrate import MIGRATIONS, alembic_config, models_schema, upgrade_database
from tests.conftest import NOW
from tests.factories import BERLIN_HOURS, make_location, make_org, make_profile, make_user

# The test_locations columns every revision has (0001's required ones): tests that arrange data
# at an old revision insert these, as the models' later columns do not exist there yet.
LOCATIONS_0001 = table(
    "test_locations",
    Column("id", Uuid),
    Column("name", String),
    Column("address_line_1", String),
    Column("city", String),
    Column("postal_code", String),
    Column("country_name", String),
    Column("country_code", String),
    Column("timezone", String),
    Column("open_hours", JSON),
    Column("default_status", String),
)


def _old_location(session: Session) -> uuid.UUID:
    """A Berlin test location inserted with `LOCATIONS_0001`'s columns; returns its id."""
    location_id = uuid.uuid4()
    session.execute(
        LOCATIONS_0001.insert().values(
            id=location_id,
            name="Vena Berlin Mitte",
            address_line_1="Friedrichstraße 68",
            city="Berlin",
            postal_code="10117",
            country_name="Germany",
            country_code="DE",
            timezone="Europe/Berlin",
            open_hours=BERLIN_HOURS,
            default_status="confirmed",
        )
    )
    session.commit()
    return location_id


def _postgres_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """The URL of an empty database: a SQLite file, or a fresh schema of the PostgreSQL test
    database (its own search_path), so the `app` fixture's tables are left alone."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrate.sqlite3'}"
        return
    base_url = _postgres_url()
    if base_url is None:
        pytest.skip("TEST_DATABASE_URL does not name a PostgreSQL database")
    schema = f"vena_migrate_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, poolclass=pool.NullPool)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _schema_differences(url: str) -> list[object]:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return list(compare_metadata(context, models_schema(connection.dialect.name)))
    finally:
        engine.dispose()


def _check_constraints(url: str) -> dict[str, set[str]]:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        inspector = inspect(engine)
        return {
            table.name: {ck["name"] for ck in inspector.get_check_constraints(table.name)}
            for table in Base.metadata.sorted_tables
        }
    finally:
        engine.dispose()


def _convention_name(table: str, name: str) -> str:
    prefix = f"ck_{table}_"
    return name if name.startswith(prefix) else prefix + name


def _current_revision(url: str) -> str | None:
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def test_upgrading_an_empty_database_gives_exactly_the_models_schema(empty_database):
    upgrade_database(empty_database)

    assert _schema_differences(empty_database) == []
    command.check(alembic_config(empty_database))  # the same comparison, through env.py


def test_the_migrations_create_the_models_check_constraints(empty_database):
    upgrade_database(empty_database)

    # The naming convention turns CheckConstraint(name="role") on users into ck_users_role (once
    # the table has been compiled, the metadata holds the converted name itself).
    expected = {
        table.name: {
            _convention_name(table.name, str(ck.name))
            for ck in table.constraints
            if isinstance(ck, CheckConstraint)
        }
        for table in Base.metadata.sorted_tables
    }
    assert _check_constraints(empty_database) == expected


def test_upgrading_twice_is_harmless(empty_database):
    upgrade_database(empty_database)
    upgrade_database(empty_database)

    head = ScriptDirectory.from_config(alembic_config(empty_database)).get_current_head()
    assert _current_revision(empty_database) == head
    assert _schema_differences(empty_database) == []


def test_downgrading_to_base_removes_every_table_and_upgrading_restores_them(empty_database):
    upgrade_database(empty_database)
    command.downgrade(alembic_config(empty_database), "base")

    engine = create_engine(empty_database, poolclass=pool.NullPool)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    upgrade_database(empty_database)
    assert _schema_differences(empty_database) == []


def test_there_is_one_head_and_revision_files_are_date_prefixed():
    script = ScriptDirectory(str(MIGRATIONS))
    assert len(script.get_heads()) == 1
    names = sorted(path.name for path in (MIGRATIONS / "versions").glob("*.py"))
    assert names
    for name in names:
        assert re.fullmatch(r"\d{4}_\d{2}_\d{2}_\d{4}_[a-z0-9_]+\.py", name), name


def test_the_seat_counters_are_filled_from_the_appointments_already_booked(empty_database):
    command.upgrade(alembic_config(empty_database), "0002")
    engine = make_engine(empty_database)
    monday, tuesday = NOW + timedelta(days=2, minutes=30), NOW + timedelta(days=3)
    try:
        with Session(engine) as session:
            org = make_org(session)
            location_id = _old_location(session)
            anna, berta = make_profile(session, org), make_profile(session, org, first_name="Berta")
            for profile, at, status in [
                (anna, monday, "confirmed"),
                (berta, monday, "pending"),
                (anna, tuesday, "cancelled"),
            ]:
                session.add(
                    Appointment(
                        profile_id=profile.id,
                        location_id=location_id,
                        scheduled_at=at,
                        status=status,
                        created_at=NOW,
                        updated_at=NOW,
                    )
                )
            session.commit()
            upgrade_database(empty_database)
            seats = session.execute(select(SlotSeats.starts_at, SlotSeats.taken)).all()
            assert [tuple(row) for row in seats] == [(monday, 2)]
    finally:
        engine.dispose()


def test_an_upgrade_stops_while_a_profile_holds_two_appointments_at_one_time(empty_database):
    command.upgrade(alembic_config(empty_database), "0005")
    engine = make_engine(empty_database)
    monday = NOW + timedelta(days=2, minutes=30)
    try:
        with Session(engine) as session:
            org = make_org(session)
            location_id = _old_location(session)
            anna, berta = make_profile(session, org), make_profile(session, org, first_name="Berta")
            # Anna twice at one time, as bookings could before 0006; Berta's second is cancelled.
            for profile, status in [
                (anna, "confirmed"),
                (anna, "pending"),
                (berta, "confirmed"),
                (berta, "cancelled"),
            ]:
                session.add(
                    Appointment(
                        profile_id=profile.id,
                        location_id=location_id,
                        scheduled_at=monday,
                        status=status,
                        created_at=NOW,
                        updated_at=NOW,
                    )
                )
            session.commit()
        message = (
            "1 profile(s) hold two or more appointments at the same start time; cancel all but "
            "one of each, then upgrade again."
        )
        with pytest.raises(RuntimeError, match=re.escape(message)):
            upgrade_database(empty_database)
        assert _current_revision(empty_database) == "0005"
        indexes = {index["name"] for index in inspect(engine).get_indexes("appointments")}
        assert "uq_appointments_profile_scheduled" not in indexes
    finally:
        engine.dispose()


# The users table as revision 0003 left it: front desk's one location in a column.
USERS_0003 = table(
    "users",
    Column("id", Uuid),
    Column("email", String),
    Column("password_hash", String),
    Column("role", String),
    Column("location_id", Uuid),
    Column("created_at", UTCDateTime),
)


def test_each_users_location_moves_into_user_locations(empty_database):
    command.upgrade(alembic_config(empty_database), "0003")
    engine = make_engine(empty_database)
    try:
        with Session(engine) as session:
            berlin_id = _old_location(session)
            for email, role, location_id in [
                ("desk@example.org", "front_desk", berlin_id),
                ("admin@example.org", "admin", None),
            ]:
                session.execute(
                    USERS_0003.insert().values(
                        id=uuid.uuid4(),
                        email=email,
                        password_hash="x",
                        role=role,
                        location_id=location_id,
                        created_at=NOW,
                    )
                )
            session.commit()
        upgrade_database(empty_database)
        with Session(engine) as session:
            users = session.scalars(select(User).order_by(User.email)).all()
            assert [(u.email, [place.id for place in u.locations]) for u in users] == [
                ("admin@example.org", []),
                ("desk@example.org", [berlin_id]),
            ]
    finally:
        engine.dispose()


def test_downgrading_keeps_each_users_first_location_in_the_column(empty_database):
    upgrade_database(empty_database)
    engine = make_engine(empty_database)
    try:
        with Session(engine) as session:
            berlin = make_location(session)
            aachen = make_location(session, name="Vena Aachen")
            make_user(session, "front_desk", locations=[berlin, aachen], email="desk@example.org")
            make_user(session, "admin", email="admin@example.org")
            aachen_id = aachen.id
            session.commit()
        command.downgrade(alembic_config(empty_database), "0003")
        with Session(engine) as session:
            query = select(USERS_0003.c.email, USERS_0003.c.location_id).order_by("email")
            assert [tuple(row) for row in session.execute(query)] == [
                ("admin@example.org", None),
                ("desk@example.org", aachen_id),
            ]
    finally:
        engine.dispose()


# The status history as revision 0007 left it, without `details`.
STATUS_CHANGES_0007 = table(
    "status_changes",
    Column("id", Uuid),
    Column("appointment_id", Uuid),
    Column("sequence", SmallInteger),
    Column("status", String),
    Column("changed_at", UTCDateTime),
    Column("actor", String),
    Column("reason", String),
)


def test_updated_at_is_emptied_where_nothing_changed_after_the_booking(empty_database):
    command.upgrade(alembic_config(empty_database), "0007")
    engine = make_engine(empty_database)
    monday = NOW + timedelta(days=2, minutes=30)
    try:
        with Session(engine) as session:
            org, location_id = make_org(session), _old_location(session)
            made = {}
            # (name, updated_at, reasons in its history)
            for n, (name, updated_at, reasons) in enumerate(
                [
                    ("untouched", NOW, ["Booked"]),
                    ("cancelled at once", NOW, ["Booked", "Cancelled"]),
                    ("moved later", NOW + timedelta(hours=1), ["Booked", "Rescheduled"]),
                ]
            ):
                appointment = Appointment(
                    profile_id=make_profile(session, org).id,
                    location_id=location_id,
                    scheduled_at=monday + timedelta(minutes=15 * n),
                    status="confirmed",
                    created_at=NOW,
                    updated_at=updated_at,
                )
                session.add(appointment)
                session.flush()
                for sequence, reason in enumerate(reasons, start=1):
                    session.execute(
                        STATUS_CHANGES_0007.insert().values(
                            id=uuid.uuid4(),
                            appointment_id=appointment.id,
                            sequence=sequence,
                            status="confirmed",
                            changed_at=updated_at,
                            actor="test",
                            reason=reason,
                        )
                    )
                made[appointment.id] = name
            session.commit()
        upgrade_database(empty_database)
        with Session(engine) as session:
            query = select(Appointment.id, Appointment.updated_at)
            assert {made[row.id]: row.updated_at for row in session.execute(query)} == {
                "untouched": None,
                "cancelled at once": NOW,
                "moved later": NOW + timedelta(hours=1),
            }
        command.downgrade(alembic_config(empty_database), "0007")
        with Session(engine) as session:
            query = select(Appointment.id, Appointment.updated_at)
            assert {made[row.id]: row.updated_at for row in session.execute(query)} == {
                "untouched": NOW,
                "cancelled at once": NOW,
                "moved later": NOW + timedelta(hours=1),
            }
    finally:
        engine.dispose()
