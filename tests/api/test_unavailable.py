"""The API when the database fails: 503 `unavailable` with Retry-After for a lost connection, a
database that is down, hangs or is locked; the view's own answer when only the teardown meets a
dead connection; 500 for a genuine bug (contract, "Errors")."""

from __future__ import annotations

import logging
import sqlite3
import time

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError, ProgrammingError

from app.domain.models import Appointment
from app.domain.transactions import WRITE_OPTION
from tests.api.conftest import booking
from tests.api.idempotency import count
from tests.factories import make_appointment
from tests.faults import Faults, closed_port, database_at, silent_server

UNAVAILABLE = "unavailable"


@pytest.fixture
def app_config() -> dict[str, object]:
    """Lock waits short enough for a test: a writer gives up after 0.2 s."""
    return {"SQLITE_BUSY_TIMEOUT": 0.2, "DATABASE_LOCK_TIMEOUT_SECONDS": 0.2}


@pytest.fixture
def faults(app) -> Faults:
    return Faults(app)


def _assert_unavailable(response) -> None:
    assert response.status_code == 503
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["code"] == UNAVAILABLE
    assert "try again in 5 seconds" in body["error"]
    assert response.headers["Retry-After"] == "5"


def test_a_connection_lost_mid_request_answers_503_with_retry_after_and_the_next_one_works(
    api, faults, session, profile, location
):
    appointment = make_appointment(session, profile, location)
    faults.lose_connection_mid_request()

    lost = api.get(f"/appointments/{appointment.id}")

    _assert_unavailable(lost)
    assert api.get(f"/appointments/{appointment.id}").status_code == 200


def test_a_booking_whose_connection_is_lost_answers_503_and_its_retry_books_once(
    api, faults, session, profile, location
):
    faults.lose_connection_mid_request()

    _assert_unavailable(api.post("/appointments", json=booking(profile, location)))
    assert api.post("/appointments", json=booking(profile, location)).status_code == 201
    assert count(session, Appointment) == 1


def test_a_dead_connection_at_teardown_answers_what_the_view_produced(
    api, faults, session, profile, location, caplog
):
    faults.lose_connection_after_view()

    with caplog.at_level(logging.WARNING):
        response = api.post("/appointments", json=booking(profile, location))

    assert response.status_code == 201
    assert api.get(f"/appointments/{response.get_json()['id']}").get_json() == response.get_json()
    assert count(session, Appointment) == 1
    [warning] = [record for record in caplog.records if "connection is dropped" in record.message]
    assert profile.first_name not in warning.getMessage()
    assert str(profile.id) not in warning.getMessage()


def test_a_database_that_is_down_answers_503(app, api):
    with database_at(app, f"postgresql+psycopg://vena@127.0.0.1:{closed_port()}/vena"):
        response = api.get("/panels")

    _assert_unavailable(response)


def test_a_database_that_accepts_connections_and_never_answers_gets_503_not_a_hung_worker(app, api):
    app.config["DATABASE_CONNECT_TIMEOUT_SECONDS"] = 2
    with silent_server() as port, database_at(app, f"postgresql+psycopg://vena@127.0.0.1:{port}/v"):
        started = time.monotonic()
        response = api.get("/panels")
        waited = time.monotonic() - started

    _assert_unavailable(response)
    # One connect timeout (2 s): not twice (the rate limit and the view each asking), nor the
    # worker timeout (30 s) or psycopg's default (130 s).
    assert waited < 4


def test_a_write_that_waits_on_a_lock_past_the_lock_timeout_answers_503_and_books_nothing(
    api, session, profile, location
):
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE appointments IN ACCESS EXCLUSIVE MODE"))
    else:  # SQLite's one writer: the request finds "database is locked" after its busy timeout
        session.connection(execution_options={WRITE_OPTION: True})
    try:
        response = api.post("/appointments", json=booking(profile, location))
    finally:
        session.rollback()

    _assert_unavailable(response)
    assert count(session, Appointment) == 0


@pytest.mark.parametrize(
    "bug",
    [
        ProgrammingError("SELECT nonsense", {}, psycopg.errors.SyntaxError("syntax error")),
        OperationalError("SELECT * FROM gone", {}, sqlite3.OperationalError("no such table")),
    ],
    ids=["programming-error", "sqlite-no-such-table"],
)
def test_a_genuine_database_bug_still_answers_500(api, app, faults, bug):
    def fail() -> None:
        raise bug

    faults.mid_request = fail

    response = api.get("/panels")

    assert response.status_code == 500
    assert response.get_json()["code"] == "internal_error"
    assert "Retry-After" not in response.headers
