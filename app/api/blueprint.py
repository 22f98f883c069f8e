"""The `/api/v1` blueprint: its URL map, CSRF exemption and error handlers."""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_wtf import CSRFProtect

api = Blueprint("api", __name__, url_prefix="/api/v1")


def init_api(app: Flask, csrf: CSRFProtect) -> None:
    """Register the API; it authenticates by `x-api-key`, so it is exempt from CSRF."""
    csrf.exempt(api)
    app.register_blueprint(api)
