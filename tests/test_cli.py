"""The operator commands (contract, "Operator interface"), run through Flask's CLI runner."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, inspect, make_url, select

from app import create_app
from app.cli import DEMO_FLAG
from app.domain.accounts import authenticate_api_key, authenticate_user, hash_api_key
from app.domain.models import (
    ApiKey,
    Base,
    Biomarker,
    Organisation,
    Panel,
    Profile,
    TestLocation,
    User,
)
from tests.factories import make_location, make_org, make_user

PASSWORD = "a long enough password"
UNKNOWN = "0b5e7c1e-0000-4000-8000-000000000000"  # no test location has this id


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def seed_demo_args(app: Flask) -> list[str]:
    """`seed-demo` as the app's database takes it: PostgreSQL only with the demo flag."""
    sqlite = make_url(app.config["DATABASE_URL"]).get_backend_name() == "sqlite"
    return ["seed-demo"] if sqlite else ["seed-demo", DEMO_FLAG]


def _committed(session):
    """The session with its read transaction ended, so it sees what the command committed."""
    session.rollback()
    return session


def _row_counts(session) -> dict[str, int]:
    _committed(session)
    return {
        table.name: session.scalar(select(func.count()).select_from(table))
        for table in Base.metadata.sorted_tables
    }


def test_init_db_creates_the_schema_and_is_safe_to_repeat(tmp_path):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}"}
    )
    runner = app.test_cli_runner()

    first = runner.invoke(args=["init-db"])
    second = runner.invoke(args=["init-db"])

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    tables = set(inspect(app.extensions["vena.engine"]).get_table_names())
    assert tables == set(Base.metadata.tables) | {"alembic_version"}
    app.extensions["vena.engine"].dispose()


def test_create_org_creates_an_organisation(runner, session):
    result = runner.invoke(args=["create-org", "acme", "--name", "Acme Clinics"])

    assert result.exit_code == 0, result.output
    query = select(Organisation).where(Organisation.slug == "acme")
    organisation = _committed(session).scalar(query)
    assert organisation.name == "Acme Clinics"


def test_create_org_refuses_a_taken_slug_with_a_clear_message(runner, session):
    make_org(session, "acme")

    result = runner.invoke(args=["create-org", "acme", "--name", "Acme again"])

    assert result.exit_code == 1
    assert "slug 'acme' exists already" in result.output


def test_create_api_key_prints_the_key_alone_on_the_last_line_and_stores_only_its_hash(
    runner, session
):
    org = make_org(session, "acme")

    result = runner.invoke(
        args=[
            "create-api-key",
            "--org",
            "acme",
            "--scope",
            "TEST_SESSIONS_SCHEDULE",
            "--scope",
            "PROFILES_VIEW",
            "--name",
            "partner",
        ]
    )

    assert result.exit_code == 0, result.output
    key = result.output.splitlines()[-1]
    assert key.startswith("vena_")
    assert " " not in key
    assert result.output.count(key) == 1
    stored = _committed(session).scalar(select(ApiKey))
    assert stored.name == "partner"
    assert stored.secret_hash == hash_api_key(key)
    assert key not in (stored.secret_hash, stored.prefix)
    actor = authenticate_api_key(session, key)
    assert actor is not None
    assert actor.organisation_id == org.id
    assert actor.scopes == ("TEST_SESSIONS_SCHEDULE", "PROFILES_VIEW")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "acme", "--scope", "BOGUS"], "(unknown: BOGUS)"),
        (["--org", "nope", "--scope", "PROFILES_VIEW"], "No organisation has the slug 'nope'"),
    ],
)
def test_create_api_key_with_a_bad_scope_or_unknown_org_fails_clearly(
    runner, session, args, message
):
    make_org(session, "acme")

    result = runner.invoke(args=["create-api-key", *args])

    assert result.exit_code == 1
    assert message in result.output
    assert _row_counts(session)["api_keys"] == 0


