"""`GET /healthz`: 200 when the database answers, 503 otherwise (contract, operator interface)."""

from __future__ import annotations

from flask import Flask, Response, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.db import get_session


def healthz() -> tuple[Response, int]:
    """200 `{"status": "ok"}` if a trivial query succeeds, else 503 `{"status": "unavailable"}`."""
    try:
        get_session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok"), 200


def init_health(app: Flask) -> None:
    """Register `/healthz`."""
    app.add_url_rule("/healthz", "healthz", healthz)
