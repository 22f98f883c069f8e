"""Shared fixtures: a fresh schema per run, empty tables per test, a fixed clock, signed-in clients.

The suite runs on SQLite by default and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from app import create_app
from app.db import make_engine
from app.domain.models import Base
from tests.openapi_contract import ContractClient

# The tests' "now": a Saturday; "next week" is 2026-11-23 .. 2026-11-29.
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)

# Property tests (Hypothesis) run the same examples on every run and machine (derandomize, which
# also keeps no example database), with no time limit per example: a slow CI is not a failure.
# HYPOTHESIS_PROFILE=explore searches afresh, with more examples, when hunting for bugs.
settings.register_profile("vena", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", max_examples=2000, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "vena"))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """TEST_DATABASE_URL, or a SQLite file in a temporary folder."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def schema_engine(database_url: str) -> Iterator[Engine]:
    """The test database with the models' schema, created once for the run."""
    engine = make_engine(database_url)
    Base.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def _empty_tables(engine: Engine) -> None:
    tables = list(reversed(Base.metadata.sorted_tables))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(table.name for table in tables)
            connection.execute(text(f"TRUNCATE {names} CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture
def app_config() -> dict[str, object]:
    """Settings a test module adds to the test app's; a module overrides this fixture (rate
    limits small enough to reach, another limiter storage)."""
    return {}


def app_settings(database_url: str, **overrides: object) -> dict[str, object]:
    """The test app's settings: the test database, CSRF on, the clock fixed at NOW, the rate
    limits counted in the app's own memory (whatever RATELIMIT_STORAGE_URI the environment
    sets) with their default, generous values; then `overrides`."""
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "CLOCK": lambda: NOW,
        "WTF_CSRF_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        **overrides,
    }


@pytest.fixture
def app(schema_engine: Engine, database_url: str, app_config: dict[str, object]) -> Iterator[Flask]:
    """The app on the test database, with CSRF on and the clock fixed at NOW; its test clients
    check every `/api/v1` response against the OpenAPI document."""
    application = create_app(app_settings(database_url, **app_config))
    application.test_client_class = ContractClient
    yield application
    application.extensions["vena.engine"].dispose()
    _empty_tables(schema_engine)


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    """A Session of the app's database, for arranging and checking data directly.

    It pushes no app context, so each request of a test gets its own context and Session. Unlike
    the app's, it expires what it holds on commit, so a test reads afresh what it arranged once
    the app has changed it.
    """
    db_session: Session = app.extensions["vena.sessionmaker"](expire_on_commit=True)
    yield db_session
    db_session.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser-like client; forms need the CSRF token from the page they come from."""
    return app.test_client()
