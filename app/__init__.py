"""Vena's application factory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from app import config, db
from app.api.blueprint import init_api
from app.api.limits import limit_api
from app.cli import init_cli
from app.clock import system_now
from app.health import init_health
from app.ratelimit import init_rate_limits
from app.request_checks import init_request_checks
from app.security import init_security_headers
from app.web.csrf import init_csrf
from app.web.portal import init_portal
from app.web.sign_in_limits import limit_sign_in

ROOT = Path(__file__).resolve().parent.parent


class ContractOrderJSON(DefaultJSONProvider):
    """JSON bodies keep their fields in the order the contract lists them (no key sorting)."""

    sort_keys = False


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings from defaults, then `instance/config.py`, then the environment,
    then `test_config`; the database; CSRF; rate limits; the portal, the API, health check and
    commands."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(config.defaults(Path(app.instance_path)))
    app.config["CLOCK"] = system_now
    app.config.from_pyfile("config.py", silent=True)
    for name in config.ENVIRONMENT_SETTINGS:
        if os.environ.get(name):
            app.config[name] = os.environ[name]
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config.instance_secret_key(Path(app.instance_path))

    app.json = ContractOrderJSON(app)
    db.init_app(app)
    csrf = init_csrf(app)
    limiter = init_rate_limits(app)
    init_api(app, csrf)
    limit_api(app, limiter)
    init_portal(app)
    limit_sign_in(app, limiter)
    init_health(app)
    init_request_checks(app)
    init_security_headers(app)
    init_cli(app)
    return app