def test_create_user_with_password_option_creates_a_user_who_can_sign_in(runner, session):
    make_org(session, "acme")

    result = runner.invoke(
        args=[
            "create-user",
            "Carla@Example.org",
            "--role",
            "coordinator",
            "--org",
            "acme",
            "--password",
            PASSWORD,
        ]
    )

    assert result.exit_code == 0, result.output
    user = authenticate_user(_committed(session), "carla@example.org", PASSWORD)
    assert user is not None
    assert user.role == "coordinator"
    assert user.password_hash != PASSWORD


def test_create_user_prompts_for_the_password_twice_when_the_option_is_absent(runner, session):
    location = make_location(session)

    result = runner.invoke(
        args=["create-user", "desk@example.org", "--role", "front_desk", "--location", location.id],
        input=f"{PASSWORD}\n{PASSWORD}\n",
    )

    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    assert PASSWORD not in result.output
    user = authenticate_user(_committed(session), "desk@example.org", PASSWORD)
    assert user is not None
    assert [place.id for place in user.locations] == [location.id]


def test_create_user_takes_the_location_option_once_per_location_a_front_desk_works_at(
    runner, session
):
    berlin = make_location(session)
    munich = make_location(session, name="Vena München Marienplatz")

    places = [f"--location={place.id}" for place in (munich, berlin, munich)]

    result = runner.invoke(
        args=[
            "create-user",
            "desk@example.org",
            "--role",
            "front_desk",
            *places,
            "--password",
            PASSWORD,
        ]
    )

    assert result.exit_code == 0, result.output
    assert "at Vena Berlin Mitte, Vena München Marienplatz." in result.output
    user = authenticate_user(_committed(session), "desk@example.org", PASSWORD)
    assert [place.name for place in user.locations] == [
        "Vena Berlin Mitte",
        "Vena München Marienplatz",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "surgeon"], "role must be one of"),
        (["--role", "patient"], "A patient needs an organisation. (--org)"),
        (["--role", "front_desk"], "Front desk needs one or more test locations. (--location)"),
        (
            ["--role", "front_desk", "--location", UNKNOWN],
            f"No test location has the id {UNKNOWN}.",
        ),
        (["--role", "admin", "--password", "short"], "at least 12 characters"),
    ],
)
def test_create_user_refuses_invalid_input_with_a_clear_message(runner, session, args, message):
    if "--password" not in args:
        args = [*args, "--password", PASSWORD]

    result = runner.invoke(args=["create-user", "someone@example.org", *args])

    assert result.exit_code == 1
    assert message in result.output
    assert _row_counts(session)["users"] == 0


def test_seed_demo_refuses_a_postgresql_database_without_the_demo_flag(tmp_path):
    url = "postgresql+psycopg://vena:s3cret@db.example.invalid/vena"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": url})

    result = app.test_cli_runner().invoke(args=["seed-demo"])

    assert result.exit_code == 1
    assert "Not seeding postgresql+psycopg://vena:***@db.example.invalid/vena" in result.output
    assert "the demo users' password is printed in the README" in result.output
    assert f"run seed-demo {DEMO_FLAG}" in result.output
    assert "s3cret" not in result.output
    app.extensions["vena.engine"].dispose()


def test_seed_demo_seeds_postgresql_with_the_demo_flag(runner, session):
    if make_url(runner.app.config["DATABASE_URL"]).get_backend_name() != "postgresql":
        pytest.skip("TEST_DATABASE_URL does not name a PostgreSQL database")

    result = runner.invoke(args=["seed-demo", DEMO_FLAG])

    assert result.exit_code == 0, result.output
    assert authenticate_user(session, "admin@vena.example.com", "vena-demo-password") is not None


