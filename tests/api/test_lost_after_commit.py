"""The database connection lost right after a write's COMMIT: the change is committed, so the
answer must say so. It is built from what the use case's transaction returned, never from a
read after the commit, which would fail and answer 500 for a change that was made."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event

from tests.api.conftest import booking
from tests.conftest import NOW
from tests.factories import make_appointment

LOST = "server closed the connection unexpectedly"


@contextmanager
def connection_lost_after_commit(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """While inside: once a COMMIT succeeds, the connection it ran on is closed, every later
    statement fails, and the database refuses new connections, as when its server goes away
    the moment it has committed. The closed connection leaves the pool as it returns there."""
    engine = app.extensions["vena.engine"]
    dialect, dbapi = engine.dialect, engine.dialect.loaded_dbapi
    commit, lost = dialect.do_commit, []

    def commit_then_lose(dbapi_connection: Any) -> None:
        commit(dbapi_connection)
        lost.append(dbapi_connection)
        dbapi_connection.close()

    def refuse(*_args: Any) -> None:
        if lost:
            raise dbapi.OperationalError(LOST)

    def discard(dbapi_connection: Any, record: Any) -> None:
        if any(dbapi_connection is gone for gone in lost):
            record.invalidate()

    monkeypatch.setattr(dialect, "do_commit", commit_then_lose)
    listeners = [("before_cursor_execute", refuse), ("do_connect", refuse), ("checkin", discard)]
    for name, listener in listeners:
        event.listen(engine, name, listener)
    try:
        yield
    finally:
        monkeypatch.undo()
        for name, listener in listeners:
            event.remove(engine, name, listener)


def test_a_booking_whose_connection_is_lost_after_the_commit_answers_201_with_it(
    api, app, monkeypatch, profile, location
):
    with connection_lost_after_commit(app, monkeypatch):
        response = api.post("/appointments", json=booking(profile, location))

    assert response.status_code == 201
    body = response.get_json()
    assert body == api.get(f"/appointments/{body['id']}").get_json()
    assert (body["status"], body["profile"]["id"]) == ("confirmed", str(profile.id))
    assert [entry["reason"] for entry in body["status_history"]] == ["Booked"]


def test_a_cancel_whose_connection_is_lost_after_the_commit_answers_200_cancelled(
    api, app, monkeypatch, session, profile, location
):
    appointment = make_appointment(session, profile, location)

    with connection_lost_after_commit(app, monkeypatch):
        response = api.delete(f"/appointments/{appointment.id}")

    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "cancelled"
    assert body == api.get(f"/appointments/{appointment.id}").get_json()


@pytest.mark.parametrize(
    ("method", "path", "json"),
    [
        ("PATCH", "/appointments/{id}", {"scheduled_at": "2026-11-24T09:30:00Z"}),
        ("POST", "/appointments/{id}/panels", {"panel_ids": ["{panel}"]}),
    ],
)
def test_other_changes_whose_connection_is_lost_after_the_commit_answer_the_appointment(
    api, app, monkeypatch, session, profile, location, panel, method, path, json
):
    appointment = make_appointment(session, profile, location)
    ids = {"id": appointment.id, "panel": panel.id}
    body = {
        name: [item.format(**ids) for item in value] if isinstance(value, list) else value
        for name, value in json.items()
    }

    with connection_lost_after_commit(app, monkeypatch):
        response = api.request(method, path.format(**ids), json=body)

    assert response.status_code == 200
    assert response.get_json() == api.get(f"/appointments/{appointment.id}").get_json()
    assert response.get_json()["updated_at"] == NOW.isoformat().replace("+00:00", "Z")


def test_a_profile_change_whose_connection_is_lost_after_the_commit_answers_the_profile(
    api, app, monkeypatch, profile
):
    with connection_lost_after_commit(app, monkeypatch):
        response = api.patch(f"/profiles/{profile.id}", json={"first_name": "Berta"})

    assert response.status_code == 200
    assert response.get_json()["first_name"] == "Berta"
    assert response.get_json() == api.get(f"/profiles/{profile.id}").get_json()
