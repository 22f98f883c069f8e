"""The database's time limits come from the settings and hold; the errors that mean "try again
later" are told from bugs; closing a request's session never raises."""

from __future__ import annotations

import logging
import sqlite3
from datetime import timedelta

import psycopg
import pytest
from sqlalchemy import make_url, text
from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    IntegrityError,
    OperationalError,
    ProgrammingError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout

from app import create_app
from app.config import idempotency_claim_timeout
from app.db import Timeouts, close_session, get_session, is_unavailable, make_engine
from tests.conftest import app_settings
from tests.faults import drop_connection

ENVIRONMENT = {
    "DATABASE_CONNECT_TIMEOUT_SECONDS": "3",
    "DATABASE_STATEMENT_TIMEOUT_SECONDS": "0.5",
    "DATABASE_LOCK_TIMEOUT_SECONDS": "0.25",
    "DATABASE_POOL_TIMEOUT_SECONDS": "2",
    "WORKER_TIMEOUT_SECONDS": "60",
}


@pytest.fixture
def postgresql_url(database_url: str) -> str:
    """The test database's URL, or a skip on SQLite (no statement or lock timeouts there)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("statement and lock timeouts are PostgreSQL's")
    return database_url


def test_the_time_limits_are_read_from_the_environment(monkeypatch, database_url, schema_engine):
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)

    app = create_app(app_settings(database_url))

    assert Timeouts.from_settings(app.config) == Timeouts(
        connect=3, statement=0.5, lock=0.25, pool=2, sqlite_busy=15
    )
    assert app.extensions["vena.engine"].pool.timeout() == 2
    assert idempotency_claim_timeout(app.config) == timedelta(seconds=65)
    app.extensions["vena.engine"].dispose()


def test_the_defaults_end_a_request_before_the_worker_timeout():
    limits = Timeouts()

    assert (limits.connect, limits.statement, limits.lock, limits.pool) == (5, 10, 5, 5)
    assert limits.lock < limits.statement < 30


def test_a_postgresql_statement_over_the_statement_timeout_is_cancelled_as_unavailable(
    postgresql_url,
):
    engine = make_engine(postgresql_url, timeouts=Timeouts(statement=0.2))
    with engine.connect() as connection, pytest.raises(OperationalError) as caught:
        connection.execute(text("SELECT pg_sleep(2)"))
    engine.dispose()

    assert isinstance(caught.value.orig, psycopg.errors.QueryCanceled)
    assert is_unavailable(caught.value)


def test_a_postgresql_lock_wait_over_the_lock_timeout_is_refused_as_unavailable(postgresql_url):
    engine = make_engine(postgresql_url, timeouts=Timeouts(lock=0.2))
    with engine.connect() as holder, engine.connect() as waiter:
        holder.execute(text("LOCK TABLE organisations IN ACCESS EXCLUSIVE MODE"))
        with pytest.raises(OperationalError) as caught:
            waiter.execute(text("SELECT count(*) FROM organisations"))
    engine.dispose()

    assert isinstance(caught.value.orig, psycopg.errors.LockNotAvailable)
    assert is_unavailable(caught.value)


def test_options_in_the_url_are_kept_beside_the_time_limits(postgresql_url):
    url = make_url(postgresql_url).update_query_dict({"options": "-c application_name=vena-test"})
    engine = make_engine(url.render_as_string(hide_password=False), timeouts=Timeouts(lock=0.3))
    with engine.connect() as connection:
        name = connection.execute(text("SHOW application_name")).scalar_one()
        lock = connection.execute(text("SHOW lock_timeout")).scalar_one()
    engine.dispose()

    assert (name, lock) == ("vena-test", "300ms")


def _wrapped(error_class: type[DBAPIError], orig: Exception, **kwargs: bool) -> DBAPIError:
    return error_class("SELECT 1", {}, orig, **kwargs)


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (DisconnectionError("the connection was lost"), True),
        (PoolTimeout("QueuePool limit reached, connection timed out"), True),
        (_wrapped(OperationalError, psycopg.OperationalError("connection refused")), True),
        (_wrapped(OperationalError, psycopg.errors.AdminShutdown("terminating")), True),
        (_wrapped(OperationalError, psycopg.errors.DeadlockDetected("deadlock")), True),
        (_wrapped(OperationalError, sqlite3.OperationalError("database is locked")), True),
        (
            _wrapped(
                ProgrammingError,
                sqlite3.ProgrammingError("Cannot operate on a closed database."),
                connection_invalidated=True,
            ),
            True,
        ),
        (_wrapped(OperationalError, sqlite3.OperationalError("no such table: gone")), False),
        (_wrapped(ProgrammingError, psycopg.errors.UndefinedTable("no table")), False),
        (_wrapped(IntegrityError, psycopg.errors.UniqueViolation("duplicate key")), False),
        (ValueError("not a database error"), False),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value),
)
def test_lost_connections_timeouts_and_locks_are_unavailable_and_bugs_are_not(error, unavailable):
    assert is_unavailable(error) is unavailable


def test_closing_a_session_whose_connection_died_does_not_raise_and_logs_only_its_kind(app, caplog):
    with app.app_context():
        session = get_session()
        drop_connection(session)
        with caplog.at_level(logging.WARNING):
            close_session()

        assert get_session().execute(text("SELECT 1")).scalar_one() == 1

    [record] = caplog.records
    assert record.getMessage() in {
        "Closing the database session failed (OperationalError); its connection is dropped.",
        "Closing the database session failed (ProgrammingError); its connection is dropped.",
    }