def test_seed_demo_seeds_the_embedded_sqlite_database_without_a_flag(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": url})
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0

    result = runner.invoke(args=["seed-demo"])

    assert result.exit_code == 0, result.output
    assert "Added " in result.output
    app.extensions["vena.engine"].dispose()


def test_set_password_refuses_an_unknown_user_or_a_weak_password(runner, session):
    make_user(session, "coordinator", email="carla@example.org")

    unknown = runner.invoke(args=["set-password", "nobody@example.org", "--password", PASSWORD])
    weak = runner.invoke(args=["set-password", "carla@example.org", "--password", "short"])

    assert (unknown.exit_code, weak.exit_code) == (1, 1)
    assert "No user has the e-mail nobody@example.org." in unknown.output
    assert "12 characters" in weak.output
    assert authenticate_user(_committed(session), "carla@example.org", "short") is None


def test_seed_demo_twice_adds_the_demo_data_once(runner, session):
    first = runner.invoke(args=seed_demo_args(runner.app))
    counts = _row_counts(session)
    second = runner.invoke(args=seed_demo_args(runner.app))

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert "nothing changed" in second.output
    assert _row_counts(session) == counts
    assert counts["organisations"] == 1
    assert counts["test_locations"] >= 7
    assert counts["panels"] >= 7
    assert counts["profiles"] >= 3


def test_seed_demo_adds_locations_in_real_zones_one_starting_as_pending(runner, session):
    runner.invoke(args=seed_demo_args(runner.app))

    locations = session.scalars(select(TestLocation)).all()
    zones = {location.timezone for location in locations}
    assert {
        "Europe/Berlin",
        "Europe/Helsinki",
        "Europe/London",
        "America/New_York",
        "America/Los_Angeles",
        "Asia/Kolkata",
        "Australia/Adelaide",
    } <= zones
    assert "pending" in {location.default_status for location in locations}
    for location in locations:
        assert set(location.open_hours) == {
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        }


def test_seed_demo_adds_loinc_coded_panels(runner, session):
    runner.invoke(args=seed_demo_args(runner.app))

    lipid = session.scalar(select(Panel).where(Panel.name == "Lipid panel"))
    assert lipid.requires_fasting
    assert {b.loinc_code for b in lipid.biomarkers} == {"2093-3", "2085-9", "13457-7", "2571-8"}
    units = dict(session.execute(select(Biomarker.loinc_code, Biomarker.unit)).all())
    assert units["4548-4"] == "%"
    assert units["3016-3"] == "mIU/L"
    assert units["6690-2"] == "10*3/uL"


def test_seed_demo_adds_one_sign_in_per_role_with_the_demo_password(runner, session):
    runner.invoke(args=seed_demo_args(runner.app))

    roles = {}
    for email in (
        "patient@vena.example.com",
        "coordinator@vena.example.com",
        "frontdesk@vena.example.com",
        "admin@vena.example.com",
    ):
        user = authenticate_user(session, email, "vena-demo-password")
        assert user is not None, email
        roles[user.role] = user
    assert set(roles) == {"patient", "coordinator", "front_desk", "admin"}
    assert [place.name for place in roles["front_desk"].locations] == [
        "Vena Berlin Mitte",
        "Vena München Marienplatz",
    ]
    owned = session.scalars(select(Profile).where(Profile.owner_id == roles["patient"].id)).all()
    assert len(owned) == 1
    assert session.scalar(select(func.count()).select_from(User)) == 4


def test_seed_demo_gives_locations_chairs_and_holidays_one_with_a_single_chair(runner, session):
    runner.invoke(args=seed_demo_args(runner.app))

    locations = session.scalars(select(TestLocation)).all()
    assert 1 in {location.capacity for location in locations}
    assert max(location.capacity for location in locations) > 1
    berlin = next(location for location in locations if location.name == "Vena Berlin Mitte")
    assert ("2026-12-25", "Christmas Day") in {
        (closed.date.isoformat(), closed.reason) for closed in berlin.closed_dates
    }


def test_seed_demo_adds_the_demo_front_desks_new_location_to_an_older_demo_database(
    runner, session
):
    berlin = make_location(session)
    make_user(session, "front_desk", location=berlin, email="frontdesk@vena.example.com")

    result = runner.invoke(args=seed_demo_args(runner.app))

    assert result.exit_code == 0, result.output
    assert "front desk locations: 1" in result.output
    desk = _committed(session).scalar(select(User).where(User.role == "front_desk"))
    assert [place.name for place in desk.locations] == [
        "Vena Berlin Mitte",
        "Vena München Marienplatz",
    ]
