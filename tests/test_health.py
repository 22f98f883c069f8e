"""`GET /healthz` tells the truth within 2 seconds: 503 when the database is down or hangs."""

from __future__ import annotations

import time

from tests.faults import closed_port, database_at, silent_server


def test_healthz_answers_503_within_2_seconds_when_the_database_never_answers(app, client):
    with silent_server() as port, database_at(app, f"postgresql+psycopg://vena@127.0.0.1:{port}/v"):
        started = time.monotonic()
        response = client.get("/healthz")
        waited = time.monotonic() - started

    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}
    assert waited < 2  # a load balancer's check is not held up by the connect timeout (5 s)


def test_healthz_keeps_answering_503_while_earlier_checks_still_wait_on_the_database(app, client):
    with silent_server() as port, database_at(app, f"postgresql+psycopg://vena@127.0.0.1:{port}/v"):
        started = time.monotonic()
        answers = [client.get("/healthz").status_code for _ in range(4)]
        waited = time.monotonic() - started

    assert answers == [503] * 4
    assert waited < 4 * 2


def test_healthz_answers_503_when_the_database_is_down(app, client):
    with database_at(app, f"postgresql+psycopg://vena@127.0.0.1:{closed_port()}/vena"):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}


def test_healthz_answers_ok_again_once_the_database_is_back(app, client):
    with database_at(app, f"postgresql+psycopg://vena@127.0.0.1:{closed_port()}/vena"):
        assert client.get("/healthz").status_code == 503

    assert client.get("/healthz").get_json() == {"status": "ok"}
