"""`GET /healthz`: 200 when the database answers, 503 otherwise, always within
DEADLINE_SECONDS (contract, operator interface), also when the database hangs."""

from __future__ import annotations

import threading

from flask import Flask, Response, current_app, jsonify
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

# Load balancers give up on a check after a few seconds; the answer comes well before that.
DEADLINE_SECONDS = 1.0
# At most this many checks of one process wait on the database at a time: a database that
# hangs holds each of them up to the connect timeout, and a further check answers 503 at once.
CONCURRENT_CHECKS = 2
_CHECKS = "vena.health_checks"


def _select_one(engine: Engine) -> None:
    """`SELECT 1` on a connection of the app's pool, bounded on PostgreSQL by a statement
    timeout of its own (the connect timeout bounds the rest)."""
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            milliseconds = round(DEADLINE_SECONDS * 1000)
            connection.execute(text(f"SET LOCAL statement_timeout = {milliseconds}"))
        connection.execute(text("SELECT 1"))


def healthz() -> tuple[Response, int]:
    """200 `{"status": "ok"}` if `SELECT 1` succeeds within DEADLINE_SECONDS, else 503
    `{"status": "unavailable"}`. The query runs in a thread of its own, so a database that
    accepts connections and never answers cannot hold the answer up."""
    engine: Engine = current_app.extensions["vena.engine"]
    checks: threading.BoundedSemaphore = current_app.extensions[_CHECKS]
    if not checks.acquire(blocking=False):
        return jsonify(status="unavailable"), 503
    done = threading.Event()
    answers: list[bool] = []

    def check() -> None:
        try:
            _select_one(engine)
            answers.append(True)
        except SQLAlchemyError:
            pass  # refused, lost or timed out: no answer, so 503
        finally:
            checks.release()
            done.set()

    threading.Thread(target=check, name="healthz", daemon=True).start()
    if done.wait(DEADLINE_SECONDS) and answers:
        return jsonify(status="ok"), 200
    return jsonify(status="unavailable"), 503


def init_health(app: Flask) -> None:
    """Register `/healthz`."""
    app.extensions[_CHECKS] = threading.BoundedSemaphore(CONCURRENT_CHECKS)
    app.add_url_rule("/healthz", "healthz", healthz)
